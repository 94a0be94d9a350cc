"""The GraphStore contract: the same operations give the same answers on Neo4j and LadybugDB."""

from __future__ import annotations

import hashlib
import json
from collections import Counter

import pytest

from iplayout.errors import OntologyError, QueryTimeout, ReadOnlyViolation
from iplayout.graph.store import GraphStore
from iplayout.ontology import NODES, RELATIONSHIPS


def _checksum(store: GraphStore, label: str, key: str) -> str:
    rows = store.cypher_read(f"MATCH (n:{label}) RETURN n AS n ORDER BY n.{key}")
    # Neo4j does not store nulls, LadybugDB returns every declared column: compare set values only.
    clean = [{k: v for k, v in r["n"].items() if not k.startswith("_") and v is not None} for r in rows]
    return hashlib.sha256(json.dumps(clean, sort_keys=True, ensure_ascii=False).encode()).hexdigest()


def _patents(n: int) -> list[dict[str, object]]:
    return [
        {"id": f"CN{i:08d}A", "title": f"一种电池{i}", "year": 2014 + i % 12, "kind": "invention",
         "in_force": i % 3 == 0, "claims_count": i % 20, "source": "test"}
        for i in range(n)
    ]


def test_schema_is_idempotent(store: GraphStore) -> None:
    store.ensure_schema()
    store.ensure_schema()
    counts = store.counts()
    assert set(counts.nodes) == {n.label for n in NODES}
    assert set(counts.relationships) == {r.type for r in RELATIONSHIPS}


def test_upserting_10k_rows_twice_changes_nothing(store: GraphStore) -> None:
    rows = _patents(10_000)
    techs = [{"id": f"IPC:H01M{i}", "scheme": "IPC", "code": f"H01M{i}"} for i in range(50)]
    rels = [{"from": r["id"], "to": f"IPC:H01M{i % 50}", "main": True} for i, r in enumerate(rows)]
    store.upsert_nodes("Patent", rows)
    store.upsert_nodes("Technology", techs)
    assert store.upsert_relationships("CLASSIFIED_AS", "Patent", "Technology", rels) == 10_000
    first = (store.counts().as_dict(), _checksum(store, "Patent", "id"))
    store.upsert_nodes("Patent", rows)
    store.upsert_nodes("Technology", techs)
    store.upsert_relationships("CLASSIFIED_AS", "Patent", "Technology", rels)
    second = (store.counts().as_dict(), _checksum(store, "Patent", "id"))
    assert first == second
    assert first[0]["nodes"]["Patent"] == 10_000
    assert first[0]["relationships"]["CLASSIFIED_AS"] == 10_000


def test_same_values_on_both_engines(store: GraphStore) -> None:
    """Checksums are compared against a fixed digest, so both engines must store identical values."""
    store.upsert_nodes("Patent", _patents(500))
    # Types are coerced from the ontology: strings become INT64/BOOLEAN as declared.
    store.upsert_nodes("Patent", [{"id": "CN00000001A", "year": "2020", "in_force": "true"}])
    rows = store.cypher_read("MATCH (p:Patent {id: 'CN00000001A'}) RETURN p.year AS y, p.in_force AS f, p.title AS t")
    assert rows == [{"y": 2020, "f": True, "t": "一种电池1"}]  # absent title left untouched
    digest = _checksum(store, "Patent", "id")
    expected = _expected_digest()
    assert digest == expected


def _expected_digest() -> str:
    rows = []
    for r in _patents(500):
        full = dict(r)
        if r["id"] == "CN00000001A":
            full.update({"year": 2020, "in_force": True})
        rows.append(full)
    rows.sort(key=lambda x: str(x["id"]))
    return hashlib.sha256(json.dumps(rows, sort_keys=True, ensure_ascii=False).encode()).hexdigest()


def test_relationship_properties_update_in_place(store: GraphStore) -> None:
    store.upsert_nodes("Organization", [{"id": "O1", "name": "甲"}])
    store.upsert_nodes("Patent", [{"id": "P1", "title": "t"}])
    store.upsert_relationships("APPLIED_FOR", "Organization", "Patent", [{"from": "O1", "to": "P1", "seq": 0}])
    store.upsert_relationships("APPLIED_FOR", "Organization", "Patent", [{"from": "O1", "to": "P1", "seq": 2}])
    rows = store.cypher_read("MATCH (:Organization)-[e:APPLIED_FOR]->(:Patent) RETURN e.seq AS seq")
    assert rows == [{"seq": 2}]


def test_known_new_links_land_like_merged_ones(store: GraphStore) -> None:
    store.upsert_nodes("Organization", [{"id": "O1", "name": "甲"}, {"id": "O2", "name": "乙"}])
    store.upsert_nodes("Patent", _patents(300))
    links = [{"from": f"O{1 + i % 2}", "to": f"CN{i:08d}A", "seq": i % 3} for i in range(300)]
    assert store.upsert_relationships("APPLIED_FOR", "Organization", "Patent", links[:150], known_new=True) == 150
    assert store.upsert_relationships("APPLIED_FOR", "Organization", "Patent", links[150:]) == 150
    rows = store.cypher_read("MATCH (o:Organization)-[e:APPLIED_FOR]->(p:Patent) "
                             "RETURN o.id AS o, count(e) AS n, sum(e.seq) AS s ORDER BY o")
    assert rows == [{"o": "O1", "n": 150, "s": sum(i % 3 for i in range(0, 300, 2))},
                    {"o": "O2", "n": 150, "s": sum(i % 3 for i in range(1, 300, 2))}]


