"""The faiss indexes behind ``VectorIndex``: which kind for which size, how to build and query each.

* ``flat``: ``IndexIDMap2(IndexFlatIP)``: exact inner product; used up to ``SearchConfig.exact_max`` vectors.
* ``hnsw``: ``IndexIDMap2(IndexHNSWFlat)`` with inner product; no removal in faiss, so removals rebuild it.
* ``ivfpq``: ``IndexIVFPQ`` (``nlist`` lists, ``dim/8`` 8-bit sub-quantisers) with native ids and removal.

All three take int64 ids and an ``IDSelector`` at search time. faiss is imported lazily.
"""

from __future__ import annotations

import functools
import math
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import numpy as np

from iplayout.errors import SearchError
from iplayout.search.config import SearchConfig


def faiss() -> Any:
    try:
        import faiss as _faiss
    except ImportError as exc:
        raise SearchError("the vector index needs faiss; install it with: pip install faiss-cpu") from exc
    return _faiss


@contextmanager
def threads(n: int) -> Iterator[None]:
    """Run faiss (OpenMP) and numpy's BLAS with ``n`` threads inside the block (0: leave the defaults).

    One query is fastest on one thread: a 4,096 x 512 re-scoring product took 13 ms on two OpenBLAS
    threads and 1.3 ms on one while other work shared the 2 cores; concurrent requests parallelise
    across threads instead.
    """
    if n <= 0:
        yield
        return
    f = faiss()
    before = f.omp_get_max_threads()
    f.omp_set_num_threads(n)
    try:
        with _blas().limit(limits=n, user_api="blas"):
            yield
    finally:
        f.omp_set_num_threads(before)


@functools.cache
def _blas() -> Any:
    from threadpoolctl import ThreadpoolController

    return ThreadpoolController()  # inspects the loaded libraries once (about 1 ms); limit() is cheap


def choose_kind(n: int, config: SearchConfig) -> str:
    return "flat" if n <= config.exact_max else config.ann_kind


def _nlist(n: int, config: SearchConfig) -> int:
    if config.ivf_nlist:
        return config.ivf_nlist
    return int(min(65_536, max(64, 2 * math.sqrt(max(n, 1)))))


def build(kind: str, dim: int, vectors: np.ndarray, ids: np.ndarray, config: SearchConfig) -> Any:
    """A new faiss index of ``kind`` holding ``vectors`` under ``ids``."""
    f = faiss()
    if kind == "flat":
        index = f.IndexIDMap2(f.IndexFlatIP(dim))
    elif kind == "hnsw":
        inner = f.IndexHNSWFlat(dim, config.hnsw_m, f.METRIC_INNER_PRODUCT)
        inner.hnsw.efConstruction = config.hnsw_ef_construction
        index = f.IndexIDMap2(inner)
    elif kind == "ivfpq":
        index = _ivfpq(dim, vectors, config)
    else:
        raise SearchError(f"unknown vector index kind {kind!r}; one of flat, hnsw, ivfpq")
    if len(ids):
        index.add_with_ids(vectors, ids)
    return index


def _ivfpq(dim: int, vectors: np.ndarray, config: SearchConfig) -> Any:
    f = faiss()
    nlist = _nlist(len(vectors), config)
    m = config.pq_m or max(1, dim // 8)
    if dim % m:
        raise SearchError(f"pq_m={m} must divide the dimension {dim}")
    if len(vectors) < max(nlist * 8, 256 * 4):
        raise SearchError(f"an IVF-PQ index needs at least {max(nlist * 8, 1024)} vectors to train; "
                          f"got {len(vectors)} (lower exact_max or use ann_kind=hnsw)")
    index = f.IndexIVFPQ(f.IndexFlatIP(dim), dim, nlist, m, 8, f.METRIC_INNER_PRODUCT)
    rng = np.random.default_rng(0)
    n_train = min(len(vectors), max(nlist * 40, 20_000))
    sample = vectors[np.sort(rng.choice(len(vectors), n_train, replace=False))] if n_train < len(vectors) else vectors
    index.train(np.ascontiguousarray(sample, dtype=np.float32))
    return index


def search_params(kind: str, config: SearchConfig, selector: Any | None, k: int) -> Any:
    f = faiss()
    if kind == "hnsw":
        return f.SearchParametersHNSW(sel=selector, efSearch=max(config.hnsw_ef_search, k))
    if kind == "ivfpq":
        return f.SearchParametersIVF(sel=selector, nprobe=config.ivf_nprobe)
    return f.SearchParameters(sel=selector) if selector is not None else None


def supports_remove(kind: str) -> bool:
    return kind != "hnsw"


def remove(index: Any, ids: np.ndarray) -> int:
    f = faiss()
    return int(index.remove_ids(f.IDSelectorBatch(len(ids), f.swig_ptr(np.ascontiguousarray(ids, dtype=np.int64)))))


def bitmap_selector(allowed_ids: np.ndarray, id_bound: int) -> tuple[Any, np.ndarray]:
    """An ``IDSelectorBitmap`` over ids ``< id_bound``; the returned array must outlive the search."""
    f = faiss()
    bits = np.zeros(id_bound, dtype=bool)
    bits[allowed_ids] = True
    bitmap = np.packbits(bits, bitorder="little")
    return f.IDSelectorBitmap(id_bound, f.swig_ptr(bitmap)), bitmap


def is_exact(kind: str) -> bool:
    return kind == "flat"


def write(index: Any, path: str) -> None:
    faiss().write_index(index, path)


def read(path: str) -> Any:
    try:
        return faiss().read_index(path)
    except RuntimeError as exc:
        raise SearchError(f"cannot read vector index {path}: {str(exc).splitlines()[0]}") from exc
