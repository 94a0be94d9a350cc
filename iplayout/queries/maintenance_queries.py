"""Write queries used by `iplayout build`: delete a document, and clear a document's extracted links
before it is rebuilt (so a changed record never keeps stale MENTIONS/TARGETS/APPLIED_FOR links).

Generated from the ontology: incoming link types are those whose source is not itself a document
(a CITES from another document belongs to that document and is kept).
"""

from __future__ import annotations

from iplayout.ontology import RELATIONSHIPS
from iplayout.queries.registry import NamedQuery

KIND_LABELS = {"patents": "Patent", "papers": "Paper", "standards": "Standard", "policies": "Policy",
          "stats": "Observation", "trademarks": "Trademark"}
_DOCS = set(KIND_LABELS.values())
DELETE_QUERY_NAMES = {"patents": "delete_patent", "papers": "delete_paper", "standards": "delete_standard",
                 "policies": "delete_policy", "stats": "delete_observation",
                 "trademarks": "delete_trademark"}


def _incoming(label: str) -> list[str]:
    return sorted({r.type for r in RELATIONSHIPS for a, b in r.endpoints if b == label and a not in _DOCS})


def _queries() -> list[NamedQuery]:
    out: list[NamedQuery] = []
    for kind, label in KIND_LABELS.items():
        out.append(NamedQuery(DELETE_QUERY_NAMES[kind], f"MATCH (d:{label} {{id: $id}}) DETACH DELETE d",
                              f"Delete one {label} and its links.", ("id",), write=True))
        out.append(NamedQuery(f"unlink_{kind}_out", f"UNWIND $ids AS i MATCH (d:{label} {{id: i}})-[e]->() DELETE e",
                              f"Delete every outgoing link of the given {label} ids.", ("ids",), write=True))
        incoming = _incoming(label)
        if incoming:
            out.append(NamedQuery(
                f"unlink_{kind}_in",
                f"UNWIND $ids AS i MATCH ()-[e:{'|'.join(incoming)}]->(d:{label} {{id: i}}) DELETE e",
                f"Delete incoming extracted links ({', '.join(incoming)}) of the given {label} ids.",
                ("ids",), write=True))
    return out


QUERIES = _queries()
