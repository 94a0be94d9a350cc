"""The faiss-backed vector index on synthetic unit vectors: exactness, full filtered top-k, changes, files."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from iplayout.errors import SearchError
from iplayout.nlp.embeddings import l2_normalise
from iplayout.search.config import SearchConfig
from iplayout.search.vector_index import VectorIndex

DIM = 32


def _vectors(n: int, seed: int = 1) -> np.ndarray:
    return l2_normalise(np.random.default_rng(seed).normal(size=(n, DIM)))


def _index(n: int, **cfg: object) -> tuple[VectorIndex, np.ndarray]:
    vi = VectorIndex("test:m", DIM, SearchConfig(**cfg))  # type: ignore[arg-type]
    v = _vectors(n)
    vi.add(np.arange(n, dtype=np.int64), v, "test:m")
    return vi, v


def test_flat_is_exact() -> None:
    vi, v = _index(500)
    q = _vectors(1, seed=7)[0]
    keys, scores = vi.search(q, 10)
    expected = np.argsort(-(v @ q))[:10]
    assert vi.kind == "flat" or vi.faiss_index() is not None
    assert keys.tolist() == expected.tolist()
    assert np.allclose(scores, (v @ q)[expected], atol=1e-5)


@pytest.mark.parametrize("kind", ["hnsw", "ivfpq"])
def test_approximate_kinds_filtered_search_returns_full_top_k(kind: str) -> None:
    vi, v = _index(10_000, exact_max=100, ann_kind=kind, exact_subset_max=50, ivf_nlist=64, ivf_nprobe=16, pq_m=16)
    vi.faiss_index()
    assert vi.kind == kind
    q = _vectors(1, seed=3)[0]
    rows = np.arange(0, 10_000, 97)  # 104 allowed passages, scattered over the IVF lists
    keys, _ = vi.search(q, 20, rows, n_docs=len(rows))
    assert len(keys) == 20 and set(keys.tolist()) <= set(rows.tolist())
    keys_all, _ = vi.search(q, 10)
    exact = np.argsort(-(v @ q))[:10]
    assert len(set(keys_all.tolist()) & set(exact.tolist())) >= 7  # re-ranked on the stored vectors


def test_passages_aggregate_to_best_per_document() -> None:
    vi = VectorIndex("test:m", DIM, SearchConfig())
    v = _vectors(6)
    vi.add(np.array([0, 0, 0, 1, 1, 2]), v, "test:m")
    q = v[4]  # best passage belongs to document 1
    keys, scores = vi.search(q, 3)
    assert keys[0] == 1 and scores[0] == pytest.approx(1.0, abs=1e-5)
    assert sorted(keys.tolist()) == [0, 1, 2]


def test_remove_and_persist_round_trip(tmp_path: Path) -> None:
    vi, v = _index(300)
    assert vi.remove_keys(np.array([5, 6, 7])) == 3
    vi.save(tmp_path)
    back = VectorIndex.load(tmp_path, SearchConfig())
    q = v[5]
    keys, _ = back.search(q, 300)
    assert 5 not in keys.tolist() and len(keys) == 297
    back.add(np.array([1000]), v[5:6], "test:m")
    assert back.search(q, 1)[0].tolist() == [1000]


def test_refuses_other_model_and_dimension() -> None:
    vi, _ = _index(10)
    with pytest.raises(SearchError, match="built with embedder test:m"):
        vi.add(np.array([99]), _vectors(1), "other:model")
    with pytest.raises(SearchError, match="run `iplayout index rebuild`"):
        vi.check_model("test:m", DIM + 1)
    with pytest.raises(SearchError, match="do not fit"):
        vi.search(np.zeros(DIM + 3, dtype=np.float32), 3)


def test_best_scores_is_the_best_passage_per_key_in_the_order_asked() -> None:
    from iplayout.search.config import SearchConfig
    from iplayout.search.vector_index import VectorIndex

    vi = VectorIndex("m", 4, SearchConfig())
    rng = np.random.default_rng(0)
    keys = np.array([1, 1, 3, 4, 4, 4, 9], dtype=np.int64)  # passages in ascending key order
    vi.vectors, vi.chunk_keys = rng.standard_normal((7, 4)).astype(np.float32), keys
    q = rng.standard_normal(4).astype(np.float32)
    asked = [4, 2, 1, 9, 3, 4]  # 2 has no passage: 0
    expected = [max((float(vi.vectors[i] @ q) for i in range(7) if keys[i] == k), default=0.0) for k in asked]
    assert np.allclose(vi.best_scores(np.array(asked), q), expected)
    assert vi.best_scores(np.array([2, 5]), q).tolist() == [0.0, 0.0]
