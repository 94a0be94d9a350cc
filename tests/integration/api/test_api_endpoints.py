"""Read endpoints over the small demo graph of both engines: health, search, graph, analytics, maps."""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

from fastapi.testclient import TestClient

from iplayout.graph.store import GraphStore


def test_health_ready(demo_client: TestClient) -> None:
    assert demo_client.get("/health").json()["status"] == "ok"
    ready = demo_client.get("/ready").json()
    assert ready["status"] == "ok" and ready["districts"] == 38 and ready["search"]["documents"] > 0


def test_search_pages_and_filters(demo_client: TestClient, problem: Any) -> None:
    first = demo_client.get("/search", params={"q": "电池", "limit": 5}).json()
    assert len(first["items"]) == 5 and first["next_offset"] == 5
    card = first["items"][0]
    assert {"id", "type", "title", "year", "holders", "districts", "evidence"} <= set(card)
    second = demo_client.get("/search", params={"q": "电池", "limit": 5, "offset": 5}).json()
    assert not {c["id"] for c in first["items"]} & {c["id"] for c in second["items"]}
    only = demo_client.get("/search", params={"q": "电池", "type": "Patent", "limit": 20}).json()
    assert only["items"] and all(c["type"] == "Patent" for c in only["items"])
    district = demo_client.get("/search", params={"q": "电池", "district": "500112", "limit": 20}).json()
    assert all(any(d["adcode"] == "500112" for d in c["districts"]) for c in district["items"])
    deep = demo_client.get("/search", params={"q": "电池", "limit": 500, "offset": 5000}).json()
    assert deep["items"] == [] and deep["next_offset"] is None  # past the 1,000-hit window
    problem(demo_client.get("/search", params={"q": "电池", "type": "Nope"}), 422)


def test_related_and_documents(demo_client: TestClient, problem: Any) -> None:
    hit = demo_client.get("/search", params={"q": "电池", "type": "Patent", "limit": 1}).json()["items"][0]
    related = demo_client.get(f"/related/{hit['id']}", params={"limit": 4}).json()
    assert related["id"] == hit["id"] and len(related["items"]) == 4
    assert hit["id"] not in {c["id"] for c in related["items"]}
    problem(demo_client.get("/related/NOT-A-DOC"), 404)
    doc = demo_client.get(f"/documents/{hit['id']}", params={"limit": 3}).json()
    assert doc["label"] == "Patent" and doc["key"] == hit["id"] and len(doc["neighbours"]["items"]) <= 3
    kinds = {n["rel_type"] for n in demo_client.get(f"/documents/{hit['id']}").json()["neighbours"]["items"]}
    assert "APPLIED_FOR" in kinds
    problem(demo_client.get("/documents/NOT-A-DOC"), 404)


def test_entity_neighbourhood_is_bounded_and_paged(demo_client: TestClient, problem: Any) -> None:
    whole = demo_client.get("/entities/District/500101", params={"limit": 500}).json()
    assert whole["name"] == "万州区" and whole["neighbours"]["total"] > 3
    page1 = demo_client.get("/entities/District/500101", params={"limit": 2}).json()["neighbours"]
    page2 = demo_client.get("/entities/District/500101", params={"limit": 2, "offset": 2}).json()["neighbours"]
    assert page1["items"] == whole["neighbours"]["items"][:2] and page2["items"] == whole["neighbours"]["items"][2:4]
    assert page1["next_offset"] == 2
    problem(demo_client.get("/entities/District/500101", params={"limit": 501}), 422)


