"""Entity rows shared by every record kind: organisations, people, places, technologies, terms.

Provenance rule: document and observation nodes carry their record's source; entity nodes
(Organization, Person, District, Technology …) are shared by many records, so their ``source`` is
``derived:<extractor>``. Deleting a source file (``delete_by_source``) then removes its documents
and, with them, every relationship they had, but never an organisation another file still cites.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache
from typing import Any

from iplayout.nlp import ipc as ipc_mod
from iplayout.nlp import people, places
from iplayout.nlp.aliases import AliasTable
from iplayout.nlp.organisations import OrgKind, OrgName
from iplayout.nlp.organisations import resolve as resolve_org
from iplayout.nlp.places import Place
from iplayout.nlp.rows import GraphRows, Provenance, RelKey
from iplayout.nlp.terms import Term, term_id
from iplayout.nlp.versions import EXTRACTORS, tag
from iplayout.nlp.wipo35 import Wipo35

_HAN = re.compile("[\u4e00-\u9fff]")


@dataclass(frozen=True)
class ExtractionContext:
    """Everything extraction needs besides the record; built once per build run."""

    run_id: str = "adhoc"
    regions: tuple[str, ...] = ("chongqing",)
    titles_zh: Mapping[str, str] = field(default_factory=dict)
    wipo35: Wipo35 | None = None
    top_terms: int = 5
    policy_terms: int = 10
    aliases: AliasTable | None = None  # the user's organisation alias table (aliases.py)
    today: str = field(default_factory=lambda: date.today().isoformat())  # trademark status from term dates

    def org(self, raw: str, hint_kind: OrgKind | None = None) -> OrgName:
        """``organisations.resolve`` with the alias table applied."""
        org = resolve_org(raw, hint_kind)
        return self.aliases.apply(org) if self.aliases else org


class RecordProps:
    """One record's provenance, and its property dicts built once per extractor (a record's rows repeat
    them dozens of times).

    The dicts are shared, so never handed to ``GraphRows.put``/``put_rel`` as the row itself (the other
    methods copy them). No value is ``None``.
    """

    __slots__ = ("_derived", "_mention", "_tags", "locator", "run_id", "source", "synthetic")

    def __init__(self, source: str, locator: str, run_id: str, synthetic: bool) -> None:
        self.source, self.locator, self.run_id, self.synthetic = source, locator, run_id, synthetic
        self._tags = _tags()
        self._mention: dict[str, dict[str, Any]] = {}
        self._derived: dict[str, dict[str, Any]] = {}

    @property
    def prov(self) -> Provenance:
        return Provenance(self.source, self.locator, self.run_id, self.synthetic)

    def mention(self, extractor: str) -> dict[str, Any]:
        """``prov.props(tag(extractor))``: provenance of what the record itself states (documents, links)."""
        props = self._mention.get(extractor)
        if props is None:
            props = self._mention[extractor] = {"source": self.source, "locator": self.locator,
                                                "run_id": self.run_id, "extractor": self._tags[extractor],
                                                "synthetic": self.synthetic}
        return props

    def derived(self, extractor: str) -> dict[str, Any]:
        """Provenance of entity nodes shared by many records: ``source`` is ``derived:<extractor>``."""
        props = self._derived.get(extractor)
        if props is None:
            props = self._derived[extractor] = {"source": f"derived:{extractor}", "locator": self.locator,
                                                "run_id": self.run_id, "extractor": self._tags[extractor],
                                                "synthetic": self.synthetic}
        return props


_TAGS: tuple[tuple[tuple[str, int], ...], dict[str, str]] = ((), {})


def _tags() -> dict[str, str]:
    """``tag(e)`` for every extractor, recomputed only when the versions change (tests bump them)."""
    global _TAGS
    state = tuple(EXTRACTORS.items())
    if state != _TAGS[0]:
        _TAGS = (state, {e: tag(e) for e in EXTRACTORS})
    return _TAGS[1]


_PART_OF_ORG = ("PART_OF", "Organization", "Organization")
_PART_OF_CITY = ("PART_OF", "City", "Province")
_PART_OF_DISTRICT = ("PART_OF", "District", "City")
_BROADER = ("BROADER", "Technology", "Technology")

# Rows below are built without the None values GraphRows.node would drop, so they take the unfiltered
# put/link paths. Entity rows repeat across records: what does not depend on the record is worked
# out once (plans and heads) and only the record's provenance is merged in each time.


def add_org(rows: GraphRows, org: OrgName, p: RecordProps, address: str | None = None,
            country: str | None = None) -> str:
    """Organization node (and its parent chain with PART_OF); returns its id."""
    props = p.derived("orgs")
    oid = org.id
    row: dict[str, Any]
    if org.name_en is None:
        row = {"id": oid, "name": org.name, "kind": org.kind, "resolution_key": org.key}
    else:
        row = {"id": oid, "name": org.name, "name_en": org.name_en, "kind": org.kind, "resolution_key": org.key}
    if address is not None:
        row["address"] = address
    if country is not None:
        row["country"] = country
    if org.credit_code is not None:
        row["credit_code"] = org.credit_code.code
    if org.aliases:
        row["aliases"] = list(org.aliases)
    row.update(props)
    rows.put("Organization", oid, row)
    if org.parent is not None:
        parent_id = add_org(rows, org.parent, p)
        rows.link(_PART_OF_ORG, oid, parent_id, props)
    return oid


def locate_org(rows: GraphRows, org: OrgName, place: Place, p: RecordProps) -> None:
    """LOCATED_IN at the finest resolved level (the city for an ambiguous functional area)."""
    located = _put_place(rows, _place_plan(place), p)[3]
    if located is not None:
        rk, head = located
        rows.link_parts(rk, org.id, place.adcode, head, p.mention("places"))


def org_place(org: OrgName, address: str | None, year: int | None, province_code: str | None,
              regions: tuple[str, ...]) -> Place:
    """Address first; a valid credit code's division next; the 国省代码 province last."""
    place = places.resolve(address, year=year, regions=regions)
    if place.status in ("district", "ambiguous"):
        return place
    code = org.credit_code
    if code is not None and code.valid:
        by_code = places.from_adcode(code.division, year, method="credit_code", confidence=0.85,
                                     regions=regions)
        if by_code.status != "none":
            return by_code
    if place.status != "none":
        return place
    return places.resolve(None, year=year, province_code=province_code, regions=regions)


