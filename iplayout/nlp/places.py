"""Address → county-level unit, with an explicit method and confidence on every result.

Order of evidence:
1. the configured regions' own layer (short forms, historical names, functional areas), used when
   the address is in that region (it names the region, or a name only that region has);
2. the national year-aware gazetteer (province → prefecture → county);
3. the 国省代码 field of an export, for the province, when the address gives nothing.

A functional area that spans districts (两江新区, 大学城) never becomes a district by guessing: the
result is ``ambiguous`` with the candidate districts, unless the address also names the district.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Literal, TypedDict

from iplayout.nlp import gazetteer as gz
from iplayout.nlp.normalize import normalize_text
from iplayout.nlp.region_layer import CONFIDENCE, Hit, RegionLayer, region_layer

Status = Literal["district", "city", "province", "ambiguous", "none"]


@dataclass(frozen=True)
class Place:
    """Where an address is. ``adcode`` is the finest unit resolved (the city when ambiguous)."""

    status: Status
    method: str
    confidence: float
    adcode: str | None = None
    name: str | None = None
    district: str | None = None
    district_name: str | None = None
    city: str | None = None
    city_name: str | None = None
    province: str | None = None
    province_name: str | None = None
    candidates: tuple[str, ...] = ()
    matched: tuple[str, ...] = ()

    @property
    def resolved(self) -> bool:
        return self.status in ("district", "city", "province")


NOWHERE = Place("none", "none", 0.0)


class _CityKw(TypedDict, total=False):
    """Keyword arguments for a Place's city (typed so ``**`` unpacking is checked)."""

    city: str | None
    city_name: str | None


class _ProvKw(TypedDict, total=False):
    province: str | None
    province_name: str | None


class _Parents(_CityKw, _ProvKw, total=False):
    pass


def resolve(
    address: str | None,
    *,
    year: int | None = None,
    province_code: str | None = None,
    regions: Sequence[str] = ("chongqing",),
) -> Place:
    """Resolve ``address`` as of ``year`` (default 2024); see the module docstring for the rules."""
    text = normalize_text(address).replace(" ", "") if address else ""
    return _resolve(text, gz.clip_year(year), province_code or "", tuple(regions))


@lru_cache(maxsize=65_536)
def _resolve(text: str, year: int, province_code: str, regions: tuple[str, ...]) -> Place:
    if text:
        for name in regions:
            place = _in_region(text, region_layer(name))
            if place is not None:
                return place
        place = _national(text, gz.year_index(year))
        if place.status != "none":
            return place
    return from_province_code(province_code, year) if province_code else NOWHERE


def _in_region(text: str, layer: RegionLayer) -> Place | None:
    text, historical = layer.rewrite(text)
    hits = layer.scan(text)
    if not _is_region_address(text, hits, layer):
        return None
    r = layer.region
    base: _Parents = {"city": r.city_adcode, "city_name": r.city_name, "province": r.province_adcode,
            "province_name": r.province_name}
    suffix = "+historical_prefix" if historical else ""
    units = [h for h in hits if h.kind != "area"]
    areas = [h for h in hits if h.kind == "area"]
    if units:
        first = units[0]
        code = first.adcodes[0]
        conf = CONFIDENCE[first.kind] * (1.0 if len({u.adcodes for u in units}) == 1 else 0.8)
        method = f"region:{first.kind}" + ("+area" if areas else "") + suffix
        district = r.district(code)
        dname = district.name if district else first.name
        return Place("district", method, round(conf, 3), code, dname, code, dname, **base,
                     matched=tuple(h.name for h in hits))
    if areas:
        cands = areas[0].adcodes
        return Place("ambiguous", "region:functional_area" + suffix, round(1 / len(cands), 3), r.city_adcode,
                     r.city_name, **base, candidates=cands, matched=(areas[0].name,))
    return Place("city", "region:city" + suffix, 0.9, r.city_adcode, r.city_name, **base,
                 matched=tuple(m for m in layer.markers if m and m in text)[:1])


def _is_region_address(text: str, hits: list[Hit], layer: RegionLayer) -> bool:
    """The region is named first among provinces, or a name only this region has appears."""
    first = _first_province(text)
    if first is not None:
        return first == layer.region.province_adcode
    current = gz.year_index(None)
    for h in hits:
        if h.kind in ("district", "alias", "historical"):
            others = [u for u in current.counties_named(h.name) if u.province != layer.region.province_adcode]
            if not others:
                return True
    return False


def _first_province(text: str) -> str | None:
    for m in gz.year_index(None).scan(text):
        provinces = {u.province for u in m.units if u.rank < 3}
        if len(provinces) == 1:
            return provinces.pop()
    return None


def _national(text: str, idx: gz.YearIndex) -> Place:
    p = gz.parse(text, idx)
    prov: _ProvKw = {"province": p.province.adcode, "province_name": p.province.name} if p.province else {}
    city: _CityKw = {"city": p.city.adcode, "city_name": p.city.name} if p.city else {}
    if p.county is not None:
        conf, method = (0.85, "gazetteer:unique_county") if p.county_unique else (0.95, "gazetteer")
        return Place("district", method, conf, p.county.adcode, p.county.name, p.county.adcode, p.county.name,
                     **city, **prov, matched=p.matched)
    if p.city is not None:
        return Place("city", "gazetteer", 0.9, p.city.adcode, p.city.name, **city, **prov, matched=p.matched)
    if p.province is not None:
        return Place("province", "gazetteer", 0.9, p.province.adcode, p.province.name, **prov,
                     matched=p.matched)
    return NOWHERE


_PROVINCE_CODE = re.compile(r"(?<!\d)(\d{2})(?:0000)?(?!\d)")


def from_province_code(code: str, year: int | None = None) -> Place:
    """``河南(41)``, ``41``, ``410000`` → the province; anything else → nowhere."""
    m = _PROVINCE_CODE.search(code)
    unit = gz.year_index(year).by_code.get(f"{m.group(1)}0000") if m else None
    if unit is None:
        return NOWHERE
    return Place("province", "province_code", 0.7, unit.adcode, unit.name, province=unit.adcode,
                 province_name=unit.name)


def from_adcode(
    adcode: str, year: int | None = None, method: str = "adcode", confidence: float = 0.9,
    regions: Sequence[str] = ("chongqing",),
) -> Place:
    """A place from a division code (e.g. positions 3–8 of a 统一社会信用代码)."""
    for name in regions:
        r = region_layer(name).region
        d = r.district(adcode)
        if d is not None:
            return Place("district", method, confidence, d.adcode, d.name, d.adcode, d.name, r.city_adcode,
                         r.city_name, r.province_adcode, r.province_name)
    idx = gz.year_index(year)
    unit = idx.by_code.get(adcode)
    if unit is None:
        return NOWHERE
    prov = idx.by_code.get(unit.province)
    pkw: _ProvKw = {"province": unit.province, "province_name": prov.name if prov else unit.province_name}
    if unit.rank == 1:
        return Place("province", method, confidence, unit.adcode, unit.name, **pkw)
    ckw: _CityKw = {"city": unit.city, "city_name": unit.city_name}
    if unit.rank == 2:
        return Place("city", method, confidence, unit.adcode, unit.name, **ckw, **pkw)
    return Place("district", method, confidence, unit.adcode, unit.name, unit.adcode, unit.name, **ckw, **pkw)
