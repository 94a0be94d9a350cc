"""Value normalisers (IPC, dates, standard numbers) and the ``iplayout ingest`` command line."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from iplayout.cli import app
from iplayout.ingestion import fields


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("H01M10/0525", "H01M 10/0525"),
        ("H01M 10/0525", "H01M 10/0525"),
        ("H01M0010052500", "H01M 10/0525"),
        ("G06F017/60", "G06F 17/60"),
        ("B64U101/30", "B64U 101/30"),
        ("h01m10/05 (2010.01)", "H01M 10/05"),
        ("Ｈ０１Ｍ１０／０５２５", "H01M 10/0525"),
        ("H01M", "H01M"),
    ],
)
def test_ipc_code(raw: str, expected: str) -> None:
    assert fields.ipc_code(raw) == expected


@pytest.mark.parametrize("raw", ["XYZ123", "H01M10", "Z01M 10/00", "12345"])
def test_invalid_ipc(raw: str) -> None:
    with pytest.raises(ValueError, match="not an IPC"):
        fields.ipc_code(raw)


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("GB/T 4754-2017", "GB/T 4754-2017"),
        ("GB／T4754—2017", "GB/T 4754-2017"),
        ("gb/t 4754 - 2017", "GB/T 4754-2017"),
        ("DB50/T1234-2022", "DB50/T 1234-2022"),
        ("GB 50016-2014", "GB 50016-2014"),
    ],
)
def test_standard_number(raw: str, expected: str) -> None:
    assert fields.standard_number(raw) == expected


@pytest.mark.parametrize(
    ("raw", "expected"),
    [("20221202", "2022-12-02"), ("2022/12/2", "2022-12-02"), ("2022年12月2日", "2022-12-02"),
     ("2022-12-02 00:00:00", "2022-12-02"), ("0", None), ("", None)],
)
def test_iso_date(raw: str, expected: str | None) -> None:
    assert fields.iso_date(raw) == expected


def test_cli_json_and_errors(tmp_path: Path) -> None:
    src = tmp_path / "p.csv"
    src.write_text("公开号,申请号,专利名称\nCN1A,CN20201.1,装置\n", encoding="utf-8")
    runner = CliRunner()
    home = str(tmp_path / "home")
    out = runner.invoke(app, ["ingest", str(src), "--home", home, "--json"])
    assert out.exit_code == 0, out.output
    summary = json.loads(out.stdout)
    assert set(summary) == {"accepted", "updated", "unchanged", "rejected", "rejects_file", "run_id"}
    assert summary["accepted"] == 1
    again = json.loads(runner.invoke(app, ["ingest", str(src), "--home", home, "--json"]).stdout)
    assert again["unchanged"] == 1
    bad = runner.invoke(app, ["ingest", str(tmp_path / "missing.csv"), "--home", home, "--json"])
    assert bad.exit_code != 0 and "missing.csv" in bad.output and "no such file" in bad.output
    assert "Example" in runner.invoke(app, ["ingest", "--help"]).output


def test_docs_formats_examples_ingest(tmp_path: Path) -> None:
    """Every example line in docs/formats.md is valid canonical JSONL."""
    import re

    from iplayout.config import Settings
    from iplayout.ingestion.run import ingest_paths

    doc = (Path(__file__).resolve().parents[3] / "docs" / "formats.md").read_text(encoding="utf-8")
    lines = re.findall(r"```json\n(.*?)\n```", doc, flags=re.S)
    assert len(lines) == 6
    src = tmp_path / "examples.jsonl"
    src.write_text("\n".join(lines) + "\n", encoding="utf-8")
    result = ingest_paths([src], Settings(home=tmp_path / "h"))
    assert (result.accepted, result.rejected, result.field_issues) == (6, 0, 0)
