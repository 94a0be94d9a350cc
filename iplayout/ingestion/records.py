"""Canonical records: the stable, documented shape every reader produces (see docs/formats.md).

Records are pure data: they never save themselves; persistence lives in ``graph/``.
``locator`` says where a record came from (file, sheet, row / element / offset) for provenance.
``raw`` keeps source columns that have no canonical field, so nothing is dropped.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from operator import itemgetter
from typing import Annotated, Any, Literal, NamedTuple

from pydantic import BaseModel, ConfigDict, Field, StringConstraints
from pydantic_core import PydanticSerializationError, to_json

NonEmpty = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=2_000)]
LongText = Annotated[str, StringConstraints(max_length=1_000_000)]
IsoDate = Annotated[str, StringConstraints(pattern=r"^\d{4}-\d{2}-\d{2}$")]

RecordKind = Literal["patents", "papers", "standards", "policies", "stats", "trademarks"]


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


class TrademarkRecord(_Record):
    """One registered (or applied-for) mark: CNIPA open data, USPTO TDXF or canonical JSONL."""

    kind_of_record: Literal["trademarks"] = "trademarks"
    office: str | None = None  # CN, US, ...
    registration_number: str | None = None  # 注册号/申请号, USPTO serial number
    name: str | None = None  # 商标名称 / mark-identification; some CNIPA batches have none
    mark_type: str | None = None  # 商标类型 / 商标形态 / USPTO mark drawing code, as given
    classes: list[str] = Field(default_factory=list)  # Nice classes, two digits ("09"); first = main
    groups: list[str] = Field(default_factory=list)  # CN similar-goods groups, four digits ("0901")
    goods: list[str] = Field(default_factory=list)  # goods / services as given
    holders: list[Party] = Field(default_factory=list)  # registrant first, then co-owners
    application_date: IsoDate | None = None
    publication_date: IsoDate | None = None  # 初审公告日期 / published for opposition
    registration_date: IsoDate | None = None  # 注册公告日期 / registration date
    expiry_date: IsoDate | None = None  # 专用期结束日期 / renewal due
    status: str | None = None  # as given by the office (CNIPA open data has none: derived from the dates)
    well_known: bool | None = None  # 是否驰名商标


AnyRecord = PatentRecord | PaperRecord | StandardRecord | PolicyRecord | StatRecord | TrademarkRecord

RECORD_TYPES: dict[str, type[_Record]] = {
    "patents": PatentRecord,
    "papers": PaperRecord,
    "standards": StandardRecord,
    "policies": PolicyRecord,
    "stats": StatRecord,
    "trademarks": TrademarkRecord,
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
# What ``_CANONICAL.encode`` builds on every call (a C encoder object), built once.
_MAKE_ENCODER = getattr(json.encoder, "c_make_encoder", None)  # None without the C accelerator
_ENCODE: Any = (
    _MAKE_ENCODER(None, _CANONICAL.default, json.encoder.encode_basestring, None, ":", ",", True, False, True)
    if _MAKE_ENCODER is not None
    else None
)
_NO_LOCATOR = {"locator"}  # never mutated


class _NotPlain(Exception):
    """A value the sorted serializer leaves to the stdlib encoder (floats are written differently)."""


def _plain_sorted(value: Any) -> Any:
    """``value`` with every object's members in key order; only JSON types whose text both encoders
    write alike (str, int, bool, null, arrays, objects with str keys), else ``_NotPlain``."""
    cls = value.__class__
    if cls is str or cls is int or cls is bool or value is None:
        return value
    if cls is dict:
        out = {}
        for key in sorted(value):  # TypeError for keys of mixed types
            if key.__class__ is not str:
                raise _NotPlain
            item = value[key]
            cls = item.__class__
            out[key] = item if cls is str or item is None else _plain_sorted(item)
        return out
    if cls is list:
        return [_plain_sorted(item) for item in value]
    raise _NotPlain


_SAME_TEXT = frozenset({"str", "int", "bool", "literal"})  # leaf schemas both encoders write alike


class _Plan(NamedTuple):
    """How to lay out a record's fields for ``pydantic_core.to_json`` so that it writes the text
    ``canonical_json``'s stdlib encoder writes: members in key order at every level."""

    order: tuple[str, ...]  # the fields but the locator, sorted; values copied as they are
    values: Any  # itemgetter of ``order``
    objects: tuple[str, ...]  # dict fields (raw, original): sorted and checked by _plain_sorted
    models: tuple[tuple[str, tuple[str, ...], Any], ...]  # list-of-model fields: item fields sorted, getter


