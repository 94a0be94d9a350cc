"""A joined vector of two embedders ranks each part on its own scale (search/dense_parts.py)."""

from __future__ import annotations

import numpy as np

from iplayout.nlp.embeddings import VectorPart, l2_normalise
from iplayout.search.config import SearchConfig
from iplayout.search.dense_parts import MIN_SAMPLE, PartScorer, VectorSource, sample_rows
from iplayout.search.vector_index import VectorIndex

DIM_A, DIM_B = 32, 64  # part A: an English model with narrow cosines (like e5); part B: multilingual, wide
PARTS = [VectorPart("a", 0, DIM_A, 2.0, "en"), VectorPart("b", DIM_A, DIM_A + DIM_B, 1.0, None)]
rng = np.random.default_rng(7)
CENTRE = l2_normalise(rng.normal(size=(1, DIM_A)))[0]


def narrow(direction: np.ndarray, spread: float) -> np.ndarray:
    """A unit vector near the shared centre: every cosine of part A lies close to 0.9."""
    return l2_normalise(CENTRE + spread * direction)[0]


def joined(a: np.ndarray | None, b: np.ndarray) -> np.ndarray:
    """As CombinedEmbedder stores it: weighted unit parts side by side, unit length overall."""
    a_block = np.zeros(DIM_A) if a is None else 2.0 * a
    return l2_normalise(np.concatenate([a_block, b]))[0]


def index_of(vectors: list[np.ndarray], rows: np.ndarray | None = None) -> VectorSource:
    """The local vector index as the scorer's source (as SearchService.dense_rows builds it)."""
    idx = VectorIndex("test", DIM_A + DIM_B, SearchConfig())
    idx.add(np.arange(len(vectors), dtype=np.int64), np.stack(vectors), "test")
    return VectorSource(search=lambda q, n: idx.search(q, n, rows)[0],
                        passages=lambda keys: (idx.vectors[(pr := idx.passage_rows(keys))[0]], pr[1]),
                        sample=lambda: idx.vectors[sample_rows(len(idx))], stamp=(id(idx.vectors), len(idx)))


def background(n: int) -> list[np.ndarray]:
    return [joined(narrow(rng.normal(size=DIM_A), 0.04), l2_normalise(rng.normal(size=(1, DIM_B)))[0])
            for _ in range(n)]


def test_an_english_query_ranks_by_the_narrow_part_and_a_chinese_twin_still_comes_first() -> None:
    q_dir = rng.normal(size=DIM_A)
    q_b = l2_normalise(rng.normal(size=(1, DIM_B)))[0]
    docs = background(200)
    # key 200: an English document close to the query in part A (what e5 sees), unrelated in B
    docs.append(joined(narrow(q_dir, 0.04), l2_normalise(rng.normal(size=(1, DIM_B)))[0]))
    # key 201: the Chinese translation of the query: part B only, nearly the same vector
    docs.append(joined(None, l2_normalise(q_b + 0.05 * rng.normal(size=DIM_B))[0]))
    idx = index_of(docs)
    q = joined(narrow(q_dir, 0.04), q_b)
    keys, scores, cosines = PartScorer(PARTS).rank(idx, q, k=5)
    assert list(keys[:2]) == [201, 200]
    assert np.all(np.diff(scores) <= 0)
    # the plain joined cosine would not put the translation first: its B block is all it has
    plain = np.stack(docs) @ q
    assert plain[201] < plain.max()
    assert np.allclose(cosines, plain[keys], atol=1e-5)


def test_a_query_without_the_english_part_is_ranked_on_the_shared_part_alone() -> None:
    q_b = l2_normalise(rng.normal(size=(1, DIM_B)))[0]
    docs = background(100)
    docs.append(joined(narrow(rng.normal(size=DIM_A), 0.04), l2_normalise(q_b + 0.2 * rng.normal(size=DIM_B))[0]))
    idx = index_of(docs)
    keys, _, _ = PartScorer(PARTS).rank(idx, joined(None, q_b), k=3)
    assert keys[0] == 100


def test_filters_limit_the_candidates_and_a_small_index_uses_plain_cosines() -> None:
    docs = background(MIN_SAMPLE - 1)
    q = docs[3]
    scorer = PartScorer(PARTS)
    keys, scores, _ = scorer.rank(index_of(docs), q, k=3)
    assert keys[0] == 3 and abs(scores[0] - 1.0) < 1e-5  # a document against itself: every cosine is 1
    keys, _, _ = scorer.rank(index_of(docs, rows=np.asarray([5, 6, 7])), q, k=3)
    assert set(keys) <= {5, 6, 7} and len(keys) == 3


def test_a_small_lead_on_the_narrow_part_outweighs_a_loose_match_on_the_wide_one() -> None:
    """What the z-scores are for: part A's 0.1 above its typical cosine is a strong signal, part B's
    0.45 (typical 0 +- 0.12) a modest one; averaging the plain cosines would rank them the other way."""
    q_dir = rng.normal(size=DIM_A)
    q_b = l2_normalise(rng.normal(size=(1, DIM_B)))[0]
    docs = background(300)
    other = l2_normalise(rng.normal(size=(1, DIM_B)))[0]
    other = l2_normalise(other - (other @ q_b) * q_b)[0]  # orthogonal to the query's B part
    x = joined(narrow(q_dir, 0.04), other)  # A: the query's own direction; B: unrelated
    loose = l2_normalise(0.45 * q_b + np.sqrt(1 - 0.45 ** 2) * other)[0]  # B cosine 0.45
    y = joined(narrow(rng.normal(size=DIM_A), 0.04), loose)  # A: typical; B: a loose match
    idx = index_of(docs + [x, y])
    q = joined(narrow(q_dir, 0.04), q_b)
    keys, _, _ = PartScorer(PARTS).rank(idx, q, k=302)
    ranked = list(keys)
    assert ranked[0] == 300 and ranked.index(300) < ranked.index(301)
    a, b = slice(0, DIM_A), slice(DIM_A, DIM_A + DIM_B)

    def plain_mean(v: np.ndarray) -> float:
        ca = float(l2_normalise(v[a])[0] @ l2_normalise(q[a])[0])
        cb = float(l2_normalise(v[b])[0] @ l2_normalise(q[b])[0])
        return (2 * ca + cb) / 3

    assert plain_mean(y) > plain_mean(x)
