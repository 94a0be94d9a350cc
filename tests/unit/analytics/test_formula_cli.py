"""``iplayout analyze ccd|entropy`` and ``iplayout query --list`` through the real CLI app."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from iplayout.cli import app

runner = CliRunner()
ROWS = [[0.8179733, 0.3246648, 0.6590316, 0.1308531], [0.3020233, 0.1318888, 0.4046987, 0.5173794]]


@pytest.fixture
def table(tmp_path: Path) -> Path:
    path = tmp_path / "u.csv"
    lines = ["unit,U1,U2,U3,U4"] + [f"r{i}," + ",".join(map(str, r)) for i, r in enumerate(ROWS)]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


@pytest.mark.parametrize(("variant", "c", "d"), [
    ("standard", 0.8051958, 0.6237105), ("wang2021", 0.4722274, 0.4776480), ("fan2024", 0.4593785, 0.4711049),
])
def test_ccd_json(table: Path, variant: str, c: float, d: float) -> None:
    res = runner.invoke(app, ["analyze", "ccd", "--table", str(table), "--columns", "U1,U2,U3,U4",
                              "--variant", variant, "--json"])
    assert res.exit_code == 0, res.output
    out = json.loads(res.stdout)
    first = out["rows"][0]
    assert first["unit"] == "r0"
    assert first["C"] == pytest.approx(c, abs=1e-6)
    assert first["D"] == pytest.approx(d, abs=1e-6)
    assert {"T", "grade"} <= set(first)


def test_ccd_explicit_and_entropy_weights(table: Path) -> None:
    base = ["analyze", "ccd", "--table", str(table), "--columns", "U1,U2,U3,U4", "--json"]
    fixed = json.loads(runner.invoke(app, [*base, "--weights", "1,1,1,1"]).stdout)
    assert fixed["rows"][0]["T"] == pytest.approx(sum(ROWS[0]) / 4)
    ent = runner.invoke(app, [*base, "--weights", "entropy"])
    assert ent.exit_code == 0 and json.loads(ent.stdout)["params"]["weights"] == "entropy"


def test_ccd_errors_are_one_line(table: Path) -> None:
    res = runner.invoke(app, ["analyze", "ccd", "--table", str(table), "--columns", "U1,NOPE"])
    assert res.exit_code != 0
    assert res.stderr.strip().startswith("error: columns not in table") and res.stderr.count("\n") == 1
    res = runner.invoke(app, ["analyze", "ccd", "--table", str(table), "--columns", "U1,U2", "--weights", "x"])
    assert res.exit_code != 0 and "weights" in res.stderr


def test_ccd_rejects_unnormalised_unless_asked(tmp_path: Path) -> None:
    path = tmp_path / "raw.csv"
    path.write_text("a,b\n10,20\n30,5\n5,7\n", encoding="utf-8")
    res = runner.invoke(app, ["analyze", "ccd", "--table", str(path), "--columns", "a,b"])
    assert res.exit_code != 0 and "normalise" in res.stderr
    ok = runner.invoke(app, ["analyze", "ccd", "--table", str(path), "--columns", "a,b", "--normalise", "minmax",
                             "--json"])
    assert ok.exit_code == 0, ok.output


def test_entropy_xu_2004(tmp_path: Path) -> None:
    path = tmp_path / "xu.csv"
    path.write_text("a,b,c,d\n30,30,38,29\n19,54,86,29\n19,15,85,28.9\n68,70,60,29\n", encoding="utf-8")
    res = runner.invoke(app, ["analyze", "entropy", "--table", str(path), "--columns", "a,b,c,d", "--json"])
    assert res.exit_code == 0, res.output
    weights = [round(r["weight"], 4) for r in json.loads(res.stdout)["rows"]]
    assert weights == [0.4630, 0.3992, 0.1378, 0.0]


def test_xlsx_table(tmp_path: Path) -> None:
    import pandas as pd

    path = tmp_path / "u.xlsx"
    pd.DataFrame(ROWS, columns=["U1", "U2", "U3", "U4"]).to_excel(path, index=False)
    res = runner.invoke(app, ["analyze", "ccd", "--table", str(path), "--columns", "U1,U2,U3,U4", "--json"])
    assert res.exit_code == 0, res.output
    assert json.loads(res.stdout)["rows"][0]["C"] == pytest.approx(0.8051958, abs=1e-6)


def test_query_list_includes_analytics_queries() -> None:
    res = runner.invoke(app, ["query", "--list", "--json"])
    assert res.exit_code == 0, res.output
    names = {r["name"] for r in json.loads(res.stdout)}
    assert "district_count" in names