def add_place(rows: GraphRows, place: Place, p: RecordProps) -> str | None:
    """District/City/Province nodes with PART_OF; returns the label LOCATED_IN should point to."""
    return _put_place(rows, _place_plan(place), p)[2]


_PlacePlan = tuple[
    tuple[tuple[str, str, dict[str, Any]], ...],  # (label, key, row without provenance) of each node
    tuple[tuple[RelKey, str, str], ...],  # PART_OF links
    str | None,  # the label LOCATED_IN points to
    tuple[RelKey, dict[str, Any]] | None,  # LOCATED_IN and its row without provenance, when there is one
]
# By identity: places come from resolve()'s cache, and hashing a 13-field Place costs more than the
# plan saves. An entry holds its Place, so its id cannot be reused while it is cached.
_PLACE_PLANS: dict[int, tuple[Place, _PlacePlan]] = {}
_PLACE_PLANS_MAX = 8_192


def _put_place(rows: GraphRows, plan: _PlacePlan, p: RecordProps) -> _PlacePlan:
    props = p.derived("places")
    for node_label, key, head in plan[0]:
        rows.put_parts(node_label, key, head, props)
    for rk, src, dst in plan[1]:
        rows.link(rk, src, dst, props)
    return plan


def _place_plan(place: Place) -> _PlacePlan:
    hit = _PLACE_PLANS.get(id(place))
    if hit is not None and hit[0] is place:
        return hit[1]
    nodes: list[tuple[str, str, dict[str, Any]]] = []
    links: list[tuple[RelKey, str, str]] = []
    if place.province:
        nodes.append(("Province", place.province, _named("id", place.province, place.province_name)))
    if place.city:
        nodes.append(("City", place.city, _named("id", place.city, place.city_name)))
        if place.province:
            links.append((_PART_OF_CITY, place.city, place.province))
    if place.district:
        nodes.append(("District", place.district, _named("adcode", place.district, place.district_name)))
        if place.city:
            links.append((_PART_OF_DISTRICT, place.district, place.city))
    label: str | None = None
    if place.status == "district":
        label = "District"
    elif place.status in ("city", "ambiguous") and place.city:
        label = "City"
    elif place.status == "province":
        label = "Province"
    located = None
    if label is not None and place.adcode is not None:
        located = (("LOCATED_IN", "Organization", label), {"method": place.method, "confidence": place.confidence})
    plan = (tuple(nodes), tuple(links), label, located)
    if len(_PLACE_PLANS) >= _PLACE_PLANS_MAX:
        _PLACE_PLANS.clear()
    _PLACE_PLANS[id(place)] = (place, plan)
    return plan


def _named(key_prop: str, key: str, name: str | None) -> dict[str, Any]:
    return {key_prop: key} if name is None else {key_prop: key, "name": name}


def add_person(rows: GraphRows, name: str, affiliation_key: str | None, p: RecordProps) -> str:
    """Person node for a name as it appears with an organisation's key; returns its id."""
    affiliation = affiliation_key or ""
    if len(name) + len(affiliation) <= 192:
        pid, head = _person_row(name, affiliation)
    else:
        pid, head = _person_row.__wrapped__(name, affiliation)
    rows.put_parts("Person", pid, head, p.derived("people"))
    return pid


