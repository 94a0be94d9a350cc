"""record_to_rows: one canonical record → the graph rows it implies. Pure: no store, no I/O.

Citations are returned as ``PendingCite`` (not relationships): the pipeline links a citation only
when the cited Patent/Paper exists in the graph or in the same batch, and never creates stubs —
a stub would be a document node with no title, source or year that every query must filter out.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any, Protocol

from iplayout.ingestion.records import (
    RECORD_TYPES,
    PaperRecord,
    PatentRecord,
    PolicyRecord,
    StandardRecord,
    StatRecord,
)
from iplayout.nlp import ipc, organisations, people, places, terms
from iplayout.nlp.entities import (
    ExtractionContext,
    add_ipc,
    add_org,
    add_person,
    add_place,
    add_terms,
    keyword_terms,
    locate_org,
    org_place,
)
from iplayout.nlp.policy_targets import add_policy_targets
from iplayout.nlp.rows import GraphRows, PendingCite, Provenance
from iplayout.nlp.versions import tag

_KIND_HINTS: dict[str, organisations.OrgKind] = {
    "个人": "individual", "企业": "enterprise", "工矿企业": "enterprise", "大专院校": "university",
    "院校": "university", "科研机构": "institute", "科研单位": "institute", "机关团体": "government",
    "医院": "hospital",
}


class StoredLike(Protocol):
    kind: str
    id: str
    source: str
    locator: Any
    record: Any


def record_to_rows(stored: StoredLike, ctx: ExtractionContext) -> GraphRows:
    """Rows for one stored record (``record`` may be a canonical model or its dict)."""
    rec = stored.record
    if isinstance(rec, Mapping):
        rec = RECORD_TYPES[stored.kind].model_validate(rec)
    prov = Provenance(str(stored.source), str(stored.locator or getattr(rec, "locator", "") or ""),
                      ctx.run_id, bool(getattr(rec, "synthetic", False)))
    rows = GraphRows()
    if isinstance(rec, PatentRecord):
        _patent(rows, rec, ctx, prov)
    elif isinstance(rec, PaperRecord):
        _paper(rows, rec, ctx, prov)
    elif isinstance(rec, StandardRecord):
        _standard(rows, rec, ctx, prov)
    elif isinstance(rec, PolicyRecord):
        _policy(rows, rec, ctx, prov)
    elif isinstance(rec, StatRecord):
        _stat(rows, rec, ctx, prov)
    return rows


def _doc_props(rec: Any, prov: Provenance) -> dict[str, Any]:
    raw = json.dumps(rec.raw, ensure_ascii=False, default=str) if rec.raw else None
    return {"id": rec.id, "title": rec.title, "lang": rec.lang, "raw": raw, **prov.props(tag("records"))}


def _year(date: str | None) -> int | None:
    return int(date[:4]) if date else None


def _in_force(status: str | None) -> bool | None:
    if not status:
        return None
    if status.startswith(("有权", "授权")) or status.lower() in ("active", "granted", "in force"):
        return True
    if status.startswith(("无权", "失效", "驳回", "撤回")) or status.lower() in ("expired", "lapsed", "withdrawn"):
        return False
    return None


def _patent(rows: GraphRows, rec: PatentRecord, ctx: ExtractionContext, prov: Provenance) -> None:
    year = _year(rec.application_date) or _year(rec.publication_date)
    rows.node("Patent", {**_doc_props(rec, prov), "abstract": rec.abstract, "year": year,
                         "application_number": rec.application_number, "application_date": rec.application_date,
                         "publication_date": rec.publication_date, "grant_date": rec.grant_date, "kind": rec.kind,
                         "legal_status": rec.legal_status, "in_force": _in_force(rec.legal_status),
                         "family_size": len(rec.family) or None, "claims_count": rec.claims_count,
                         "title_original": rec.original.get("title"),
                         "abstract_original": rec.original.get("abstract")})
    hint = _KIND_HINTS.get(str(rec.raw.get("申请人类型", ""))) if len(rec.applicants) == 1 else None
    first_org: organisations.OrgName | None = None
    applied = prov.props(tag("orgs"))  # one dict per record: rel() copies what it is given
    for order, party in enumerate(rec.applicants, start=1):
        org = organisations.resolve(party.name, hint)
        add_org(rows, org, prov, party.address, party.country)
        rows.rel("APPLIED_FOR", "Organization", "Patent", org.id, rec.id, {"role": "applicant", "seq": order, **applied})
        locate_org(rows, org, org_place(org, party.address, year, rec.province_code, ctx.regions), prov)
        first_org = first_org or org
    _inventors(rows, rec, first_org, prov)
    classified = prov.props(tag("ipc"))
    for i, code in enumerate(ipc.parse_list(rec.ipc)):
        code_id = add_ipc(rows, code, ctx, prov)
        rows.rel("CLASSIFIED_AS", "Patent", "Technology", rec.id, code_id, {"main": i == 0, **classified})
    for code in ipc.parse_list(rec.cpc):
        cpc = ipc.IpcCode(code.subclass, code.main_group, code.subgroup, code.prefix)
        code_id = add_ipc(rows, cpc, ctx, prov)
        rows.rel("CLASSIFIED_AS", "Patent", "Technology", rec.id, code_id, {"main": False, **classified})
    add_terms(rows, "Patent", rec.id, terms.extract(rec.title, rec.abstract, top_k=ctx.top_terms), prov)
    _cites(rows, "Patent", rec.id, rec.cites, prov)


def _inventors(rows: GraphRows, rec: PatentRecord, org: organisations.OrgName | None, prov: Provenance) -> None:
    # Inventors are keyed with the first applicant unless that applicant is a person.
    affiliation = org.key if org is not None and org.kind != "individual" else ""
    props = prov.props(tag("people"))
    for order, name in enumerate(rec.inventors, start=1):
        pid = add_person(rows, people.person(name, affiliation), prov)
        rows.rel("INVENTED", "Person", "Patent", pid, rec.id, {"seq": order, **props})
        if org is not None and affiliation:
            rows.rel("AFFILIATED_WITH", "Person", "Organization", pid, org.id, props)


def _paper(rows: GraphRows, rec: PaperRecord, ctx: ExtractionContext, prov: Provenance) -> None:
    rows.node("Paper", {**_doc_props(rec, prov), "abstract": rec.abstract, "year": rec.year, "doi": rec.doi,
                        "venue": rec.venue, "keywords": rec.keywords or None,
                        "title_original": rec.original.get("title")})
    for order, author in enumerate(rec.authors, start=1):
        orgs = [organisations.resolve(n) for n in organisations.split_names(author.affiliation)]
        first = orgs[0] if orgs else None
        pid = add_person(rows, people.person(author.name, first.key if first else None), prov)
        rows.rel("AUTHORED", "Person", "Paper", pid, rec.id, {"seq": order, **prov.props(tag("people"))})
        for org in orgs:
            add_org(rows, org, prov)
            rows.rel("PUBLISHED", "Organization", "Paper", org.id, rec.id, prov.props(tag("orgs")))
            rows.rel("AFFILIATED_WITH", "Person", "Organization", pid, org.id, prov.props(tag("people")))
            where = org_place(org, author.address or org.name, rec.year, None, ctx.regions)
            locate_org(rows, org, where, prov)
    found = terms.extract(rec.title, rec.abstract, top_k=ctx.top_terms)
    add_terms(rows, "Paper", rec.id, keyword_terms(rec.keywords) + found, prov)
    _cites(rows, "Paper", rec.id, rec.cites, prov)


def _standard(rows: GraphRows, rec: StandardRecord, ctx: ExtractionContext, prov: Provenance) -> None:
    rows.node("Standard", {**_doc_props(rec, prov), "year": _year(rec.issued), "status": rec.status,
                           "issued": rec.issued, "implemented": rec.implemented, "ics": rec.ics or None,
                           "ccs": rec.ccs or None, "scope": rec.scope})
    for order, name in enumerate(rec.drafters, start=1):
        org = organisations.resolve(name)
        add_org(rows, org, prov)
        rows.rel("DRAFTED", "Organization", "Standard", org.id, rec.id, {"seq": order, **prov.props(tag("orgs"))})
    add_terms(rows, "Standard", rec.id, terms.extract(rec.title, rec.scope, top_k=ctx.top_terms), prov)


def _policy(rows: GraphRows, rec: PolicyRecord, ctx: ExtractionContext, prov: Provenance) -> None:
    rows.node("Policy", {**_doc_props(rec, prov), "year": rec.year or _year(rec.date), "issuer": rec.issuer,
                         "date": rec.date, "level": rec.level, "region": rec.region, "text": rec.text})
    for name in organisations.split_names(rec.issuer):
        org = organisations.resolve(name, "government")
        add_org(rows, org, prov)
        rows.rel("ISSUED", "Organization", "Policy", org.id, rec.id, prov.props(tag("orgs")))
    add_terms(rows, "Policy", rec.id, terms.extract(rec.title, rec.text[:5000], top_k=ctx.policy_terms), prov)
    add_policy_targets(rows, rec, ctx.regions, prov)


def _stat(rows: GraphRows, rec: StatRecord, ctx: ExtractionContext, prov: Provenance) -> None:
    place = (places.from_adcode(rec.adcode, rec.year, regions=ctx.regions) if rec.adcode
             else places.resolve(rec.district, year=rec.year, regions=ctx.regions))
    rows.node("Observation", {"id": rec.id, "district": place.district or rec.district, "year": rec.year,
                              "metric": rec.metric, "value": rec.value, "unit": rec.unit, "origin": rec.source,
                              **prov.props(tag("records"))})
    if place.status == "district" and add_place(rows, place, prov) == "District":
        rows.rel("OBSERVED_IN", "Observation", "District", rec.id, place.district, prov.props(tag("places")))


def _cites(rows: GraphRows, label: str, doc_id: str, targets: list[str], prov: Provenance) -> None:
    for target in targets:
        if target and target != doc_id:
            rows.cites.append(PendingCite(label, doc_id, target.strip(), prov.props(tag("records"))))
