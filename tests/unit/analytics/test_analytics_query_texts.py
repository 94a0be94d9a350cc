"""The analytics named queries stay in the portable Cypher subset and declare their parameters."""

from __future__ import annotations

import re

import pytest

from iplayout.queries.registry import registry

MINE = ("density_", "chain_", "eval_", "net_", "monitor_", "policy_", "benchmark_")
QUERIES = sorted((q for q in registry().values() if q.name.startswith(MINE)), key=lambda q: q.name)


def test_there_are_analytics_queries() -> None:
    assert len(QUERIES) >= 35


@pytest.mark.parametrize("q", QUERIES, ids=lambda q: q.name)
def test_portable_text(q) -> None:  # type: ignore[no-untyped-def]
    text = q.cypher
    for banned in ("apoc.", "exists(", "size((", "[x IN", "IS NULL", "CALL ", "UNWIND", "CREATE", "MERGE",
                   "SET ", "DELETE"):
        assert banned not in text, f"{q.name} uses {banned!r}"
    assert not q.dialects and not q.write
    assert set(re.findall(r"\$(\w+)", text)) == set(q.params), q.name
    assert q.doc
