"""USPTO trademark daily XML (TDXF ``<trademark-applications-daily>``, "Trademark Applications
Documentation v2"): one record per ``<case-file>``, streamed (a daily file holds tens of thousands).

Holders are the owners of the latest ownership entry (the highest ``party-type``: 10 applicant, 20
at publication, 30 registrant, 4x after registration). The USPTO status code is kept as given
(``USPTO 800``); its meaning is not interpreted, so ``in_force`` stays unknown for US marks.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections.abc import Iterator
from typing import Any

import defusedxml
import defusedxml.ElementTree as SafeET

from iplayout.ingestion.draft import build_record
from iplayout.ingestion.readers.base import Item, ReadContext
from iplayout.ingestion.records import Reject

ROOT = b"<trademark-applications-daily"


def is_tdxf(head: bytes) -> bool:
    return ROOT in head


def read_uspto_trademarks(ctx: ReadContext) -> Iterator[Item]:
    number = 0
    try:
        events = SafeET.iterparse(str(ctx.path), events=("end",), forbid_dtd=True, forbid_entities=True,
                                  forbid_external=True)
        for _event, el in events:
            if el.tag != "case-file":
                continue
            number += 1
            where = ctx.locator(element=f"/case-file[{number}]")
            record, rejects = build_record("trademarks", _case_file(el), where)
            el.clear()  # flat memory: a daily file holds tens of thousands of case files
            yield from rejects
            if record is not None:
                yield record
    except defusedxml.DefusedXmlException as exc:
        yield Reject(locator=str(ctx.locator(element=f"/case-file[{number + 1}]")),
                     reason=f"unsafe XML refused ({exc}); the rest of the file is not read")
    except ET.ParseError as exc:
        yield Reject(locator=str(ctx.locator(element=f"/case-file[{number + 1}]")),
                     reason=f"malformed XML: {exc}; the rest of the file is not read")


def _text(el: ET.Element | None, path: str) -> str:
    found = el.find(path) if el is not None else None
    return " ".join("".join(found.itertext()).split()) if found is not None else ""


def _owners(case: ET.Element) -> list[dict[str, Any]]:
    entries = case.findall("case-file-owners/case-file-owner")
    latest = max((_text(e, "party-type") for e in entries), default="")
    out: list[dict[str, Any]] = []
    for e in entries:
        name = _text(e, "party-name")
        if _text(e, "party-type") != latest or not name or any(o["name"] == name for o in out):
            continue
        parts = [_text(e, t) for t in ("address-1", "address-2", "city", "state", "postcode", "country")]
        owner: dict[str, Any] = {"name": name}
        if any(parts):
            owner["address"] = ", ".join(p for p in parts if p)
        if _text(e, "country"):
            owner["country"] = _text(e, "country")
        out.append(owner)
    return out


def _case_file(case: ET.Element) -> dict[str, Any]:
    head = case.find("case-file-header")
    serial = _text(case, "serial-number")
    classes = [_text(c, ".") for c in case.iterfind("classifications/classification/international-code")]
    goods = [_text(s, "text") for s in case.iterfind("case-file-statements/case-file-statement")
             if _text(s, "type-code").startswith("GS")]
    raw: dict[str, Any] = {}
    registration = _text(case, "registration-number")
    if registration.strip("0"):
        raw["registration_number"] = registration
    us_codes = [_text(c, ".") for c in case.iterfind("classifications/classification/us-code")]
    if us_codes:
        raw["us_classes"] = us_codes
    irn = _text(case, "international-registration/international-registration-number")
    if irn:
        raw["international_registration_number"] = irn
    status = _text(head, "status-code")
    return {
        "id": f"TM:US:{serial}" if serial else "",
        "office": "US",
        "registration_number": serial,
        "name": _text(head, "mark-identification") or None,
        "mark_type": _text(head, "mark-drawing-code") or None,
        "classes": [c for c in classes if c],
        "goods": [g for g in goods if g],
        "holders": _owners(case),
        "application_date": _text(head, "filing-date") or None,
        "publication_date": _text(head, "published-for-opposition-date") or None,
        "registration_date": _text(head, "registration-date") or None,
        "status": f"USPTO {status}" if status else None,
        "lang": "en",
        "raw": raw,
    }
