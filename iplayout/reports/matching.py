"""The resource matching table (district x industry: IP vs innovation vs industry resources and their
coordination degree D) from ``queries.evaluate``, written as a formatted XLSX workbook."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

import pandas as pd
from openpyxl.formatting.rule import ColorScaleRule
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from iplayout.errors import ReportError
from iplayout.graph.store import GraphStore

REQUIRED = ("adcode", "industry", "D")
HEADERS = {
    "adcode": "adcode 区划代码", "district": "district 区县", "industry": "industry 产业",
    "industry_name": "industry name 产业名称", "patents": "IP: patents 专利", "papers": "innovation: papers 论文",
    "enterprises": "industry: enterprises 企业", "U_ip": "U IP", "U_innovation": "U innovation",
    "U_industry": "U industry", "C": "coupling C", "T": "comprehensive T", "D": "matching degree D 耦合协调度",
    "grade": "grade 等级",
}
FLOAT_COLS = ("U_ip", "U_innovation", "U_industry", "C", "T", "D")
HEADER_FILL = PatternFill("solid", fgColor="DDE7F0")


def matching_frame(store: GraphStore, scheme: str = "GBT4754-2017") -> pd.DataFrame:
    """The matching table computed by ``queries.evaluate.matching_table``, with district and industry names."""
    from iplayout.queries import facts
    from iplayout.queries.evaluate import EvaluateOptions, matching_table
    from iplayout.queries.runner import QueryRun

    run = QueryRun(store)
    table, _ = matching_table(run, EvaluateOptions(scheme=scheme), "standard")
    names = facts.districts(run)[["adcode", "district"]]
    industries = run.frame("density_industries", {"scheme": scheme}, columns=["industry", "code", "name"])
    out = table.merge(names, on="adcode", how="left").merge(
        industries[["industry", "name"]].rename(columns={"name": "industry_name"}), on="industry", how="left")
    return out


def _order(df: pd.DataFrame) -> pd.DataFrame:
    missing = [c for c in REQUIRED if c not in df.columns]
    if missing:
        raise ReportError(f"matching table needs columns {', '.join(missing)}")
    first = [c for c in HEADERS if c in df.columns]
    return df[first + [c for c in df.columns if c not in first]]


def _style_sheet(ws: Worksheet, columns: list[str], float_cols: set[str]) -> None:
    for cell in ws[1]:
        cell.font = Font(bold=True)
        cell.fill = HEADER_FILL
        cell.alignment = Alignment(wrap_text=True, vertical="center")
    ws.freeze_panes = "B2" if ws.title == "D matrix" else "A2"
    ws.auto_filter.ref = ws.dimensions
    for i, name in enumerate(columns, start=1):
        letter = get_column_letter(i)
        ws.column_dimensions[letter].width = max(10, min(28, len(str(name)) + 2))
        if name in float_cols:
            for (cell,) in ws.iter_rows(min_row=2, min_col=i, max_col=i):
                cell.number_format = "0.000"


def _scale(ws: Worksheet, ref: str) -> None:
    ws.conditional_formatting.add(ref, ColorScaleRule(start_type="num", start_value=0, start_color="F8696B",
                                                      mid_type="num", mid_value=0.5, mid_color="FFEB84",
                                                      end_type="num", end_value=1, end_color="63BE7B"))


def _matrix(df: pd.DataFrame) -> pd.DataFrame:
    label = df["district"].fillna(df["adcode"]) if "district" in df else df["adcode"]
    return df.assign(unit=label).pivot_table(index=["adcode", "unit"], columns="industry", values="D",
                                            aggfunc="first").reset_index()


def matching_table_xlsx(df: pd.DataFrame, path: Path, about: Mapping[str, Any] | None = None) -> Path:
    """Write ``df`` (one row per district x industry) to ``path``: sheets 'matching', 'D matrix', 'about'."""
    table = _order(df)
    matrix = _matrix(table)
    info = pd.DataFrame([{"key": k, "value": str(v)} for k, v in {
        "content": "resource matching: IP (patents) vs innovation (papers) vs industry (enterprises)",
        "method": "min-max normalised resources (floor 0.01), coupling C, comprehensive T, D = sqrt(C*T)",
        **(about or {})}.items()])
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        with pd.ExcelWriter(path, engine="openpyxl") as xl:
            table.rename(columns=HEADERS).to_excel(xl, sheet_name="matching", index=False)
            matrix.to_excel(xl, sheet_name="D matrix", index=False)
            info.to_excel(xl, sheet_name="about", index=False)
            ws = xl.sheets["matching"]
            _style_sheet(ws, list(table.columns), set(FLOAT_COLS))
            d_col = get_column_letter(list(table.columns).index("D") + 1)
            _scale(ws, f"{d_col}2:{d_col}{len(table) + 1}")
            wm = xl.sheets["D matrix"]
            _style_sheet(wm, list(matrix.columns), set(matrix.columns[2:]))
            if len(matrix.columns) > 2 and len(matrix):
                _scale(wm, f"C2:{get_column_letter(len(matrix.columns))}{len(matrix) + 1}")
            _style_sheet(xl.sheets["about"], ["key", "value"], set())
            xl.sheets["about"].column_dimensions["B"].width = 90
    except OSError as exc:
        raise ReportError(f"cannot write {path}: {exc}") from exc
    return path
