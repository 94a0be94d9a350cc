"""Dense passage vectors of one embedding model, searchable by inner product.

The float32 vectors themselves (``vectors.npy``) are the source of truth, kept in passage order with
the int64 passage ids faiss sees (``chunk_ids``, handed out once, never reused) and the owning
document key (``chunk_keys``). The faiss index (``vectors.faiss``) is derived from them: exact
below ``exact_max`` passages, HNSW or IVF-PQ above; approximate hits are re-scored on the stored
vectors, filtered searches over few passages are brute force, and a filtered approximate search
that yields fewer than ``k`` documents falls back to brute force, so a filtered search always
returns a full top-k. The manifest (``vectors.json``) records the model id and dimension; vectors
or queries of another model are refused.
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

import numpy as np

from iplayout.errors import SearchError
from iplayout.search import faiss_backend as fb
from iplayout.search.config import SearchConfig
from iplayout.search.storage import atomic_path, load_array, read_json, save_array, write_json

log = logging.getLogger(__name__)

FORMAT = 1


class VectorIndex:
    def __init__(self, model_id: str, dim: int, config: SearchConfig) -> None:
        self.model_id = model_id
        self.dim = dim
        self.config = config
        self.chunk_ids = np.zeros(0, dtype=np.int64)
        self.chunk_keys = np.zeros(0, dtype=np.int64)
        self.vectors = np.zeros((0, dim), dtype=np.float32)
        self.next_chunk_id = 0
        self.kind = "flat"
        self.trained_on = 0
        self._index: Any = None  # built lazily from the vectors when not loaded

    def __len__(self) -> int:
        return len(self.chunk_ids)

    # ---- model guard ---------------------------------------------------------------------------

    def check_model(self, model_id: str, dim: int) -> None:
        if model_id != self.model_id or dim != self.dim:
            raise SearchError(
                f"the index was built with embedder {self.model_id} ({self.dim}-d) but the configured "
                f"embedder is {model_id} ({dim}-d); set IPLAYOUT_EMBEDDER back or run `iplayout index rebuild`"
            )

    def _check_vectors(self, vectors: np.ndarray) -> np.ndarray:
        v = np.ascontiguousarray(vectors, dtype=np.float32)
        if v.ndim != 2 or v.shape[1] != self.dim:
            raise SearchError(f"vectors of shape {v.shape} do not fit this {self.dim}-d index of {self.model_id}")
        return v

    # ---- changes -------------------------------------------------------------------------------

    def add(self, keys: np.ndarray, vectors: np.ndarray, model_id: str) -> None:
        """Append passages: ``keys[i]`` is the document key of ``vectors[i]``."""
        self.check_model(model_id, vectors.shape[1] if vectors.ndim == 2 else -1)
        v = self._check_vectors(vectors)
        ids = np.arange(self.next_chunk_id, self.next_chunk_id + len(v), dtype=np.int64)
        self.next_chunk_id += len(v)
        self.chunk_ids = np.concatenate([self.chunk_ids, ids])
        self.chunk_keys = np.concatenate([self.chunk_keys, np.asarray(keys, dtype=np.int64)])
        self.vectors = np.concatenate([self.vectors, v]) if len(self.vectors) else v
        if self._index is None:
            return
        grown = self.kind != fb.choose_kind(len(self), self.config)
        stale = self.kind == "ivfpq" and len(self) > self.config.retrain_growth * max(self.trained_on, 1)
        if grown or stale:
            self._index = None  # rebuilt on next use with the kind that fits the new size
        else:
            self._index.add_with_ids(v, ids)

    def remove_keys(self, keys: np.ndarray) -> int:
        """Drop every passage of the documents ``keys``; returns passages removed."""
        gone = np.isin(self.chunk_keys, keys)
        n = int(gone.sum())
        if not n:
            return 0
        if self._index is not None and fb.supports_remove(self.kind):
            fb.remove(self._index, self.chunk_ids[gone])
        else:
            self._index = None
        keep = ~gone
        self.chunk_ids, self.chunk_keys, self.vectors = self.chunk_ids[keep], self.chunk_keys[keep], self.vectors[keep]
        return n

    def rebuild(self, kind: str | None = None) -> None:
        """(Re)build the faiss index from the stored vectors; renumbers passages compactly."""
        self.chunk_ids = np.arange(len(self), dtype=np.int64)
        self.next_chunk_id = len(self)
        self.kind = kind or fb.choose_kind(len(self), self.config)
        if self.kind == "ivfpq":
            self.trained_on = len(self)
        self._index = fb.build(self.kind, self.dim, self.vectors, self.chunk_ids, self.config)

    def faiss_index(self) -> Any:
        if self._index is None:
            self.rebuild()
        return self._index

    # ---- search --------------------------------------------------------------------------------

    def search(self, query: np.ndarray, k: int, rows: np.ndarray | None = None,
               n_docs: int | None = None) -> tuple[np.ndarray, np.ndarray]:
        """Top ``k`` documents (keys, max passage score), optionally only among passage ``rows``.

        ``n_docs`` is the number of distinct documents the candidate passages belong to (when the
        caller knows it): a search stops widening once it has ``min(k, n_docs)`` documents.
        """
        q = self._check_vectors(query.reshape(1, -1))
        n_sel = len(self) if rows is None else len(rows)
        if n_sel == 0 or k <= 0:
            return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.float32)
        want = min(k, n_docs if n_docs is not None else n_sel)
        if rows is not None and (n_sel <= self.config.exact_subset_max):
            return self._brute(q[0], rows, k)
        keys, scores = self._faiss_search(q, k, want, rows, n_sel)
        if len(keys) < want:
            log.debug("approximate search found %s of %s documents; exact fallback", len(keys), want)
            return self._brute(q[0], np.arange(len(self)) if rows is None else rows, k)
        return keys, scores

    def search_many(self, queries: np.ndarray, k: int, n_docs: int | None = None
                    ) -> list[tuple[np.ndarray, np.ndarray]]:
        """``search`` for several unfiltered queries at once.

        On an exact index one faiss call scores them all (a matrix product instead of one scan
        of every vector per query); a query whose passages crowd out its documents, and every
        query on an approximate index, goes through ``search``.
        """
        q = self._check_vectors(queries)
        if not fb.is_exact(self.kind) or len(q) < 2 or len(self) == 0 or k <= 0:
            return [self.search(v, k, n_docs=n_docs) for v in q]
        want = min(k, n_docs if n_docs is not None else len(self))
        fetch = min(len(self), max(2 * k, k + 16))
        with fb.threads(self.config.search_threads):
            _, ids = self.faiss_index().search(q, fetch)
        out = []
        for i in range(len(q)):
            keys, best = self._rank(ids[i][ids[i] >= 0], q[i], k)
            out.append((keys, best) if len(keys) >= want or fetch >= len(self) else self.search(q[i], k, n_docs=n_docs))
        return out

    def _rank(self, ids: np.ndarray, q: np.ndarray, k: int) -> tuple[np.ndarray, np.ndarray]:
        """Top ``k`` documents among faiss passage ``ids``, scored exactly on the stored vectors
        (approximate kinds are re-ranked here)."""
        pos = np.searchsorted(self.chunk_ids, ids)
        scores = self.vectors[pos] @ q
        order = np.argsort(-scores, kind="stable")
        return _first_per_doc(self.chunk_keys[pos[order]], scores[order], k)

    def _brute(self, q: np.ndarray, rows: np.ndarray, k: int) -> tuple[np.ndarray, np.ndarray]:
        scores = self.vectors[rows] @ q
        order = np.argsort(-scores, kind="stable")
        return _first_per_doc(self.chunk_keys[rows[order]], scores[order], k)

    def _faiss_search(self, q: np.ndarray, k: int, want: int, rows: np.ndarray | None,
                      n_sel: int) -> tuple[np.ndarray, np.ndarray]:
        index = self.faiss_index()
        selector, _bitmap = (None, None) if rows is None else fb.bitmap_selector(
            self.chunk_ids[rows], self.next_chunk_id)
        exact = fb.is_exact(self.kind)
        base = max(2 * k, k + 16)
        fetch = min(n_sel, base if exact else max(base, min(base * self.config.rerank_factor, self.config.rerank_max)))
        while True:
            with fb.threads(self.config.search_threads):
                _, ids = index.search(q, fetch, params=fb.search_params(self.kind, self.config, selector, fetch))
            ids = ids[0][ids[0] >= 0]
            keys, best = self._rank(ids, q[0], k)
            if len(keys) >= want or fetch >= n_sel or len(ids) < fetch:
                return keys, best
            fetch = min(n_sel, fetch * 4)

    def vectors_of(self, key: int) -> np.ndarray:
        a, b = self._span(np.asarray([key], dtype=np.int64))
        out: np.ndarray = self.vectors[a[0]:b[0]]
        return out

    def best_scores(self, keys: np.ndarray, q: np.ndarray) -> np.ndarray:
        """Per document key: the best passage score for ``q`` (0 for a key without passages)."""
        a, b = self._span(np.asarray(keys, dtype=np.int64))
        out = np.zeros(len(a), dtype=np.float32)
        counts = b - a
        has = counts > 0
        if not has.any():
            return out
        # every passage row of every key in one gather and one product, then the max per key
        a, counts = a[has], counts[has]
        starts = np.cumsum(counts) - counts
        rows = np.repeat(a - starts, counts) + np.arange(int(counts.sum()))
        out[has] = np.maximum.reduceat(self.vectors[rows] @ q, starts)
        return out

    def passage_rows(self, keys: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Every passage row of the document ``keys``, and for each the index of its key in ``keys``."""
        a, b = self._span(np.asarray(keys, dtype=np.int64))
        counts = b - a
        starts = np.cumsum(counts) - counts
        rows = np.repeat(a - starts, counts) + np.arange(int(counts.sum()))
        return rows.astype(np.int64), np.repeat(np.arange(len(a)), counts)

    def _span(self, keys: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Passage row ranges of document keys. Passages are appended in ascending key order and
        removals keep the order, so ``chunk_keys`` is sorted and a binary search finds them."""
        return (np.searchsorted(self.chunk_keys, keys, side="left"),
                np.searchsorted(self.chunk_keys, keys, side="right"))

    # ---- persistence ---------------------------------------------------------------------------

    def save(self, folder: Path) -> None:
        folder.mkdir(parents=True, exist_ok=True)
        index = self.faiss_index()  # first: building renumbers the passage ids
        save_array(folder / "vectors.npy", self.vectors)
        save_array(folder / "chunk_ids.npy", self.chunk_ids)
        save_array(folder / "chunk_keys.npy", self.chunk_keys)
        with atomic_path(folder / "vectors.faiss") as tmp:
            fb.write(index, str(tmp))
        write_json(folder / "vectors.json", {
            "format": FORMAT, "model_id": self.model_id, "dim": self.dim, "kind": self.kind,
            "trained_on": self.trained_on, "next_chunk_id": self.next_chunk_id, "passages": len(self),
        })

    @classmethod
    def load(cls, folder: Path, config: SearchConfig) -> VectorIndex:
        manifest = read_json(folder / "vectors.json")
        if manifest.get("format") != FORMAT:
            raise SearchError(f"index format {manifest.get('format')} in {folder}; run `iplayout index rebuild`")
        out = cls(manifest["model_id"], int(manifest["dim"]), config)
        out.vectors = load_array(folder / "vectors.npy")
        out.chunk_ids = load_array(folder / "chunk_ids.npy")
        out.chunk_keys = load_array(folder / "chunk_keys.npy")
        out.next_chunk_id = int(manifest["next_chunk_id"])
        out.kind = manifest["kind"]
        out.trained_on = int(manifest["trained_on"])
        if len(out.vectors) != len(out.chunk_ids) or len(out.chunk_ids) != manifest["passages"]:
            raise SearchError(f"vector index files in {folder} disagree; run `iplayout index rebuild`")
        out._index = fb.read(str(folder / "vectors.faiss"))
        if out._index.ntotal != len(out):
            out._index = None  # stale derived index: rebuilt from the vectors on first use
        return out

    def memory_bytes(self) -> dict[str, int]:
        faiss_bytes = 0
        if self._index is not None:
            faiss_bytes = int(fb.faiss().serialize_index(self._index).nbytes)
        return {"vectors": int(self.vectors.nbytes + self.chunk_ids.nbytes + self.chunk_keys.nbytes),
                "faiss": faiss_bytes}


def _first_per_doc(keys: np.ndarray, scores: np.ndarray, k: int) -> tuple[np.ndarray, np.ndarray]:
    """Keep each document's first (best) passage, in the given order, up to ``k`` documents."""
    _, first = np.unique(keys, return_index=True)
    first.sort()
    first = first[:k]
    return keys[first], scores[first].astype(np.float32)