def test_missing_endpoints_are_not_invented(store: GraphStore) -> None:
    store.upsert_nodes("Patent", [{"id": "P1", "title": "t"}])
    written = store.upsert_relationships("CITES", "Patent", "Patent", [{"from": "P1", "to": "NOPE"}])
    assert written == 0
    assert store.counts().nodes["Patent"] == 1


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (lambda s: s.upsert_nodes("Patentz", [{"id": "x"}]), "unknown node label"),
        (lambda s: s.upsert_nodes("Patent", [{"id": "x", "titel": "typo"}]), "no properties"),
        (lambda s: s.upsert_nodes("Patent", [{"title": "no key"}]), "without id"),
        (lambda s: s.upsert_relationships("CITES", "Patent", "District", [{"from": "a", "to": "b"}]), "not in the ontology"),
        (lambda s: s.upsert_nodes("Patent", [{"id": "x", "year": "twenty"}]), "is not INT64"),
    ],
)
def test_names_and_values_are_checked_before_cypher(store: GraphStore, call, message: str) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(OntologyError, match=message):
        call(store)
    assert sum(store.counts().nodes.values()) == 0


def test_delete_by_source(store: GraphStore) -> None:
    store.upsert_nodes("Patent", [{"id": "A", "source": "s1"}, {"id": "B", "source": "s2"}])
    store.upsert_nodes("Technology", [{"id": "T", "source": "ref"}])
    store.upsert_relationships("CLASSIFIED_AS", "Patent", "Technology", [{"from": "A", "to": "T", "source": "s1"}])
    store.upsert_relationships("CLASSIFIED_AS", "Patent", "Technology", [{"from": "B", "to": "T", "source": "s2"}])
    assert store.delete_by_source("s1") == 2
    c = store.counts()
    assert c.nodes["Patent"] == 1 and c.nodes["Technology"] == 1 and c.relationships["CLASSIFIED_AS"] == 1


WRITES = [
    "CREATE (n:Patent {id: 'x'})",
    "MERGE (n:Patent {id: 'x'})",
    "MATCH (n:Patent) SET n.title = 'hacked'",
    "MATCH (n:Patent) DELETE n",
    "MATCH (n:Patent) DETACH DELETE n",
    "MATCH (n:Patent) REMOVE n.title",
    "CALL apoc.create.node(['Patent'], {id: 'x'})",
    "LOAD CSV FROM 'file:///etc/passwd' AS row RETURN row",
    "MATCH (n:Patent) CALL { WITH n DETACH DELETE n } RETURN 1",
    "match (n:Patent) with n create (m:Patent {id: 'y'})",
]


@pytest.mark.parametrize("text", WRITES)
def test_cypher_read_refuses_writes(store: GraphStore, text: str) -> None:
    store.upsert_nodes("Patent", [{"id": "P1", "title": "t"}])
    before = (store.counts().as_dict(), _checksum(store, "Patent", "id"))
    with pytest.raises(ReadOnlyViolation, match="read-only"):
        store.cypher_read(text)
    assert (store.counts().as_dict(), _checksum(store, "Patent", "id")) == before


def test_cypher_read_params_and_limit(store: GraphStore) -> None:
    store.upsert_nodes("Patent", _patents(30))
    rows = store.cypher_read("MATCH (p:Patent) WHERE p.year >= $y RETURN p.id AS id ORDER BY id", {"y": 2024}, limit=3)
    assert len(rows) == 3
    assert all(r["id"] for r in rows)
    n = store.cypher_read("MATCH (p:Patent) WHERE p.year >= $y RETURN count(p) AS n", {"y": 2024})
    assert n == [{"n": sum(1 for r in _patents(30) if int(r["year"]) >= 2024)}]  # type: ignore[call-overload]


def test_cypher_read_timeout_stops_a_long_query(store: GraphStore) -> None:
    store.upsert_nodes("Patent", _patents(3_000))
    with pytest.raises(QueryTimeout):
        store.cypher_read(
            "MATCH (a:Patent), (b:Patent), (c:Patent) WHERE a.year + b.year + c.year = -1 RETURN count(*) AS n",
            timeout=0.5,
        )


def test_demo_graph_has_every_label_and_type(demo_store: GraphStore, demo_rows) -> None:  # type: ignore[no-untyped-def]
    counts = demo_store.counts()
    expected = demo_rows.summary()
    assert counts.nodes == {n.label: expected["nodes"][n.label] for n in NODES}
    assert counts.relationships == {r.type: expected["relationships"][r.type] for r in RELATIONSHIPS}
    assert all(v > 0 for v in counts.nodes.values())
    assert all(v > 0 for v in counts.relationships.values())
    synthetic = demo_store.cypher_read("MATCH (p:Patent) WHERE p.synthetic = true RETURN count(p) AS n")
    assert synthetic == [{"n": expected["nodes"]["Patent"]}]


def test_named_queries_match_python_truth(demo_store: GraphStore, demo_rows) -> None:  # type: ignore[no-untyped-def]
    assert demo_store.run_named("district_count") == [{"n": 38}]
    applied = Counter(r["from"] for r in demo_rows.rels[("APPLIED_FOR", "Organization", "Patent")])
    top = demo_store.run_named("top_applicants", {"limit": 5})
    truth = sorted(applied.items(), key=lambda kv: (-kv[1], kv[0]))[:5]
    assert [(r["id"], r["patents"]) for r in top] == truth
    subtree = demo_store.run_named("technology_subtree", {"root": "IPC:H01M"})
    assert {"IPC:H01M", "IPC:H01M10/00", "IPC:H01M10/0525"} <= {r["id"] for r in subtree}
    assert all(r["id"].startswith("IPC:H01M") for r in subtree)
