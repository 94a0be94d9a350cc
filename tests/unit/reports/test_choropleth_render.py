"""Choropleth SVG/PNG from the real district polygons."""

from __future__ import annotations

import re
from typing import Any

from iplayout.reports.choropleth import MapStyle, choropleth_png, choropleth_svg, lookup, short_name
from iplayout.reports.svgtext import inline_svg


def _values(districts: dict[str, Any], skip: int = 0) -> dict[str, float]:
    return {f["id"]: float(i) for i, f in enumerate(districts["features"]) if i >= skip}


def test_svg_has_38_district_paths_and_a_legend(districts: dict[str, Any]) -> None:
    svg = choropleth_svg(_values(districts, skip=3), "专利 Patents", "patents", geojson=districts)
    groups = re.findall(r'<g id="district-(\d{6})">\s*<path', svg)
    assert len(groups) == 38 and len(set(groups)) == 38
    assert 'id="legend"' in svg and "patents" in svg
    assert "no data" in svg  # three districts without a value are hatched and labelled
    assert "<pattern" in svg


def test_no_hatch_entry_when_every_district_has_data(districts: dict[str, Any]) -> None:
    svg = choropleth_svg(_values(districts), "t", "legend", geojson=districts, style=MapStyle(method="equal"))
    assert "no data" not in svg


def test_labels_and_highlight(districts: dict[str, Any]) -> None:
    svg = choropleth_svg(_values(districts), "t", "l", geojson=districts,
                         style=MapStyle(labels=True, highlight="500106"))
    assert ">万州<" in svg and ">石柱<" in svg
    assert ">渝中<" not in svg  # too small to label without overlap


def test_png_bytes(districts: dict[str, Any]) -> None:
    png = choropleth_png(_values(districts), "重庆", "legend", geojson=districts, style=MapStyle(dpi=60))
    assert png[:8] == b"\x89PNG\r\n\x1a\n" and len(png) > 10_000


def test_lookup_by_code_name_or_former_name() -> None:
    props = {"adcode": "500155", "name": "梁平区", "source_names": ["梁平县"]}
    assert lookup({"500155": 2.0}, props) == 2.0
    assert lookup({"梁平县": 3}, props) == 3.0
    assert lookup({"500155": float("nan")}, props) is None
    assert lookup({}, props) is None


def test_short_names() -> None:
    assert [short_name(n) for n in ("沙坪坝区", "忠县", "石柱土家族自治县", "开县")] == ["沙坪坝", "忠县", "石柱", "开县"]


def test_inline_svg_scopes_ids() -> None:
    svg = '<?xml version="1.0"?>\n<!DOCTYPE svg>\n<svg><g id="a" clip-path="url(#c)"/><use xlink:href="#a"/></svg>'
    out = inline_svg(svg, "m1-")
    assert out.startswith("<svg>") and 'id="m1-a"' in out and "url(#m1-c)" in out and 'href="#m1-a"' in out
