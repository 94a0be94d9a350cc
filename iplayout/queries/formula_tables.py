"""The coupling-coordination and entropy formulas applied to any table a user brings."""

from __future__ import annotations

from typing import Literal

import numpy as np
import pandas as pd

from iplayout.errors import AnalysisError
from iplayout.queries.ccd import VARIANTS, check_weights, coordination
from iplayout.queries.results import AnalysisResult, clean, records
from iplayout.queries.table_io import numeric_columns
from iplayout.queries.weighting import entropy_weights, minmax_columns

Normalise = Literal["none", "minmax"]


def resolve_weights(spec: str, u: np.ndarray) -> tuple[str, np.ndarray]:
    """``equal``, ``entropy`` (from the U columns themselves) or comma-separated numbers."""
    n = u.shape[1]
    if spec == "equal":
        return "equal", np.full(n, 1.0 / n)
    if spec == "entropy":
        return "entropy", entropy_weights(u)
    try:
        values = [float(x) for x in spec.split(",")]
    except ValueError:
        raise AnalysisError(f"weights must be equal, entropy or numbers like 0.5,0.5; got {spec!r}") from None
    return "fixed", check_weights(values, n)


def ccd_table(
    frame: pd.DataFrame,
    columns: list[str],
    variant: str = "standard",
    weights: str = "equal",
    normalise: Normalise = "none",
) -> AnalysisResult:
    """Rows of the table with C, T, D and the grade appended."""
    if variant not in VARIANTS:
        raise AnalysisError(f"unknown variant {variant!r}; choose one of {', '.join(VARIANTS)}")
    u = numeric_columns(frame, columns)
    if normalise == "minmax":
        u = minmax_columns(u)
    method, w = resolve_weights(weights, u)
    out = coordination(u, variant=variant, weights=w)
    keep = frame.reset_index(drop=True)
    table = pd.concat([keep, out], axis=1)
    params = {"variant": variant, "weights": method, "weight_values": dict(zip(columns, w.tolist(), strict=True)),
              "normalise": normalise, "columns": columns}
    return AnalysisResult("ccd", records(table), [], clean(params))


def entropy_table(frame: pd.DataFrame, columns: list[str], normalise: Normalise = "none") -> AnalysisResult:
    """One row per column: its entropy weight."""
    x = numeric_columns(frame, columns)
    w = entropy_weights(x, normalise=normalise)
    rows = [{"column": c, "weight": v} for c, v in zip(columns, w.tolist(), strict=True)]
    return AnalysisResult("entropy", [clean(r) for r in rows], [], {"normalise": normalise, "columns": columns})


