"""BibTeX exports (Web of Science, Scopus): entries streamed one at a time, brace-balanced.

WoS puts the affiliations (one per line, the reprint author marked) in ``Affiliation`` and the
reference list in ``Cited-References`` (one reference per line, ``DOI 10.x/...``): both are read
line by line before whitespace is collapsed, so the DOIs become the paper's ``cites``.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from iplayout.ingestion.coerce import doi_of
from iplayout.ingestion.draft import build_record
from iplayout.ingestion.fields import dedupe
from iplayout.ingestion.readers.base import Item, ReadContext
from iplayout.ingestion.readers.tagged import _open
from iplayout.ingestion.records import Reject

_FIELD = re.compile(r"\s*([A-Za-z][\w-]*)\s*=\s*")
_REPRINT = re.compile(r"^(.*?)\s*\((?:Reprint|Corresponding) Author\),\s*", re.IGNORECASE)
_DOIS = re.compile(r"\bDOI\s+(?:DOI\s+)?\[?([^\]]+)\]?\.?$")
_MAX_ENTRY_CHARS = 5_000_000  # one entry; an unbalanced brace must not swallow the whole file


def _entries(lines: Iterator[str]) -> Iterator[tuple[int, str]]:
    buf: list[str] = []
    depth = start = size = 0
    for lineno, line in enumerate(lines, start=1):
        if not buf:
            if not line.lstrip().startswith("@"):
                continue
            start = lineno
        buf.append(line)
        size += len(line)
        depth += line.count("{") - line.count("\\{") - (line.count("}") - line.count("\\}"))
        if depth <= 0 and "{" in "".join(buf[:1]) or size > _MAX_ENTRY_CHARS:
            yield start, "".join(buf)
            buf, depth, size = [], 0, 0
    if buf:
        yield start, "".join(buf)


def _value(text: str, pos: int) -> tuple[str, int]:
    """The braced/quoted/bare value starting at ``pos`` and the position after it."""
    if pos < len(text) and text[pos] in "{\"":
        close = "}" if text[pos] == "{" else '"'
        depth, i = 0, pos
        while i < len(text):
            ch = text[i]
            if ch == "\\":
                i += 2
                continue
            if ch == "{":
                depth += 1
            elif ch == "}" and close == "}":
                depth -= 1
                if depth == 0:
                    return text[pos + 1 : i], i + 1
            elif ch == '"' and close == '"' and i > pos and depth == 0:
                return text[pos + 1 : i], i + 1
            i += 1
        raise ValueError("unbalanced braces")
    match = re.match(r"[^,}\s]*", text[pos:])
    bare = match.group(0) if match else ""
    return bare, pos + len(bare)


def parse_entry(text: str) -> dict[str, str]:
    head = re.match(r"\s*@(\w+)\s*\{\s*([^,]*),", text)
    if not head:
        raise ValueError("not a BibTeX entry (@type{key, ...})")
    fields = {"ENTRYTYPE": head.group(1).lower(), "ID": head.group(2).strip()}
    pos = head.end()
    while True:
        match = _FIELD.match(text, pos)
        if not match:
            break
        value, pos = _value(text, match.end())
        fields[match.group(1).lower()] = value.strip().removeprefix("{").removesuffix("}")
        pos = text.find(",", pos)
        if pos < 0:
            break
        pos += 1
    return fields


def _clean(value: str) -> str:
    value = re.sub(r"\\([&%$#_{}])", r"\1", value)
    return " ".join(value.replace("{", "").replace("}", "").split())


def _affiliations(value: str) -> tuple[list[str], dict[str, str]]:
    lines, reprint = [], {}
    for line in value.splitlines():
        line = _clean(line).rstrip(".")
        match = _REPRINT.match(line)
        if match:
            line = line[match.end() :]
            reprint[match.group(1).strip().lower()] = line
        if line:
            lines.append(line)
    return dedupe(lines), reprint


def _record(f: dict[str, str]) -> dict[str, Any]:
    names = [_clean(n) for n in re.split(r"\s+and\s+", f.get("author", "")) if n.strip()]
    affs, reprint = _affiliations(f.get("affiliation", ""))
    authors: list[dict[str, Any]] = []
    for name in names:
        line = reprint.get(name.lower()) or (affs[0] if len(affs) == 1 else None)
        author: dict[str, Any] = {"name": name}
        if line:
            author["affiliation"], author["address"] = line.split(",")[0], line
        authors.append(author)
    cites = []
    for ref in f.get("cited-references", "").splitlines():
        match = _DOIS.search(ref.strip())
        if match:
            cites += [d for part in match.group(1).split(",") if (d := doi_of(part))]
    keywords = re.split(r";\s*", _clean(f.get("keywords", "")))
    known = {"author", "affiliation", "cited-references", "keywords", "title", "abstract", "year"}
    known |= {"journal", "booktitle", "doi", "language", "ENTRYTYPE"}
    return {
        "id": doi_of(f.get("doi")) or f.get("ID") or None,
        "title": _clean(f.get("title", "")),
        "authors": authors,
        "affiliations": affs,
        "keywords": [k for k in keywords if k],
        "abstract": _clean(f.get("abstract", "")) or None,
        "year": _clean(f.get("year", "")) or None,
        "venue": _clean(f.get("journal") or f.get("booktitle") or "") or None,
        "doi": doi_of(f.get("doi")),
        "cites": dedupe(cites),
        "lang": "en" if _clean(f.get("language", "")).lower() == "english" else None,
        "raw": {k: _clean(v) for k, v in f.items() if k not in known and len(v) < 2000},
    }


def read_bibtex(ctx: ReadContext) -> Iterator[Item]:
    for start, text in _entries(_open(ctx)):
        where = ctx.locator(row=start)
        try:
            fields = parse_entry(text)
        except ValueError as exc:
            yield Reject(locator=str(where), reason=f"malformed BibTeX entry: {exc}", raw_value=text[:200])
            continue
        if fields["ENTRYTYPE"] in {"comment", "preamble", "string"}:
            continue
        record, rejects = build_record("papers", _record(fields), where)
        yield from rejects
        if record is not None:
            yield record
