"""Specialisation, concentration and growth indices on count tables.

* Location quotient (Florence; BEA FAQ 478): ``LQ_ir = (x_ir / x_r) / (x_i / x)``: a unit's share of
  activity ``i`` over the reference area's share. LQ > 1 means specialised.
* Revealed technological advantage (Soete 1987; OECD STI definition): a unit's share of patents in a
  field divided by its share of all patents. Algebraically the same ratio as the LQ on a
  unit x field patent table; kept as its own name because the literature reports it as such.
* Herfindahl-Hirschman index (US DOJ/FTC merger guidelines): ``HHI = sum s_k^2`` of holder shares, on
  the 0-1 scale (multiply by 10,000 for the percent-squared scale used by the DOJ).
* Growth: year-on-year rate ``x_t / x_{t-1} - 1`` and compound annual growth
  ``(x_last / x_first)^(1 / years) - 1``.
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt
import pandas as pd

from iplayout.errors import AnalysisError


def location_quotient(local_i: float, local_total: float, ref_i: float, ref_total: float) -> float:
    """One LQ; NaN when a share is undefined (empty local total or no reference activity)."""
    if local_total <= 0 or ref_total <= 0 or ref_i <= 0:
        return float("nan")
    return (local_i / local_total) / (ref_i / ref_total)


def lq_table(counts: pd.DataFrame, reference: pd.Series | None = None) -> pd.DataFrame:
    """LQ of every cell of a unit x activity count table.

    The reference is the table itself (column totals over the grand total) unless ``reference``
    gives counts per activity from an external benchmark (e.g. national patents per industry).
    """
    table = counts.fillna(0).astype(float)
    row_share = table.div(table.sum(axis=1).replace(0, np.nan), axis=0)
    ref = table.sum(axis=0) if reference is None else reference.reindex(table.columns).astype(float)
    total = float(ref.sum())
    if total <= 0:
        raise AnalysisError("the reference distribution is empty")
    ref_share = ref / total
    return row_share.div(ref_share.replace(0, np.nan), axis=1)


def rta_table(counts: pd.DataFrame, reference: pd.Series | None = None) -> pd.DataFrame:
    """Revealed technological advantage of each unit (rows) in each field (columns)."""
    return lq_table(counts, reference)


def hhi(values: npt.ArrayLike) -> float:
    """HHI on the 0-1 scale from holder counts or shares (normalised to shares first)."""
    arr = np.asarray(values, dtype=np.float64)
    arr = arr[np.isfinite(arr)]
    if (arr < 0).any():
        raise AnalysisError("HHI needs non-negative holder sizes")
    total = arr.sum()
    if total <= 0:
        return float("nan")
    shares = arr / total
    return float((shares**2).sum())


def growth_rate(previous: float, current: float) -> float:
    """Year-on-year growth; NaN when the previous value is zero or missing."""
    if not np.isfinite(previous) or previous <= 0 or not np.isfinite(current):
        return float("nan")
    return current / previous - 1.0


def cagr(first: float, last: float, years: int) -> float:
    """Compound annual growth rate over ``years`` intervals; NaN when undefined."""
    if years <= 0 or first <= 0 or not np.isfinite(first) or not np.isfinite(last) or last < 0:
        return float("nan")
    return float((last / first) ** (1.0 / years) - 1.0)


def shares(values: pd.Series) -> pd.Series:
    """Each value's share of the total (NaN when the total is zero)."""
    total = float(values.sum())
    if total <= 0:
        return values * np.nan
    return values / total
