"""What the search index holds for a document, and which text of it is embedded.

Text per type (``IndexDoc.text`` is filled by the build pipeline, or by ``index_doc_from_record``):

* Patent, Paper: title + abstract;
* Standard: title + scope;
* Policy: title + full text, cut into passages.

Any text longer than ``chunk_chars`` is cut into passages at sentence ends; every passage is
embedded with the title in front, and a document's dense score is the maximum over its passages
(a query of several sentences is embedded sentence by sentence: ``SearchService.embed_queries``).
BM25 sees the whole title + text as one field.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, field_validator

from iplayout.errors import SearchError

DOC_TYPES = ("Patent", "Paper", "Standard", "Policy")
_TYPE_ALIASES = {
    **{t.lower(): t for t in DOC_TYPES},
    "patents": "Patent", "papers": "Paper", "standards": "Standard", "policies": "Policy",
    "literature": "Paper", "专利": "Patent", "论文": "Paper", "文献": "Paper", "标准": "Standard", "政策": "Policy",
}
_SENTENCE_END = re.compile(r"(?<=[。！？；!?;])|(?<=\.)\s+|\n+")


def doc_type(name: str) -> str:
    """Canonical type label (``Patent`` …) for a name such as ``patent``, ``papers`` or ``专利``."""
    label = _TYPE_ALIASES.get(name.strip().lower())
    if label is None:
        raise SearchError(f"unknown document type {name!r}; one of: {', '.join(DOC_TYPES)}")
    return label


class IndexDoc(BaseModel):
    """One document as the search index sees it; ``id`` is the graph id."""

    model_config = ConfigDict(frozen=True, str_strip_whitespace=True)

    id: str = Field(min_length=1)
    type: str
    title: str = ""
    text: str = ""
    year: int | None = None
    districts: tuple[str, ...] = ()  # adcodes
    zones: tuple[str, ...] = ()
    industries: tuple[str, ...] = ()
    organizations: tuple[str, ...] = ()  # organisation ids or names, as the pipeline resolves them
    ipc: tuple[str, ...] = ()
    lang: str | None = None
    # what `related` fuses besides text (see search/related.py): authors or inventors, the venue,
    # and every cited identifier (DOI, patent number) whether or not it resolves to an indexed
    # document, so bibliographic coupling works on partial corpora
    people: tuple[str, ...] = ()
    venue: str | None = None
    cites: tuple[str, ...] = ()

    @field_validator("type")
    @classmethod
    def _type(cls, v: str) -> str:
        return doc_type(v)


def sentences(text: str) -> list[str]:
    """The sentences of ``text`` (split after Chinese or Latin sentence-ending punctuation and at line breaks)."""
    return [s.strip() for s in _SENTENCE_END.split(text) if s and s.strip()]


def chunk_text(text: str, chunk_chars: int, max_chunks: int) -> list[str]:
    """Sentence-aligned passages of at most ``chunk_chars`` characters (longer sentences are cut)."""
    text = text.strip()
    if len(text) <= chunk_chars:
        return [text] if text else []
    out: list[str] = []
    cur = ""
    for sent in sentences(text):
        while len(sent) > chunk_chars:
            if cur:
                out.append(cur)
                cur = ""
            out.append(sent[:chunk_chars])
            sent = sent[chunk_chars:]
        sep = "" if not cur or _is_cjk(cur[-1]) else " "
        if len(cur) + len(sep) + len(sent) > chunk_chars:
            out.append(cur)
            cur = sent
        else:
            cur = f"{cur}{sep}{sent}"
    if cur:
        out.append(cur)
    return out[:max_chunks]


def _is_cjk(ch: str) -> bool:
    return "\u2e80" <= ch <= "\u9fff" or "\uff00" <= ch <= "\uffef" or "\u3000" <= ch <= "\u303f"


def passages(doc: IndexDoc, chunk_chars: int, max_chunks: int) -> list[str]:
    """The texts embedded for ``doc``: ``title + passage`` for each passage (the title alone if no text)."""
    chunks = chunk_text(doc.text, chunk_chars, max_chunks)
    if not chunks:
        return [doc.title or doc.id]
    sep = "" if doc.title and _is_cjk(doc.title[-1]) else ". "
    return [f"{doc.title}{sep}{c}" if doc.title else c for c in chunks]


def lexical_text(doc: IndexDoc) -> str:
    return f"{doc.title}\n{doc.text}" if doc.title else doc.text


def index_doc_from_record(record: Any, **meta: Any) -> IndexDoc:
    """An ``IndexDoc`` from a canonical record (``PatentRecord`` …); ``meta`` adds districts, zones …

    The build pipeline passes the resolved facets (districts, organisations, industries) as ``meta``.
    """
    kind = getattr(record, "kind_of_record", None)
    fields: dict[str, Any] = {"id": record.id, "title": record.title, "lang": record.lang}
    if kind == "patents":
        year = next((int(d[:4]) for d in (record.application_date, record.publication_date) if d), None)
        fields |= {"type": "Patent", "text": record.abstract or "", "year": year, "ipc": tuple(record.ipc),
                   "organizations": tuple(p.name for p in record.applicants),
                   "people": tuple(record.inventors), "cites": tuple(record.cites)}
    elif kind == "papers":
        fields |= {"type": "Paper", "text": record.abstract or "", "year": record.year,
                   "people": tuple(a.name for a in record.authors), "venue": record.venue,
                   "cites": tuple(record.cites)}
    elif kind == "standards":
        year = int(record.issued[:4]) if record.issued else None
        fields |= {"type": "Standard", "text": record.scope or "", "year": year,
                   "organizations": tuple(record.drafters)}
    elif kind == "policies":
        fields |= {"type": "Policy", "text": record.text, "year": record.year,
                   "organizations": (record.issuer,) if record.issuer else ()}
    else:
        raise SearchError(f"records of kind {kind!r} are not searchable documents")
    return IndexDoc(**(fields | meta))


def ensure_unique(docs: Sequence[IndexDoc]) -> list[IndexDoc]:
    """The last version of each id wins (a batch may repeat an id when a record was updated)."""
    return list({d.id: d for d in docs}.values())