def test_analytics_tables(demo_client: TestClient, problem: Any) -> None:
    for name in ("density", "clusters", "chains", "evaluate", "monitor", "catalog"):
        body = demo_client.get(f"/analytics/{name}", params={"limit": 3}).json()
        assert body["analysis"] == name and body["queries"] and len(body["items"]) <= 3, name
    cells = demo_client.get("/analytics/density", params={"table": "cells", "limit": 5}).json()
    assert cells["table"] == "cells" and "lq_region" in cells["items"][0]
    window = demo_client.get("/analytics/density", params={"year_from": 2020, "year_to": 2021}).json()
    assert window["params"]["year_from"] == 2020
    problem(demo_client.get("/analytics/density", params={"table": "nope"}), 404)
    # Chains name their benchmark; each flag's evidence query runs as a named query.
    ch = demo_client.get("/analytics/chains", params={"table": "flags", "limit": 500, "chain": "icd"}).json()
    assert ch["params"]["benchmark"] == "outside" and ch["params"]["benchmark_size"] > 0
    flag = next(f for f in ch["items"] if f["link"] == "icd:wafer" and f["flag"] == "no_local_ip")
    ev = demo_client.post(f"/queries/{flag['evidence_query']}", json={"params": flag["evidence_params"]}).json()
    assert ev["total"] > 0 and not [r for r in ev["items"] if str(r["place"]).startswith("50")]
    peer = demo_client.get("/analytics/chains", params={"benchmark": "peer:5101", "chain": "icd"}).json()
    assert peer["params"]["benchmark"] == "peer:5101"
    problem(demo_client.get("/analytics/chains", params={"benchmark": "/etc/passwd"}), 422)
    problem(demo_client.get("/analytics/density", params={"year_from": 2022, "year_to": 2020}), 422)


def test_maps(demo_client: TestClient) -> None:
    for metric in ("density", "patents", "lq", "coordination", "chain_coverage"):
        body = demo_client.get("/maps/values", params={"metric": metric}).json()
        assert len(body["items"]) == 38, metric
        assert any(i["value"] for i in body["items"]), metric
    geo = demo_client.get("/maps/districts.geojson")
    assert geo.headers["content-type"].startswith("application/geo+json")
    assert len(geo.json()["features"]) == 38
    svg = demo_client.get("/maps/choropleth.svg", params={"metric": "patents", "lang": "en"})
    assert svg.status_code == 200 and svg.headers["content-type"].startswith("image/svg+xml")
    assert "<svg" in svg.text[:2000]


def test_ip_type_selects_what_analytics_and_maps_count(demo_client: TestClient, problem: Any) -> None:
    dens = demo_client.get("/analytics/density", params={"ip_type": "trademarks", "limit": 38}).json()
    assert dens["params"]["ip_types_counted"] == ["trademarks"]
    marks = {r["adcode"]: r["trademarks"] for r in dens["items"]}
    assert sum(marks.values()) > 0
    for name in ("evaluate", "monitor", "catalog"):
        body = demo_client.get(f"/analytics/{name}", params={"ip_type": "all", "limit": 1}).json()
        assert body["params"]["ip_types_counted"] == ["patents", "trademarks"], name
    counts = demo_client.get("/maps/values", params={"metric": "patents", "ip_type": "trademarks"}).json()
    assert counts["ip_type"] == "trademarks" and counts["title_en"] == "Trademarks"
    assert {i["adcode"]: i["value"] for i in counts["items"] if i["adcode"] in marks} == marks
    lq = demo_client.get("/maps/values", params={"metric": "lq", "ip_type": "trademarks"}).json()
    assert lq["industries"] and any(i["value"] for i in lq["items"])
    # Class 43 maps to catering (H62) only through the Nice concordance: patents never reach it.
    assert "GBT4754:H62" in {i["id"] for i in lq["industries"]}
    coord = demo_client.get("/maps/values", params={"metric": "coordination", "ip_type": "trademarks"}).json()
    assert coord["ip_type"] == "patents"  # a metric without a type counts what it always counts
    problem(demo_client.get("/analytics/density", params={"ip_type": "designs"}), 422)
    problem(demo_client.get("/maps/values", params={"ip_type": "designs"}), 422)


def test_reports(demo_client: TestClient, problem: Any) -> None:
    html = demo_client.get("/reports/district/500101")
    assert html.status_code == 200, html.text[:500]
    assert html.headers["content-type"].startswith("text/html") and "万州区" in html.text
    problem(demo_client.get("/reports/district/999999"), 404)
    problem(demo_client.get("/reports/industry/NOT-AN-INDUSTRY"), 404)


def test_entity_key_with_a_slash(demo_client: TestClient, demo_store: GraphStore) -> None:
    # Standard ids such as "DB50/T 9002-2021" hold a slash; the workbench encodes it as %2F.
    rows = demo_store.cypher_read("MATCH (s:Standard) WHERE s.id CONTAINS '/' RETURN s.id AS id ORDER BY id LIMIT 1")
    assert rows, "the demo has standards with a slash in their id"
    key = str(rows[0]["id"])
    body = demo_client.get("/entities/Standard/" + quote(key, safe="")).json()
    assert body["key"] == key
