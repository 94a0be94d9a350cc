"""What the workbench reads beyond the analytics (issue 17), over the small demo graph of both engines:
names instead of ids, drill-downs that list as many rows as the count says, the aggregated entity
view, graph values the console can draw, downloads and exports, and the first-run status."""

from __future__ import annotations

import io
import re
from typing import Any

from fastapi.testclient import TestClient

RAW_ORG = re.compile(r"^ORG[A-Z]*:\d+$")


def test_status_of_an_empty_graph(client: TestClient) -> None:
    empty = client.get("/workbench/status").json()
    assert empty["nodes"] == 0 and empty["synthetic"] is False


def test_labels_name_every_ontology_term_in_chinese(client: TestClient) -> None:
    from iplayout.ontology.model import NODES, RELATIONSHIPS

    names = client.get("/labels").json()
    assert {n.label for n in NODES} <= set(names["labels"])
    assert {r.type for r in RELATIONSHIPS} <= set(names["relationships"])
    assert names["relationships"]["APPLIED_FOR"]["zh"] == "申请"
    # rules.yaml names the flags and says what they mean: the doc comes from there, not a copy
    assert names["values"]["high_per_capita"]["doc"].startswith("patents per 10,000 residents")
    assert names["columns"]["patents_per_10k"]["zh"] == "每万人专利数"
    assert names["units"]["patents_per_10k"] == "件/万人" and "invention_share" in names["percent"]
    assert names["provenance"] == ["source", "locator", "run_id", "extractor", "synthetic"]


def test_rows_and_cards_carry_names_next_to_ids(demo_client: TestClient) -> None:
    alerts = demo_client.get("/analytics/monitor", params={"table": "alerts", "limit": 5}).json()["items"]
    assert alerts and all(r["district"] and r["district"] != r["adcode"] for r in alerts)
    clusters = demo_client.get("/analytics/clusters", params={"limit": 3}).json()["items"]
    members = [m for c in clusters for m in c["top_members_named"]]
    assert members and not any(RAW_ORG.match(m.rsplit(" (", 1)[0]) for m in members)
    techs = [t for c in clusters for t in c["top_technologies_named"]]
    assert techs and all(not t.startswith("IPC:") for t in techs)  # code + Chinese title, not the node id
    catalog = demo_client.get("/analytics/catalog", params={"limit": 5}).json()["items"]
    assert all(r["industry_name"] for r in catalog)
    # search cards: holder names, the organisation ids aside
    cards = demo_client.get("/search", params={"q": "电池", "limit": 10}).json()["items"]
    assert any(c["holder_ids"] for c in cards)
    for c in cards:
        assert not any(RAW_ORG.match(h) for h in c["holders"]), c["holders"]
        assert len(c["holders"]) == len(set(c["holders"]))


# Density count -> the drill-down query that lists what it counts. The demo's policies are issued by
# bodies outside the districts: their counts are all 0 (still checked).
DRILLS = {"patents": "drill_district_patents", "holders": "drill_district_holders", "papers": "drill_district_papers",
          "standards": "drill_district_standards", "policies": "drill_district_policies"}


def test_drill_down_lists_as_many_rows_as_the_count(demo_client: TestClient) -> None:
    rows = demo_client.get("/analytics/density", params={"limit": 100}).json()["items"]
    nonzero = dict.fromkeys(DRILLS, 0)
    for r in rows:
        for column, query in DRILLS.items():
            page = demo_client.post(f"/queries/{query}", json={"params": {"adcode": r["adcode"]}},
                                    params={"limit": 1}).json()
            assert page["total"] == int(r[column]), (r["adcode"], column)
            nonzero[column] += int(r[column]) > 0
    assert all(nonzero[c] for c in DRILLS if c != "policies"), nonzero  # else the test proves nothing
    # the monitor's yearly counts drill into the patents of that district and year
    for r in demo_client.get("/analytics/monitor", params={"limit": 40}).json()["items"]:
        page = demo_client.post("/queries/drill_district_patents_year",
                                json={"params": {"adcode": r["adcode"], "year": r["year"]}}).json()
        assert page["total"] == r["patents"]
        assert all(p["year"] == r["year"] for p in page["items"])


def test_entity_groups_and_console_graph_values(demo_client: TestClient) -> None:
    body = demo_client.get("/entities/District/500103", params={"limit": 500}).json()
    assert body["groups"] and body["degree"] == sum(g["count"] for g in body["groups"])
    assert body["degree"] == body["neighbours"]["total"]  # under the read window, every neighbour is listed
    counted = {(g["rel_type"], g["direction"], g["label"]): g["count"] for g in body["groups"]}
    listed: dict[tuple[str, str, str], int] = {}
    for n in body["neighbours"]["items"]:
        k = (n["rel_type"], n["direction"], n["label"])
        listed[k] = listed.get(k, 0) + 1
    assert counted == listed
    assert body["hub"] is (body["degree"] > 150)
    # console: nodes, relationships and paths carry the ids a graph view joins them by
    res = demo_client.post("/cypher", json={
        "query": "MATCH p = (o:Organization)-[r:APPLIED_FOR]->(x:Patent) RETURN o, r, x, p LIMIT 3"}).json()
    assert res["row_count"] == 3
    for row in res["rows"]:
        o, r, x, p = row["o"], row["r"], row["x"], row["p"]
        assert o["_label"] == "Organization" and x["_label"] == "Patent"
        assert r["_label"] == "APPLIED_FOR" and (r["_start"], r["_end"]) == (o["_id"], x["_id"])
        assert [n["_id"] for n in p["nodes"]] == [o["_id"], x["_id"]]
        assert [e["_id"] for e in p["relationships"]] == [r["_id"]]


def test_downloads_exports_and_status(demo_client: TestClient, problem: Any) -> None:
    from openpyxl import load_workbook

    report = demo_client.get("/downloads/district/500103")
    assert report.status_code == 200, report.text[:300]
    assert report.headers["content-disposition"] == 'attachment; filename="district-500103.html"'
    assert "<html" in report.text.lower() and "渝中区" in report.text
    problem(demo_client.get("/downloads/district/999999"), 404)
    matching = demo_client.get("/downloads/matching.xlsx")
    assert matching.status_code == 200
    sheet = load_workbook(io.BytesIO(matching.content)).worksheets[0]
    assert sheet.max_row > 1
    body = {"columns": [{"key": "d", "title": "区县"}, {"key": "n", "title": "专利数（件）"}],
            "rows": [{"d": "渝中区", "n": 64}, {"d": "万州区", "n": None}]}
    xlsx = demo_client.post("/exports/xlsx", json=body, params={"filename": "density"})
    assert xlsx.headers["content-disposition"] == 'attachment; filename="density.xlsx"'
    values = list(load_workbook(io.BytesIO(xlsx.content)).active.values)
    assert values == [("区县", "专利数（件）"), ("渝中区", 64), ("万州区", None)]
    problem(demo_client.post("/exports/xlsx", json={"columns": [], "rows": []}), 422)
    problem(demo_client.get("/downloads/matching.xlsx", params={"scheme": "NO-SUCH-SCHEME"}), 422)
    control = demo_client.post("/exports/xlsx", json={"columns": [{"key": "a", "title": "a\x0e"}],
                                                      "rows": [{"a": "x\x0ey"}]})  # illegal in XLSX: dropped
    assert list(load_workbook(io.BytesIO(control.content)).active.values) == [("a",), ("xy",)]
    demo = demo_client.get("/workbench/status").json()
    assert demo["nodes"] > 0 and demo["synthetic"] is True and demo["search_documents"] > 0
