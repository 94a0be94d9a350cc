"""ECharts UTF8Encoding decoder: exact port of echarts 4.9.0 decodePolygon, checked on the real map."""

from __future__ import annotations

from typing import Any

import pytest

from iplayout.reports.echarts import code_units, decode, decode_ring


def _encode(points: list[tuple[int, int]], offsets: tuple[int, int]) -> str:
    """Reference encoder (echarts-util style): delta, zigzag, +64, one UTF-16 unit each."""
    out, px, py = [], *offsets
    for x, y in points:
        for d in (x - px, y - py):
            out.append(chr(((d << 1) ^ (d >> 31)) + 64))
        px, py = x, y
    return "".join(out)


def test_round_trip_of_synthetic_ring() -> None:
    pts = [(110587, 31651), (110600, 31640), (110500, 31700), (110587, 31651)]
    ring = decode_ring(_encode(pts, (110580, 31650)), [110580, 31650])
    assert ring == [[x / 1024, y / 1024] for x, y in pts]


def test_scale_and_zigzag_signs() -> None:
    # '@' = 64 -> 0; 'A' = 65 -> zigzag(1) = -1; 'B' = 66 -> zigzag(2) = +1
    assert decode_ring("@@ABBA", [10, 20], scale=1) == [[10, 20], [9, 21], [10, 20]]


def test_astral_character_is_two_code_units_like_charcodeat() -> None:
    # JSON "\ud83d\ude00" becomes one Python character; JavaScript's charCodeAt sees two units.
    assert code_units("\U0001F600") == (0xD83D, 0xDE00)
    assert len(decode_ring("\U0001F600", [0, 0])) == 1


def test_odd_ring_is_rejected() -> None:
    with pytest.raises(ValueError):
        decode_ring("@@A", [0, 0])


def test_plain_geojson_is_copied_unchanged() -> None:
    plain = {"type": "FeatureCollection", "features": [{"geometry": {"type": "Polygon", "coordinates": [[[1, 2]]]}}]}
    out = decode(plain)
    assert out == plain and out is not plain


def test_multipolygon_uses_nested_offsets() -> None:
    data = {"type": "FeatureCollection", "UTF8Encoding": True, "UTF8Scale": 1, "features": [{"geometry": {
        "type": "MultiPolygon", "coordinates": [["@@"], ["@@"]], "encodeOffsets": [[[1, 2]], [[3, 4]]]}}]}
    geom = decode(data)["features"][0]["geometry"]
    assert geom["coordinates"] == [[[[1, 2]]], [[[3, 4]]]]
    assert data["UTF8Encoding"] is True  # input untouched


def _points(geometry: dict[str, Any]) -> list[list[float]]:
    polys = [geometry["coordinates"]] if geometry["type"] == "Polygon" else geometry["coordinates"]
    return [pt for poly in polys for ring in poly for pt in ring]


def test_real_map_decodes_inside_chongqing(echarts_raw: dict[str, Any]) -> None:
    decoded = decode(echarts_raw)
    assert len(decoded["features"]) == 38
    assert decoded["UTF8Encoding"] is False
    for feature in decoded["features"]:
        for lon, lat in _points(feature["geometry"]):
            assert 105.2 <= lon <= 110.3 and 28.1 <= lat <= 32.3, feature["properties"]["name"]
