"""Policy documents, one per file: plain text, Markdown, HTML, PDF and DOCX.

HTML is reduced to text with the standard library's tokenizer (no browser, no DOM, scripts
and styles dropped, nothing executed). DOCX is read as its zip's XML through defusedxml after
the zip-bomb check; PDF text comes from pypdf. Title, date, issuer and level come from metadata
when the format has it, else from the text itself (first line, a dated line, the signature).
"""

from __future__ import annotations

import re
import zipfile
from collections.abc import Iterator
from html.parser import HTMLParser
from typing import Any

import defusedxml
import defusedxml.ElementTree as SafeET

from iplayout.errors import IngestionError
from iplayout.ingestion import textio
from iplayout.ingestion.draft import build_record
from iplayout.ingestion.readers.base import Item, ReadContext
from iplayout.ingestion.safety import check_zip, looks_binary

_DATE = re.compile(r"((?:19|20)\d{2})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日")
_ISSUER = re.compile(r"^(?:中共)?[\u4e00-\u9fff]{0,20}(?:国务院|人民政府|办公厅|办公室|委员会|厅|局|部)$")
_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_DC_TITLE = "{http://purl.org/dc/elements/1.1/}title"


class _TextExtractor(HTMLParser):
    _SKIP = frozenset({"script", "style", "noscript", "template", "head", "svg", "iframe", "object"})
    _BLOCK = frozenset({"p", "div", "br", "li", "tr", "h1", "h2", "h3", "h4", "h5", "h6", "section", "td"})

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.title = ""
        self._skip = 0
        self._in_title = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "title":
            self._in_title = True
        elif tag in self._SKIP:
            self._skip += 1
        elif tag in self._BLOCK:
            self.parts.append("\n")

    def handle_endtag(self, tag: str) -> None:
        if tag == "title":
            self._in_title = False
        elif tag in self._SKIP:
            self._skip = max(0, self._skip - 1)
        elif tag in self._BLOCK:
            self.parts.append("\n")

    def handle_data(self, data: str) -> None:
        if self._in_title:
            self.title += data
        elif not self._skip:
            self.parts.append(data)


def html_to_text(html: str) -> tuple[str, str]:
    """(title, visible text) of an HTML page; script/style content is dropped, never run."""
    parser = _TextExtractor()
    parser.feed(html)
    parser.close()
    return " ".join(parser.title.split()), "".join(parser.parts)


def _docx(ctx: ReadContext) -> tuple[str, str]:
    check_zip(ctx.path, ctx.limits)
    try:
        with zipfile.ZipFile(ctx.path) as archive:
            body = SafeET.fromstring(archive.read("word/document.xml"))
            names = set(archive.namelist())
            core = SafeET.fromstring(archive.read("docProps/core.xml")) if "docProps/core.xml" in names else None
    except (KeyError, zipfile.BadZipFile, SafeET.ParseError, defusedxml.DefusedXmlException) as exc:
        raise IngestionError(f"{ctx.source}: not a readable DOCX ({exc})") from exc
    paragraphs = ["".join(t.text or "" for t in p.iter(f"{_W}t")) for p in body.iter(f"{_W}p")]
    title = (core.findtext(_DC_TITLE) or "") if core is not None else ""
    return title, "\n".join(paragraphs)


def _pdf(ctx: ReadContext) -> tuple[str, str]:
    try:
        import pypdf
    except ImportError as exc:  # pragma: no cover - depends on the install
        raise IngestionError("PDF policies need the pypdf package: pip install pypdf") from exc
    try:
        reader = pypdf.PdfReader(str(ctx.path))
        meta = reader.metadata
        title = str(meta.get("/Title") or "") if meta is not None else ""
        text = "\n".join(page.extract_text() or "" for page in reader.pages)
    except (pypdf.errors.PyPdfError, ValueError, KeyError) as exc:
        raise IngestionError(f"{ctx.source}: not a readable PDF ({exc})") from exc
    return title, text


def _plain(ctx: ReadContext) -> tuple[str, str]:
    sample, encoding = textio.sniff(ctx.path)
    if looks_binary(sample, encoding):
        raise IngestionError(f"{ctx.source}: binary content, not a text document")
    text, _ = textio.read_text(ctx.path, ctx.limits.max_document_bytes)
    if ctx.path.suffix.lower() in {".html", ".htm", ".xhtml"}:
        return html_to_text(text)
    return "", text


def _metadata(title: str, text: str, suffix: str) -> dict[str, Any]:
    lines = [ln.strip() for ln in text.splitlines() if ln.strip()]
    if not title and lines:
        title = lines[0].lstrip("#").strip() if suffix == ".md" else lines[0]
    edge = lines[:8] + lines[-8:]
    issuer = next((ln for ln in reversed(edge) if len(ln) <= 40 and _ISSUER.match(ln)), None)
    dated = next((m for ln in reversed(edge) if (m := _DATE.search(ln))), None)
    data: dict[str, Any] = {"title": title[:2000], "text": text, "issuer": issuer}
    if dated:
        data["date"] = f"{dated.group(1)}-{int(dated.group(2)):02d}-{int(dated.group(3)):02d}"
    if issuer:
        data["level"] = issuer
    return data


def read_document(ctx: ReadContext) -> Iterator[Item]:
    size = ctx.path.stat().st_size
    if size == 0:
        raise IngestionError(f"{ctx.source}: file is empty")
    if size > ctx.limits.max_document_bytes:
        raise IngestionError(f"{ctx.source}: {size} bytes is above the document limit")
    suffix = ctx.path.suffix.lower()
    extract = {".docx": _docx, ".pdf": _pdf}.get(suffix, _plain)
    title, text = extract(ctx)
    if not text.strip():
        raise IngestionError(f"{ctx.source}: no text could be extracted")
    data = _metadata(title, text, suffix)
    record, rejects = build_record("policies", data, ctx.locator(offset=0))
    yield from rejects
    if record is not None:
        yield record
