"""Profiles: YAML files that map a source's column headers (or JSON keys) to canonical fields.

A profile says which kind of record a table holds, which foreign header feeds which canonical
field (several headers may feed one field: the first non-empty one wins, in file order of the
profile), how list cells are split, and which headers identify the layout for auto-detection.
Headers without a mapping are kept in the record's ``raw``. See docs/formats.md.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from iplayout.errors import IngestionError
from iplayout.ingestion.records import RecordKind
from iplayout.nlp.normalize import t2s, to_halfwidth

log = logging.getLogger(__name__)

BUILTIN_DIR = Path(__file__).with_name("profiles")


class Profile(BaseModel):
    model_config = ConfigDict(extra="forbid")

    name: str
    kind: RecordKind
    description: str = ""
    columns: dict[str, str] = Field(default_factory=dict)  # foreign header -> canonical field
    ignore: list[str] = Field(default_factory=list)  # headers dropped entirely (row numbers, links)
    detect: list[str] = Field(default_factory=list)  # headers that must all be present to auto-select
    separators: dict[str, str] = Field(default_factory=dict)  # canonical field -> separator characters
    defaults: dict[str, Any] = Field(default_factory=dict)  # canonical field -> value when absent
    layout: str = "long"  # stats only: long | wide (metric columns) | years (year columns)

    def lookup(self) -> dict[str, str]:
        """Header → field with headers folded (case, width, spaces) so exports with variants match."""
        return {fold(k): v for k, v in self.columns.items()}

    def knows(self, headers: Iterable[str]) -> int:
        """How many of ``headers`` this profile maps to a field."""
        lookup = self.lookup()
        return len({fold(h) for h in headers} & lookup.keys())

    def detected(self, headers: Iterable[str]) -> bool:
        """All of the profile's ``detect`` headers are present."""
        folded = {fold(h) for h in headers}
        return bool(self.detect) and all(fold(h) in folded for h in self.detect)

    def matches(self, headers: Iterable[str]) -> int:
        """0 when a detect header is missing, else how many mapped headers are present."""
        folded = {fold(h) for h in headers}
        if not self.detect or any(fold(h) not in folded for h in self.detect):
            return 0
        return sum(1 for h in self.columns if fold(h) in folded)


@lru_cache(maxsize=8192)
def fold(header: str) -> str:
    """Header key for matching: width, case and spaces ignored, Traditional headers (公開號) simplified."""
    return t2s("".join(to_halfwidth(str(header)).lower().split()))


def load_profile(path: Path) -> Profile:
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as exc:
        raise IngestionError(f"profile {path}: cannot read ({exc})") from exc
    if not isinstance(data, dict):
        raise IngestionError(f"profile {path}: expected a mapping at the top level")
    try:
        return Profile.model_validate(data)
    except ValidationError as exc:
        first = exc.errors()[0]
        loc = ".".join(str(p) for p in first["loc"])
        raise IngestionError(f"profile {path}: {loc}: {first['msg']}") from exc


@lru_cache(maxsize=1)
def builtin_profiles() -> tuple[Profile, ...]:
    return tuple(load_profile(p) for p in sorted(BUILTIN_DIR.glob("*.yaml")))


def builtin(name: str) -> Profile:
    for profile in builtin_profiles():
        if profile.name == name:
            return profile
    raise IngestionError(f"no built-in profile named {name!r}")


def resolve_profile(spec: str | Path | None) -> Profile | None:
    """A user profile from a path, a built-in by name, or ``None`` (auto-detect)."""
    if spec is None:
        return None
    path = Path(spec)
    if path.suffix in {".yaml", ".yml"} or path.exists():
        return load_profile(path)
    return builtin(str(spec))


def detect_profile(headers: list[str], kind: str | None) -> Profile | None:
    """The built-in profile that recognises the most of ``headers`` (restricted to ``kind``)."""
    scored = [
        (p.matches(headers), p) for p in builtin_profiles() if kind is None or p.kind == kind
    ]
    scored = [(s, p) for s, p in scored if s > 0]
    if not scored:
        return None
    best = max(scored, key=lambda sp: sp[0])[1]
    log.debug("headers matched profile %s", best.name)
    return best


@dataclass(frozen=True)
class Detection:
    """Which built-in profile a table's headers select, and how sure that is."""

    profile: Profile | None
    score: int = 0  # headers the chosen profile maps
    headers: int = 0  # non-empty headers in the file
    tied: tuple[str, ...] = ()  # other profiles that scored exactly as well

    @property
    def note(self) -> str | None:
        """One line when the choice is a tie or rests on few headers, else ``None``."""
        if self.profile is None:
            return None
        name = self.profile.name
        if self.tied:
            return (f"profile {name} chosen over {', '.join(self.tied)} (each maps {self.score} of "
                    f"{self.headers} headers); pass --profile to choose")
        if self.score < 3 and self.score * 2 < self.headers:
            return f"profile {name} maps only {self.score} of {self.headers} headers; pass --profile if it is wrong"
        return None


def rank_profiles(headers: list[str], kind: str | None) -> Detection:
    """The built-in profile that maps the most of ``headers`` (restricted to ``kind``).

    Ties go to a profile whose ``detect`` headers are all present, then to name order; one known
    header alone selects a profile only when it is that profile's detect header.
    """
    present = [h for h in headers if str(h).strip()]
    scored = sorted(((p.knows(present), p.detected(present), p) for p in builtin_profiles()
                     if kind is None or p.kind == kind), key=lambda s: (-s[0], not s[1], s[2].name))
    usable = [(n, d, p) for n, d, p in scored if n >= 2 or (n >= 1 and d)]
    if not usable:
        return Detection(None, 0, len(present))
    score, detected, best = usable[0]
    tied = tuple(p.name for n, d, p in usable[1:] if (n, d) == (score, detected))
    log.debug("headers matched profile %s (%d of %d)", best.name, score, len(present))
    return Detection(best, score, len(present), tied)
