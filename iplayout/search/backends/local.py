"""The local search backend: faiss + bm25s files under ``IPLAYOUT_HOME/index/`` (the default).

Files: ``manifest.json`` (model id, dimension, counts), ``docs.parquet`` (per-document metadata
and text), ``vectors.*`` (dense passages + faiss index), ``bm25_*`` (BM25). Every change is saved
before the call returns. One writer at a time (the build pipeline).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np

from iplayout.errors import SearchError
from iplayout.nlp.embeddings import VectorPart
from iplayout.search.backends import Ranked, Scope
from iplayout.search.config import SearchConfig
from iplayout.search.dense_parts import PassageCosines, passage_cosines
from iplayout.search.doctable import DocTable
from iplayout.search.documents import IndexDoc, lexical_text
from iplayout.search.lexical_index import LexicalIndex
from iplayout.search.storage import read_json, write_json
from iplayout.search.vector_index import VectorIndex

FORMAT = 1


class LocalBackend:
    name = "local"

    def __init__(self, folder: Path, config: SearchConfig) -> None:
        self.folder = folder
        self.config = config
        self.docs = DocTable()
        self.lexical = LexicalIndex()
        self.vectors: VectorIndex | None = None
        self._chunk_rows: np.ndarray | None = None  # document row of each passage (cache)

    @classmethod
    def open(cls, folder: Path, config: SearchConfig) -> LocalBackend:
        out = cls(folder, config)
        if (folder / "manifest.json").exists():
            out._load()
        return out

    def _load(self) -> None:
        manifest = read_json(self.folder / "manifest.json")
        if manifest.get("format") != FORMAT:
            raise SearchError(f"search index format {manifest.get('format')} in {self.folder}; "
                              "run `iplayout index rebuild`")
        try:
            self.docs = DocTable.load(self.folder / "docs.parquet")
            self.lexical = LexicalIndex.load(self.folder)
            if (self.folder / "vectors.json").exists():
                self.vectors = VectorIndex.load(self.folder, self.config)
        except (OSError, ValueError, KeyError) as exc:
            raise SearchError(f"cannot read the search index in {self.folder}: {exc}") from exc
        if len(self.lexical) != len(self.docs):
            raise SearchError(f"search index files in {self.folder} disagree; run `iplayout index rebuild`")

    def save(self) -> None:
        self.folder.mkdir(parents=True, exist_ok=True)
        self.docs.save(self.folder / "docs.parquet")
        self.lexical.save(self.folder)
        if self.vectors is not None:
            self.vectors.save(self.folder)
        write_json(self.folder / "manifest.json", {
            "format": FORMAT, "documents": len(self.docs),
            "model_id": self.vectors.model_id if self.vectors else None,
            "dim": self.vectors.dim if self.vectors else None,
        })

    @property
    def model_id(self) -> str | None:
        return self.vectors.model_id if self.vectors is not None else None

    @property
    def dim(self) -> int | None:
        return self.vectors.dim if self.vectors is not None else None

    def check_model(self, model_id: str, dim: int) -> None:
        if self.vectors is not None:
            self.vectors.check_model(model_id, dim)

    # ---- changes -------------------------------------------------------------------------------

    def write(self, docs: list[IndexDoc], owners: np.ndarray, vectors: np.ndarray, model_id: str) -> int:
        replaced = self._drop([d.id for d in docs if d.id in self.docs.pos])
        if self.vectors is None:
            self.vectors = VectorIndex(model_id, int(vectors.shape[1]), self.config)
        keys = self.docs.add(docs)
        self.vectors.add(keys[owners], vectors, model_id)
        self.lexical.add([lexical_text(d) for d in docs])
        self._chunk_rows = None
        self.save()
        return replaced

    def _drop(self, ids: list[str]) -> int:
        rows = np.array(sorted(self.docs.pos[i] for i in set(ids) if i in self.docs.pos), dtype=np.int64)
        keys = self.docs.remove(ids)
        if self.vectors is not None:
            self.vectors.remove_keys(keys)
        self.lexical.remove_rows(rows)
        self._chunk_rows = None
        return len(keys)

    def remove(self, ids: list[str]) -> int:
        n = self._drop(ids)
        if n:
            self.save()
        return n

    def reset(self) -> None:
        self.docs, self.lexical, self.vectors, self._chunk_rows = DocTable(), LexicalIndex(), None, None

    def finish_rebuild(self, kind: str | None) -> None:
        if self.vectors is not None and kind:
            self.vectors.rebuild(kind)
        self.save()

    # ---- search --------------------------------------------------------------------------------

    def count(self, scope: Scope | None) -> int:
        mask = None if scope is None else scope.rows(self.docs)
        return len(self.docs) if mask is None else int(mask.sum())

    def chunk_rows(self) -> np.ndarray:
        if self.vectors is None:
            return np.zeros(0, dtype=np.int64)
        if self._chunk_rows is None:
            self._chunk_rows = self.docs.rows_of_keys(self.vectors.chunk_keys)
        return self._chunk_rows

    def vector_search(self, query_vectors: np.ndarray, k: int, scope: Scope | None) -> list[Ranked]:
        empty = (np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.float32))
        if self.vectors is None or not len(self.docs):
            return [empty for _ in query_vectors]
        mask = None if scope is None else scope.rows(self.docs)
        if mask is None:
            if len(query_vectors) > 1:  # one faiss call for the lot (exact index)
                found = self.vectors.search_many(query_vectors, k, n_docs=len(self.docs))
            else:
                found = [self.vectors.search(query_vectors[0], k, n_docs=len(self.docs))]
        else:
            rows = np.flatnonzero(mask[self.chunk_rows()])
            found = [self.vectors.search(q, k, rows, n_docs=int(mask.sum())) for q in query_vectors]
        return [(self.docs.rows_of_keys(keys), scores) for keys, scores in found]

    def lexical_search(self, query: str, k: int, scope: Scope | None) -> Ranked:
        mask = None if scope is None else scope.rows(self.docs)
        return self.lexical.search(query, k, None if mask is None else np.flatnonzero(mask))

    def document_vectors(self, row: int) -> np.ndarray:
        if self.vectors is None:
            raise SearchError("the search index has no vectors yet; run `iplayout build`")
        return self.vectors.vectors_of(int(self.docs.keys[row]))

    def best_scores(self, rows: np.ndarray, qv: np.ndarray) -> np.ndarray:
        if self.vectors is None:
            return np.zeros(len(rows), dtype=np.float32)
        return self.vectors.best_scores(self.docs.keys[np.asarray(rows, dtype=np.int64)], qv)

    def passage_cosines(self, rows: np.ndarray, q: np.ndarray, parts: list[VectorPart]) -> PassageCosines:
        if self.vectors is None:
            return passage_cosines(np.zeros((0, len(q)), dtype=np.float32), np.zeros(0, dtype=np.int64), q, parts)
        prow, owner = self.vectors.passage_rows(self.docs.keys[np.asarray(rows, dtype=np.int64)])
        return passage_cosines(self.vectors.vectors[prow], owner, q, parts)

    def sample_vectors(self, n: int) -> np.ndarray:
        if self.vectors is None or not len(self.vectors):
            return np.zeros((0, self.dim or 0), dtype=np.float32)
        pick = np.unique(np.linspace(0, len(self.vectors) - 1, min(n, len(self.vectors))).astype(np.int64))
        return self.vectors.vectors[pick]

    @property
    def generation(self) -> object:
        return None if self.vectors is None else (id(self.vectors.vectors), len(self.vectors))

    def stats(self) -> dict[str, Any]:
        v = self.vectors
        return {"backend": self.name, "passages": len(v) if v else 0, "dim": v.dim if v else None,
                "vector_index": v.kind if v else None, "memory_bytes": v.memory_bytes() if v else {},
                "folder": str(self.folder)}

    def problems(self) -> dict[str, set[str]]:
        # the files are checked against each other when loaded (`_load`); passages per document here
        if self.vectors is None:
            return {}
        have = set(self.docs.rows_of_keys(np.unique(self.vectors.chunk_keys)).tolist())
        bare = {d.id for row, d in enumerate(self.docs.docs) if row not in have}
        return {"search index (local): documents without passages": bare}

    def close(self) -> None:
        return None
