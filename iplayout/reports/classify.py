"""Class breaks for choropleth maps: quantiles or equal intervals, and their legend labels."""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Literal

import numpy as np

from iplayout.errors import ReportError

Method = Literal["quantile", "equal"]


def class_breaks(values: Sequence[float], k: int = 5, method: Method = "quantile") -> list[float]:
    """Ascending, de-duplicated edges ``[min, ..., max]``: at most ``k`` classes."""
    data = np.asarray([v for v in values if math.isfinite(v)], dtype=float)
    if data.size == 0:
        return []
    if k < 1:
        raise ReportError("a map needs at least one class")
    if method == "quantile":
        edges = np.quantile(data, np.linspace(0.0, 1.0, k + 1))
    elif method == "equal":
        edges = np.linspace(data.min(), data.max(), k + 1)
    else:
        raise ReportError(f"unknown classification {method!r}; use quantile or equal")
    unique = sorted({float(e) for e in edges})
    return unique if len(unique) > 1 else [unique[0], unique[0]]


def class_of(value: float, breaks: Sequence[float]) -> int:
    """Index of the class holding ``value``: [b0, b1], (b1, b2], ... (values outside clamp to the ends)."""
    inner = np.asarray(breaks[1:-1], dtype=float)
    return int(np.searchsorted(inner, value, side="left"))


def _decimals(breaks: Sequence[float]) -> int:
    span = max(abs(b) for b in breaks) if breaks else 0.0
    steps = [b - a for a, b in zip(breaks, breaks[1:], strict=False) if b > a]
    smallest = min(steps) if steps else span
    if smallest >= 10 or (smallest == 0 and span >= 10):
        return 0
    if smallest <= 0:
        return 2
    return min(4, max(0, 1 - math.floor(math.log10(smallest))))


def class_labels(breaks: Sequence[float]) -> list[str]:
    """'lo – hi' per class, with just enough decimals to tell the breaks apart."""
    if len(breaks) < 2:
        return []
    d = _decimals(breaks)
    return [f"{lo:,.{d}f} – {hi:,.{d}f}" for lo, hi in zip(breaks, breaks[1:], strict=False)]
