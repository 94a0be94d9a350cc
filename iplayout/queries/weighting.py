"""Normalisation and indicator weights: min-max, entropy, AHP (with consistency ratio), fixed.

* Min-max: positive indicators ``(x - lo) / (hi - lo)``, negative ``(hi - x) / (hi - lo)``, clipped to
  [0, 1]. ``lo``/``hi`` are documented bounds (e.g. from the indicator YAML) or, by default, the
  observed minimum and maximum. A column without spread (``hi == lo``) scores 0 everywhere: it
  carries no evidence that one unit is ahead of another.
* Entropy weights (Shannon entropy method as in Xu 2004, as reproduced in the tests): with
  ``p_ij = x_ij / sum_i x_ij``, ``e_j = -(1 / ln m) sum_i p_ij ln p_ij`` (``0 ln 0 = 0``),
  ``d_j = 1 - e_j``, ``w_j = d_j / sum_j d_j``. An all-zero column has ``e_j = 1`` (no information).
* AHP: principal right eigenvector of a positive reciprocal pairwise matrix (Saaty 1980),
  ``CI = (lambda_max - n) / (n - 1)``, ``CR = CI / RI(n)``; ``CR < 0.1`` is acceptable.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

import numpy as np
import numpy.typing as npt

from iplayout.errors import AnalysisError

Direction = Literal["positive", "negative"]
Matrix = npt.NDArray[np.float64]

# Saaty's random consistency index RI for n = 1..15 (Saaty 1980, The Analytic Hierarchy Process).
RANDOM_INDEX: tuple[float, ...] = (0.0, 0.0, 0.58, 0.90, 1.12, 1.24, 1.32, 1.41, 1.45, 1.49,
                                   1.51, 1.48, 1.56, 1.57, 1.59)
CR_LIMIT = 0.1


def minmax(
    x: npt.ArrayLike,
    direction: Direction = "positive",
    lo: float | None = None,
    hi: float | None = None,
) -> Matrix:
    """Min-max normalise one indicator to [0, 1]; missing values stay missing."""
    arr = np.asarray(x, dtype=np.float64)
    if direction not in ("positive", "negative"):
        raise AnalysisError(f"direction must be positive or negative, not {direction!r}")
    finite = arr[np.isfinite(arr)]
    low = float(lo) if lo is not None else (float(finite.min()) if finite.size else 0.0)
    high = float(hi) if hi is not None else (float(finite.max()) if finite.size else 0.0)
    if high < low:
        raise AnalysisError(f"upper bound {high} is below lower bound {low}")
    if high == low:
        return np.where(np.isnan(arr), np.nan, 0.0)
    z = (arr - low) / (high - low) if direction == "positive" else (high - arr) / (high - low)
    return np.asarray(np.clip(z, 0.0, 1.0), dtype=np.float64)


def minmax_columns(x: npt.ArrayLike, directions: list[Direction] | None = None) -> Matrix:
    """Min-max normalise every column of a matrix with its observed bounds."""
    arr = np.asarray(x, dtype=np.float64)
    dirs = directions or ["positive"] * arr.shape[1]
    return np.column_stack([minmax(arr[:, j], dirs[j]) for j in range(arr.shape[1])])


def entropy_weights(x: npt.ArrayLike, normalise: Literal["none", "minmax"] = "none") -> Matrix:
    """Entropy weight of each column of ``x`` (rows = units, columns = indicators, non-negative)."""
    arr = np.asarray(x, dtype=np.float64)
    if arr.ndim != 2 or arr.shape[0] < 2 or arr.shape[1] < 1:
        raise AnalysisError("entropy weights need a matrix with at least two rows")
    if not np.isfinite(arr).all():
        raise AnalysisError("entropy weights need complete data (no missing values)")
    if normalise == "minmax":
        arr = minmax_columns(arr)
    elif normalise != "none":
        raise AnalysisError(f"normalise must be none or minmax, not {normalise!r}")
    if (arr < 0).any():
        raise AnalysisError("entropy weights need non-negative values; use --normalise minmax")
    m = arr.shape[0]
    totals = arr.sum(axis=0)
    with np.errstate(divide="ignore", invalid="ignore"):
        p = np.where(totals > 0, arr / totals, 0.0)
        plogp = np.where(p > 0, p * np.log(p), 0.0)
    e = np.where(totals > 0, -plogp.sum(axis=0) / np.log(m), 1.0)
    d = np.clip(1.0 - e, 0.0, None)
    if d.sum() <= 0:
        return np.full(arr.shape[1], 1.0 / arr.shape[1])
    return np.asarray(d / d.sum(), dtype=np.float64)


@dataclass(frozen=True)
class AhpResult:
    weights: Matrix
    lambda_max: float
    ci: float
    cr: float

    @property
    def consistent(self) -> bool:
        return self.cr < CR_LIMIT


def ahp(matrix: npt.ArrayLike) -> AhpResult:
    """Weights and consistency of a positive reciprocal pairwise comparison matrix."""
    a = np.asarray(matrix, dtype=np.float64)
    n = a.shape[0]
    if a.ndim != 2 or a.shape != (n, n) or n < 1:
        raise AnalysisError("AHP needs a square pairwise comparison matrix")
    if n > len(RANDOM_INDEX):
        raise AnalysisError(f"AHP random index is tabulated up to n = {len(RANDOM_INDEX)}")
    if (a <= 0).any() or not np.allclose(a * a.T, 1.0, atol=1e-3):
        raise AnalysisError("AHP matrix must be positive and reciprocal (a_ji = 1 / a_ij)")
    values, vectors = np.linalg.eig(a)
    k = int(np.argmax(values.real))
    w = np.abs(vectors[:, k].real)
    w = w / w.sum()
    lam = float(values[k].real)
    ci = (lam - n) / (n - 1) if n > 2 else 0.0
    ri = RANDOM_INDEX[n - 1]
    cr = ci / ri if ri > 0 else 0.0
    return AhpResult(np.asarray(w, dtype=np.float64), lam, ci, cr)


def fixed_weights(values: list[float]) -> Matrix:
    """Fixed weights from configuration, rescaled to sum to one."""
    w = np.asarray(values, dtype=np.float64)
    if w.size == 0 or (w < 0).any() or w.sum() <= 0:
        raise AnalysisError("fixed weights must be non-negative and not all zero")
    return np.asarray(w / w.sum(), dtype=np.float64)