# An inventor recurs with the same applicant across its patents.
@lru_cache(maxsize=16_384)
def _person_row(name: str, affiliation_key: str) -> tuple[str, dict[str, Any]]:
    """(id, row without provenance) of a person node."""
    person = people.person(name, affiliation_key)
    pid = person.id
    return pid, {"id": pid, "name": person.name, "affiliation_key": person.affiliation_key}


def add_ipc(rows: GraphRows, code: ipc_mod.IpcCode, ctx: ExtractionContext, p: RecordProps) -> str:
    """The code and its ancestors as Technology nodes with BROADER edges (and the WIPO field)."""
    props = p.derived("ipc")
    nodes, broader, field_row = _ipc_rows(code, ctx)
    for node_id, head in nodes:
        rows.put_parts("Technology", node_id, head, props)
    for child, parent in broader:
        rows.link(_BROADER, child, parent, props)
    if field_row is not None:
        field_id, head, anchor_id = field_row
        rows.put_parts("Technology", field_id, head, props)
        rows.link(_BROADER, anchor_id, field_id, props)
    return nodes[0][0]


_IpcRows = tuple[
    tuple[tuple[str, dict[str, Any]], ...],  # (id, row without provenance) of the code and its ancestors
    tuple[tuple[str, str], ...],  # BROADER (child, parent) along that lineage
    tuple[str, dict[str, Any], str] | None,  # the WIPO field's id and row, and the node linked to it
]
# A few thousand codes recur across all records and their rows depend only on the context's tables:
# worked out once per context. The cache holds those tables, so the identity check cannot be fooled
# by a reused id; it is emptied when full.
_IPC_ROWS: dict[ipc_mod.IpcCode, _IpcRows] = {}
_IPC_ROWS_OF: list[object] = [None, None]
_IPC_ROWS_MAX = 16_384


def _ipc_rows(code: ipc_mod.IpcCode, ctx: ExtractionContext) -> _IpcRows:
    if _IPC_ROWS_OF[0] is not ctx.titles_zh or _IPC_ROWS_OF[1] is not ctx.wipo35:
        _IPC_ROWS.clear()
        _IPC_ROWS_OF[:] = [ctx.titles_zh, ctx.wipo35]
    found = _IPC_ROWS.get(code)
    if found is not None:
        return found
    lineage = code.lineage()
    nodes = tuple((node.id, _no_none({"id": node.id, "scheme": node.scheme, "code": node.normalized,
                                      "level": node.level, "name_zh": ctx.titles_zh.get(node.compact)}))
                  for node in lineage)
    broader = tuple((child.id, parent.id) for child, parent in zip(lineage, lineage[1:], strict=False))
    field_row = None
    if ctx.wipo35 is not None:
        anchor, fld = ctx.wipo35.anchor(code), ctx.wipo35.field_for(code)
        if anchor is not None and fld is not None:
            field_row = (fld.id, _no_none({"id": fld.id, "scheme": "WIPO35", "code": str(fld.nr),
                                           "name_en": fld.name, "level": "field"}), anchor.id)
    if len(_IPC_ROWS) >= _IPC_ROWS_MAX:
        _IPC_ROWS.clear()
    found = _IPC_ROWS[code] = (nodes, broader, field_row)
    return found


def _no_none(row: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in row.items() if v is not None}


def add_terms(rows: GraphRows, label: str, doc_id: str, terms: Iterable[tuple[str, float]], p: RecordProps) -> None:
    """Technology nodes for (text, weight) terms, MENTIONed by the document."""
    props = p.derived("terms")
    mention = p.mention("terms")
    rk = ("MENTIONS", label, "Technology")
    for text, weight in terms:
        tid, head = _term_row(text) if len(text) <= 64 else _term_row.__wrapped__(text)
        rows.put_parts("Technology", tid, head, props)
        rows.put_rel(rk, doc_id, tid, {"from": doc_id, "to": tid, "weight": weight, **mention})


# Terms recur across documents.
@lru_cache(maxsize=16_384)
def _term_row(text: str) -> tuple[str, dict[str, Any]]:
    """(id, row without provenance) of a term node."""
    tid = term_id(text)
    name = "name_zh" if _HAN.search(text) else "name_en"
    return tid, {"id": tid, "scheme": "TERM", "code": text.lower(), "level": "term", name: text}


def keyword_terms(keywords: list[str]) -> list[Term]:
    """Author keywords are terms with full weight."""
    seen: dict[str, Term] = {}
    for kw in keywords:
        text = kw.strip()
        if text and term_id(text) not in seen:
            seen[term_id(text)] = Term(text, 1.0)
    return list(seen.values())
