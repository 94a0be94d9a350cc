"""Entity rows shared by every record kind: organisations, people, places, technologies, terms.

Provenance rule: document and observation nodes carry their record's source; entity nodes
(Organization, Person, District, Technology …) are shared by many records, so their ``source`` is
``derived:<extractor>``. Deleting a source file (``delete_by_source``) then removes its documents
and, with them, every relationship they had, but never an organisation another file still cites.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from iplayout.nlp import ipc as ipc_mod
from iplayout.nlp import places
from iplayout.nlp.organisations import OrgName
from iplayout.nlp.people import PersonName
from iplayout.nlp.places import Place
from iplayout.nlp.rows import GraphRows, Provenance
from iplayout.nlp.terms import Term, term_id
from iplayout.nlp.versions import tag
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


def derived(prov: Provenance, extractor: str) -> dict[str, Any]:
    return {"source": f"derived:{extractor}", "locator": prov.locator, "run_id": prov.run_id,
            "extractor": tag(extractor), "synthetic": prov.synthetic}


def add_org(rows: GraphRows, org: OrgName, prov: Provenance, address: str | None = None,
            country: str | None = None) -> str:
    """Organization node (and its parent chain with PART_OF); returns its id."""
    props = derived(prov, "orgs")
    rows.node("Organization", {"id": org.id, "name": org.name, "name_en": org.name_en, "kind": org.kind,
                               "resolution_key": org.key, "address": address, "country": country,
                               "credit_code": org.credit_code.code if org.credit_code else None, **props})
    if org.parent is not None:
        parent_id = add_org(rows, org.parent, prov)
        rows.rel("PART_OF", "Organization", "Organization", org.id, parent_id, props)
    return org.id


def locate_org(rows: GraphRows, org: OrgName, place: Place, prov: Provenance) -> None:
    """LOCATED_IN at the finest resolved level (the city for an ambiguous functional area)."""
    label = add_place(rows, place, prov)
    if label is None or place.adcode is None:
        return
    rows.rel("LOCATED_IN", "Organization", label, org.id, place.adcode,
             {"method": place.method, "confidence": place.confidence, **prov.props(tag("places"))})


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


def add_place(rows: GraphRows, place: Place, prov: Provenance) -> str | None:
    """District/City/Province nodes with PART_OF; returns the label LOCATED_IN should point to."""
    props = derived(prov, "places")
    if place.province:
        rows.node("Province", {"id": place.province, "name": place.province_name, **props})
    if place.city:
        rows.node("City", {"id": place.city, "name": place.city_name, **props})
        if place.province:
            rows.rel("PART_OF", "City", "Province", place.city, place.province, props)
    if place.district:
        rows.node("District", {"adcode": place.district, "name": place.district_name, **props})
        if place.city:
            rows.rel("PART_OF", "District", "City", place.district, place.city, props)
    if place.status == "district":
        return "District"
    if place.status in ("city", "ambiguous") and place.city:
        return "City"
    if place.status == "province":
        return "Province"
    return None


def add_person(rows: GraphRows, person: PersonName, prov: Provenance) -> str:
    pid = person.id
    rows.node("Person", {"id": pid, "name": person.name, "affiliation_key": person.affiliation_key,
                         **derived(prov, "people")})
    return pid


def add_ipc(rows: GraphRows, code: ipc_mod.IpcCode, ctx: ExtractionContext, prov: Provenance) -> str:
    """The code and its ancestors as Technology nodes with BROADER edges (and the WIPO field)."""
    props = derived(prov, "ipc")
    lineage = _lineage(code)
    for node_id, scheme, normalized, level, compact in lineage:
        rows.node("Technology", {"id": node_id, "scheme": scheme, "code": normalized, "level": level,
                                 "name_zh": ctx.titles_zh.get(compact), **props})
    for child, parent in zip(lineage, lineage[1:], strict=False):
        rows.rel("BROADER", "Technology", "Technology", child[0], parent[0], props)
    if ctx.wipo35 is not None:
        anchor, fld = ctx.wipo35.anchor(code), ctx.wipo35.field_for(code)
        if anchor is not None and fld is not None:
            rows.node("Technology", {"id": fld.id, "scheme": "WIPO35", "code": str(fld.nr), "name_en": fld.name,
                                     "level": "field", **props})
            rows.rel("BROADER", "Technology", "Technology", anchor.id, fld.id, props)
    return lineage[0][0]


# A few thousand codes recur across all records; their lineage properties are computed, not stored.
@lru_cache(maxsize=16_384)
def _lineage(code: ipc_mod.IpcCode) -> tuple[tuple[str, str, str, str, str], ...]:
    """(id, scheme, normalized code, level, compact code) of the code and its ancestors, most specific first."""
    return tuple((node.id, node.scheme, node.normalized, node.level, node.compact) for node in code.lineage())


def add_terms(rows: GraphRows, label: str, doc_id: str, terms: list[Term], prov: Provenance) -> None:
    props = derived(prov, "terms")
    mention = prov.props(tag("terms"))
    for term in terms:
        tid = term.id
        name = "name_zh" if _HAN.search(term.text) else "name_en"
        rows.node("Technology", {"id": tid, "scheme": "TERM", "code": term.text.lower(), "level": "term",
                                 name: term.text, **props})
        rows.rel("MENTIONS", label, "Technology", doc_id, tid, {"weight": term.weight, **mention})


def keyword_terms(keywords: list[str]) -> list[Term]:
    """Author keywords are terms with full weight."""
    seen: dict[str, Term] = {}
    for kw in keywords:
        text = kw.strip()
        if text and term_id(text) not in seen:
            seen[term_id(text)] = Term(text, 1.0)
    return list(seen.values())
