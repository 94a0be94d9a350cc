"""POST /cypher on both engines: writes refused before execution, params, row limit, timeout."""

from __future__ import annotations

from typing import Any

from fastapi.testclient import TestClient

from iplayout.graph.store import GraphStore

WRITES = [
    "CREATE (d:District {adcode: '999999', name: 'x'}) RETURN d",
    "MERGE (d:District {adcode: '999998'}) RETURN d",
    "MATCH (d:District {adcode: '500101'}) SET d.name = 'changed' RETURN d",
    "MATCH (d:District {adcode: '500101'}) DETACH DELETE d",
    "MATCH (d:District) DELETE d",
    "CALL apoc.create.node(['District'], {adcode: '999997'}) YIELD node RETURN node",
    "LOAD CSV FROM 'file:///etc/passwd' AS line RETURN line",
    "LOAD FROM '/etc/passwd' RETURN *",
    "MATCH (d:District) CALL { WITH d CREATE (:District {adcode: '999996'}) } RETURN count(*) AS n",
    "MATCH (d:District) CALL (d) { SET d.name = 'hidden' } RETURN count(*) AS n",
    "match (d:District) remove d.name return d",
    "MATCH (n) FOREACH (x IN [1] | CREATE (:District {adcode: '999995'})) RETURN 1",
    "COPY District FROM '/tmp/x.csv'",
    "DROP TABLE District",
]


def test_writes_refused_and_graph_unchanged(demo_client: TestClient, demo_store: GraphStore, problem: Any) -> None:
    before = demo_store.counts().as_dict()
    for text in WRITES:
        resp = demo_client.post("/cypher", json={"query": text})
        assert 400 <= resp.status_code < 500, (text, resp.status_code, resp.text)
        body = problem(resp, resp.status_code)
        assert body["instance"] == "/cypher"
    assert demo_store.counts().as_dict() == before
    names = demo_client.post("/cypher", json={"query": "MATCH (d:District {adcode: '500101'}) RETURN d.name AS n"})
    assert names.json()["rows"] == [{"n": "万州区"}]


def test_write_keywords_in_strings_are_fine(demo_client: TestClient) -> None:
    resp = demo_client.post("/cypher", json={"query": "RETURN 'CREATE or DELETE' AS s"})
    assert resp.status_code == 200, resp.text
    assert resp.json()["rows"] == [{"s": "CREATE or DELETE"}]


def test_params_row_limit_and_errors(demo_client: TestClient, problem: Any) -> None:
    q = "MATCH (d:District) WHERE d.adcode STARTS WITH $prefix RETURN d.adcode AS adcode ORDER BY adcode"
    resp = demo_client.post("/cypher", json={"query": q, "params": {"prefix": "5001"}})
    assert resp.status_code == 200, resp.text
    body = resp.json()
    assert body["columns"] == ["adcode"] and body["rows"][0] == {"adcode": "500101"}
    assert all(r["adcode"].startswith("5001") for r in body["rows"]) and not body["truncated"]

    capped = demo_client.post("/cypher", json={"query": "MATCH (d:District) RETURN d.adcode AS a", "limit": 5}).json()
    assert capped["row_count"] == 5 and capped["truncated"] is True
    server_cap = demo_client.post("/cypher", json={"query": "MATCH (p:Patent) RETURN p.id AS id", "limit": 10_000}).json()
    assert server_cap["row_count"] == 50 and server_cap["truncated"] is True  # query_row_limit=50 in the fixture

    problem(demo_client.post("/cypher", json={"query": "MATCH (d:District RETURN d"}), 400)
    problem(demo_client.post("/cypher", json={"query": ""}), 422)
    problem(demo_client.post("/cypher", json={"query": "RETURN 1", "params": {"x": {"y": {"z": 1}}}}), 422)


def test_long_query_is_stopped(demo_client: TestClient, problem: Any) -> None:
    slow = "MATCH (a:Patent)-[*1..8]-(b) RETURN count(*) AS n"
    body = problem(demo_client.post("/cypher", json={"query": slow}), 408)
    assert body["type"] == "/problems/query-timeout"
    ok = demo_client.post("/cypher", json={"query": "MATCH (d:District) RETURN count(d) AS n"})
    assert ok.status_code == 200 and ok.json()["rows"] == [{"n": 38}]  # the store still answers


def test_named_queries(demo_client: TestClient, problem: Any) -> None:
    listed = demo_client.get("/queries", params={"limit": 500}).json()
    names = {q["name"] for q in listed["items"]}
    assert "top_applicants" in names and listed["total"] == len(names)
    rows = demo_client.post("/queries/top_applicants", json={"params": {"limit": 3}}, params={"limit": 2}).json()
    assert len(rows["items"]) == 2 and rows["total"] == 3 and rows["next_offset"] == 2
    problem(demo_client.post("/queries/top_applicants", json={"params": {}}), 422)
    problem(demo_client.post("/queries/no_such_query", json={"params": {}}), 404)
