"""USPTO BRS text (``*** BRS DOCUMENT BOUNDARY ***`` then ``TAG value`` lines, indented continuations).

Only bibliographic tags are kept (number, dates, title, abstract, assignees with city/country,
inventors, IPC/CPC, cited US patents); description and claims text are skipped while streaming.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from iplayout.ingestion.draft import build_record
from iplayout.ingestion.readers.base import Item, ReadContext
from iplayout.ingestion.readers.tagged import _open

_BOUNDARY = "*** BRS DOCUMENT BOUNDARY ***"
_TAG = re.compile(r"^([A-Z0-9]{2,4}) (.*)$")
_KEEP = {"WKU", "APT", "DID", "GISD", "AFD", "APNR", "TTL", "ABPR", "IPCP", "CPOG", "CPOI", "URPN"}
_KEEP |= {"ASNM", "ASCI", "ASST", "ASCO", "AANM", "AACI", "AACO", "INNM", "NCL", "IPCG"}
_NA = "N/A"


def _blocks(lines: Iterator[str]) -> Iterator[tuple[int, list[tuple[str, str]]]]:
    fields: list[tuple[str, str]] = []
    start, tag = 0, ""
    for lineno, line in enumerate(lines, start=1):
        text = line.rstrip("\r\n")
        if text.strip() == _BOUNDARY:
            if fields:
                yield start, fields
            fields, start, tag = [], lineno, ""
            continue
        if not start:
            continue  # the index header before the first boundary
        match = _TAG.match(text)
        if match and not text.startswith(" "):
            tag = match.group(1)
            if tag in _KEEP:
                fields.append((tag, match.group(2).strip()))
        elif tag in _KEEP and fields and fields[-1][0] == tag:
            fields[-1] = (tag, f"{fields[-1][1]} {text.strip()}")
    if fields:
        yield start, fields


def _parties(fields: list[tuple[str, str]], name_tag: str, prefix: str) -> list[dict[str, Any]]:
    parties: list[dict[str, Any]] = []
    for tag, value in fields:
        if tag == name_tag:
            parties.append({"name": value})
        elif parties and tag in (f"{prefix}CI", f"{prefix}ST", f"{prefix}CO") and value != _NA:
            party = parties[-1]
            party["address"] = f"{party['address']}, {value}" if party.get("address") else value
            if tag.endswith("CO"):
                party["country"] = value
    return parties


def _record(fields: list[tuple[str, str]]) -> dict[str, Any]:
    first = dict(reversed(fields))  # the first occurrence of each tag wins
    did = first.get("DID", "").split()
    assignees = _parties(fields, "ASNM", "AS") or _parties(fields, "AANM", "AA")
    kind_code = first.get("APT", "")
    return {
        "id": "".join(did) if did else f"US{first.get('WKU', '').lstrip('0')}{kind_code}",
        "application_number": first.get("APNR"),
        "title": first.get("TTL"),
        "abstract": first.get("ABPR"),
        "applicants": assignees,
        "inventors": [" ".join(reversed(v.split("; "))) for t, v in fields if t == "INNM"],
        "ipc": [v.split()[0] for t, v in fields if t == "IPCP" and v],
        "cpc": [v.split()[0] for t, v in fields if t == "CPOI" and v],
        "application_date": first.get("AFD"),
        "publication_date": first.get("GISD"),
        "grant_date": first.get("GISD") if kind_code.startswith("B") else None,
        "kind": "design" if kind_code.startswith("S") else "invention",
        "cites": [f"US{v.replace('/', '')}" for t, v in fields if t == "URPN"],
        "claims_count": first.get("NCL"),
        "lang": "en",
    }


def read_brs(ctx: ReadContext) -> Iterator[Item]:
    for start, fields in _blocks(_open(ctx)):
        record, rejects = build_record("patents", _record(fields), ctx.locator(row=start))
        yield from rejects
        if record is not None:
            yield record
