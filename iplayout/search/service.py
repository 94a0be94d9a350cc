"""The search service: one object the build pipeline, the CLI and the API talk to.

    svc = SearchService.open(settings)
    svc.index_documents([IndexDoc(id="CN1", type="Patent", title="…", text="…", districts=("500112",))])
    svc.search("锂电池 正极材料", SearchFilters(types=("Patent",)), top=10)
    svc.related("CN1", top=5, store=store)

Files under ``settings.index_dir``: ``manifest.json`` (model id, dimension, counts), ``docs.parquet``
(per-document metadata and text), ``vectors.*`` (dense passages + faiss index), ``bm25_*`` (BM25).
Every change is saved before the call returns. One writer at a time (the build pipeline).
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

import numpy as np

from iplayout.errors import SearchError
from iplayout.nlp.embeddings import Embedder, embed_query_texts, l2_normalise, make_embedder
from iplayout.nlp.normalize import normalize_text
from iplayout.search import faiss_backend as fb
from iplayout.search.config import SearchConfig
from iplayout.search.dense_parts import PartScorer, VectorSource, sample_rows
from iplayout.search.doctable import DocTable
from iplayout.search.documents import IndexDoc, ensure_unique, lexical_text, passages, sentences
from iplayout.search.filters import SearchFilters
from iplayout.search.fusion import rrf
from iplayout.search.lexical_index import LexicalIndex
from iplayout.search.results import Evidence, Hit, SearchResult
from iplayout.search.storage import read_json, write_json
from iplayout.search.vector_index import VectorIndex

if TYPE_CHECKING:
    from iplayout.config import Settings
    from iplayout.graph.store import GraphStore
    from iplayout.search.results import RelatedResult

log = logging.getLogger(__name__)

Mode = Literal["hybrid", "dense", "bm25"]
MODES: tuple[str, ...] = ("hybrid", "dense", "bm25")
FORMAT = 1


@dataclass(frozen=True)
class SearchRequest:
    query: str
    filters: SearchFilters | None = None
    top: int = 10
    mode: str = "hybrid"


class SearchService:
    def __init__(self, folder: Path, embedder: Embedder, config: SearchConfig) -> None:
        self.folder = folder
        self.embedder = embedder
        self.config = config
        self.docs = DocTable()
        self.lexical = LexicalIndex()
        self._vectors: VectorIndex | None = None
        self._chunk_rows: np.ndarray | None = None  # document row of each passage (cache)
        layout = getattr(embedder, "layout", None)  # a joined vector: each part on its own scale
        parts = layout() if callable(layout) else []
        self._parts = PartScorer(parts) if len(parts) > 1 else None

    # ---- opening and saving --------------------------------------------------------------------

    @classmethod
    def open(cls, settings: Settings, *, embedder: Embedder | None = None,
             config: SearchConfig | None = None) -> SearchService:
        """The index under ``settings.index_dir`` (empty if none yet), with the configured embedder."""
        svc = cls(settings.index_dir, embedder or make_embedder(settings), config or SearchConfig.from_settings(settings))
        if (svc.folder / "manifest.json").exists():
            svc._load()
        return svc

    def _load(self) -> None:
        manifest = read_json(self.folder / "manifest.json")
        if manifest.get("format") != FORMAT:
            raise SearchError(f"search index format {manifest.get('format')} in {self.folder}; "
                              "run `iplayout index rebuild`")
        try:
            self.docs = DocTable.load(self.folder / "docs.parquet")
            self.lexical = LexicalIndex.load(self.folder)
            if (self.folder / "vectors.json").exists():
                self._vectors = VectorIndex.load(self.folder, self.config)
        except (OSError, ValueError, KeyError) as exc:
            raise SearchError(f"cannot read the search index in {self.folder}: {exc}") from exc
        if len(self.lexical) != len(self.docs):
            raise SearchError(f"search index files in {self.folder} disagree; run `iplayout index rebuild`")

    def save(self) -> None:
        self.folder.mkdir(parents=True, exist_ok=True)
        self.docs.save(self.folder / "docs.parquet")
        self.lexical.save(self.folder)
        if self._vectors is not None:
            self._vectors.save(self.folder)
        write_json(self.folder / "manifest.json", {
            "format": FORMAT, "documents": len(self.docs),
            "model_id": self._vectors.model_id if self._vectors else None,
            "dim": self._vectors.dim if self._vectors else None,
        })

    @property
    def index_model_id(self) -> str | None:
        return self._vectors.model_id if self._vectors is not None else None

    def _check_model(self) -> None:
        """Refuse early (before embedding anything) when the index belongs to another model."""
        if self._vectors is not None and self._vectors.model_id != self.embedder.model_id:
            self._vectors.check_model(self.embedder.model_id, self._vectors.dim)

    # ---- changes -------------------------------------------------------------------------------

    def index_documents(self, docs: Sequence[IndexDoc]) -> dict[str, int]:
        """Add or replace documents (by id); returns counts of added, replaced and passages."""
        self._check_model()
        batch = ensure_unique(docs)
        if not batch:
            return {"added": 0, "replaced": 0, "passages": 0}
        replaced = self._drop([d.id for d in batch if d.id in self.docs.pos])
        texts: list[str] = []
        owners: list[int] = []
        for i, d in enumerate(batch):
            ps = passages(d, self.config.passage_chars(d.text), self.config.max_chunks)
            texts.extend(normalize_text(p) for p in ps)
            owners.extend([i] * len(ps))
        vectors = self.embedder.embed(texts)
        if self._vectors is None:
            self._vectors = VectorIndex(self.embedder.model_id, int(vectors.shape[1]), self.config)
        keys = self.docs.add(batch)
        self._vectors.add(keys[np.asarray(owners)], vectors, self.embedder.model_id)
        self.lexical.add([lexical_text(d) for d in batch])
        self._chunk_rows = None
        self.save()
        return {"added": len(batch) - replaced, "replaced": replaced, "passages": len(texts)}

    def _drop(self, ids: Iterable[str]) -> int:
        ids = list(ids)
        rows = np.array(sorted(self.docs.pos[i] for i in set(ids) if i in self.docs.pos), dtype=np.int64)
        keys = self.docs.remove(ids)
        if self._vectors is not None:
            self._vectors.remove_keys(keys)
        self.lexical.remove_rows(rows)
        self._chunk_rows = None
        return len(keys)

    def remove(self, ids: Iterable[str]) -> int:
        """Remove documents by id (unknown ids are ignored); returns how many were removed."""
        n = self._drop(ids)
        if n:
            self.save()
        return n

    def rebuild(self, kind: str | None = None) -> dict[str, Any]:
        """Re-embed every stored text with the configured embedder and rebuild both indexes."""
        docs = list(self.docs.docs)
        self.docs, self.lexical, self._vectors, self._chunk_rows = DocTable(), LexicalIndex(), None, None
        if docs:
            self.index_documents(docs)
        if self._vectors is not None and kind:
            self._vectors.rebuild(kind)
        self.save()
        return self.stats()

    # ---- lookups -------------------------------------------------------------------------------

    def ids(self) -> set[str]:
        """Every document id in the index (for `iplayout check`)."""
        return set(self.docs.pos)

    def stats(self) -> dict[str, Any]:
        types: dict[str, int] = {}
        for d in self.docs.docs:
            types[d.type] = types.get(d.type, 0) + 1
        v = self._vectors
        return {
            "documents": len(self.docs), "by_type": types, "passages": len(v) if v else 0,
            "model_id": v.model_id if v else self.embedder.model_id, "dim": v.dim if v else None,
            "vector_index": v.kind if v else None, "vocabulary": len(self.lexical.vocab),
            "memory_bytes": v.memory_bytes() if v else {}, "folder": str(self.folder),
        }

    def chunk_rows(self) -> np.ndarray:
        if self._vectors is None:
            return np.zeros(0, dtype=np.int64)
        if self._chunk_rows is None:
            self._chunk_rows = self.docs.rows_of_keys(self._vectors.chunk_keys)
        return self._chunk_rows

    # ---- search --------------------------------------------------------------------------------

    def dense_rows(self, qv: np.ndarray, k: int, mask: np.ndarray | None) -> tuple[np.ndarray, np.ndarray]:
        """Top ``k`` document rows by dense similarity among the rows allowed by ``mask``, with the
        cosine of each row's best passage.

        With a joined vector of several embedders the ranking scores each part on its own scale
        (``search/dense_parts.py``); the cosines stay the plain inner product, for evidence.
        """
        if self._vectors is None or not len(self.docs):
            return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.float32)
        rows = None if mask is None else np.flatnonzero(mask[self.chunk_rows()])
        n_docs = len(self.docs) if mask is None else int(mask.sum())
        if self._parts is not None:
            vi = self._vectors
            source = VectorSource(search=lambda q, n: vi.search(q, n, rows, n_docs)[0],
                                  passages=lambda keys: (vi.vectors[(pr := vi.passage_rows(keys))[0]], pr[1]),
                                  sample=lambda: vi.vectors[sample_rows(len(vi))],
                                  stamp=(id(vi.vectors), len(vi)))
            keys, _, cosines = self._parts.rank(source, qv, k)
            return self.docs.rows_of_keys(keys), cosines
        keys, scores = self._vectors.search(qv, k, rows, n_docs=n_docs)
        return self.docs.rows_of_keys(keys), scores

    def embed_queries(self, queries: Sequence[str]) -> np.ndarray:
        """One unit vector per query (Traditional script normalised first).

        A pasted paragraph is embedded whole or sentence by sentence as each model prefers
        (:func:`iplayout.nlp.embeddings.embed_query_texts`); documents keep whole-passage vectors.
        """
        return embed_query_texts(self.embedder, [normalize_text(q) for q in queries], sentences)

    def search(self, query: str, filters: SearchFilters | None = None, top: int = 10,
               mode: str = "hybrid") -> SearchResult:
        return self.search_many([SearchRequest(query=query, filters=filters, top=top, mode=mode)])[0]

    def search_many(self, requests: Sequence[SearchRequest]) -> list[SearchResult]:
        """Several searches at once, each answered exactly as ``search`` answers it alone.

        The queries are embedded in one call and the unfiltered ones scored against the exact
        vector index in one faiss call: what lets ``serve`` answer concurrent requests in
        batches (``api/batching.py``) instead of one scan of every vector per request.
        """
        for r in requests:
            if r.mode not in MODES:
                raise SearchError(f"unknown search mode {r.mode!r}; one of {', '.join(MODES)}")
            if not r.query.strip():
                raise SearchError("empty query")
        masks = [self.docs.mask(r.filters or SearchFilters()) for r in requests]
        dense_at = [i for i, r in enumerate(requests) if r.mode in ("hybrid", "dense")]
        vectors: dict[int, np.ndarray] = {}
        if dense_at:
            self._check_model()
            embedded = self.embed_queries([requests[i].query for i in dense_at])
            vectors = {i: embedded[j] for j, i in enumerate(dense_at)}
        with fb.threads(self.config.search_threads):  # embedding above keeps its own threads
            return self._retrieve(requests, masks, vectors)

    def _retrieve(self, requests: Sequence[SearchRequest], masks: list[np.ndarray | None],
                  vectors: dict[int, np.ndarray]) -> list[SearchResult]:
        dense_at = list(vectors)
        dense: dict[int, tuple[np.ndarray, np.ndarray]] = {}
        unfiltered = [i for i in dense_at if masks[i] is None]
        # one batched scan of a single-model index (a joined vector ranks part by part: dense_rows)
        if len(unfiltered) > 1 and self._vectors is not None and len(self.docs) and self._parts is None:
            k = max(self._candidates(requests[i]) for i in unfiltered)
            found = self._vectors.search_many(np.stack([vectors[i] for i in unfiltered]), k, n_docs=len(self.docs))
            for i, (keys, scores) in zip(unfiltered, found, strict=True):
                n = self._candidates(requests[i])  # exact top-k lists: a shorter one is a prefix
                dense[i] = self.docs.rows_of_keys(keys[:n]), scores[:n]
        return [self._search_one(r, masks[i], vectors.get(i), dense.get(i)) for i, r in enumerate(requests)]

    def _candidates(self, request: SearchRequest) -> int:
        return max(request.top, self.config.candidates)

    def _search_one(self, request: SearchRequest, mask: np.ndarray | None, qv: np.ndarray | None,
                    dense: tuple[np.ndarray, np.ndarray] | None) -> SearchResult:
        query, mode, top = request.query, request.mode, request.top
        filters = request.filters or SearchFilters()
        cand = self._candidates(request)
        rankings: dict[str, list[int]] = {}
        dense_scores: dict[int, float] = {}
        if qv is not None:
            rows, scores = dense if dense is not None else self.dense_rows(qv, cand, mask)
            rankings["dense"] = rows.tolist()
            dense_scores = dict(zip(rows.tolist(), scores.tolist(), strict=True))
        bm25_scores: dict[int, float] = {}
        if mode in ("hybrid", "bm25"):
            rows, scores = self.lexical.search(query, cand, None if mask is None else np.flatnonzero(mask))
            rankings["bm25"] = rows.tolist()
            bm25_scores = dict(zip(rows.tolist(), scores.tolist(), strict=True))
        all_qtoks = self.lexical.query_tokens(query)
        weights = {"dense": self.config.weight_dense, "bm25": self.config.bm25_weight(len(all_qtoks))}
        fused = rrf(rankings, weights, self.config.rrf_k)[:top]
        qtoks = list(dict.fromkeys(all_qtoks))
        hits = [self._hit(row, score, ranks, qtoks, qv, dense_scores, bm25_scores) for row, score, ranks in fused]
        if mode == "dense":  # report cosine as the score when only one method ran
            hits = [h.model_copy(update={"score": h.evidence.dense_similarity or 0.0}) for h in hits]
        elif mode == "bm25":
            hits = [h.model_copy(update={"score": h.evidence.bm25_score or 0.0}) for h in hits]
        return SearchResult(
            query=query, mode=mode, model_id=self.embedder.model_id if mode != "bm25" else None,
            cross_lingual=mode != "bm25" and self.embedder.multilingual,
            notes=self.notes(mode) + self._long_query_note(mode, len(all_qtoks)),
            filters=filters.model_dump(exclude_defaults=True),
            matching_documents=len(self.docs) if mask is None else int(mask.sum()), hits=hits,
        )

    def notes(self, mode: str) -> list[str]:
        if mode == "bm25":
            return ["BM25 only: a query finds documents that share its words (no cross-lingual matches)."]
        if not self.embedder.multilingual:
            return [f"embedder {self.embedder.model_id} is not multilingual: cross_lingual false, a query in one "
                    "language will not find documents written in another"]
        return []

    def _long_query_note(self, mode: str, n_tokens: int) -> list[str]:
        if mode != "hybrid" or n_tokens <= self.config.long_query_tokens:
            return []
        return [f"long query ({n_tokens} terms): BM25 counts {self.config.weight_bm25_long:g} against dense "
                f"{self.config.weight_dense:g} in the fusion (short queries: {self.config.weight_bm25:g})"]

    def _hit(self, row: int, score: float, ranks: dict[str, int | None], qtoks: list[str], qv: np.ndarray | None,
             dense_scores: dict[int, float], bm25_scores: dict[int, float]) -> Hit:
        d = self.docs.docs[row]
        sim = dense_scores.get(row)
        if sim is None and qv is not None:
            sim = self.passage_similarity(row, qv)
        ev = Evidence(matched_terms=self.lexical.matched_terms(qtoks, row),
                      dense_similarity=None if sim is None else round(float(sim), 4),
                      bm25_score=None if row not in bm25_scores else round(bm25_scores[row], 4))
        return Hit(id=d.id, type=d.type, title=d.title, year=d.year, score=round(score, 6), ranks=ranks, evidence=ev)

    def document_vector(self, row: int) -> np.ndarray:
        """A document's own query vector: the mean of its passage vectors, unit length."""
        self._check_model()
        if self._vectors is None:
            raise SearchError("the search index has no vectors yet; run `iplayout build`")
        vector: np.ndarray = l2_normalise(self._vectors.vectors_of(int(self.docs.keys[row])).mean(axis=0))[0]
        return vector

    def passage_similarity(self, row: int, qv: np.ndarray) -> float:
        """Cosine of ``qv`` and the document's best passage."""
        return float(self.passage_similarities(np.asarray([row]), qv)[0])

    def passage_similarities(self, rows: np.ndarray, qv: np.ndarray) -> np.ndarray:
        """Cosine of ``qv`` and each document's best passage, for many rows at once."""
        if self._vectors is None:
            return np.zeros(len(rows), dtype=np.float32)
        return self._vectors.best_scores(self.docs.keys[np.asarray(rows, dtype=np.int64)], qv)

    def related(self, doc_id: str, top: int = 10, store: GraphStore | None = None, when: str = "any",
                types: Sequence[str] | None = None) -> RelatedResult:
        """Documents around ``doc_id``, per type, from fused evidence (``search/related.py``)."""
        from iplayout.search.related import related

        with fb.threads(self.config.search_threads):
            return related(self, doc_id, top, store, when=when, types=types)
