"""The demo plants chain weaknesses against a synthetic benchmark population: every one is flagged
and no planted strong link is (both engines)."""

from __future__ import annotations

from iplayout.demo.planted import EXPECTED, STRONG
from iplayout.graph.store import GraphStore
from iplayout.queries.chains import ChainOptions, chains


def test_every_planted_gap_is_flagged_and_no_strong_link(demo_store: GraphStore) -> None:
    res = chains(demo_store, ChainOptions(region="chongqing"))
    assert res.params["benchmark"] == "outside" and res.params["benchmark_size"] > 0
    flags = {(f["link"], f["flag"]) for f in res.tables["flags"]}
    assert flags >= EXPECTED, EXPECTED - flags
    assert not [f for f in flags if f[0] in STRONG]
    rows = {r["link"]: r for r in res.rows}
    assert all(rows[link]["ratio_to_benchmark"] >= 1.0 for link in STRONG)
    for f in res.tables["flags"]:  # every flag carries a runnable evidence query
        assert f["evidence_query"] in ("chain_link_evidence", "chain_link_evidence_orgs")
        assert f["evidence_params"] == {"link": f["link"]}
    evidence = demo_store.run_named("chain_link_evidence", {"link": "bio:api"})
    local = {r["patent"] for r in evidence if str(r["place"]).startswith("50")}
    assert len(local) == rows["bio:api"]["patents"]
    orgs = demo_store.run_named("chain_link_evidence_orgs", {"link": "bio:device"})
    assert orgs and not [o for o in orgs if o["kind"] == "enterprise" and str(o["place"]).startswith("50")]


def test_the_12_cluster_templates_ride_along_in_the_demo(demo_store: GraphStore) -> None:
    res = chains(demo_store, ChainOptions(region="chongqing"))
    chain_ids = {r["chain"] for r in res.rows}
    assert {"nev", "icd", "bio"} <= chain_ids and len(chain_ids - {"nev", "icd", "bio"}) == 12
