"""Region data: one YAML file per region (gazetteer layer, zones, history, functional areas).

Nothing in the package names a region in code; ``Settings.region`` picks the file. The YAML
format is documented in docs/extraction.md ("Region files").
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

from iplayout.errors import ConfigError

REGIONS_DIR = Path(__file__).resolve().parent


@dataclass(frozen=True)
class DistrictDef:
    adcode: str
    name: str
    type: str
    lon: float | None = None
    lat: float | None = None
    zones: dict[str, str] = field(default_factory=dict)  # zone scheme id -> zone name
    valid_from: int | None = None  # year the unit took its current form (from `changes`)


@dataclass(frozen=True)
class Change:
    year: int
    from_units: tuple[tuple[str, str], ...]  # (adcode, name) of predecessors
    to_adcode: str
    to_name: str
    verified: bool
    note: str = ""


@dataclass(frozen=True)
class FunctionalArea:
    name: str
    candidates: tuple[str, ...]
    aliases: tuple[str, ...] = ()


@dataclass(frozen=True)
class Region:
    id: str
    province_adcode: str
    province_name: str
    province_short: str
    city_adcode: str
    city_name: str
    districts: tuple[DistrictDef, ...]
    changes: tuple[Change, ...]
    functional_areas: tuple[FunctionalArea, ...]
    aliases: dict[str, str]  # extra name -> adcode (short forms such as 石柱县)
    historical_prefixes: dict[str, str]  # text -> replacement, e.g. 四川省重庆市 -> 重庆市
    zone_schemes: dict[str, str]  # scheme id -> scheme name

    def district(self, adcode: str) -> DistrictDef | None:
        return next((d for d in self.districts if d.adcode == adcode), None)

    def applied_changes(self) -> tuple[Change, ...]:
        """Only verified changes are applied; unverified ones stay in the file for reference."""
        return tuple(c for c in self.changes if c.verified)


def available_regions() -> list[str]:
    return sorted(p.stem for p in REGIONS_DIR.glob("*.yaml"))


@lru_cache(maxsize=16)
def load_region(name_or_path: str) -> Region:
    """Load ``<name>.yaml`` from this folder, or a YAML file at a user-supplied path."""
    path = Path(name_or_path)
    if not path.suffix:
        path = REGIONS_DIR / f"{name_or_path}.yaml"
    if not path.is_file():
        raise ConfigError(f"region file {path} not found; known regions: {', '.join(available_regions())}")
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    try:
        return _parse(data)
    except (KeyError, TypeError, ValueError) as exc:
        raise ConfigError(f"region file {path} is malformed: {exc!r}") from exc


def _parse(d: dict[str, Any]) -> Region:
    changes = tuple(
        Change(int(c["year"]), tuple((str(f["adcode"]), f["name"]) for f in c["from"]),
               str(c["to"]["adcode"]), c["to"]["name"], bool(c.get("verified", False)), c.get("note", ""))
        for c in d.get("changes", [])
    )
    created = {c.to_adcode: c.year for c in changes if c.verified}
    schemes = {s["id"]: s["name"] for s in d.get("zone_schemes", [])}
    districts = tuple(
        DistrictDef(str(x["adcode"]), x["name"], x.get("type", ""), x.get("lon"), x.get("lat"),
                    {s: x[f"zone_{s}"] for s in schemes if x.get(f"zone_{s}")}, created.get(str(x["adcode"])))
        for x in d["districts"]
    )
    areas = tuple(FunctionalArea(a["name"], tuple(map(str, a["candidates"])), tuple(a.get("aliases", ())))
                  for a in d.get("functional_areas", []))
    return Region(
        id=d["region"], province_adcode=str(d["province"]["adcode"]), province_name=d["province"]["name"],
        province_short=d["province"].get("short", ""), city_adcode=str(d["city"]["adcode"]),
        city_name=d["city"]["name"], districts=districts, changes=changes, functional_areas=areas,
        aliases={str(k): str(v) for k, v in (d.get("aliases") or {}).items()},
        historical_prefixes={str(k): str(v) for k, v in (d.get("historical_prefixes") or {}).items()},
        zone_schemes=schemes,
    )
