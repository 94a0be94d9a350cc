"""Line-tagged literature exports: CNKI NoteExpress (``.net``) and RIS (CNKI/WoS/Scopus ``.ris``).

Both are streams of ``tag: value`` lines with continuation lines; records are assembled one at a
time (memory bounded by one record) and turned into canonical papers.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from iplayout.errors import IngestionError
from iplayout.ingestion import textio
from iplayout.ingestion.coerce import doi_of
from iplayout.ingestion.draft import build_record
from iplayout.ingestion.fields import dedupe
from iplayout.ingestion.readers.base import Item, ReadContext
from iplayout.ingestion.safety import looks_binary

Fields = dict[str, list[str]]

_NE_TAG = re.compile(r"^\{([^}]+)\}\s*[:：]\s?(.*)$")
_RIS_TAG = re.compile(r"^([A-Z][A-Z0-9])  -\s?(.*)$")
_LANGS = {"chi": "zh", "chinese": "zh", "中文": "zh", "eng": "en", "english": "en"}


def _open(ctx: ReadContext) -> Iterator[str]:
    sample, encoding = textio.sniff(ctx.path)
    if not sample.strip():
        raise IngestionError(f"{ctx.source}: file is empty")
    if looks_binary(sample, encoding):
        raise IngestionError(f"{ctx.source}: binary content, not a text export")
    return textio.iter_lines(ctx.path, textio.DecodeReport(encoding))


def _split(value: str) -> list[str]:
    """CNKI separates names/keywords with ``;;`` or ``;`` (sometimes ``,`` or full-width)."""
    parts = value.split(";;") if ";;" in value else re.split(r"[;；,，]", value)
    return dedupe(p.strip() for p in parts if p.strip())


def _noteexpress_blocks(lines: Iterator[str]) -> Iterator[tuple[int, Fields]]:
    fields: Fields = {}
    start = last = 0
    for lineno, line in enumerate(lines, start=1):
        text = line.rstrip("\r\n")
        match = _NE_TAG.match(text.lstrip("\ufeff"))
        if match and match.group(1).strip(" ,") == "Reference Type" and fields:
            yield start, fields
            fields = {}
        if match:
            if not fields:
                start = lineno
            last_tag = match.group(1).strip(" ,")
            fields.setdefault(last_tag, []).append(match.group(2).strip())
            last = lineno
        elif text.strip() and fields and lineno == last + 1:
            # A wrapped value (e.g. an address with a line break) continues the previous tag.
            fields[last_tag][-1] += text.strip()
            last = lineno
    if fields:
        yield start, fields


def _first(fields: Fields, *tags: str) -> str | None:
    for tag in tags:
        for value in fields.get(tag, []):
            if value.strip():
                return value.strip()
    return None


def _noteexpress_record(fields: Fields) -> dict[str, Any]:
    names = [n for value in fields.get("Author", []) for n in _split(value)]
    addresses = [re.sub(r"\|[A-Z]{2}\d+$", "", a) for v in fields.get("Author Address", []) for a in _split(v)]
    authors: list[dict[str, Any]] = [{"name": n} for n in names]
    if addresses and (len(addresses) == len(authors) or len(addresses) == 1):
        for author, address in zip(authors, addresses * len(authors), strict=False):
            author["affiliation"] = author["address"] = address
    year = _first(fields, "Year") or _first(fields, "Date")
    known = {"Title", "Author", "Author Address", "Keywords", "Abstract", "Year", "Journal", "Language"}
    raw = {k: "; ".join(v) for k, v in fields.items() if k not in known}
    abstract = _first(fields, "Abstract")
    return {
        "title": _first(fields, "Title"),
        "authors": authors,
        "affiliations": addresses,
        "keywords": [k for value in fields.get("Keywords", []) for k in _split(value)],
        "abstract": abstract.replace("(#br)", "\n") if abstract else None,
        "year": year,
        "venue": _first(fields, "Journal", "Secondary Title", "Publisher"),
        "doi": doi_of(_first(fields, "DOI")),
        "lang": _LANGS.get((_first(fields, "Language") or "").lower()),
        "raw": raw,
    }


def read_noteexpress(ctx: ReadContext) -> Iterator[Item]:
    for start, fields in _noteexpress_blocks(_open(ctx)):
        record, rejects = build_record("papers", _noteexpress_record(fields), ctx.locator(row=start))
        yield from rejects
        if record is not None:
            yield record


def _ris_blocks(lines: Iterator[str]) -> Iterator[tuple[int, Fields]]:
    fields: Fields = {}
    start, tag = 0, ""
    for lineno, line in enumerate(lines, start=1):
        text = line.rstrip("\r\n").lstrip("\ufeff")
        match = _RIS_TAG.match(text)
        if match:
            tag = match.group(1)
            if tag == "TY":
                fields, start = {}, lineno
            if tag == "ER":
                if fields:
                    yield start, fields
                fields = {}
                continue
            fields.setdefault(tag, []).append(match.group(2).strip())
        elif text.strip() and fields and tag:
            fields[tag][-1] += " " + text.strip()
    if fields:
        yield start, fields  # a file cut before its last ER still gives its last record


def _ris_record(fields: Fields) -> dict[str, Any]:
    names = dedupe(a for tag in ("AU", "A1", "A2") for a in fields.get(tag, []))
    affiliations = dedupe(a for a in fields.get("AD", []) + fields.get("C1", []))
    authors: list[dict[str, Any]] = [{"name": n} for n in names]
    if len(affiliations) == len(authors) or len(affiliations) == 1:
        for author, aff in zip(authors, affiliations * len(authors), strict=False):
            author["affiliation"] = aff
    keywords = [k for value in fields.get("KW", []) for k in _split(value)]
    cites = dedupe(d for ref in fields.get("CR", []) if (d := doi_of(ref)))
    known = {"TY", "TI", "T1", "AU", "A1", "A2", "AD", "C1", "KW", "AB", "N2", "PY", "Y1", "DA", "JO", "JF", "T2"}
    known |= {"DO", "CR", "LA"}
    return {
        "title": _first(fields, "TI", "T1"),
        "authors": authors,
        "affiliations": affiliations,
        "keywords": keywords,
        "abstract": _first(fields, "AB", "N2"),
        "year": (_first(fields, "PY", "Y1", "DA") or "").split("/")[0] or None,
        "venue": _first(fields, "JO", "JF", "T2"),
        "doi": doi_of(_first(fields, "DO")),
        "cites": cites,
        "lang": _LANGS.get((_first(fields, "LA") or "").lower()),
        "raw": {k: "; ".join(v) for k, v in fields.items() if k not in known},
    }


def read_ris(ctx: ReadContext) -> Iterator[Item]:
    for start, fields in _ris_blocks(_open(ctx)):
        record, rejects = build_record("papers", _ris_record(fields), ctx.locator(row=start))
        yield from rejects
        if record is not None:
            yield record
