"""The graph-evidence queries behind `related` give the Python truth on both engines."""

from __future__ import annotations

from collections import defaultdict

from iplayout.graph.store import GraphStore


def test_related_evidence_matches_the_demo_rows(demo_store: GraphStore, demo_rows) -> None:  # type: ignore[no-untyped-def]
    cites = demo_rows.rels[("CITES", "Patent", "Patent")]
    src = cites[0]["from"]
    cited = sorted({r["to"] for r in cites if r["from"] == src})
    citing = sorted({r["from"] for r in cites if r["to"] == src})
    applied = demo_rows.rels[("APPLIED_FOR", "Organization", "Patent")]
    orgs_of: dict[str, set[str]] = defaultdict(set)
    for r in applied:
        orgs_of[r["to"]].add(r["from"])
    others = sorted({*cited, *citing, *[p for p, o in orgs_of.items() if o & orgs_of[src] and p != src][:20]})

    rows = demo_store.run_named("related_citation", {"id": src, "others": others})
    assert sorted((r["other"], r["via"]) for r in rows) == sorted(
        [(c, "cites") for c in cited] + [(c, "cited_by") for c in citing])

    shared = demo_store.run_named("related_shared_organization", {"id": src, "others": others})
    truth = sorted((p, o) for p in others for o in orgs_of[p] & orgs_of[src])
    assert sorted((r["other"], r["via"]) for r in shared) == truth

    classified = demo_rows.rels[("CLASSIFIED_AS", "Patent", "Technology")]
    tech_of: dict[str, set[str]] = defaultdict(set)
    for r in classified:
        tech_of[r["from"]].add(r["to"])
    same = demo_store.run_named("related_shared_classification", {"id": src, "others": others})
    assert sorted((r["other"], r["via"]) for r in same) == sorted(
        (p, t) for p in others for t in tech_of[p] & tech_of[src])

    links = demo_store.run_named("related_shared_chain_link", {"id": src, "others": others})
    chain_ids = {c["id"] for c in demo_rows.nodes["IndustryChain"]}  # the demo's 3 + the packaged templates
    assert links and all(r["via"].split(":")[0] in chain_ids for r in links)
