"""The grouped pass of ``analyze chains`` gives the numbers of the per-link queries (both engines).

Flags name ``benchmark_link_places`` / ``chain_link_district_*`` as the queries a user re-runs per
link; the analysis computes the same numbers in one grouped pass (``chain_counts``). The hand-made
graph gets a patent carrying two classes of one link and a third of another, with applicants in two
districts and one unlocated, and a paper with two classes of one link: each counts once per link.
"""

from __future__ import annotations

import importlib.util
from collections import defaultdict
from pathlib import Path

from iplayout.graph.store import GraphStore
from iplayout.queries.chain_counts import DISTRICT_COLUMNS, link_counts
from iplayout.queries.runner import QueryRun

_spec = importlib.util.spec_from_file_location("analytics_mini_graph", Path(__file__).with_name("mini_graph.py"))
assert _spec and _spec.loader
mini = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(mini)


def _load(store: GraphStore) -> None:
    mini.load(store)
    store.upsert_nodes("Patent", [{"id": "p10", "year": 2022, "kind": "invention", "title": "p10"}])
    store.upsert_relationships("CLASSIFIED_AS", "Patent", "Technology", [
        {"from": "p10", "to": f"IPC:{c}"} for c in ("H01M10/0525", "H01M10/00", "H01M4/525")])
    store.upsert_relationships("APPLIED_FOR", "Organization", "Patent", [
        {"from": o, "to": "p10"} for o in ("o1", "o2", "o5")])
    store.upsert_nodes("Paper", [{"id": "x3", "year": 2022, "title": "x3"}])
    store.upsert_relationships("CLASSIFIED_AS", "Paper", "Technology", [
        {"from": "x3", "to": f"IPC:{c}"} for c in ("H01M10/0525", "H01M10/00")])
    store.upsert_relationships("PUBLISHED", "Organization", "Paper", [{"from": "o1", "to": "x3"}])


def test_grouped_pass_equals_the_per_link_queries(store: GraphStore) -> None:
    _load(store)
    districts = [d["adcode"] for d in mini.DISTRICTS]
    counts = link_counts(QueryRun(store), districts)

    per_link: dict[tuple[str, tuple[str, ...]], float] = defaultdict(float)
    for r in store.run_named("benchmark_link_places"):
        per_link[(r["link"], tuple(sorted(r["places"])))] += float(r["patents"])
    grouped = {(r.link, tuple(r.places)): r.patents for r in counts.link_places.itertuples()}
    assert grouped == dict(per_link)

    cells: dict[tuple[str, str], dict[str, float]] = defaultdict(lambda: dict.fromkeys(DISTRICT_COLUMNS, 0.0))
    for r in store.run_named("chain_link_district_patents"):
        cells[(r["link"], r["adcode"])].update(patents=float(r["patents"]), orgs=float(r["orgs"]))
    for r in store.run_named("chain_link_district_enterprises"):
        cells[(r["link"], r["adcode"])].update(enterprises=float(r["enterprises"]),
                                               enterprise_patents=float(r["enterprise_patents"]))
    for name, column in (("chain_link_district_papers", "papers"), ("chain_link_district_standards", "standards")):
        for r in store.run_named(name):
            cells[(r["link"], r["adcode"])][column] = float(r[column])
    got = {(r["link"], r["adcode"]): {c: r[c] for c in DISTRICT_COLUMNS}
           for r in counts.by_district.to_dict("records")}
    assert got == {k: v for k, v in cells.items() if k[1] in districts}

    # by hand: battery in A = p1 p2 p3 p10 (p10 once for its two battery classes), all with enterprise o1
    assert got[("nev:battery", "500101")] == {"patents": 4, "orgs": 1, "enterprises": 1, "enterprise_patents": 4,
                                              "papers": 1, "standards": 0}  # x3 once for its two classes
    assert got[("nev:battery", "500103")] == {"patents": 2, "orgs": 1, "enterprises": 0, "enterprise_patents": 0,
                                              "papers": 1, "standards": 0}  # x2 of o2
    assert got[("nev:vehicle", "500106")]["standards"] == 1  # s1 of o3
    assert got[("nev:materials", "500103")]["patents"] == 1
    assert grouped[("nev:battery", ("500101", "500103"))] == 2  # p2 and p10 (o5 has no place)
