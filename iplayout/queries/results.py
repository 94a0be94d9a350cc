"""The result every analysis returns: main rows, named side tables, and the named queries used."""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

DECIMALS = 9  # rounding of reported floats: hides summation-order noise between engines


def clean(value: Any) -> Any:
    """A JSON-safe scalar: numpy types unwrapped, NaN/inf to None, floats rounded."""
    if isinstance(value, np.generic):
        value = value.item()
    if isinstance(value, float):
        return None if not math.isfinite(value) else round(value, DECIMALS)
    if isinstance(value, (list, tuple)):
        return [clean(v) for v in value]
    if isinstance(value, dict):
        return {k: clean(v) for k, v in value.items()}
    if value is pd.NA or value is pd.NaT:
        return None
    return value


def records(frame: pd.DataFrame) -> list[dict[str, Any]]:
    """DataFrame rows as clean dicts (column order kept)."""
    cols = [str(c) for c in frame.columns]
    return [{c: clean(v) for c, v in zip(cols, row, strict=True)}
            for row in frame.itertuples(index=False, name=None)]


@dataclass
class AnalysisResult:
    """``rows`` is the main table; ``tables`` holds side tables; ``queries`` the named queries run."""

    analysis: str
    rows: list[dict[str, Any]]
    queries: list[str]
    params: dict[str, Any] = field(default_factory=dict)
    tables: dict[str, list[dict[str, Any]]] = field(default_factory=dict)

    def frame(self, table: str | None = None) -> pd.DataFrame:
        data = self.rows if table is None else self.tables.get(table, [])
        return pd.DataFrame(data)

    def as_dict(self) -> dict[str, Any]:
        return {
            "analysis": self.analysis,
            "params": clean(self.params),
            "queries": list(self.queries),
            "rows": self.rows,
            "tables": self.tables,
        }
