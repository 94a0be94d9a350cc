"""The lexical read-only guard: writes refused, reads (including tricky literals) allowed."""

from __future__ import annotations

import pytest

from iplayout.errors import ReadOnlyViolation
from iplayout.graph.readonly import check_read_only

READS = [
    "MATCH (d:District) RETURN count(d) AS n",
    "MATCH (p:Patent) WHERE p.title = 'CREATE a DELETE b' RETURN p.id",
    'MATCH (p:Patent) WHERE p.title CONTAINS "SET" RETURN p',
    "MATCH (n) RETURN n.set, n.create, n.`delete`",
    "// CREATE in a comment\nMATCH (n) RETURN n /* MERGE */",
    "CALL db.labels()",
    "MATCH (n) CALL { WITH n RETURN n.id AS x } RETURN x",
    "MATCH (p:Patent) WHERE p.title STARTS WITH '一种' RETURN p.id",
    "CALL show_tables() RETURN *",
]
WRITES = [
    "CREATE (n:Patent {id:'x'})",
    "merge (n:X)",
    "MATCH (n) SET n.a = 1",
    "MATCH (n) DELETE n",
    "MATCH (n) DETACH DELETE n",
    "MATCH (n) REMOVE n.a",
    "CALL apoc.create.node(['X'], {})",
    "CALL apoc.periodic.iterate('MATCH (n) RETURN n', 'DELETE n', {})",
    "LOAD CSV FROM 'file:///x' AS r RETURN r",
    "MATCH (n) CALL { WITH n SET n.x = 1 } RETURN n",
    "MATCH (n) FOREACH (x IN [1] | SET n.a = x)",
    "COPY Patent FROM 'x.csv'",
    "DROP TABLE Patent",
    "CALL db.createLabel('X')",
    "CALL dbms.security.createUser('a', 'b')",
]


@pytest.mark.parametrize("text", READS)
def test_reads_pass(text: str) -> None:
    check_read_only(text)


@pytest.mark.parametrize("text", WRITES)
def test_writes_refused(text: str) -> None:
    with pytest.raises(ReadOnlyViolation, match="read-only"):
        check_read_only(text)
