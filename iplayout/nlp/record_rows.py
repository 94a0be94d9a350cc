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
    TrademarkRecord,
)
from iplayout.nlp import ipc, nice, organisations, places, terms
from iplayout.nlp.entities import (
    ExtractionContext,
    RecordProps,
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
from iplayout.nlp.rows import GraphRows, PendingCite

_KIND_HINTS: dict[str, organisations.OrgKind] = {
    "个人": "individual", "企业": "enterprise", "工矿企业": "enterprise", "大专院校": "university",
    "院校": "university", "科研机构": "institute", "科研单位": "institute", "机关团体": "government",
    "医院": "hospital",
}


_MODELS = frozenset(RECORD_TYPES.values())
# json.dumps(raw, ensure_ascii=False, default=str) without building an encoder per call.
_RAW_JSON = json.JSONEncoder(ensure_ascii=False, default=str)


class StoredLike(Protocol):
    kind: str
    id: str
    source: str
    locator: Any
    record: Any


def record_to_rows(stored: StoredLike, ctx: ExtractionContext, rows: GraphRows | None = None) -> GraphRows:
    """Rows for one stored record (``record`` may be a canonical model or its dict).

    Given ``rows``, the record's rows are added to them (and returned), exactly as
    ``rows.merge(record_to_rows(stored, ctx))`` would add them.
    """
    rec = stored.record
    if type(rec) not in _MODELS and isinstance(rec, Mapping):
        rec = RECORD_TYPES[stored.kind].model_validate(rec)
    p = RecordProps(str(stored.source), str(stored.locator or getattr(rec, "locator", "") or ""),
                    ctx.run_id, bool(getattr(rec, "synthetic", False)))
    if rows is None:
        rows = GraphRows()
    if isinstance(rec, PatentRecord):
        _patent(rows, rec, ctx, p)
    elif isinstance(rec, PaperRecord):
        _paper(rows, rec, ctx, p)
    elif isinstance(rec, StandardRecord):
        _standard(rows, rec, ctx, p)
    elif isinstance(rec, PolicyRecord):
        _policy(rows, rec, ctx, p)
    elif isinstance(rec, StatRecord):
        _stat(rows, rec, ctx, p)
    elif isinstance(rec, TrademarkRecord):
        _trademark(rows, rec, ctx, p)
    return rows


def _doc_props(rec: Any, p: RecordProps) -> dict[str, Any]:
    raw = _RAW_JSON.encode(rec.raw) if rec.raw else None
    return {"id": rec.id, "title": rec.title, "lang": rec.lang, "raw": raw, **p.mention("records")}


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


_APPLIED_FOR = ("APPLIED_FOR", "Organization", "Patent")
_CLASSIFIED_AS = ("CLASSIFIED_AS", "Patent", "Technology")
_INVENTED = ("INVENTED", "Person", "Patent")
_AFFILIATED_WITH = ("AFFILIATED_WITH", "Person", "Organization")


def _patent(rows: GraphRows, rec: PatentRecord, ctx: ExtractionContext, p: RecordProps) -> None:
    year = _year(rec.application_date) or _year(rec.publication_date)
    rows.node("Patent", {**_doc_props(rec, p), "abstract": rec.abstract, "year": year,
                         "application_number": rec.application_number, "application_date": rec.application_date,
                         "publication_date": rec.publication_date, "grant_date": rec.grant_date, "kind": rec.kind,
                         "legal_status": rec.legal_status, "in_force": _in_force(rec.legal_status),
                         "family_size": len(rec.family) or None, "claims_count": rec.claims_count,
                         "title_original": rec.original.get("title"),
                         "abstract_original": rec.original.get("abstract")})
    doc_id = rec.id
    hint = _KIND_HINTS.get(str(rec.raw.get("申请人类型", ""))) if len(rec.applicants) == 1 else None
    first_org: organisations.OrgName | None = None
    applied = p.mention("orgs")
    for order, party in enumerate(rec.applicants, start=1):
        org = ctx.org(party.name, hint)
        oid = add_org(rows, org, p, party.address, party.country)
        rows.put_rel(_APPLIED_FOR, oid, doc_id,
                     {"from": oid, "to": doc_id, "role": "applicant", "seq": order, **applied})
        locate_org(rows, org, org_place(org, party.address, year, rec.province_code, ctx.regions), p)
        first_org = first_org or org
    _inventors(rows, rec, first_org, p)
    classified = p.mention("ipc")
    for i, code in enumerate(ipc.parse_list(rec.ipc)):
        code_id = add_ipc(rows, code, ctx, p)
        rows.put_rel(_CLASSIFIED_AS, doc_id, code_id, {"from": doc_id, "to": code_id, "main": i == 0, **classified})
    for code in ipc.parse_list(rec.cpc):
        cpc = ipc.IpcCode(code.subclass, code.main_group, code.subgroup, code.prefix)
        code_id = add_ipc(rows, cpc, ctx, p)
        rows.put_rel(_CLASSIFIED_AS, doc_id, code_id, {"from": doc_id, "to": code_id, "main": False, **classified})
    add_terms(rows, "Patent", doc_id, terms.extract_weighted(rec.title, rec.abstract, top_k=ctx.top_terms), p)
    _cites(rows, "Patent", doc_id, rec.cites, p)


def _inventors(rows: GraphRows, rec: PatentRecord, org: organisations.OrgName | None, p: RecordProps) -> None:
    # Inventors are keyed with the first applicant unless that applicant is a person.
    affiliation = org.key if org is not None and org.kind != "individual" else ""
    org_id = org.id if org is not None and affiliation else None
    props = p.mention("people")
    doc_id = rec.id
    for order, name in enumerate(rec.inventors, start=1):
        pid = add_person(rows, name, affiliation, p)
        rows.put_rel(_INVENTED, pid, doc_id, {"from": pid, "to": doc_id, "seq": order, **props})
        if org_id is not None:
            rows.link(_AFFILIATED_WITH, pid, org_id, props)


def _paper(rows: GraphRows, rec: PaperRecord, ctx: ExtractionContext, p: RecordProps) -> None:
    rows.node("Paper", {**_doc_props(rec, p), "abstract": rec.abstract, "year": rec.year, "doi": rec.doi,
                        "venue": rec.venue, "keywords": rec.keywords or None,
                        "title_original": rec.original.get("title")})
    people_props, orgs_props = p.mention("people"), p.mention("orgs")
    for order, author in enumerate(rec.authors, start=1):
        orgs = [ctx.org(n) for n in organisations.split_names(author.affiliation)]
        first = orgs[0] if orgs else None
        pid = add_person(rows, author.name, first.key if first else None, p)
        rows.put_rel(("AUTHORED", "Person", "Paper"), pid, rec.id,
                     {"from": pid, "to": rec.id, "seq": order, **people_props})
        for org in orgs:
            oid = add_org(rows, org, p)
            rows.link(("PUBLISHED", "Organization", "Paper"), oid, rec.id, orgs_props)
            rows.link(_AFFILIATED_WITH, pid, oid, people_props)
            where = org_place(org, author.address or org.name, rec.year, None, ctx.regions)
            locate_org(rows, org, where, p)
    found = terms.extract_weighted(rec.title, rec.abstract, top_k=ctx.top_terms)
    add_terms(rows, "Paper", rec.id, [(t.text, t.weight) for t in keyword_terms(rec.keywords)] + found, p)
    _cites(rows, "Paper", rec.id, rec.cites, p)


def _standard(rows: GraphRows, rec: StandardRecord, ctx: ExtractionContext, p: RecordProps) -> None:
    rows.node("Standard", {**_doc_props(rec, p), "year": _year(rec.issued), "status": rec.status,
                           "issued": rec.issued, "implemented": rec.implemented, "ics": rec.ics or None,
                           "ccs": rec.ccs or None, "scope": rec.scope})
    for order, name in enumerate(rec.drafters, start=1):
        org = ctx.org(name)
        oid = add_org(rows, org, p)
        rows.put_rel(("DRAFTED", "Organization", "Standard"), oid, rec.id,
                     {"from": oid, "to": rec.id, "seq": order, **p.mention("orgs")})
    add_terms(rows, "Standard", rec.id, terms.extract_weighted(rec.title, rec.scope, top_k=ctx.top_terms), p)


def _policy(rows: GraphRows, rec: PolicyRecord, ctx: ExtractionContext, p: RecordProps) -> None:
    rows.node("Policy", {**_doc_props(rec, p), "year": rec.year or _year(rec.date), "issuer": rec.issuer,
                         "date": rec.date, "level": rec.level, "region": rec.region, "text": rec.text})
    for name in organisations.split_names(rec.issuer):
        org = ctx.org(name, "government")
        oid = add_org(rows, org, p)
        rows.link(("ISSUED", "Organization", "Policy"), oid, rec.id, p.mention("orgs"))
    add_terms(rows, "Policy", rec.id, terms.extract_weighted(rec.title, rec.text[:5000], top_k=ctx.policy_terms), p)
    add_policy_targets(rows, rec, ctx.regions, p.prov)


def _stat(rows: GraphRows, rec: StatRecord, ctx: ExtractionContext, p: RecordProps) -> None:
    place = (places.from_adcode(rec.adcode, rec.year, regions=ctx.regions) if rec.adcode
             else places.resolve(rec.district, year=rec.year, regions=ctx.regions))
    rows.node("Observation", {"id": rec.id, "district": place.district or rec.district, "year": rec.year,
                              "metric": rec.metric, "value": rec.value, "unit": rec.unit, "origin": rec.source,
                              **p.mention("records")})
    if place.status == "district" and add_place(rows, place, p) == "District":
        rows.link(("OBSERVED_IN", "Observation", "District"), rec.id, place.district, p.mention("places"))


_HELD = ("APPLIED_FOR", "Organization", "Trademark")
_NICE_CLASS = ("CLASSIFIED_AS", "Trademark", "Technology")


def _trademark(rows: GraphRows, rec: TrademarkRecord, ctx: ExtractionContext, p: RecordProps) -> None:
    """Holders resolve and locate exactly as patent applicants do, so one firm's marks and patents meet."""
    year = _year(rec.application_date) or _year(rec.registration_date)
    status, in_force = trademark_status(rec, ctx.today)
    rows.node("Trademark", {"id": rec.id, "name": rec.name, "lang": rec.lang, "year": year,
                            "raw": _RAW_JSON.encode(rec.raw) if rec.raw else None, "office": rec.office,
                            "registration_number": rec.registration_number, "mark_type": rec.mark_type,
                            "classes": rec.classes or None, "groups": rec.groups or None,
                            "goods_count": len(rec.goods) or None, "application_date": rec.application_date,
                            "publication_date": rec.publication_date, "registration_date": rec.registration_date,
                            "expiry_date": rec.expiry_date, "status": status, "in_force": in_force,
                            "well_known": rec.well_known, **p.mention("records")})
    held = p.mention("orgs")
    for order, party in enumerate(rec.holders, start=1):
        org = organisations.resolve(party.name)
        oid = add_org(rows, org, p, party.address, party.country)
        rows.put_rel(_HELD, oid, rec.id, {"from": oid, "to": rec.id, "role": "holder" if order == 1 else "co-owner",
                                          "seq": order, **held})
        locate_org(rows, org, org_place(org, party.address, year, None, ctx.regions), p)
    classified = p.mention("nice")
    for tid, main in nice.add_nice(rows, rec.classes, rec.groups, p.derived("nice")):
        rows.put_rel(_NICE_CLASS, rec.id, tid, {"from": rec.id, "to": tid, "main": main, **classified})


def trademark_status(rec: TrademarkRecord, today: str) -> tuple[str | None, bool | None]:
    """(status, in force). An office's own status is kept as given (its force unknown); CNIPA open
    data has none, so it is derived from the dates relative to ``today`` (ISO)."""
    if rec.status:
        return rec.status, None
    if rec.expiry_date:
        return ("expired", False) if rec.expiry_date < today else ("registered", True)
    if rec.registration_date:
        return "registered", True  # no term end given: a registration is in force until shown otherwise
    if rec.publication_date:
        return "published", None
    if rec.application_date:
        return "applied", None
    return None, None


def _cites(rows: GraphRows, label: str, doc_id: str, targets: list[str], p: RecordProps) -> None:
    for target in targets:
        if target and target != doc_id:
            rows.cites.append(PendingCite(label, doc_id, target.strip(), dict(p.mention("records"))))
