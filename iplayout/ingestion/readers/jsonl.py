"""JSON Lines: the canonical format of every kind (always accepted) and foreign JSONL via profiles.

A line's kind comes from ``kind_of_record`` when present, else ``--kind``/``--profile``, else the
built-in profile that recognises the first line's keys, else the canonical fields it carries.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

from iplayout.errors import IngestionError
from iplayout.ingestion import textio
from iplayout.ingestion.fields import shorten
from iplayout.ingestion.profiles import Profile, detect_profile
from iplayout.ingestion.readers.base import Item, ReadContext, RowMapper
from iplayout.ingestion.records import RECORD_TYPES, Reject
from iplayout.ingestion.safety import looks_binary

# Fields that only one kind has: enough to recognise canonical lines without kind_of_record.
_MARKERS = {
    "patents": {"application_number", "applicants", "inventors", "ipc", "cpc", "grant_date"},
    "papers": {"authors", "doi", "venue"},
    "standards": {"ics", "ccs", "drafters", "implemented", "issued"},
    "policies": {"issuer", "level", "text"},
    "stats": {"metric", "value", "district", "adcode"},
    "trademarks": {"holders", "classes", "groups", "mark_type", "registration_number", "expiry_date"},
}


def guess_kind(keys: set[str]) -> str | None:
    scores = {kind: len(keys & marks) for kind, marks in _MARKERS.items()}
    best = max(scores, key=lambda k: scores[k])
    return best if scores[best] else None


class _Mappers:
    """One mapper per kind, created on first use (a canonical file may mix kinds)."""

    def __init__(self, ctx: ReadContext) -> None:
        self.ctx = ctx
        self._by_kind: dict[str, RowMapper] = {}
        self._default: RowMapper | None = None

    def for_line(self, obj: dict[str, Any]) -> RowMapper | None:
        declared = obj.pop("kind_of_record", None)
        if isinstance(declared, str) and declared in RECORD_TYPES:
            return self._canonical(declared)
        if self._default is None:
            self._default = self._choose(obj)
        return self._default

    def _canonical(self, kind: str) -> RowMapper:
        if self.ctx.profile is not None and self.ctx.profile.kind == kind:
            return RowMapper(self.ctx.profile)
        if kind not in self._by_kind:
            self._by_kind[kind] = RowMapper(Profile(name=f"canonical_{kind}", kind=kind))  # type: ignore[arg-type]
        return self._by_kind[kind]

    def _choose(self, obj: dict[str, Any]) -> RowMapper | None:
        if self.ctx.profile is not None:
            return RowMapper(self.ctx.profile)
        profile = detect_profile(list(obj), self.ctx.kind)
        if profile is not None:
            return RowMapper(profile)
        kind = self.ctx.kind or guess_kind(set(obj))
        return self._canonical(kind) if kind else None


def read_jsonl(ctx: ReadContext) -> Iterator[Item]:
    sample, encoding = textio.sniff(ctx.path)
    if not sample.strip():
        raise IngestionError(f"{ctx.source}: file is empty")
    if looks_binary(sample, encoding):
        raise IngestionError(f"{ctx.source}: binary content, not JSON Lines")
    report = textio.DecodeReport(encoding)
    mappers = _Mappers(ctx)
    for lineno, line in enumerate(textio.iter_lines(ctx.path, report), start=1):
        if not line.strip():
            continue
        where = ctx.locator(row=lineno)
        if lineno in report.bad_lines:
            yield Reject(locator=str(where), reason=f"undecodable bytes (not {encoding})")
            continue
        try:
            obj = json.loads(line)
        except json.JSONDecodeError as exc:
            yield Reject(locator=str(where), reason=f"invalid JSON: {exc.msg}", raw_value=shorten(line, 200))
            continue
        if not isinstance(obj, dict):
            yield Reject(locator=str(where), reason="a JSON object per line is expected", raw_value=shorten(line))
            continue
        mapper = mappers.for_line(obj)
        if mapper is None:
            raise IngestionError(
                f"{ctx.source}: cannot tell the record kind of line {lineno}; "
                "add kind_of_record, or pass --kind or --profile"
            )
        yield from mapper.records(obj, where)
