"""Documents and entities by key, each with a bounded, paged neighbourhood."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Path
from pydantic import BaseModel, Field

from iplayout.api.deps import StoreDep
from iplayout.api.display import display_names
from iplayout.api.pagination import Limit, Offset, Page, page
from iplayout.api.problems import ApiProblem, problem_responses
from iplayout.graph.store import GraphStore
from iplayout.ontology import NODE_BY_LABEL
from iplayout.queries import neighbourhood as graph_queries

router = APIRouter(tags=["graph"])

DOC_LABELS = ("Patent", "Paper", "Standard", "Policy")
MAX_WINDOW = 1_000  # neighbours read per relationship type and direction, at most (deeper pages are empty)
LONG_TEXT = 2_000  # property strings are cut here in responses
_NAME_PROPS = ("title", "name", "name_zh", "code")
HUB = 150  # neighbours beyond which the workbench draws the aggregated view

Key = Annotated[str, Path(min_length=1, max_length=300)]


class Neighbour(BaseModel):
    rel_type: str
    direction: str = Field(description="out: entity -> neighbour; in: neighbour -> entity")
    label: str
    key: str
    name: str
    rel: dict[str, Any] = Field(default_factory=dict, description="relationship properties")


class Group(BaseModel):
    rel_type: str
    direction: str
    label: str
    count: int


class Entity(BaseModel):
    label: str
    key: str
    name: str
    properties: dict[str, Any]
    neighbours: Page[Neighbour]
    truncated: bool = Field(description="some relationship type had more neighbours than were read")
    groups: list[Group] = Field(default_factory=list,
                                description="neighbours counted per relationship type, direction and label")
    degree: int = Field(default=0, description="all neighbours (the sum of the group counts)")
    hub: bool = Field(default=False, description=f"more than {HUB} neighbours: clients show the groups")


def _clean(props: dict[str, Any]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for k, v in props.items():
        if v is None or k.startswith("_"):
            continue
        out[k] = v[:LONG_TEXT] + "…" if isinstance(v, str) and len(v) > LONG_TEXT else v
    return out


def _name(props: dict[str, Any], key: str) -> str:
    if props.get("metric") and props.get("year") is not None and "value" in props:  # an Observation
        metric = display_names()["columns"].get(props["metric"], {}).get("zh", props["metric"])
        return f"{metric} {props['year']}: {props['value']} {props.get('unit') or ''}".strip()
    return str(next((props[p] for p in _NAME_PROPS if props.get(p)), key))


def _find(store: GraphStore, label: str, key: str) -> dict[str, Any] | None:
    rows = store.cypher_read(graph_queries.node_query(label), {"key": key}, limit=1)
    return dict(rows[0]["node"]) if rows else None


def _neighbours(store: GraphStore, label: str, key: str, cap: int) -> tuple[list[Neighbour], bool]:
    found: list[Neighbour] = []
    truncated = False
    for hop in graph_queries.hops(label):
        rows = store.cypher_read(hop.cypher, {"key": key, "cap": cap}, limit=cap)
        truncated |= len(rows) >= cap
        mkey = NODE_BY_LABEL[hop.label].key
        for r in rows:
            node = _clean(dict(r["node"]))
            k = str(node.get(mkey, ""))
            found.append(Neighbour(rel_type=hop.rel_type, direction=hop.direction, label=hop.label, key=k,
                                   name=_name(node, k), rel=_clean(dict(r["rel"] or {}))))
    found.sort(key=lambda n: (n.rel_type, n.direction, n.label, n.key))
    return found, truncated


def _groups(store: GraphStore, label: str, key: str) -> list[Group]:
    """One count per (type, direction, label): cheap even for a district with thousands of neighbours."""
    out = []
    for hop in graph_queries.hops(label):
        rows = store.cypher_read(hop.count_cypher, {"key": key}, limit=1)
        n = int(rows[0]["n"]) if rows else 0
        if n:
            out.append(Group(rel_type=hop.rel_type, direction=hop.direction, label=hop.label, count=n))
    return sorted(out, key=lambda g: -g.count)


def entity_page(store: GraphStore, label: str, key: str, limit: int, offset: int) -> dict[str, Any]:
    graph_queries.node_type_of(label)
    props = _find(store, label, key)
    if props is None:
        raise ApiProblem(404, "not-found", "Entity not found", f"no {label} with key {key!r}")
    cap = min(offset + limit, MAX_WINDOW)
    neighbours, truncated = _neighbours(store, label, key, cap)
    clean = _clean(props)
    groups = _groups(store, label, key)
    degree = sum(g.count for g in groups)
    return {"label": label, "key": key, "name": _name(clean, key), "properties": clean,
            "neighbours": page(neighbours, limit, offset), "truncated": truncated,
            "groups": groups, "degree": degree, "hub": degree > HUB}


@router.get("/entities/{label}/{key:path}", response_model=Entity, responses=problem_responses(401, 404, 422),
            summary="A node of any ontology label, with its neighbourhood (paged, bounded)")
def entity(store: StoreDep, label: Annotated[str, Path(min_length=1, max_length=40)], key: Key,
           limit: Limit = 50, offset: Offset = 0) -> dict[str, Any]:
    return entity_page(store, label, key, limit, offset)


@router.get("/documents/{doc_id}", response_model=Entity, responses=problem_responses(400, 401, 404, 422),
            summary="A patent, paper, standard or policy by id, with its neighbourhood")
def document(store: StoreDep, doc_id: Key, limit: Limit = 50, offset: Offset = 0) -> dict[str, Any]:
    for label in DOC_LABELS:
        if _find(store, label, doc_id) is not None:
            return entity_page(store, label, doc_id, limit, offset)
    raise ApiProblem(404, "not-found", "Document not found", f"no patent, paper, standard or policy {doc_id!r}")
