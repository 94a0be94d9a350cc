"""USPTO full-text XML: grants and applications v4.x (2004–2014+) and the 2001–2004 ``pap`` v1.x format.

Weekly bulk files concatenate thousands of XML documents (each with its own ``<?xml`` line); they
are split and parsed one document at a time, so memory is bounded by the largest document. Every
document goes through defusedxml: entity declarations (billion laughs) and external references
are refused for that document only.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections.abc import Iterator
from typing import Any

import defusedxml
import defusedxml.ElementTree as SafeET

from iplayout.ingestion.draft import build_record
from iplayout.ingestion.fields import shorten
from iplayout.ingestion.readers.base import Item, ReadContext
from iplayout.ingestion.records import Reject

_KINDS = {"utility": "invention", "design": "design"}


def _documents(ctx: ReadContext) -> Iterator[tuple[int, bytes]]:
    """(byte offset, document bytes) for each XML document in the file."""
    buf: list[bytes] = []
    start = offset = 0
    with ctx.path.open("rb") as fh:
        for line in fh:
            if line.lstrip().startswith(b"<?xml") and any(b.strip() for b in buf):
                yield start, b"".join(buf)
                buf, start = [], offset
            buf.append(line)
            offset += len(line)
    if any(b.strip() for b in buf):
        yield start, b"".join(buf)


def read_uspto(ctx: ReadContext) -> Iterator[Item]:
    for number, (offset, doc) in enumerate(_documents(ctx), start=1):
        where = ctx.locator(element=f"/document[{number}]", offset=offset)
        try:
            root = SafeET.fromstring(doc, forbid_dtd=False, forbid_entities=True, forbid_external=True)
        except defusedxml.EntitiesForbidden as exc:
            yield Reject(locator=str(where), reason=f"XML entity declarations refused ({exc})")
            continue
        except defusedxml.DefusedXmlException as exc:
            yield Reject(locator=str(where), reason=f"unsafe XML refused ({exc})")
            continue
        except ET.ParseError as exc:
            yield Reject(locator=str(where), reason=f"malformed XML: {exc}", raw_value=shorten(doc[:200]))
            continue
        parse = _PARSERS.get(root.tag)
        if parse is None:
            yield Reject(locator=str(where), field=None, reason=f"not a USPTO patent document: <{root.tag}>")
            continue
        where = ctx.locator(element=f"/document[{number}]/{root.tag}", offset=offset)
        record, rejects = build_record("patents", parse(root), where)
        yield from rejects
        if record is not None:
            yield record


def _text(el: ET.Element | None) -> str:
    return " ".join("".join(el.itertext()).split()) if el is not None else ""


def _find(el: ET.Element, path: str) -> str:
    return _text(el.find(path))


def _doc_id(el: ET.Element | None) -> str:
    """``US8926509B2`` from a ``document-id`` (leading zeros dropped, as patent numbers are cited)."""
    if el is None:
        return ""
    country = _find(el, "country") or "US"
    number = _find(el, "doc-number")
    number = number.lstrip("0") if number.isdigit() else number
    return f"{country}{number}{_find(el, 'kind')}" if number else ""


def _name(book: ET.Element) -> str:
    org = _find(book, "orgname")
    if org:
        return org
    return " ".join(p for p in (_find(book, "first-name"), _find(book, "last-name")) if p)


def _party(el: ET.Element) -> dict[str, Any] | None:
    book = el.find("addressbook")
    book = book if book is not None else el
    name = _name(book)
    if not name:
        return None
    addr = book.find("address")
    parts = [_find(addr, t) for t in ("city", "state", "country")] if addr is not None else []
    party: dict[str, Any] = {"name": name}
    if any(parts):
        party["address"] = ", ".join(p for p in parts if p)
        party["country"] = parts[2] or None
    return party


def _ipc(bib: ET.Element) -> list[str]:
    codes = []
    for c in bib.iterfind("classifications-ipcr/classification-ipcr"):
        codes.append(
            f"{_find(c, 'section')}{_find(c, 'class')}{_find(c, 'subclass')}"
            f"{_find(c, 'main-group')}/{_find(c, 'subgroup')}"
        )
    for tag in ("main-classification", "further-classification"):
        codes += [_text(e) for e in bib.iterfind(f"classification-ipc/{tag}")]
    return [c for c in codes if c and c != "/"]


def _cpc(bib: ET.Element) -> list[str]:
    return [
        f"{_find(c, 'section')}{_find(c, 'class')}{_find(c, 'subclass')}"
        f"{_find(c, 'main-group')}/{_find(c, 'subgroup')}"
        for c in bib.iter("classification-cpc")
    ]


def _v4(root: ET.Element) -> dict[str, Any]:
    bib = root[0]
    pub = bib.find("publication-reference/document-id")
    app = bib.find("application-reference/document-id")
    app_ref = bib.find("application-reference")
    parties = [_party(a) for a in bib.iter("assignee")]
    if not any(parties):
        parties = [_party(a) for a in bib.iter("applicant")] + [_party(a) for a in bib.iter("us-applicant")]
    inventors = [_party(i) for i in bib.iter("inventor")]
    inventors += [_party(a) for a in bib.iter("applicant") if "inventor" in a.get("app-type", "")]
    refs = [c for tag in ("citation", "us-citation") for c in bib.iter(tag)]
    pub_date = _find(pub, "date") if pub is not None else ""
    data: dict[str, Any] = {
        "id": _doc_id(pub),
        "application_number": _find(app, "doc-number") if app is not None else "",
        "title": _find(bib, "invention-title"),
        "abstract": _text(root.find("abstract")) or None,
        "applicants": [p for p in parties if p],
        "inventors": [p["name"] for p in inventors if p],
        "ipc": _ipc(bib),
        "cpc": _cpc(bib),
        "application_date": _find(app, "date") if app is not None else None,
        "publication_date": pub_date,
        "grant_date": pub_date if root.tag == "us-patent-grant" else None,
        "kind": _KINDS.get(app_ref.get("appl-type", "") if app_ref is not None else ""),
        "cites": [_doc_id(c.find("patcit/document-id")) for c in refs if c.find("patcit") is not None],
        "claims_count": _find(bib, "number-of-claims") or None,
        "lang": (root.get("lang") or "en").lower(),
    }
    npl = [shorten(_text(c.find("nplcit")), 300) for c in refs if c.find("nplcit") is not None]
    data["raw"] = {"non_patent_citations": npl} if npl else {}
    return data


def _pap(root: ET.Element) -> dict[str, Any]:
    bib = root.find("subdoc-bibliographic-information")
    if bib is None:
        return {}
    tech = bib.find("technical-information")
    ipc = [_text(e) for e in bib.iter("ipc")]
    inventors = []
    for person in [*bib.iter("first-named-inventor"), *bib.iter("inventor")]:
        parts = [_find(person, f"name/{t}") for t in ("given-name", "middle-name", "family-name")]
        inventors.append(" ".join(p for p in parts if p))
    assignees = [
        {"name": _find(a, "organization-name") or _text(a.find("name"))} for a in bib.iter("assignee")
    ]
    abstract = " ".join(_text(p) for p in root.iterfind("subdoc-abstract/paragraph"))
    number = _find(bib, "document-id/doc-number")
    return {
        "id": f"US{number}{_find(bib, 'document-id/kind-code')}" if number else "",
        "application_number": _find(bib, "domestic-filing-data/application-number/doc-number"),
        "title": _find(tech, "title-of-invention") if tech is not None else "",
        "abstract": abstract or None,
        "applicants": [a for a in assignees if a["name"]],
        "inventors": [i for i in inventors if i],
        "ipc": ipc,
        "application_date": _find(bib, "domestic-filing-data/filing-date") or None,
        "publication_date": _find(bib, "document-id/document-date") or None,
        "lang": "en",
    }


_PARSERS = {
    "us-patent-grant": _v4,
    "us-patent-application": _v4,
    "patent-application-publication": _pap,
}
