"""Decode ECharts-compressed GeoJSON (``UTF8Encoding: true``) into plain GeoJSON.

A port of ``decode`` / ``decodePolygon`` in echarts 4.9.0 ``src/coord/geo/parseGeoJson.js``: every
ring is a string of character pairs; each character's UTF-16 code unit minus 64 is a zigzag-encoded
delta from the previous point, starting at the ring's ``encodeOffsets`` pair; points are divided by
``UTF8Scale`` (default 1024). JavaScript's ``charCodeAt`` reads UTF-16 code units, so the ring is
read as UTF-16 here too (a pair the JSON parser joined into one astral character stays two units).
"""

from __future__ import annotations

import copy
import struct
from typing import Any

DEFAULT_SCALE = 1024


def is_encoded(data: dict[str, Any]) -> bool:
    return bool(data.get("UTF8Encoding"))


def code_units(text: str) -> tuple[int, ...]:
    """UTF-16 code units of ``text`` (what ``String.charCodeAt`` returns)."""
    raw = text.encode("utf-16-le", "surrogatepass")
    return struct.unpack(f"<{len(raw) // 2}H", raw)


def _zigzag(n: int) -> int:
    return (n >> 1) ^ (-(n & 1))


def decode_ring(encoded: str, offsets: list[int], scale: float = DEFAULT_SCALE) -> list[list[float]]:
    """One ring: character pairs -> [[lon, lat], ...]."""
    units = code_units(encoded)
    if len(units) % 2:
        raise ValueError(f"encoded ring has an odd number of code units ({len(units)})")
    prev_x, prev_y = int(offsets[0]), int(offsets[1])
    out: list[list[float]] = []
    for i in range(0, len(units), 2):
        prev_x += _zigzag(units[i] - 64)
        prev_y += _zigzag(units[i + 1] - 64)
        out.append([prev_x / scale, prev_y / scale])
    return out


def _decode_geometry(geometry: dict[str, Any], scale: float) -> dict[str, Any]:
    kind, coords, offsets = geometry["type"], geometry["coordinates"], geometry.get("encodeOffsets")
    if offsets is None:
        raise ValueError(f"{kind} geometry has no encodeOffsets")
    if kind == "Polygon":
        rings = [decode_ring(r, offsets[i], scale) for i, r in enumerate(coords)]
        return {"type": "Polygon", "coordinates": rings}
    if kind == "MultiPolygon":
        polys = [[decode_ring(r, offsets[p][i], scale) for i, r in enumerate(poly)] for p, poly in enumerate(coords)]
        return {"type": "MultiPolygon", "coordinates": polys}
    raise ValueError(f"unsupported geometry type {kind!r} in an encoded map")


def decode(data: dict[str, Any]) -> dict[str, Any]:
    """A plain-GeoJSON copy of ``data``; an unencoded collection is returned as a copy unchanged."""
    out = copy.deepcopy(data)
    if not is_encoded(out):
        return out
    scale = float(out.get("UTF8Scale") or DEFAULT_SCALE)
    for feature in out.get("features", []):
        geometry = feature.get("geometry")
        if geometry and geometry.get("coordinates"):
            feature["geometry"] = _decode_geometry(geometry, scale)
    out["UTF8Encoding"] = False
    out.pop("UTF8Scale", None)
    return out
