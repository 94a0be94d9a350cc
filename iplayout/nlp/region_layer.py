"""A region's own gazetteer layer on top of the national one.

It knows what the national data cannot: short forms (石柱县, 沙坪坝), names that no longer exist
(璧山县 → 璧山区 since 2014, taken from the region's `changes`), earlier administrations
(四川省重庆市 before 1997) and functional areas that span districts (两江新区). Every name maps to
the unit that exists *today*, because the graph holds today's districts; the method says how.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from typing import Literal

from iplayout.regions import Region, load_region

NameKind = Literal["district", "alias", "short", "historical", "area"]

# Confidence that a name found in a region address denotes the unit it maps to.
CONFIDENCE: dict[NameKind, float] = {"district": 0.95, "alias": 0.9, "historical": 0.9, "short": 0.8,
                                     "area": 0.0}


@dataclass(frozen=True)
class Hit:
    start: int
    name: str
    kind: NameKind
    adcodes: tuple[str, ...]  # one district, or the candidates of a functional area


@dataclass
class RegionLayer:
    region: Region
    names: dict[str, tuple[NameKind, tuple[str, ...]]]
    max_len: int

    @property
    def markers(self) -> tuple[str, ...]:
        """Text that puts an address in this region (besides its own district names)."""
        return (self.region.province_name, self.region.province_short, *self.region.historical_prefixes)

    def rewrite(self, text: str) -> tuple[str, bool]:
        """Replace historical prefixes; the flag says whether one was found."""
        for old, new in self.region.historical_prefixes.items():
            if old in text:
                return text.replace(old, new), True
        return text, False

    def scan(self, text: str) -> list[Hit]:
        hits: list[Hit] = []
        i, n = 0, len(text)
        while i < n - 1:
            for size in range(min(self.max_len, n - i), 1, -1):
                entry = self.names.get(text[i:i + size])
                if entry:
                    hits.append(Hit(i, text[i:i + size], entry[0], entry[1]))
                    i += size
                    break
            else:
                i += 1
        return hits


@lru_cache(maxsize=16)
def region_layer(name: str) -> RegionLayer:
    region = load_region(name)
    names: dict[str, tuple[NameKind, tuple[str, ...]]] = {}

    def put(key: str, kind: NameKind, codes: tuple[str, ...]) -> None:
        if len(key) >= 2 and key not in names:
            names[key] = (kind, codes)

    for d in region.districts:
        put(d.name, "district", (d.adcode,))
    for alias, code in region.aliases.items():
        put(alias, "alias", (code,))
    for change in region.applied_changes():
        for _, old_name in change.from_units:
            put(old_name, "historical", (change.to_adcode,))
    for area in region.functional_areas:
        for area_name in (area.name, *area.aliases):
            put(area_name, "area", area.candidates)
    for d in region.districts:  # short forms last: a full or historical name always wins
        if d.name[-1] in "区县" and "自治" not in d.name:
            put(d.name[:-1], "short", (d.adcode,))
    return RegionLayer(region, names, max(map(len, names)))
