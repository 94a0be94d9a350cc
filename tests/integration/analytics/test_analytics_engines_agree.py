"""Every ``analyze`` computation on the small demo graph, on both engines, with identical numbers.

Each engine's run stores its results; the last test compares them (it skips when only one engine
ran, e.g. without IPLAYOUT_NEO4J_URI).
"""

from __future__ import annotations

import json
from typing import Any

import pytest

from iplayout.graph.store import GraphStore

RESULTS: dict[str, dict[str, Any]] = {}


def _all(store: GraphStore) -> dict[str, Any]:
    from iplayout.queries.catalog import catalog
    from iplayout.queries.centrality import centrality
    from iplayout.queries.chains import chains
    from iplayout.queries.clusters import clusters
    from iplayout.queries.density import density
    from iplayout.queries.evaluate import evaluate
    from iplayout.queries.monitor import monitor
    from iplayout.queries.policies import policies

    out = {}
    for fn in (density, clusters, centrality, chains, evaluate, monitor, policies, catalog):
        res = fn(store)
        out[fn.__name__] = json.loads(json.dumps(res.as_dict(), ensure_ascii=False, sort_keys=True))
    return out


def test_every_analysis_on_demo(demo_store: GraphStore, engine: str) -> None:
    results = _all(demo_store)
    for name, res in results.items():
        assert res["rows"], f"{name} returned no rows on {engine}"
        assert res["queries"], f"{name} names no query"
    assert all(f["query"] for f in results["chains"]["tables"]["flags"])
    assert len(results["density"]["rows"]) == 38  # every Chongqing county-level unit
    assert results["clusters"]["params"]["nodes"] > 10
    RESULTS[engine] = results


def test_engines_identical() -> None:
    if len(RESULTS) < 2:
        pytest.skip(f"only {sorted(RESULTS) or 'no'} engine ran; identity needs both")
    a, b = RESULTS["embedded"], RESULTS["neo4j"]
    for name in a:
        assert a[name] == b[name], f"{name} differs between engines"
