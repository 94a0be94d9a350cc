"""District polygons for maps: load a GeoJSON, decode it, reconcile it with the region gazetteer.

Where the polygons come from, first match wins:

1. ``path`` given by the caller (``--geojson`` on the command line);
2. ``$IPLAYOUT_HOME/maps/<region>.geojson`` (or ``.json``): a GeoJSON the user supplies;
3. ``web/node_modules/echarts/map/json/province/<region>.json``: the npm package ``echarts@4.9.0``
   that ``scripts/build-web.sh`` installs for the web workbench.

Feature codes and names are mapped onto the region's current units with the region file's
verified ``changes`` (e.g. 梁平县 500228 -> 梁平区 500155); units merged by a change are unioned.
"""

from __future__ import annotations

import json
import logging
from pathlib import Path
from typing import Any

import shapely
from shapely.geometry import MultiPolygon, Polygon, mapping, shape
from shapely.geometry.base import BaseGeometry
from shapely.ops import unary_union

import iplayout
from iplayout.config import Settings
from iplayout.demo.region import load_region
from iplayout.errors import ReportError
from iplayout.reports.echarts import decode

log = logging.getLogger(__name__)

ECHARTS_PACKAGE = "echarts@4.9.0"
REPO_ROOT = Path(iplayout.__file__).resolve().parents[1]


def user_map_paths(settings: Settings) -> list[Path]:
    maps = settings.home / "maps"
    return [maps / f"{settings.region}.geojson", maps / f"{settings.region}.json"]


def echarts_map_path(settings: Settings, root: Path = REPO_ROOT) -> Path:
    return root / "web" / "node_modules" / "echarts" / "map" / "json" / "province" / f"{settings.region}.json"


def find_map_file(settings: Settings, path: Path | None = None) -> Path:
    """The GeoJSON file to use, or a ReportError that says how to get one."""
    if path is not None:
        if not path.is_file():
            raise ReportError(f"GeoJSON file not found: {path}")
        return path
    candidates = [*user_map_paths(settings), echarts_map_path(settings)]
    for candidate in candidates:
        if candidate.is_file():
            return candidate
    raise ReportError(
        f"no district polygons for region {settings.region!r}: run `bash scripts/build-web.sh` (installs "
        f"{ECHARTS_PACKAGE} into web/node_modules), or put a GeoJSON at {candidates[0]}, or pass --geojson FILE"
    )


def read_geojson(path: Path) -> dict[str, Any]:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise ReportError(f"cannot read GeoJSON {path}: {exc}") from exc
    if not isinstance(data, dict) or data.get("type") != "FeatureCollection":
        raise ReportError(f"{path} is not a GeoJSON FeatureCollection")
    try:
        return decode(data)
    except (ValueError, KeyError, IndexError, TypeError) as exc:
        raise ReportError(f"cannot decode the compressed coordinates of {path}: {exc}") from exc


class Gazetteer:
    """Current units of a region and the verified changes that lead to them."""

    def __init__(self, region: dict[str, Any]) -> None:
        self.units: dict[str, dict[str, Any]] = {str(d["adcode"]): d for d in region["districts"]}
        self.by_name: dict[str, str] = {d["name"]: code for code, d in self.units.items()}
        self.old_codes: dict[str, str] = {}
        self.old_names: dict[str, str] = {}
        for change in region.get("changes", []):
            target = str(change["to"]["adcode"])
            if not change.get("verified") or target not in self.units:
                continue
            for old in change["from"]:
                self.old_codes.setdefault(str(old["adcode"]), target)
                self.old_names.setdefault(old["name"], target)

    def resolve(self, code: str | None, name: str | None) -> str | None:
        """The current adcode for a feature's (code, name), or None when it is not a unit of the region."""
        if code in self.units and (not name or name not in self.old_names):
            return code
        if name in self.by_name:
            return self.by_name[name]
        if name in self.old_names:
            return self.old_names[name]
        if code in self.old_codes:
            return self.old_codes[code]
        return code if code in self.units else None


def _feature_code(feature: dict[str, Any]) -> str | None:
    props = feature.get("properties") or {}
    raw = props.get("adcode", feature.get("id"))
    if raw is None:
        return None
    text = str(raw).strip()
    return text[:6] if text[:6].isdigit() else None


def _unit_properties(unit: dict[str, Any], sources: list[tuple[str | None, str | None]]) -> dict[str, Any]:
    props: dict[str, Any] = {"adcode": str(unit["adcode"]), "name": unit["name"], "type": unit.get("type")}
    props.update({k: v for k, v in unit.items() if k.startswith(("zone_", "subzone_"))})
    if "lon" in unit and "lat" in unit:
        props["cp"] = [float(unit["lon"]), float(unit["lat"])]
    props["source_codes"] = sorted({c for c, _ in sources if c})
    props["source_names"] = sorted({n for _, n in sources if n})
    props["reconciled"] = any(c != props["adcode"] or n != props["name"] for c, n in sources)
    return props


def polygonal(geom: BaseGeometry) -> BaseGeometry:
    """A valid (Multi)Polygon: simplified map data often has self-touching rings or two-point slivers."""
    if geom.is_valid and isinstance(geom, Polygon | MultiPolygon):
        return geom
    fixed = shapely.make_valid(geom)
    parts = [g for g in getattr(fixed, "geoms", [fixed]) if isinstance(g, Polygon | MultiPolygon)]
    return unary_union(parts) if parts else geom


def reconcile(data: dict[str, Any], region: dict[str, Any]) -> dict[str, Any]:
    """Exactly one feature per current unit of ``region``, in gazetteer order."""
    gaz = Gazetteer(region)
    shapes: dict[str, list[Any]] = {}
    sources: dict[str, list[tuple[str | None, str | None]]] = {}
    for feature in data.get("features", []):
        geometry = feature.get("geometry")
        if not geometry or not geometry.get("coordinates"):
            continue
        code, name = _feature_code(feature), (feature.get("properties") or {}).get("name")
        target = gaz.resolve(code, name)
        if target is None:
            log.debug("map feature %s %s is not a unit of the region; skipped", code, name)
            continue
        shapes.setdefault(target, []).append(polygonal(shape(geometry)))
        sources.setdefault(target, []).append((code, name))
    missing = [f"{c} {u['name']}" for c, u in gaz.units.items() if c not in shapes]
    if missing:
        raise ReportError(f"the map lacks {len(missing)} unit(s) of the region: {', '.join(missing[:6])}")
    features = []
    for code, unit in gaz.units.items():
        geom = shapes[code][0] if len(shapes[code]) == 1 else polygonal(unary_union(shapes[code]))
        features.append({"type": "Feature", "id": code, "properties": _unit_properties(unit, sources[code]),
                         "geometry": mapping(geom)})
    return {"type": "FeatureCollection", "region": region.get("region"), "features": features}


def district_geojson(settings: Settings, path: Path | None = None) -> dict[str, Any]:
    """Plain GeoJSON FeatureCollection with one feature per current unit of ``settings.region``."""
    source = find_map_file(settings, path)
    collection = reconcile(read_geojson(source), load_region(settings.region))
    collection["source"] = str(source)
    return collection
