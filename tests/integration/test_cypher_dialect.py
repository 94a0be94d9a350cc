"""The console on both engines: the docs/cli.md table of Neo4j habits holds row by row, and a row
cap is always reported by `iplayout cypher` (JSON and text)."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from iplayout.config import Settings
from iplayout.errors import GraphError
from iplayout.graph.factory import open_store
from iplayout.graph.store import GraphStore

from .conftest import ENGINES, settings_for

DOCS = Path(__file__).resolve().parents[2] / "docs" / "cli.md"


def _table() -> list[tuple[str, str, str, str]]:
    text = DOCS.read_text(encoding="utf-8")
    body = text.split("<!-- dialect-table -->", 1)[1].split("<!-- /dialect-table -->", 1)[0]
    rows = []
    for line in body.strip().splitlines()[2:]:
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        rows.append((cells[0], cells[1].strip("`"), cells[2], cells[3]))
    return rows


ROWS = _table()


def _sorted(rows: list[dict[str, Any]]) -> list[str]:
    return sorted(json.dumps(r, sort_keys=True, ensure_ascii=False) for r in rows)


def _outcome(store: GraphStore, query: str) -> tuple[str, Any]:
    try:
        return "rows", store.cypher_read(query, limit=5_000)
    except GraphError as exc:
        return "error", str(exc)


def _check(cell: str, outcome: tuple[str, Any], other: tuple[str, Any]) -> None:
    kind, value = outcome
    if cell.startswith("same"):
        assert kind == "rows" and value, value
        assert other[0] == "rows" and _sorted(value) == _sorted(other[1])
    elif cell.startswith("works"):
        assert kind == "rows" and value, value
    elif cell.startswith("hint"):
        instead = re.search(r"`([^`]+)`", cell)
        assert kind == "error" and instead and instead.group(1) in value and "\n" not in value, value
    else:
        raise AssertionError(f"unknown cell {cell!r} in docs/cli.md")


def test_the_docs_table_is_parsed() -> None:
    habits = {r[0] for r in ROWS}
    assert {"`type(r)`", "`labels(n)`", "`id(n)`", "`elementId(n)`", "`keys(n)`", "`properties(n)`",
            "`CALL db.labels()`", "`CALL db.relationshipTypes()`", "`CALL db.propertyKeys()`"} <= habits


@pytest.fixture(scope="module")
def demo_homes(tmp_path_factory: pytest.TempPathFactory, demo_rows: Any) -> dict[str, Settings]:
    """The small demo graph in each engine (Neo4j only when its server is configured)."""
    from iplayout.demo import load_into

    out = {}
    for engine in ENGINES:
        if engine == "neo4j" and not os.environ.get("IPLAYOUT_NEO4J_URI"):
            continue
        settings = settings_for(engine, tmp_path_factory.mktemp(engine))
        store = open_store(settings)
        store.clear()
        load_into(store, demo_rows)
        store.close()
        out[engine] = settings
    return out


def test_every_row_of_the_docs_table_on_both_engines(demo_homes: dict[str, Settings]) -> None:
    if "neo4j" not in demo_homes:
        from .conftest import neo4j_uri

        neo4j_uri()  # skips loudly (or fails under CI) without a server
    stores = {e: open_store(s, read_only=True) for e, s in demo_homes.items()}
    try:
        for habit, query, neo4j_cell, embedded_cell in ROWS:
            got = {e: _outcome(st, query) for e, st in stores.items()}
            try:
                _check(neo4j_cell, got["neo4j"], got["embedded"])
                _check(embedded_cell, got["embedded"], got["neo4j"])
            except AssertionError as exc:
                raise AssertionError(f"docs/cli.md row {habit}: {exc}") from exc
    finally:
        for st in stores.values():
            st.close()


@pytest.mark.parametrize("engine", ENGINES)
def test_the_row_cap_is_reported(engine: str, demo_homes: dict[str, Settings]) -> None:
    if engine not in demo_homes:
        from .conftest import neo4j_uri

        neo4j_uri()
    settings = demo_homes[engine]
    env = dict(os.environ, IPLAYOUT_HOME=str(settings.home), IPLAYOUT_STORE=engine, IPLAYOUT_QUERY_ROW_LIMIT="5")
    if engine == "neo4j":
        env["IPLAYOUT_NEO4J_URI"] = settings.neo4j_uri

    def cypher(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run([sys.executable, "-m", "iplayout", "cypher", *args], capture_output=True, text=True,
                              env=env, check=False, timeout=300)

    cut = cypher("MATCH (d:District) RETURN d.adcode AS a ORDER BY a", "--json")
    assert cut.returncode == 0, cut.stderr
    result = json.loads(cut.stdout)
    assert (result["truncated"], result["limit"], result["row_count"], len(result["rows"])) == (True, 5, 5, 5)
    whole = json.loads(cypher("MATCH (d:District) RETURN d.adcode AS a", "--limit", "38", "--json").stdout)
    assert (whole["truncated"], whole["row_count"]) == (False, 38)
    text = cypher("MATCH (d:District) RETURN d.adcode AS a ORDER BY a")
    assert text.returncode == 0 and len(text.stdout.strip().splitlines()) == 6  # header + 5 rows
    assert text.stderr.strip() == ("truncated: showing the first 5 rows; more exist "
                                   "(raise --limit or add LIMIT/ORDER BY)")
    exact = cypher("MATCH (d:District) RETURN d.adcode AS a", "--limit", "38")
    assert "truncated" not in exact.stderr
