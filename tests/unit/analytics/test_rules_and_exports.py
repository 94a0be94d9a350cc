"""Flag rules (thresholds and their derivation) and the CSV / XLSX / Markdown export."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from iplayout.errors import AnalysisError
from iplayout.queries.exports import export
from iplayout.queries.results import AnalysisResult, records
from iplayout.queries.rules import apply_rules, combined_flag, load_yaml, threshold

FRAME = pd.DataFrame({"unit": ["a", "b", "c", "d"], "x": [1.0, 2.0, 3.0, None], "y": [5, 1, 5, 5]})


def test_threshold_forms() -> None:
    assert threshold(FRAME["x"], 2.5) == (2.5, "fixed")
    assert threshold(FRAME["x"], {"stat": "median", "factor": 1.5}) == (3.0, "1.5 x median")
    assert threshold(FRAME["x"], {"stat": "quantile", "q": 0.5})[0] == 2.0
    with pytest.raises(AnalysisError):
        threshold(FRAME["x"], {"stat": "mode"})


def test_rules_carry_numbers_and_combine() -> None:
    rules = [{"id": "hx", "metric": "x", "op": ">=", "threshold": {"stat": "median"}},
             {"id": "hy", "metric": "y", "op": ">", "threshold": 2}]
    hits = apply_rules(FRAME, rules, ["unit"])
    assert set(zip(hits["unit"], hits["rule"], strict=True)) == {("b", "hx"), ("c", "hx"), ("a", "hy"),
                                                                 ("c", "hy"), ("d", "hy")}
    assert hits.loc[hits["rule"] == "hx", "threshold"].iloc[0] == 2.0
    both = combined_flag(hits, ["unit"], ["hx", "hy"], 2)
    assert both["unit"].tolist() == ["c"] and "x=3 >= 2 (median)" in both["evidence"].iloc[0]


def test_packaged_yaml_loads() -> None:
    cfg = load_yaml(None, "rules.yaml")
    assert {"density", "chains", "monitor", "catalog"} <= set(cfg)


def test_exports(tmp_path: Path) -> None:
    res = AnalysisResult("demo", records(pd.DataFrame({"a": [1.5, None], "b": [["x"], "y|z"]})), ["q1"],
                         tables={"side": [{"k": 1}]})
    assert (export(res, tmp_path / "r.csv")).read_text(encoding="utf-8-sig").startswith("a,b")
    md = export(res, tmp_path / "r.md").read_text(encoding="utf-8")
    assert "| 1.5 |" in md and "y\\|z" in md and "q1" in md
    with pd.ExcelFile(export(res, tmp_path / "r.xlsx")) as xl:
        assert set(xl.sheet_names) == {"demo", "side"}
    with pytest.raises(AnalysisError):
        export(res, tmp_path / "r.pdf")
