"""Pin the report queries: parameters only, no APOC, plain MATCH both engines understand."""

from __future__ import annotations

import re

from iplayout.queries import reports_queries
from iplayout.queries.registry import registry


def test_report_queries_are_registered_read_only_and_parametrised() -> None:
    names = [q.name for q in reports_queries.QUERIES]
    assert len(names) == len(set(names)) and all(n.startswith("report_") for n in names)
    reg = registry()
    for q in reports_queries.QUERIES:
        assert reg[q.name] is q and not q.write and not q.dialects
        assert "apoc" not in q.cypher.lower() and "CALL" not in q.cypher
        assert not re.search(r"\b(CREATE|MERGE|SET|DELETE)\b", q.cypher)
        assert set(re.findall(r"\$(\w+)", q.cypher)) == set(q.params), q.name


def test_district_top_orgs_text() -> None:
    q = registry()["report_district_top_orgs"]
    assert q.cypher.startswith("MATCH (d:District {adcode: $adcode})<-[:LOCATED_IN]-(o:Organization)")
    assert q.cypher.endswith("ORDER BY patents DESC, id LIMIT $limit")
