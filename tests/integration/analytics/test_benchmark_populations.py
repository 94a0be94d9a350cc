"""Benchmark populations on both engines: none when only the region is in the graph; a peer region
(Chengdu, adcode 5101) and the graph outside the scope give the ratios a hand computation gives."""

from __future__ import annotations

import importlib.util
from pathlib import Path
from typing import Any

import pytest

from iplayout.graph.store import GraphStore
from iplayout.queries.catalog import CatalogOptions, catalog
from iplayout.queries.chains import ChainOptions, chains
from iplayout.queries.density import DensityOptions, density

_spec = importlib.util.spec_from_file_location("analytics_mini_graph", Path(__file__).with_name("mini_graph.py"))
assert _spec and _spec.loader
mini = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(mini)

# Holders outside Chongqing: two Chengdu districts (as a CN export resolves them) and Wuhan at city level.
PLACES = {"c1": ("District", "510104"), "c2": ("District", "510105"), "w1": ("City", "420100")}
OUTSIDE_PATENTS = {  # patent -> (applicants, IPC subgroup)
    "q1": (["c1"], "H01M10/0525"), "q2": (["c1"], "H01M4/525"), "q3": (["c2"], "H01M4/525"),
    "q4": (["c2"], "B60L53/14"), "q5": (["c1", "o3"], "B60L53/14"),  # q5: joint with a Chongqing firm
    "q6": (["w1"], "H01M10/0525"),
}
LINK_OF = {"H01M10/0525": "nev:battery", "H01M4/525": "nev:materials", "B60L53/14": "nev:vehicle"}
INDUSTRY_OF = {"H01M10/0525": "GB:C38", "H01M4/525": "GB:C38", "B60L53/14": "GB:C36", "G06F30/30": "GB:C39"}


def _add_outside(store: GraphStore) -> None:
    store.upsert_nodes("Province", [{"id": "510000", "name": "四川省"}, {"id": "420000", "name": "湖北省"}])
    store.upsert_nodes("City", [{"id": "510100", "name": "成都市"}, {"id": "420100", "name": "武汉市"}])
    store.upsert_nodes("District", [{"adcode": "510104", "name": "锦江区"}, {"adcode": "510105", "name": "青羊区"}])
    store.upsert_relationships("PART_OF", "District", "City", [{"from": "510104", "to": "510100"},
                                                               {"from": "510105", "to": "510100"}])
    store.upsert_nodes("Organization", [{"id": o, "name": o, "kind": "enterprise"} for o in PLACES])
    for label in ("District", "City"):
        store.upsert_relationships("LOCATED_IN", "Organization", label,
                                   [{"from": o, "to": code} for o, (lab, code) in PLACES.items() if lab == label])
    store.upsert_nodes("Patent", [{"id": p, "year": 2021, "kind": "invention", "title": p} for p in OUTSIDE_PATENTS])
    store.upsert_relationships("APPLIED_FOR", "Organization", "Patent",
                               [{"from": o, "to": p} for p, (apps, _) in OUTSIDE_PATENTS.items() for o in apps])
    store.upsert_relationships("CLASSIFIED_AS", "Patent", "Technology",
                               [{"from": p, "to": f"IPC:{code}"} for p, (_, code) in OUTSIDE_PATENTS.items()])


def _patent_rows() -> dict[str, tuple[set[str], set[str]]]:
    """patent -> (places of its applicants, its IPC subgroups), from the same rows the graph holds."""
    located = dict(mini.LOCATED) | {o: code for o, (_, code) in PLACES.items()}
    out: dict[str, tuple[set[str], set[str]]] = {}
    for o, p in mini.APPLIED:
        out.setdefault(p, (set(), set()))[0].update({located[o]} if o in located else set())
    for p, (apps, _) in OUTSIDE_PATENTS.items():
        out.setdefault(p, (set(), set()))[0].update(located[o] for o in apps)
    for p, code in mini.CLASSIFIED:
        out[p][1].add(code)
    for p, (_, code) in OUTSIDE_PATENTS.items():
        out[p][1].add(code)
    return out


def _hand(keys: dict[str, str], in_scope: Any, in_bench: Any) -> dict[str, float | None]:
    """Share of each key among scope patents over its share among benchmark patents (full counting)."""
    rows = _patent_rows()
    def count(test: Any) -> dict[str, int]:
        c: dict[str, int] = {}
        for places, codes in rows.values():
            if test(places):
                for k in {keys[x] for x in codes if x in keys}:
                    c[k] = c.get(k, 0) + 1
        return c
    local, bench = count(in_scope), count(in_bench)
    lt, bt = sum(local.values()), sum(bench.values())
    return {k: (local.get(k, 0) / lt) / (bench[k] / bt) if bench.get(k) else None for k in set(keys.values())}


