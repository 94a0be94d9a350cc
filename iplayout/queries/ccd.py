"""Coupling coordination degree (CCD): coupling C, comprehensive index T, coordination D, grade.

Each row holds ``n >= 2`` subsystem scores ``U_i`` in ``[0, 1]`` (normalise first).

* ``standard``: ``C = n * (prod U)^(1/n) / sum U`` (equivalently ``[prod U / (mean U)^n]^(1/n)``).
* ``wang2021``: Wang, Kong, Ren & Zhi (2021), Journal of Natural Resources 36(3):793-810,
  doi:10.31497/zrzyxb.20210319::

      C = sqrt( [1 - sum_{i>j} |U_i - U_j| / sum_{m=1}^{n-1} m] * prod (U_i / max U)^(1/(n-1)) )

* ``fan2024``: Fan, Ke & Cao (2024), Statistics and Decision 40(22):41-46,
  doi:10.13546/j.cnki.tjyjc.2024.22.007::

      C = 1 - 2 * sqrt( (n * sum U_i^2 - (sum U_i)^2) / n^2 )      (1 - 2 x population s.d.)

``T = sum a_i U_i`` with weights summing to one; ``D = sqrt(C * T)``. The three variants reproduce
the worked example of the R package ``coupling`` (article "ccd") to 1e-7.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

import numpy as np
import numpy.typing as npt
import pandas as pd

from iplayout.errors import AnalysisError

Variant = Literal["standard", "wang2021", "fan2024"]
VARIANTS: tuple[Variant, ...] = ("standard", "wang2021", "fan2024")
Matrix = npt.NDArray[np.float64]


@dataclass(frozen=True)
class Grade:
    level: int  # 1 (极度失调) .. 10 (优质协调)
    lower: float
    zh: str
    en: str


# The ten-grade scale used throughout the Chinese CCD literature (e.g. Liao Chongbin 1999,
# Tropical Geography 19(2):171-177): equal intervals of 0.1 on D.
GRADES: tuple[Grade, ...] = (
    Grade(1, 0.0, "极度失调", "extreme imbalance"),
    Grade(2, 0.1, "严重失调", "serious imbalance"),
    Grade(3, 0.2, "中度失调", "moderate imbalance"),
    Grade(4, 0.3, "轻度失调", "mild imbalance"),
    Grade(5, 0.4, "濒临失调", "on the verge of imbalance"),
    Grade(6, 0.5, "勉强协调", "barely coordinated"),
    Grade(7, 0.6, "初级协调", "primary coordination"),
    Grade(8, 0.7, "中级协调", "intermediate coordination"),
    Grade(9, 0.8, "良好协调", "good coordination"),
    Grade(10, 0.9, "优质协调", "high-quality coordination"),
)


def grade(d: float) -> Grade:
    """The grade of a coordination degree ``d`` in [0, 1]; each interval is [lower, lower + 0.1)."""
    if not np.isfinite(d) or d < -1e-12 or d > 1 + 1e-12:
        raise AnalysisError(f"coordination degree {d!r} is outside [0, 1]")
    idx = min(int(np.floor(round(d * 10, 9))), 9)
    return GRADES[max(idx, 0)]


def _check(u: npt.ArrayLike) -> Matrix:
    arr = np.atleast_2d(np.asarray(u, dtype=np.float64))
    if arr.ndim != 2 or arr.shape[1] < 2:
        raise AnalysisError("coupling needs at least two subsystem columns")
    if np.isnan(arr).any():
        raise AnalysisError("subsystem scores contain missing values")
    if (arr < 0).any() or (arr > 1 + 1e-12).any():
        raise AnalysisError("subsystem scores must lie in [0, 1]; normalise the table first")
    return arr


def _standard(u: Matrix) -> Matrix:
    n = u.shape[1]
    total = u.sum(axis=1)
    geo = np.prod(u, axis=1) ** (1.0 / n)
    with np.errstate(divide="ignore", invalid="ignore"):
        c = np.where(total > 0, n * geo / total, 0.0)
    return np.asarray(c, dtype=np.float64)


def _wang(u: Matrix) -> Matrix:
    n = u.shape[1]
    i, j = np.triu_indices(n, k=1)
    spread = np.abs(u[:, i] - u[:, j]).sum(axis=1) / (n * (n - 1) / 2)
    top = u.max(axis=1)
    with np.errstate(divide="ignore", invalid="ignore"):
        ratio = np.where(top[:, None] > 0, u / top[:, None], 0.0)
    inner = (1.0 - spread) * np.prod(ratio, axis=1) ** (1.0 / (n - 1))
    return np.asarray(np.sqrt(np.clip(inner, 0.0, None)), dtype=np.float64)


def _fan(u: Matrix) -> Matrix:
    n = u.shape[1]
    var = (n * (u**2).sum(axis=1) - u.sum(axis=1) ** 2) / n**2
    return np.asarray(np.clip(1.0 - 2.0 * np.sqrt(np.clip(var, 0.0, None)), 0.0, 1.0), dtype=np.float64)


_C = {"standard": _standard, "wang2021": _wang, "fan2024": _fan}


def coupling_degree(u: npt.ArrayLike, variant: Variant = "standard") -> Matrix:
    """Coupling degree C per row of ``u`` (rows = units, columns = subsystems)."""
    if variant not in _C:
        raise AnalysisError(f"unknown CCD variant {variant!r}; choose one of {', '.join(VARIANTS)}")
    return _C[variant](_check(u))


def check_weights(weights: npt.ArrayLike, n: int) -> Matrix:
    """Non-negative weights of length ``n``, rescaled to sum to one."""
    w = np.asarray(weights, dtype=np.float64).ravel()
    if w.shape != (n,):
        raise AnalysisError(f"expected {n} weights, got {w.size}")
    if (w < 0).any() or not np.isfinite(w).all() or w.sum() <= 0:
        raise AnalysisError("weights must be finite, non-negative and not all zero")
    return np.asarray(w / w.sum(), dtype=np.float64)


def comprehensive_index(u: npt.ArrayLike, weights: npt.ArrayLike | None = None) -> Matrix:
    """T = sum a_i U_i; equal weights when ``weights`` is None."""
    arr = _check(u)
    n = arr.shape[1]
    w = np.full(n, 1.0 / n) if weights is None else check_weights(weights, n)
    return np.asarray(arr @ w, dtype=np.float64)


def coordination(
    u: npt.ArrayLike, variant: Variant = "standard", weights: npt.ArrayLike | None = None
) -> pd.DataFrame:
    """Columns C, T, D, grade (Chinese name), grade_level and grade_en, one row per row of ``u``."""
    c = coupling_degree(u, variant)
    t = comprehensive_index(u, weights)
    d = np.sqrt(np.clip(c * t, 0.0, None))
    grades = [grade(float(x)) for x in d]
    return pd.DataFrame({
        "C": c, "T": t, "D": d,
        "grade": [g.zh for g in grades],
        "grade_level": [g.level for g in grades],
        "grade_en": [g.en for g in grades],
    })
