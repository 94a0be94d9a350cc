"""A bad alias file stops `iplayout build` with a one-line error naming file and line; nothing is written."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest
from typer.testing import CliRunner

from iplayout.cli import app
from iplayout.config import Settings
from iplayout.ingestion.run import ingest_paths


def _snapshot(home: Path) -> dict[str, str]:
    return {str(p.relative_to(home)): hashlib.sha256(p.read_bytes()).hexdigest() if p.is_file() else "dir"
            for p in sorted(home.rglob("*"))}


@pytest.mark.parametrize(("text", "line", "reason"), [
    ("name\n华为技术有限公司\n", 1, "missing column 'canonical'"),
    ("name,canonical\nA Co,B Co\nB Co,A Co\n", 3, "alias cycle"),
])
def test_bad_alias_file_stops_build_and_writes_nothing(tmp_path: Path, text: str, line: int, reason: str) -> None:
    home = tmp_path / "home"
    export = tmp_path / "patents.csv"
    export.write_text("公开号,申请号,标题,摘要,申请人,IPC分类号,申请日,专利类型\nCN1000001A,CN202000000001,一种通信装置,"
                      "本发明公开了一种通信装置。,华为技术有限公司,H04W 72/04,2020-03-01,发明申请\n", encoding="utf-8")
    ingest_paths([export], Settings(home=home))
    alias_file = home / "reference" / "org_aliases.csv"
    alias_file.parent.mkdir(parents=True)
    alias_file.write_text(text, encoding="utf-8")
    before = _snapshot(home)
    result = CliRunner().invoke(app, ["build", "--home", str(home), "--store", "embedded"])
    assert result.exit_code == 1
    message = result.output.strip()
    assert message.count("\n") == 0 and message.startswith(f"error: {alias_file}:{line}:") and reason in message
    assert _snapshot(home) == before  # no graph, no index, ledger untouched
    assert not (home / "graph.lbdb").exists()