def _cq(places: set[str]) -> bool:
    return any(p.startswith("50") for p in places)


@pytest.fixture
def mini_store(store: GraphStore) -> GraphStore:
    mini.load(store)
    return store


def test_only_the_region_gives_benchmark_none_everywhere(mini_store: GraphStore) -> None:
    ch = chains(mini_store, ChainOptions(region="chongqing"))
    dens = density(mini_store, DensityOptions(scheme="GB", region="chongqing"))
    cat = catalog(mini_store, CatalogOptions(scheme="GB", region="chongqing"))
    for res in (ch, dens, cat):
        assert res.params["benchmark"] == "none", res.analysis
        assert res.params["benchmark_note"].startswith("benchmark: none (")
    assert {r["ratio_to_benchmark"] for r in ch.rows} == {None}
    assert {r["benchmark_patents"] for r in ch.rows} == {None}
    assert not {f["flag"] for f in ch.tables["flags"]} & {"weak_local_ip", "upstream_missing"}
    assert {r["rta_benchmark"] for r in dens.tables["industries"]} == {None}
    assert {r["lq_benchmark"] for r in dens.tables["cells"]} == {None}
    assert {r["lq"] for r in cat.rows if r["adcode"] == "city"} <= {None}
    # "graph" is no escape: the graph equals the scope
    assert chains(mini_store, ChainOptions(region="chongqing", benchmark="graph")).params["benchmark"] == "none"


def test_peer_region_and_outside_match_a_hand_computation(mini_store: GraphStore) -> None:
    _add_outside(mini_store)
    cases = {"peer:5101": lambda ps: any(p.startswith("5101") for p in ps),
             "outside": lambda ps: bool(ps) and not _cq(ps)}
    for bench, test in cases.items():
        res = chains(mini_store, ChainOptions(region="chongqing", benchmark=bench))
        assert res.params["benchmark"] == bench
        got = {r["link"]: r["ratio_to_benchmark"] for r in res.rows}
        want = _hand(LINK_OF, _cq, test)
        assert got.keys() == want.keys()
        for link, value in want.items():
            assert got[link] == (pytest.approx(value) if value is not None else None), (bench, link)
        dens = density(mini_store, DensityOptions(scheme="GB", region="chongqing", benchmark=bench))
        rta = {r["industry"]: r["rta_benchmark"] for r in dens.tables["industries"]}
        for ind, value in _hand(INDUSTRY_OF, _cq, test).items():
            assert rta[ind] == (pytest.approx(value) if value is not None else None), (bench, ind)
    peer = {r["link"]: r for r in chains(mini_store, ChainOptions(region="chongqing", benchmark="peer:5101")).rows}
    # worked by hand: scope battery 4, vehicle 4 (p5 p6 p7 q5) of 8; Chengdu battery 1, materials 2, vehicle 2 of 5
    assert peer["nev:battery"]["ratio_to_benchmark"] == pytest.approx(2.5)
    assert peer["nev:vehicle"]["ratio_to_benchmark"] == pytest.approx(1.25)
    assert peer["nev:materials"]["ratio_to_benchmark"] == 0.0
    res = chains(mini_store, ChainOptions(region="chongqing", benchmark="peer:5101"))
    assert res.params["benchmark_size"] == 5 and res.params["scope_size"] == 9  # p1-p8 and q5
    flags = {(f["link"], f["flag"]) for f in res.tables["flags"]}
    assert ("nev:materials", "upstream_missing") in flags
    assert chains(mini_store, ChainOptions(region="chongqing", benchmark="peer:4401")).params["benchmark"] == "none"


def test_a_counts_table_benchmark(mini_store: GraphStore, tmp_path: Path) -> None:
    table = tmp_path / "national.csv"
    table.write_text("link,patents\nnev:materials,50\nnev:battery,30\nnev:vehicle,20\n", "utf-8")
    res = chains(mini_store, ChainOptions(region="chongqing", benchmark=str(table)))
    assert res.params["benchmark"] == f"table:{table}" and res.params["benchmark_size"] == 100
    got = {r["link"]: r["ratio_to_benchmark"] for r in res.rows}
    assert got["nev:battery"] == pytest.approx((4 / 7) / 0.3) and got["nev:vehicle"] == pytest.approx((3 / 7) / 0.2)
    ind = tmp_path / "industries.csv"
    ind.write_text("industry,patents\nGB:C38,60\nGB:C36,40\n", "utf-8")
    dens = density(mini_store, DensityOptions(scheme="GB", region="chongqing", benchmark=str(ind)))
    rta = {r["industry"]: r["rta_benchmark"] for r in dens.tables["industries"]}
    assert rta["GB:C38"] == pytest.approx((4 / 9) / 0.6) and rta["GB:C39"] is None
