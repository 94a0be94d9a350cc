"""Per-kind coercion of a loosely typed field dict into the canonical record's shape.

Readers hand over ``{canonical field: value}`` where values may still be delimited strings,
export date spellings or raw classification codes. Coercion splits, parses and normalises them.
A bad value in an optional field is dropped and reported as a *field* issue (the record is
kept); mandatory fields are left to pydantic validation, which rejects the record.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from iplayout.ingestion import fields as f
from iplayout.ingestion.records import RECORD_TYPES


@dataclass(frozen=True)
class FieldIssue:
    field: str
    reason: str
    value: object


Issues = list[FieldIssue]
Seps = dict[str, str]


def _digest(*parts: object) -> str:
    return hashlib.sha1("|".join(str(p) for p in parts).encode("utf-8")).hexdigest()[:16]


def _dates(data: dict[str, Any], names: tuple[str, ...], issues: Issues) -> None:
    for name in names:
        if name not in data:
            continue
        try:
            data[name] = f.iso_date(data[name])
        except ValueError as exc:
            issues.append(FieldIssue(name, f"invalid date: {exc}", data[name]))
            data[name] = None


def _lists(data: dict[str, Any], names: tuple[str, ...], seps: Seps) -> None:
    for name in names:
        if name in data:
            items = f.split_list(data[name], seps.get(name, ";；"))
            data[name] = f.dedupe(items) if len(items) > 1 else items


def _codes(data: dict[str, Any], name: str, seps: Seps, issues: Issues, allow_y: bool) -> None:
    main = f"{name}_main"
    if main not in data and name not in data:
        return
    values = f.split_list(data.pop(main, None), seps.get(name, ";；,"))
    values += f.split_list(data.get(name), seps.get(name, ";；,"))
    good = []
    for value in values:
        try:
            good.append(f.ipc_code(value, allow_y=allow_y))
        except ValueError as exc:
            issues.append(FieldIssue(name, f"invalid {name.upper()} code ({exc}); value dropped", value))
    if values or name in data:
        data[name] = f.dedupe(good)


def _year(data: dict[str, Any], name: str, issues: Issues) -> None:
    if name not in data:
        return
    try:
        data[name] = f.year_of(data[name])
    except ValueError as exc:
        issues.append(FieldIssue(name, f"invalid year: {exc}", data[name]))
        data[name] = None


def _parties(data: dict[str, Any], seps: Seps) -> None:
    names = data.get("applicants")
    addresses = f.split_list(data.pop("applicant_addresses", None), seps.get("applicant_addresses", ";；"))
    if names is None:
        return
    if isinstance(names, list) and all(isinstance(n, dict) for n in names):
        return  # already canonical (JSONL)
    items = f.split_list(names, seps.get("applicants", ";；"))
    parties: list[dict[str, Any]] = [{"name": n} for n in (f.dedupe(items) if len(items) > 1 else items)]
    # Exports give either one address per applicant or only the first applicant's address.
    if len(addresses) == len(parties) or (len(addresses) == 1 and parties):
        for party, address in zip(parties, addresses, strict=False):
            postcode, rest = f.split_postcode(address)
            party["address"] = rest
            if postcode:
                party["postcode"] = postcode
    data["applicants"] = parties


def coerce_patent(data: dict[str, Any], seps: Seps, issues: Issues) -> None:
    if f.is_empty(data.get("id")):
        data["id"] = data.get("application_number")
    _parties(data, seps)
    _lists(data, ("inventors", "cites", "family"), seps)
    _codes(data, "ipc", seps, issues, allow_y=False)
    _codes(data, "cpc", seps, issues, allow_y=True)
    _dates(data, ("application_date", "publication_date", "grant_date"), issues)
    if "kind" in data:
        try:
            data["kind"] = f.patent_kind(data["kind"])
        except ValueError as exc:
            issues.append(FieldIssue("kind", str(exc), data["kind"]))
            data["kind"] = None
    if "claims_count" in data:
        try:
            data["claims_count"] = None if f.is_empty(data["claims_count"]) else int(data["claims_count"])
        except (TypeError, ValueError):
            issues.append(FieldIssue("claims_count", "not an integer", data["claims_count"]))
            data["claims_count"] = None


_DOI = re.compile(r"10\.\d{4,9}/\S+")


def doi_of(value: object) -> str | None:
    match = _DOI.search(str(value or ""))
    return match.group(0).rstrip(".").lower() if match else None


def _authors(data: dict[str, Any], seps: Seps) -> None:
    names = data.get("authors")
    if names is None or (isinstance(names, list) and all(isinstance(n, dict) for n in names)):
        return
    items = f.split_list(names, seps.get("authors", ";；"))
    affs = f.split_list(data.get("affiliations"), seps.get("affiliations", ";；"))
    authors: list[dict[str, Any]] = [{"name": n} for n in items]
    if len(affs) == len(authors) or len(affs) == 1:
        for author, aff in zip(authors, affs * len(authors) if len(affs) == 1 else affs, strict=False):
            author["affiliation"] = aff
    data["authors"] = authors
    if "affiliations" in data:
        data["affiliations"] = f.dedupe(affs)


def coerce_paper(data: dict[str, Any], seps: Seps, issues: Issues) -> None:
    _authors(data, seps)
    _lists(data, ("keywords", "cites", "affiliations"), seps)
    _year(data, "year", issues)
    if "doi" in data:
        raw = data["doi"]
        data["doi"] = doi_of(raw)
        if raw and not data["doi"]:
            issues.append(FieldIssue("doi", "not a DOI; value dropped", raw))
    if f.is_empty(data.get("id")):
        first = data["authors"][0]["name"] if data.get("authors") else ""
        data["id"] = data.get("doi") or f"paper:{_digest(data.get('title'), first, data.get('year'))}"


def coerce_standard(data: dict[str, Any], seps: Seps, issues: Issues) -> None:
    if not f.is_empty(data.get("id")):
        raw = str(data["id"])
        try:
            data["id"] = f.standard_number(raw)
        except ValueError as exc:
            # The id is mandatory: a number we cannot read rejects the record.
            data["id"] = None
            issues.append(FieldIssue("id", f"{exc}; record rejected", raw))
    _lists(data, ("ics", "ccs", "drafters"), seps)
    _dates(data, ("issued", "implemented"), issues)


_NATIONAL = ("national", "国家", "国务院", "中央", "全国", "中共中央")
_ENGLISH_LEVELS = ("national", "provincial", "municipal", "district")
_ADMIN = {"省": "provincial", "自治区": "provincial", "市": "municipal", "区": "district", "县": "district"}
_TITLE_YEAR = re.compile(r"((?:19|20)\d{2})\s*年")


def _level(value: object) -> str | None:
    """The administrative level from a level word or an issuer name (the last unit named wins)."""
    text = str(value or "").strip().lower()
    if not text:
        return None
    if text in _ENGLISH_LEVELS:
        return text
    if any(m in text for m in _NATIONAL):
        return "national"
    found = max(((text.rfind(k), v) for k, v in _ADMIN.items()), default=(-1, ""))
    if found[0] < 0:
        raise ValueError("level must be national, provincial, municipal or district")
    return found[1]


def coerce_policy(data: dict[str, Any], seps: Seps, issues: Issues) -> None:
    _dates(data, ("date",), issues)
    _year(data, "year", issues)
    if data.get("year") is None and data.get("date"):
        data["year"] = int(str(data["date"])[:4])
    if data.get("year") is None:
        match = _TITLE_YEAR.search(str(data.get("title") or ""))
        data["year"] = int(match.group(1)) if match else None
    if "level" in data:
        try:
            data["level"] = _level(data["level"])
        except ValueError as exc:
            issues.append(FieldIssue("level", str(exc), data["level"]))
            data["level"] = None
    if f.is_empty(data.get("id")):
        key = data.get("url") or f"{data.get('title')}|{data.get('date') or data.get('year')}"
        data["id"] = f"policy:{_digest(key)}"


_NO_NUMBER = frozenset({"", "-", "--", "—", "…", "null", "nan", "n/a", "na"})


def _number(value: object) -> float:
    if isinstance(value, int | float) and not isinstance(value, bool):
        return float(value)
    text = str(value).replace(",", "").replace("，", "").strip()
    if text.lower() in _NO_NUMBER:  # not f.is_empty: "0" is a real observation here
        raise ValueError("value is empty")
    return float(text)


def coerce_stat(data: dict[str, Any], seps: Seps, issues: Issues) -> None:
    _year(data, "year", issues)
    if "value" in data:
        try:
            data["value"] = _number(data["value"])
        except ValueError:
            issues.append(FieldIssue("value", "not a number; record rejected", data["value"]))
            data["value"] = None
    if data.get("adcode") is not None:
        data["adcode"] = str(data["adcode"]).removesuffix(".0")
    if f.is_empty(data.get("district")) and data.get("adcode"):
        data["district"] = data["adcode"]
    if f.is_empty(data.get("id")):
        place = data.get("adcode") or data.get("district")
        parts = [place, data.get("year"), data.get("metric")] + ([data["source"]] if data.get("source") else [])
        data["id"] = "|".join(str(p) for p in parts)


_NICE_CLASS = re.compile(r"^(?:第\s*)?0*([1-9]\d?)\s*(?:类)?$")
_NICE_GROUP = re.compile(r"^(\d{4})")


@lru_cache(maxsize=4096)
def _nice_class(value: str) -> str | None:
    match = _NICE_CLASS.match(value.strip())
    return f"{int(match.group(1)):02d}" if match and 1 <= int(match.group(1)) <= 45 else None


@lru_cache(maxsize=4096)
def _nice_group(value: str) -> str | None:
    match = _NICE_GROUP.match(value.strip())
    return match.group(1) if match and 1 <= int(match.group(1)[:2]) <= 45 else None


def _nice_classes(data: dict[str, Any], seps: Seps, issues: Issues) -> None:
    good: list[str] = []
    for value in f.split_list(data.get("classes"), seps.get("classes", ";；,、 ")):
        code = _nice_class(value) if len(value) < 16 else None
        if code is not None:
            good.append(code)
        else:
            issues.append(FieldIssue("classes", "not a Nice class 1-45; value dropped", value))
    data["classes"] = f.dedupe(good)
    groups: list[str] = []
    for value in f.split_list(data.get("groups"), seps.get("groups", ";；,、 ")):
        code = _nice_group(value) if len(value) < 16 else None
        if code is not None:
            groups.append(code)
        else:
            issues.append(FieldIssue("groups", "not a similar-goods group (4 digits, class first); value dropped",
                                     value))
    data["groups"] = f.dedupe(groups)


_YES = frozenset({"是", "y", "yes", "true", "1", "t"})
_NO = frozenset({"否", "n", "no", "false", "0", "f"})


def coerce_trademark(data: dict[str, Any], seps: Seps, issues: Issues) -> None:
    if "holders" in data and not (isinstance(data["holders"], list)
                                  and all(isinstance(h, dict) for h in data["holders"])):
        data["holders"] = [{"name": n} for n in f.split_list(data["holders"], seps.get("holders", ";；"))]
    if "classes" in data or "groups" in data:
        _nice_classes(data, seps, issues)
    _lists(data, ("goods",), seps)
    _dates(data, ("application_date", "publication_date", "registration_date", "expiry_date"), issues)
    if "well_known" in data and not isinstance(data["well_known"], bool):
        text = str(data["well_known"] or "").strip().lower()
        data["well_known"] = True if text in _YES else False if text in _NO else None
        if text and data["well_known"] is None:
            issues.append(FieldIssue("well_known", "not yes/no; value dropped", text))
    if f.is_empty(data.get("id")) and not f.is_empty(data.get("registration_number")):
        data["id"] = f"TM:{data.get('office') or 'XX'}:{data['registration_number']}"


COERCERS: dict[str, Callable[[dict[str, Any], Seps, Issues], None]] = {
    "patents": coerce_patent,
    "papers": coerce_paper,
    "standards": coerce_standard,
    "policies": coerce_policy,
    "stats": coerce_stat,
    "trademarks": coerce_trademark,
}


# Field names per kind, computed once: ``model_fields`` is a comparatively slow property.
_FIELDS = {kind: frozenset(model.model_fields) for kind, model in RECORD_TYPES.items()}


def coerce(kind: str, data: dict[str, Any], seps: Seps) -> tuple[dict[str, Any], Issues]:
    """Canonical-shaped dict for ``kind``; fields the model does not know move into ``raw``."""
    issues: Issues = []
    COERCERS[kind](data, seps, issues)
    raw = dict(data.pop("raw", None) or {})
    if not data.keys() <= _FIELDS[kind]:  # a set comparison first: most records have no unknown field
        for name in [k for k in data if k not in _FIELDS[kind]]:
            value = data.pop(name)
            if not f.is_empty(value) and value != []:
                raw[name] = value
    data["raw"] = raw
    return {k: v for k, v in data.items() if v is not None}, issues