def _unwrap(schema: dict[str, Any]) -> dict[str, Any]:
    while schema.get("type") in ("default", "nullable", "model-field"):
        schema = schema["schema"]
    return schema


def _closed(model_schema: Mapping[str, Any]) -> bool:
    """The model's fields are all it dumps: no extra members, no computed ones."""
    extra = getattr(model_schema.get("cls"), "model_config", {}).get("extra")
    return extra != "allow" and not model_schema["schema"].get("computed_fields")


def _leaf_fields(model_schema: dict[str, Any]) -> tuple[str, ...] | None:
    """The sorted field names of a nested model (Party, Author) whose fields are all leaves."""
    if model_schema.get("type") != "model" or not _closed(model_schema):
        return None
    fields = model_schema["schema"]["fields"]
    if any(_unwrap(f).get("type") not in _SAME_TEXT or f.get("serialization_alias") for f in fields.values()):
        return None
    return tuple(sorted(fields))


def _plan(model: type[BaseModel]) -> _Plan | None:
    """``None`` when a field could be written differently (a float, or a type not checked here)."""
    schema = model.__pydantic_core_schema__
    if schema.get("type") != "model" or not _closed(schema):
        return None
    objects, models = [], []
    for name, field in schema["schema"]["fields"].items():
        inner = _unwrap(field)
        kind = inner.get("type")
        if field.get("serialization_alias") or field.get("serialization_exclude"):
            return None
        if kind == "list" and _unwrap(inner["items_schema"]).get("type") in _SAME_TEXT:
            continue
        if kind == "list" and (sub := _leaf_fields(inner["items_schema"])) is not None:
            models.append((name, sub, itemgetter(*sub)))
        elif kind == "dict":
            objects.append(name)
        elif kind not in _SAME_TEXT and name != "locator":
            return None
    order = tuple(sorted(n for n in schema["schema"]["fields"] if n != "locator"))
    if len(order) < 2 or any(len(sub) < 2 for _, sub, _ in models):
        return None  # itemgetter of one name returns the value, not a tuple
    return _Plan(order, itemgetter(*order), tuple(objects), tuple(models))


_PLANS: dict[type[BaseModel], _Plan | None] = {}
for _model in RECORD_TYPES.values():
    try:
        _PLANS[_model] = _plan(_model)
    except (KeyError, TypeError, AttributeError):  # an unexpected schema shape: the stdlib encoder
        _PLANS[_model] = None


def _fast_utf8(record: AnyRecord) -> bytes | None:
    """Canonical JSON from the record's own values by pydantic's native encoder (a third of the CPU
    of a model dump plus the stdlib encoder), or ``None`` to use those."""
    plan = _PLANS.get(type(record))
    if plan is None:
        return None
    try:
        out = dict(zip(plan.order, plan.values(record.__dict__), strict=True))
        for name in plan.objects:
            if out[name]:
                out[name] = _plain_sorted(out[name])
        for name, fields, values in plan.models:
            if out[name]:
                out[name] = [dict(zip(fields, values(item.__dict__), strict=True)) for item in out[name]]
        return to_json(out)
    except (_NotPlain, KeyError, AttributeError, TypeError, PydanticSerializationError, ValueError):
        return None


def canonical_utf8(record: AnyRecord) -> bytes:
    """``canonical_json(record).encode("utf-8")``."""
    fast = _fast_utf8(record)
    return fast if fast is not None else _stdlib_json(record).encode("utf-8")


def canonical_json(record: AnyRecord) -> str:
    """The stable JSON of a record without its locator: what the ledger hashes and stores."""
    fast = _fast_utf8(record)
    return fast.decode("utf-8") if fast is not None else _stdlib_json(record)


def _stdlib_json(record: AnyRecord) -> str:
    dumped = record.model_dump(mode="json", exclude=_NO_LOCATOR)
    return "".join(_ENCODE(dumped, 0)) if _ENCODE is not None else _CANONICAL.encode(dumped)


def content_hash(record: AnyRecord) -> str:
    return hashlib.sha256(canonical_utf8(record)).hexdigest()
