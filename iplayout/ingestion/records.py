"""Canonical records: the stable, documented shape every reader produces (see docs/formats.md).

Records are pure data: they never save themselves; persistence lives in ``graph/``.
``locator`` says where a record came from (file, sheet, row / element / offset) for provenance.
``raw`` keeps source columns that have no canonical field, so nothing is dropped.
"""

from __future__ import annotations

import hashlib
import json
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

NonEmpty = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=2_000)]
LongText = Annotated[str, StringConstraints(max_length=1_000_000)]
IsoDate = Annotated[str, StringConstraints(pattern=r"^\d{4}-\d{2}-\d{2}$")]

RecordKind = Literal["patents", "papers", "standards", "policies", "stats"]


class Locator(BaseModel):
    model_config = ConfigDict(frozen=True)

    file: str
    sheet: str | None = None
    row: int | None = None  # 1-based data row (header excluded) for tables, line number for JSONL
    element: str | None = None  # XPath-like position for XML
    offset: int | None = None  # byte/char offset where neither applies

    def __str__(self) -> str:
        parts = [self.file]
        if self.sheet:
            parts.append(f"sheet={self.sheet}")
        if self.row is not None:
            parts.append(f"row={self.row}")
        if self.element:
            parts.append(f"element={self.element}")
        if self.offset is not None:
            parts.append(f"offset={self.offset}")
        return "#".join(parts)


class _Record(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    id: NonEmpty
    lang: str | None = None
    locator: Locator | None = None
    original: dict[str, str] = Field(default_factory=dict)  # text before t2s, by field, when it changed
    raw: dict[str, Any] = Field(default_factory=dict)  # unknown source columns, kept verbatim
    synthetic: bool = False


class Party(BaseModel):
    """An applicant / assignee: a name with an optional address (and country code when given)."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    name: NonEmpty
    address: str | None = None
    country: str | None = None
    postcode: str | None = None  # a leading 6-digit CN postcode split off the address


class Author(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    name: NonEmpty
    affiliation: str | None = None
    address: str | None = None


class PatentRecord(_Record):
    kind_of_record: Literal["patents"] = "patents"
    application_number: str | None = None
    title: NonEmpty
    abstract: LongText | None = None
    applicants: list[Party] = Field(default_factory=list)
    inventors: list[str] = Field(default_factory=list)
    ipc: list[str] = Field(default_factory=list)  # normalised, e.g. "H01M 10/0525"; first = main
    cpc: list[str] = Field(default_factory=list)
    application_date: IsoDate | None = None
    publication_date: IsoDate | None = None
    grant_date: IsoDate | None = None
    kind: Literal["invention", "utility", "design"] | None = None
    legal_status: str | None = None
    cites: list[str] = Field(default_factory=list)
    family: list[str] = Field(default_factory=list)
    claims_count: int | None = None
    province_code: str | None = None  # 国省代码 as given by the export


class PaperRecord(_Record):
    kind_of_record: Literal["papers"] = "papers"
    doi: str | None = None
    title: NonEmpty
    abstract: LongText | None = None
    authors: list[Author] = Field(default_factory=list)
    keywords: list[str] = Field(default_factory=list)
    year: int | None = Field(default=None, ge=1800, le=2100)
    venue: str | None = None
    cites: list[str] = Field(default_factory=list)
    affiliations: list[str] = Field(default_factory=list)  # every affiliation line of the record, in order


class StandardRecord(_Record):
    kind_of_record: Literal["standards"] = "standards"
    title: NonEmpty
    status: str | None = None
    issued: IsoDate | None = None
    implemented: IsoDate | None = None
    ics: list[str] = Field(default_factory=list)
    ccs: list[str] = Field(default_factory=list)
    drafters: list[str] = Field(default_factory=list)
    scope: LongText | None = None


class PolicyRecord(_Record):
    kind_of_record: Literal["policies"] = "policies"
    title: NonEmpty
    issuer: str | None = None
    date: IsoDate | None = None
    year: int | None = Field(default=None, ge=1900, le=2100)
    level: Literal["national", "provincial", "municipal", "district"] | None = None
    region: str | None = None
    text: LongText = ""


class StatRecord(_Record):
    """One observation: district × year × metric × value × unit × source."""

    kind_of_record: Literal["stats"] = "stats"
    district: NonEmpty  # name or adcode as given; resolved to an adcode by nlp.places
    adcode: str | None = None
    year: int = Field(ge=1900, le=2100)
    metric: NonEmpty
    value: float
    unit: str | None = None
    source: str | None = None


AnyRecord = PatentRecord | PaperRecord | StandardRecord | PolicyRecord | StatRecord

RECORD_TYPES: dict[str, type[_Record]] = {
    "patents": PatentRecord,
    "papers": PaperRecord,
    "standards": StandardRecord,
    "policies": PolicyRecord,
    "stats": StatRecord,
}


class Reject(BaseModel):
    """A problem written to the rejects JSONL; the run goes on.

    ``action="record"``: the whole record was refused. ``action="field"``: only the bad value was
    dropped (an invalid IPC code, an unparseable optional date) and the record itself was kept.
    """

    locator: str
    field: str | None = None
    reason: str
    raw_value: str | None = None  # shortened to 500 characters
    action: Literal["record", "field"] = "record"
    record_id: str | None = None


# The encoder ``json.dumps(..., ensure_ascii=False, sort_keys=True, separators=(",", ":"))`` would
# build on every call, made once. A model dump is a fresh tree, so the circular-reference check
# (a dict insert and delete per container) cannot fire and is left out: the output is the same.
_CANONICAL = json.JSONEncoder(ensure_ascii=False, sort_keys=True, separators=(",", ":"), check_circular=False)


def canonical_json(record: AnyRecord) -> str:
    """The stable JSON of a record without its locator: what the ledger hashes and stores."""
    return _CANONICAL.encode(record.model_dump(mode="json", exclude={"locator"}))


def content_hash(record: AnyRecord) -> str:
    return hashlib.sha256(canonical_json(record).encode("utf-8")).hexdigest()
