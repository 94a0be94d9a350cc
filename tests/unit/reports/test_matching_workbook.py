"""The resource matching table as a formatted XLSX workbook."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
from openpyxl import load_workbook

from iplayout.errors import ReportError
from iplayout.reports.matching import matching_table_xlsx


def _frame() -> pd.DataFrame:
    return pd.DataFrame({
        "adcode": ["500101", "500101", "500106"], "district": ["万州区", "万州区", "沙坪坝区"],
        "industry": ["GBT4754:C27", "GBT4754:C36", "GBT4754:C27"], "patents": [3.0, 0.0, 9.0],
        "papers": [1.0, 2.0, 4.0], "enterprises": [1.0, 0.0, 3.0], "U_ip": [0.3, 0.01, 1.0],
        "U_innovation": [0.2, 0.5, 1.0], "U_industry": [0.3, 0.01, 1.0], "C": [0.9, 0.5, 1.0],
        "T": [0.27, 0.17, 1.0], "D": [0.49, 0.29, 1.0], "grade": ["濒临失调", "中度失调", "优质协调"]})


def test_workbook_sheets_and_formats(tmp_path: Path) -> None:
    path = matching_table_xlsx(_frame(), tmp_path / "out" / "matching.xlsx", {"scheme": "GBT4754-2017"})
    wb = load_workbook(path)
    assert wb.sheetnames == ["matching", "D matrix", "about"]
    ws = wb["matching"]
    headers = [c.value for c in ws[1]]
    assert headers[0] == "adcode 区划代码" and "matching degree D 耦合协调度" in headers
    d_col = headers.index("matching degree D 耦合协调度") + 1
    assert ws.cell(2, d_col).value == pytest.approx(0.49) and ws.cell(2, d_col).number_format == "0.000"
    assert ws.freeze_panes == "A2" and ws.auto_filter.ref
    assert len(ws.conditional_formatting) == 1
    matrix = wb["D matrix"]
    assert [c.value for c in matrix[1]] == ["adcode", "unit", "GBT4754:C27", "GBT4754:C36"]
    assert matrix.cell(3, 3).value == pytest.approx(1.0)
    about = {r[0].value: r[1].value for r in wb["about"].iter_rows(min_row=2)}
    assert about["scheme"] == "GBT4754-2017"


def test_missing_columns(tmp_path: Path) -> None:
    with pytest.raises(ReportError, match="D"):
        matching_table_xlsx(pd.DataFrame({"adcode": ["1"], "industry": ["x"]}), tmp_path / "m.xlsx")
