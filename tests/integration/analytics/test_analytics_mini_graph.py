"""Every analysis on a hand-made graph, on both engines, against numbers worked out by hand.

The graph (``mini_graph.py``): districts A=500101, B=500103, C=500106; 9 patents, 3 with a local
applicant in each district; population 100 / 50 / 80 (10k residents); one chain nev with links
materials -> battery -> vehicle where materials has no patents but a policy target.
"""

from __future__ import annotations

import importlib.util
from pathlib import Path
from typing import Any

import pytest

from iplayout.graph.store import GraphStore

_spec = importlib.util.spec_from_file_location("analytics_mini_graph", Path(__file__).with_name("mini_graph.py"))
assert _spec and _spec.loader
mini = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(mini)


@pytest.fixture
def mini_store(store: GraphStore) -> GraphStore:
    mini.load(store)
    return store


def _by(rows: list[dict[str, Any]], *keys: str) -> dict[Any, dict[str, Any]]:
    return {tuple(r[k] for k in keys) if len(keys) > 1 else r[keys[0]]: r for r in rows}


def test_density_numbers(mini_store: GraphStore) -> None:
    from iplayout.queries.density import DensityOptions, density

    res = density(mini_store, DensityOptions(scheme="GB"))
    d = _by(res.rows, "adcode")
    assert [d[a]["patents"] for a in ("500101", "500103", "500106")] == [3, 3, 3]
    assert d["500101"]["patents_per_10k"] == pytest.approx(0.03)
    assert d["500101"]["citations"] == 3  # p1 cited by p2, p3; p2 cited by p5
    assert d["500106"]["hhi"] == pytest.approx(0.5)  # o3: p5,p6; o4: p6,p7 -> 2/4, 2/4
    assert d["500103"]["invention_share"] == pytest.approx(1.0)
    assert d["500101"]["grant_rate"] == pytest.approx(2 / 3)
    cells = _by(res.tables["cells"], "adcode", "industry")
    assert cells[("500101", "GB:C38")]["lq_region"] == pytest.approx(2.0)  # 3/3 over 5/10
    assert d["500103"]["ip_dense"] and "high_per_capita" in d["500103"]["flags"]
    assert "density_patents_district_year" in res.queries


def test_chain_gaps_name_their_query(mini_store: GraphStore) -> None:
    from iplayout.queries.chains import chains

    res = chains(mini_store)
    links = _by(res.rows, "link")
    assert links["nev:battery"]["patents"] == 4 and links["nev:vehicle"]["patents"] == 3
    flags = {(f["link"], f["flag"]): f for f in res.tables["flags"]}
    # Only the region is located in the graph (o5 has no place): no benchmark, so no ratio flags.
    assert res.params["benchmark"] == "none" and "benchmark: none" in res.params["benchmark_note"]
    assert {r["ratio_to_benchmark"] for r in res.rows} == {None}
    assert set(flags) == {("nev:materials", "no_local_ip"), ("nev:materials", "policy_without_ip")}
    assert flags[("nev:materials", "no_local_ip")]["query"] == "benchmark_link_places"
    assert flags[("nev:materials", "no_local_ip")]["evidence_query"] == "chain_link_evidence"
    assert flags[("nev:materials", "no_local_ip")]["evidence_params"] == {"link": "nev:materials"}
    assert all(f["query"] for f in res.tables["flags"])


def test_chain_scope_one_district(mini_store: GraphStore) -> None:
    from iplayout.queries.chains import ChainOptions, chains

    res = chains(mini_store, ChainOptions(scope=("500106",)))
    links = _by(res.rows, "link")
    assert links["nev:vehicle"]["patents"] == 3 and links["nev:battery"]["patents"] == 1


def test_evaluate_and_matching(mini_store: GraphStore) -> None:
    from iplayout.queries.evaluate import EvaluateOptions, evaluate

    res = evaluate(mini_store, EvaluateOptions(scheme="GB"))
    assert res.params["year"] == 2021 and len(res.rows) == 3
    assert {r["grade"] for r in res.rows} <= {"极度失调", "严重失调", "中度失调", "轻度失调", "濒临失调", "勉强协调",
                                               "初级协调", "中级协调", "良好协调", "优质协调"}
    assert all(0 <= r["D"] <= 1 for r in res.rows)
    assert {(m["adcode"], m["industry"]) for m in res.tables["matching"]} >= {("500106", "GB:C36")}


def test_clusters_coapplicant(mini_store: GraphStore) -> None:
    from iplayout.queries.clusters import ClusterOptions, clusters
    from iplayout.queries.projections import ProjectionOptions

    res = clusters(mini_store, ClusterOptions(ProjectionOptions("coapplicant", "subclass")))
    groups = {frozenset(m["node"] for m in res.tables["members"] if m["cluster"] == c)
              for c in {m["cluster"] for m in res.tables["members"]}}
    assert groups == {frozenset({"o1", "o2"}), frozenset({"o3", "o4"})}


def test_monitor_policies_catalog(mini_store: GraphStore) -> None:
    from iplayout.queries.catalog import CatalogOptions, catalog
    from iplayout.queries.monitor import MonitorOptions, monitor
    from iplayout.queries.policies import policies

    mon = monitor(mini_store, MonitorOptions(level="subclass"))
    assert {(e["adcode"], e["org"], e["year"]) for e in mon.tables["new_entrants"]} == {
        ("500101", "o1", 2020), ("500103", "o2", 2020), ("500106", "o3", 2021), ("500106", "o4", 2022)}
    pol = policies(mini_store)
    assert [t["target"] for t in pol.tables["targets_without_ip"]] == ["IPC:H01M4/00"]
    cat = catalog(mini_store, CatalogOptions(scheme="GB"))
    cells = _by(cat.rows, "adcode", "industry")
    assert cells[("500106", "GB:C36")]["category"] == "strengthen"
    assert cells[("500103", "GB:C38")]["category"] == "fill_gap"
