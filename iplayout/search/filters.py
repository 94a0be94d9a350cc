"""Search filters: AND across fields, OR among the values of one field.

``district`` is an adcode, ``zone`` a zone id or name, ``industry`` an industry id or name,
``organization`` an organisation id or name (case-insensitive), ``ipc`` a prefix of an IPC code
(spaces ignored: ``H01M10`` matches ``H01M 10/0525``), years are inclusive. Documents without a
year never match a year filter.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from pydantic import BaseModel, ConfigDict, field_validator

from iplayout.search.documents import doc_type

FACETS = ("districts", "zones", "industries", "organizations", "ipc")


def norm_value(field: str, value: str) -> str:
    """Canonical form of a facet value, the same for documents and filters."""
    v = value.strip()
    if field == "ipc":
        return v.replace(" ", "").upper()
    if field in ("organizations", "people", "cites", "venue"):
        return " ".join(v.casefold().split())
    return v


def _as_tuple(v: Any) -> tuple[str, ...]:
    if v is None or v == "":
        return ()
    if isinstance(v, str):
        return (v,)
    return tuple(str(x) for x in v)


class SearchFilters(BaseModel):
    model_config = ConfigDict(frozen=True)

    types: tuple[str, ...] = ()
    districts: tuple[str, ...] = ()
    zones: tuple[str, ...] = ()
    industries: tuple[str, ...] = ()
    organizations: tuple[str, ...] = ()
    ipc: tuple[str, ...] = ()  # prefixes
    year_from: int | None = None
    year_to: int | None = None

    @field_validator("types", mode="before")
    @classmethod
    def _types(cls, v: Any) -> tuple[str, ...]:
        return tuple(doc_type(t) for t in _as_tuple(v))

    @field_validator(*FACETS, mode="before")
    @classmethod
    def _facets(cls, v: Any) -> tuple[str, ...]:
        return _as_tuple(v)

    @classmethod
    def from_mapping(cls, m: Mapping[str, Any]) -> SearchFilters:
        """Filters from loose keys as written in a queries file (``type``, ``district``, ``org`` …)."""
        alias = {"type": "types", "district": "districts", "zone": "zones", "industry": "industries",
                 "org": "organizations", "organization": "organizations", "ipc_prefix": "ipc"}
        known = set(cls.model_fields)
        values = {alias.get(k, k): v for k, v in m.items() if alias.get(k, k) in known}
        return cls(**values)

    def is_empty(self) -> bool:
        return not (self.types or any(getattr(self, f) for f in FACETS)
                    or self.year_from is not None or self.year_to is not None)

    def matches(self, meta: Mapping[str, Any]) -> bool:
        """Whether one document's metadata (``IndexDoc`` fields) satisfies every filter."""
        if self.types and meta["type"] not in self.types:
            return False
        year = meta.get("year")
        if self.year_from is not None and (year is None or year < self.year_from):
            return False
        if self.year_to is not None and (year is None or year > self.year_to):
            return False
        for field in FACETS:
            wanted = getattr(self, field)
            if wanted and not _facet_ok(field, wanted, meta.get(field) or ()):
                return False
        return True


def _facet_ok(field: str, wanted: Iterable[str], have: Iterable[str]) -> bool:
    have_n = {norm_value(field, h) for h in have}
    want_n = [norm_value(field, w) for w in wanted]
    if field == "ipc":
        return any(h.startswith(w) for w in want_n for h in have_n)
    return any(w in have_n for w in want_n)
