"""Read-only Cypher for entity pages: built from ontology names only, values always ``$params``.

Labels and relationship types cannot be parameters, so every name that enters the text comes
from the ontology (``NODE_BY_LABEL`` / ``RELATIONSHIPS``) after the caller's label was checked
against it. The queries run through ``GraphStore.cypher_read`` (read transaction + write guard).
One query per (relationship type, direction, neighbour label) keeps the text identical on both
engines (no ``labels()`` / ``label()`` dialect split) and tells us type and label of each row.
"""

from __future__ import annotations

from dataclasses import dataclass

from iplayout.errors import OntologyError
from iplayout.ontology import NODE_BY_LABEL, RELATIONSHIPS, NodeType


@dataclass(frozen=True)
class Hop:
    rel_type: str
    direction: str  # "out": (n)-[r]->(m); "in": (n)<-[r]-(m)
    label: str  # the neighbour's label
    cypher: str
    count_cypher: str = ""  # how many such neighbours (the aggregated view of a hub)


def node_type_of(label: str) -> NodeType:
    nt = NODE_BY_LABEL.get(label)
    if nt is None:
        raise OntologyError(f"unknown label {label!r}; one of: {', '.join(sorted(NODE_BY_LABEL))}")
    return nt


def node_query(label: str) -> str:
    nt = node_type_of(label)
    return f"MATCH (n:{nt.label} {{{nt.key}: $key}}) RETURN n AS node LIMIT 1"


def _tail(label: str) -> str:
    """Neighbours in key order, so that pages of the merged, sorted list are stable."""
    return f"RETURN r AS rel, m AS node ORDER BY m.{NODE_BY_LABEL[label].key} LIMIT $cap"


_COUNT = "RETURN count(m) AS n"


def hops(label: str) -> list[Hop]:
    """Every (relationship type, direction, neighbour label) the ontology allows around ``label``."""
    nt = node_type_of(label)
    head = f"MATCH (n:{nt.label} {{{nt.key}: $key}})"
    out: list[Hop] = []
    for rt in RELATIONSHIPS:
        for a, b in rt.endpoints:
            if a == nt.label:
                pattern = f"{head}-[r:{rt.type}]->(m:{b})"
                out.append(Hop(rt.type, "out", b, f"{pattern} {_tail(b)}", f"{pattern} {_COUNT}"))
            if b == nt.label:
                pattern = f"{head}<-[r:{rt.type}]-(m:{a})"
                out.append(Hop(rt.type, "in", a, f"{pattern} {_tail(a)}", f"{pattern} {_COUNT}"))
    return out
