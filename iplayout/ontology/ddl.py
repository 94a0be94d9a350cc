"""Schema statements generated from the ontology: Neo4j constraints/indexes and LadybugDB DDL."""

from __future__ import annotations

from iplayout.ontology.model import NODES, RELATIONSHIPS, NodeType, Prop, RelType


def neo4j_schema() -> list[str]:
    """Uniqueness constraints on every key, range indexes on declared filter properties."""
    out: list[str] = []
    for n in NODES:
        out.append(
            f"CREATE CONSTRAINT {n.label.lower()}_{n.key}_unique IF NOT EXISTS "
            f"FOR (n:{n.label}) REQUIRE n.{n.key} IS UNIQUE"
        )
        for prop in (*n.indexed, "source"):
            out.append(
                f"CREATE INDEX {n.label.lower()}_{prop}_idx IF NOT EXISTS FOR (n:{n.label}) ON (n.{prop})"
            )
    return out


def _cols(props: tuple[Prop, ...]) -> str:
    return ", ".join(f"{p.name} {p.type}" for p in props)


def ladybug_node_ddl(n: NodeType) -> str:
    return f"CREATE NODE TABLE IF NOT EXISTS {n.label}({_cols(n.all_props)}, PRIMARY KEY({n.key}))"


def ladybug_rel_ddl(r: RelType) -> str:
    pairs = ", ".join(f"FROM {a} TO {b}" for a, b in r.endpoints)
    props = _cols(r.all_props)
    return f"CREATE REL TABLE IF NOT EXISTS {r.type}({pairs}, {props}, MANY_MANY)"


def ladybug_schema() -> list[str]:
    return [ladybug_node_ddl(n) for n in NODES] + [ladybug_rel_ddl(r) for r in RELATIONSHIPS]
