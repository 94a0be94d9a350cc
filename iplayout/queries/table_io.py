"""Read a user's table (CSV, TSV, XLSX) and pick numeric columns for the formula commands."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import numpy.typing as npt
import pandas as pd

from iplayout.errors import AnalysisError


def read_table(path: Path, sheet: str | int = 0) -> pd.DataFrame:
    """The table at ``path``; the format follows the suffix (.csv, .tsv/.txt, .xlsx/.xls)."""
    if not path.is_file():
        raise AnalysisError(f"table {path} does not exist")
    suffix = path.suffix.lower()
    try:
        if suffix in (".xlsx", ".xlsm", ".xls"):
            return pd.read_excel(path, sheet_name=sheet)
        sep = "\t" if suffix in (".tsv", ".txt") else ","
        return pd.read_csv(path, sep=sep, encoding="utf-8-sig")
    except (ValueError, OSError, pd.errors.ParserError) as exc:
        raise AnalysisError(f"cannot read table {path}: {exc}") from exc


def parse_columns(spec: str) -> list[str]:
    cols = [c.strip() for c in spec.split(",") if c.strip()]
    if not cols:
        raise AnalysisError("no columns given; use --columns A,B,C")
    return cols


def numeric_columns(frame: pd.DataFrame, columns: list[str]) -> npt.NDArray[np.float64]:
    """The named columns as a float matrix; unknown or non-numeric columns are errors."""
    missing = [c for c in columns if c not in frame.columns]
    if missing:
        raise AnalysisError(f"columns not in table: {', '.join(missing)}; have: {', '.join(map(str, frame.columns))}")
    sub = frame[columns].apply(pd.to_numeric, errors="coerce")
    bad = [c for c in columns if sub[c].isna().any()]
    if bad:
        raise AnalysisError(f"columns with missing or non-numeric values: {', '.join(bad)}")
    return np.asarray(sub.to_numpy(dtype=np.float64), dtype=np.float64)
