"""The ontology: node labels, keys, typed properties and relationship types with their endpoints.

This module is the single source of truth. Neo4j constraints, LadybugDB DDL, the OWL/SKOS
vocabulary and every check of a label or type name before it enters Cypher derive from it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

from iplayout.errors import OntologyError

PropType = Literal["STRING", "INT64", "DOUBLE", "BOOLEAN", "STRING[]"]


@dataclass(frozen=True)
class Prop:
    name: str
    type: PropType = "STRING"
    doc: str = ""


@dataclass(frozen=True)
class NodeType:
    label: str
    key: str
    props: tuple[Prop, ...]
    doc: str = ""
    indexed: tuple[str, ...] = ()  # extra Neo4j range indexes beyond the key constraint

    @property
    def all_props(self) -> tuple[Prop, ...]:
        return self.props + PROVENANCE

    def prop(self, name: str) -> Prop:
        for p in self.all_props:
            if p.name == name:
                return p
        raise OntologyError(f"{self.label} has no property {name!r}")


@dataclass(frozen=True)
class RelType:
    type: str
    endpoints: tuple[tuple[str, str], ...]
    props: tuple[Prop, ...] = ()
    doc: str = ""

    @property
    def all_props(self) -> tuple[Prop, ...]:
        return self.props + PROVENANCE


# Every node and relationship carries provenance.
PROVENANCE: tuple[Prop, ...] = (
    Prop("source", doc="source file or dataset id"),
    Prop("locator", doc="record locator inside the source (row, element, offset)"),
    Prop("run_id", doc="ingest/build run that wrote it"),
    Prop("extractor", doc="extractor name@version that produced it"),
    Prop("synthetic", "BOOLEAN", "true for generated demo data"),
)

# short type aliases keep the tables readable
S: PropType = "STRING"
I: PropType = "INT64"  # noqa: E741
D: PropType = "DOUBLE"
B: PropType = "BOOLEAN"
L: PropType = "STRING[]"


def _p(*specs: tuple[str, PropType] | str) -> tuple[Prop, ...]:
    return tuple(Prop(s) if isinstance(s, str) else Prop(s[0], s[1]) for s in specs)


_DOC = ("title", "abstract", "lang", ("year", I), "raw")

NODES: tuple[NodeType, ...] = (
    NodeType(
        "Patent",
        "id",
        _p(
            "id",
            *_DOC,
            "application_number",
            "application_date",
            "publication_date",
            "grant_date",
            "kind",
            "legal_status",
            ("in_force", B),
            ("family_size", I),
            ("claims_count", I),
            "title_original",
            "abstract_original",
        ),
        "A patent document (publication number, else application number)",
        ("year", "kind"),
    ),
    NodeType(
        "Trademark",
        "id",
        _p(
            "id",
            "name",
            "lang",
            ("year", I),
            "raw",
            "office",
            "registration_number",
            "mark_type",
            ("classes", L),
            ("groups", L),
            ("goods_count", I),
            "application_date",
            "publication_date",
            "registration_date",
            "expiry_date",
            "status",
            ("in_force", B),
            ("well_known", B),
        ),
        "A trademark (TM:<office>:<registration or serial number>); status derived from its dates when the "
        "office gives none",
        ("year", "office"),
    ),
    NodeType(
        "Paper",
        "id",
        _p("id", *_DOC, "doi", "venue", ("keywords", L), "title_original"),
        "A journal or conference paper (DOI if any)",
        ("year", "doi"),
    ),
    NodeType(
        "Standard",
        "id",
        _p(
            "id",
            "title",
            "lang",
            ("year", I),
            "raw",
            "status",
            "issued",
            "implemented",
            ("ics", L),
            ("ccs", L),
            "scope",
        ),
        "A standard, keyed by its normalised number",
        ("year",),
    ),
    NodeType(
        "Policy",
        "id",
        _p("id", "title", "lang", ("year", I), "raw", "issuer", "date", "level", "region", "text"),
        "A policy document",
        ("year", "level"),
    ),
    NodeType(
        "Organization",
        "id",
        _p("id", "name", "name_en", "kind", "credit_code", "resolution_key", "country", "address", ("aliases", L)),
        "Enterprise, university, institute, hospital, government body or individual applicant",
        ("kind", "resolution_key", "name"),
    ),
    NodeType("Person", "id", _p("id", "name", "affiliation_key"), "An inventor or author", ("name",)),
    NodeType(
        "Technology",
        "id",
        _p("id", "scheme", "code", "name_zh", "name_en", "level"),
        "IPC/CPC class at any level, WIPO field, Nice class or similar-goods group (scheme NICE), or an extracted term",
        ("scheme", "code"),
    ),
    NodeType(
        "Industry",
        "id",
        _p("id", "scheme", "code", "name", "level"),
        "Industry in a classification scheme (GB/T 4754-2017, SEI, regional key industries)",
        ("scheme", "code"),
    ),
    NodeType("IndustryChain", "id", _p("id", "name", "region", "reference"), "An industry chain template"),
    NodeType(
        "ChainLink",
        "id",
        _p("id", "name", "position", "chain_id", ("ipc_patterns", L), ("terms", L)),
        "A segment of a chain: upstream, midstream or downstream",
        ("chain_id",),
    ),
    NodeType(
        "District",
        "adcode",
        _p("adcode", "name", "type", ("valid_from", I), ("valid_to", I), ("lon", D), ("lat", D)),
        "County-level unit with its validity period",
        ("name",),
    ),
    NodeType("City", "id", _p("id", "name"), "Prefecture-level city (id = adcode)"),
    NodeType("Province", "id", _p("id", "name"), "Province-level unit (id = adcode)"),
    NodeType("Zone", "id", _p("id", "scheme", "name"), "Functional zone in a zoning scheme"),
    NodeType(
        "Observation",
        "id",
        _p("id", "district", ("year", I), "metric", ("value", D), "unit", "origin"),
        "A statistic: district x year x metric x value x unit x source",
        ("metric", "year"),
    ),
)

_DOCS = ("Patent", "Paper", "Standard", "Policy")

RELATIONSHIPS: tuple[RelType, ...] = (
    RelType("APPLIED_FOR", (("Organization", "Patent"), ("Organization", "Trademark")), _p("role", ("seq", I))),
    RelType("INVENTED", (("Person", "Patent"),), _p(("seq", I))),
    RelType("AUTHORED", (("Person", "Paper"),), _p(("seq", I))),
    RelType("AFFILIATED_WITH", (("Person", "Organization"),)),
    RelType("PUBLISHED", (("Organization", "Paper"),)),
    RelType("DRAFTED", (("Organization", "Standard"),), _p(("seq", I))),
    RelType("ISSUED", (("Organization", "Policy"),)),
    RelType(
        "CLASSIFIED_AS", tuple((d, "Technology") for d in ("Patent", "Paper", "Standard", "Trademark")),
        _p(("main", B)),
    ),
    RelType("MENTIONS", tuple((d, "Technology") for d in _DOCS), _p(("weight", D))),
    RelType("BROADER", (("Technology", "Technology"), ("Industry", "Industry"))),
    RelType("MAPS_TO", (("Technology", "Industry"),), _p("origin")),
    RelType(
        "PART_OF",
        (
            ("ChainLink", "IndustryChain"),
            ("District", "City"),
            ("City", "Province"),
            ("Organization", "Organization"),
        ),
    ),
    RelType("UPSTREAM_OF", (("ChainLink", "ChainLink"),)),
    RelType("REQUIRES", (("ChainLink", "Technology"),)),
    RelType(
        "LOCATED_IN",
        (("Organization", "District"), ("Organization", "City"), ("Organization", "Province")),
        _p("method", ("confidence", D)),
    ),
    RelType("IN_ZONE", (("District", "Zone"),)),
    RelType("CITES", tuple((a, b) for a in ("Patent", "Paper") for b in ("Patent", "Paper"))),
    RelType(
        "TARGETS",
        (("Policy", "Industry"), ("Policy", "Technology"), ("Policy", "District")),
        _p("evidence", "measure"),
    ),
    RelType("OBSERVED_IN", (("Observation", "District"),)),
)

NODE_BY_LABEL: dict[str, NodeType] = {n.label: n for n in NODES}
REL_BY_TYPE: dict[str, RelType] = {r.type: r for r in RELATIONSHIPS}

_IDENT = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")


def node_type(label: str) -> NodeType:
    """The node type for ``label``; raises OntologyError for anything not in the ontology."""
    try:
        return NODE_BY_LABEL[label]
    except KeyError:
        raise OntologyError(f"unknown node label {label!r}; known: {', '.join(NODE_BY_LABEL)}") from None


def rel_type(name: str) -> RelType:
    try:
        return REL_BY_TYPE[name]
    except KeyError:
        raise OntologyError(f"unknown relationship type {name!r}; known: {', '.join(REL_BY_TYPE)}") from None


def check_endpoints(rel: str, from_label: str, to_label: str) -> RelType:
    rt = rel_type(rel)
    if (from_label, to_label) not in rt.endpoints:
        raise OntologyError(
            f"({from_label})-[:{rel}]->({to_label}) is not in the ontology; allowed: {rt.endpoints}"
        )
    return rt


def check_properties(owner: NodeType | RelType, names: set[str] | frozenset[str]) -> None:
    """Property names are identifiers in Cypher text: they must be declared and well-formed."""
    declared = {p.name for p in owner.all_props}
    unknown = sorted(n for n in names if n not in declared)
    if unknown:
        what = owner.label if isinstance(owner, NodeType) else owner.type
        raise OntologyError(f"{what} has no properties {unknown}; declared: {sorted(declared)}")
    bad = [n for n in names if not _IDENT.match(n)]
    if bad:
        raise OntologyError(f"invalid property names {bad}")
