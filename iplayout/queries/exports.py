"""Write an analysis result as CSV, XLSX (main rows + one sheet per side table) or Markdown."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pandas as pd

from iplayout.errors import AnalysisError
from iplayout.queries.results import AnalysisResult


def _cell(v: Any) -> Any:
    return json.dumps(v, ensure_ascii=False) if isinstance(v, dict | list) else v


def _flat(frame: pd.DataFrame) -> pd.DataFrame:
    return frame.apply(lambda col: col.map(_cell)) if not frame.empty else frame


def markdown(frame: pd.DataFrame) -> str:
    """A GitHub-flavoured Markdown table (no extra dependency)."""
    if frame.empty:
        return "(no rows)\n"
    cols = [str(c) for c in frame.columns]

    def fmt(v: Any) -> str:
        if v is None or (isinstance(v, float) and pd.isna(v)):
            return ""
        text = f"{v:.4g}" if isinstance(v, float) else str(_cell(v))
        return text.replace("|", "\\|").replace("\n", " ")

    lines = ["| " + " | ".join(cols) + " |", "| " + " | ".join("---" for _ in cols) + " |"]
    lines += ["| " + " | ".join(fmt(v) for v in row) + " |" for row in frame.itertuples(index=False, name=None)]
    return "\n".join(lines) + "\n"


def export(result: AnalysisResult, path: Path) -> Path:
    """Write ``result`` to ``path``; the format follows the suffix (.csv, .xlsx, .md)."""
    suffix = path.suffix.lower()
    path.parent.mkdir(parents=True, exist_ok=True)
    main = _flat(result.frame())
    if suffix == ".csv":
        main.to_csv(path, index=False, encoding="utf-8-sig")
    elif suffix == ".xlsx":
        with pd.ExcelWriter(path) as xl:
            main.to_excel(xl, sheet_name=result.analysis[:31], index=False)
            for name, rows in result.tables.items():
                _flat(pd.DataFrame(rows)).to_excel(xl, sheet_name=name[:31], index=False)
    elif suffix in (".md", ".markdown"):
        text = f"# {result.analysis}\n\nQueries: {', '.join(result.queries)}\n\n" + markdown(main)
        path.write_text(text, encoding="utf-8")
    else:
        raise AnalysisError(f"unknown export format {suffix!r}: use .csv, .xlsx or .md")
    return path
