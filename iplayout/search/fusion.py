"""Reciprocal-rank fusion: ``score(d) = sum over methods m of w_m / (k + rank_m(d))`` (ranks from 1).

A document a method did not return contributes nothing for that method. Cormack et al. (2009)
use ``k = 60``; the weights let one method count more (see docs/search.md for what was tuned).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence


def rrf(rankings: Mapping[str, Sequence[int]], weights: Mapping[str, float], k: int,
        ) -> list[tuple[int, float, dict[str, int | None]]]:
    """Fuse ranked lists of row numbers; returns ``(row, score, {method: rank|None})`` best first."""
    scores: dict[int, float] = {}
    ranks: dict[int, dict[str, int | None]] = {}
    for method, rows in rankings.items():
        w = weights.get(method, 1.0)
        for r, row in enumerate(rows, start=1):
            scores[row] = scores.get(row, 0.0) + w / (k + r)
            ranks.setdefault(row, dict.fromkeys(rankings))[method] = r
    best_rank = {row: min((v for v in rk.values() if v is not None), default=10**9) for row, rk in ranks.items()}
    order = sorted(scores, key=lambda row: (-scores[row], best_rank[row], row))
    return [(row, scores[row], ranks[row]) for row in order]
