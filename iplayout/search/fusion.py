"""Reciprocal-rank fusion: ``score(d) = sum over methods m of w_m / (k + rank_m(d))`` (ranks from 1).

A document a method did not return contributes nothing for that method. Cormack et al. (2009)
use ``k = 60``; the weights let one method count more (see docs/search.md for what was tuned).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence


def rrf(rankings: Mapping[str, Sequence[int]], weights: Mapping[str, float], k: int,
        ) -> list[tuple[int, float, dict[str, int | None]]]:
    """Fuse ranked lists of row numbers; returns ``(row, score, {method: rank|None})`` best first."""
    methods = list(rankings)
    scores: dict[int, float] = {}
    ranks: dict[int, dict[str, int | None]] = {}
    best_rank: dict[int, int] = {}  # ties go to the row with the better single rank
    for method, rows in rankings.items():
        w = weights.get(method, 1.0)
        for r, row in enumerate(rows, start=1):
            if row in scores:
                scores[row] += w / (k + r)
                ranks[row][method] = r
                if r < best_rank[row]:
                    best_rank[row] = r
            else:
                scores[row] = w / (k + r)
                ranks[row] = dict.fromkeys(methods)
                ranks[row][method] = r
                best_rank[row] = r
    order = sorted(scores, key=lambda row: (-scores[row], best_rank[row], row))
    return [(row, scores[row], ranks[row]) for row in order]
