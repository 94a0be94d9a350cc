"""Schema generation and row preparation derive from the ontology."""

from __future__ import annotations

import pytest

from iplayout.errors import OntologyError
from iplayout.graph.rows import dedupe_by, group_by_columns, prepare_rows
from iplayout.ontology import NODES, RELATIONSHIPS, check_endpoints, node_type
from iplayout.ontology.ddl import ladybug_schema, neo4j_schema


def test_neo4j_schema_has_a_unique_constraint_per_label() -> None:
    stmts = neo4j_schema()
    for n in NODES:
        assert f"FOR (n:{n.label}) REQUIRE n.{n.key} IS UNIQUE" in " ".join(stmts)
    assert all("IF NOT EXISTS" in s for s in stmts)


def test_ladybug_ddl_declares_every_table_and_endpoint_pair() -> None:
    ddl = "\n".join(ladybug_schema())
    for n in NODES:
        assert f"CREATE NODE TABLE IF NOT EXISTS {n.label}(" in ddl
        assert f"PRIMARY KEY({n.key})" in ddl
    for r in RELATIONSHIPS:
        for a, b in r.endpoints:
            assert f"FROM {a} TO {b}" in ddl


def test_every_node_and_relationship_carries_provenance() -> None:
    for owner in (*NODES, *RELATIONSHIPS):
        names = {p.name for p in owner.all_props}
        assert {"source", "locator", "run_id", "extractor", "synthetic"} <= names


def test_unknown_names_are_refused() -> None:
    with pytest.raises(OntologyError, match="unknown node label"):
        node_type("Patent) DETACH DELETE (n")
    with pytest.raises(OntologyError, match="not in the ontology"):
        check_endpoints("CITES", "Patent", "Policy")
    with pytest.raises(OntologyError, match="no properties"):
        prepare_rows(node_type("Patent"), [{"id": "x", "title}) DELETE n//": 1}])


def test_values_are_coerced_to_declared_types() -> None:
    rows = prepare_rows(node_type("Patent"), [{"id": 7, "year": "2021", "in_force": "yes", "claims_count": 3.0}])
    assert rows == [{"id": "7", "year": 2021, "in_force": True, "claims_count": 3}]
    kw = prepare_rows(node_type("Paper"), [{"id": "d", "keywords": ("a", "b")}])
    assert kw[0]["keywords"] == ["a", "b"]
    with pytest.raises(OntologyError, match="is not STRING\\[\\]"):
        prepare_rows(node_type("Paper"), [{"id": "d", "keywords": "not a list"}])


def test_dedupe_keeps_the_last_row_and_groups_by_columns() -> None:
    rows = dedupe_by([{"id": "a", "title": "1"}, {"id": "a", "title": "2"}, {"id": "b"}], "id")
    assert rows == [{"id": "a", "title": "2"}, {"id": "b"}]
    groups = dict(group_by_columns(rows))
    assert set(groups) == {("id", "title"), ("id",)}
