"""What every reader shares: the context it runs in and the row → record mapping for tables/JSON."""

from __future__ import annotations

import logging
import re
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from iplayout.errors import IngestionError
from iplayout.ingestion.draft import build_record
from iplayout.ingestion.fields import is_empty
from iplayout.ingestion.profiles import Profile, fold, rank_profiles
from iplayout.ingestion.records import RECORD_TYPES, AnyRecord, Locator, Reject

Item = AnyRecord | Reject
log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Limits:
    max_document_bytes: int = 50 * 1024 * 1024  # one policy document (txt/html/pdf/docx)
    max_uncompressed_bytes: int = 1024 * 1024 * 1024  # all members of an xlsx/docx together
    max_compression_ratio: float = 200.0  # per zip member; real xlsx stay well below 100
    max_zip_members: int = 10_000


@dataclass(frozen=True)
class ReadContext:
    path: Path  # where to read
    source: str  # how the ledger names the file (resolved path)
    kind: str | None = None  # forced by --kind
    profile: Profile | None = None  # forced by --profile
    limits: Limits = Limits()

    def locator(self, **where: Any) -> Locator:
        return Locator(file=self.source, **where)


class RowMapper:
    """Maps one table row (header → value) to a canonical field dict with the unknowns in ``raw``."""

    def __init__(self, profile: Profile) -> None:
        self.profile = profile
        self.kind = profile.kind
        self._lookup = profile.lookup()
        self._ignore = {fold(h) for h in profile.ignore}
        self._known = set(RECORD_TYPES[profile.kind].model_fields)
        # Every row repeats the same headers: decide each header's route once (bounded for JSON keys).
        self._route = lru_cache(maxsize=4096)(self._route_of)

    def field_for(self, header: str) -> str | None:
        key = fold(header)
        if key in self._ignore:
            return None
        found = self._lookup.get(key)
        if found:
            return found
        return header if header in self._known else None

    def _route_of(self, header: str) -> tuple[bool, str | None]:
        """(ignored, canonical field or ``None`` for ``raw``) of one header."""
        return fold(header) in self._ignore, self.field_for(header)

    def map(self, row: dict[str, Any]) -> dict[str, Any]:
        data: dict[str, Any] = dict(self.profile.defaults)
        raw: dict[str, Any] = {}
        given: set[str] = set()
        route = self._route
        for header, value in row.items():
            ignored, target = route(header)
            if ignored:
                continue
            if target is None:
                if not _blank(value):
                    raw[header] = value  # verbatim, "0" included: it can be a real value
            elif target not in given:
                if isinstance(value, str) and not value.strip():
                    continue
                data[target] = value  # first non-empty source column for a field wins
                given.add(target)
            elif not is_empty(value) and value != data.get(target):
                raw[header] = value
        if "raw" in data and isinstance(data["raw"], dict):
            raw = {**data["raw"], **raw}
        data["raw"] = raw
        return data

    def records(self, row: dict[str, Any], locator: Locator) -> Iterator[Item]:
        data = self.map(row)
        drafts = _wide_rows(data, self.profile) if self.kind == "stats" else [data]
        for draft in drafts:
            record, rejects = build_record(self.kind, draft, locator, self.profile.separators)
            yield from rejects
            if record is not None:
                yield record


def _blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and value.strip() == "")


_UNIT = re.compile(r"^(.*?)\s*[(（\[]\s*([^)）\]]+)\s*[)）\]]\s*$")
_YEAR_HEADER = re.compile(r"^\s*((?:19|20)\d{2})\s*(?:年)?\s*$")


def _wide_rows(data: dict[str, Any], profile: Profile) -> list[dict[str, Any]]:
    """Split a wide statistics row (one column per metric or per year) into long observations."""
    if profile.layout == "long":
        return [data]
    raw = data.pop("raw")
    base = dict(data)
    out: list[dict[str, Any]] = []
    rest: dict[str, Any] = {}
    for header, value in raw.items():
        if profile.layout == "years":
            match = _YEAR_HEADER.match(header)
            if match:
                out.append({**base, "year": match.group(1), "value": value})
                continue
        else:
            metric, unit = _metric_unit(header)
            out.append({**base, "metric": metric, "unit": unit, "value": value})
            continue
        rest[header] = value
    for item in out:
        item["raw"] = dict(rest)
    return out


def _metric_unit(header: str) -> tuple[str, str | None]:
    match = _UNIT.match(header)
    return (match.group(1).strip(), match.group(2).strip()) if match else (header.strip(), None)


def pick_mapper(headers: list[str], ctx: ReadContext) -> RowMapper:
    """The mapper for a table: the forced profile, else the built-in that maps most headers, else canonical names."""
    if ctx.profile is not None:
        return RowMapper(ctx.profile)
    detection = rank_profiles(headers, ctx.kind)
    if detection.profile is not None:
        if detection.note:
            log.warning("%s: %s", ctx.source, detection.note)
        return RowMapper(detection.profile)
    if ctx.kind is not None:
        return RowMapper(Profile(name=f"canonical_{ctx.kind}", kind=ctx.kind))  # type: ignore[arg-type]
    shown = ", ".join(h[:30] for h in headers[:6] if h) or "(none)"
    raise IngestionError(
        f"{ctx.source}: cannot recognise the columns ({shown}); pass --kind or --profile"
    )
