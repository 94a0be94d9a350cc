"""Ontology: the single source of truth for labels, relationship types, keys and properties."""

from iplayout.ontology.model import (
    NODE_BY_LABEL,
    NODES,
    PROVENANCE,
    REL_BY_TYPE,
    RELATIONSHIPS,
    NodeType,
    Prop,
    RelType,
    check_endpoints,
    check_properties,
    node_type,
    rel_type,
)

__all__ = [
    "NODES",
    "NODE_BY_LABEL",
    "PROVENANCE",
    "RELATIONSHIPS",
    "REL_BY_TYPE",
    "NodeType",
    "Prop",
    "RelType",
    "check_endpoints",
    "check_properties",
    "node_type",
    "rel_type",
]
