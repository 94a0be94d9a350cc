"""district_geojson: loaders, reconciliation with the gazetteer's changes, geometry sanity."""

from __future__ import annotations

import json
import math
from pathlib import Path
from typing import Any

import pytest
from shapely.geometry import Point, shape

from iplayout.config import Settings
from iplayout.demo.region import load_region
from iplayout.errors import ReportError
from iplayout.reports.maps import district_geojson, find_map_file, reconcile


def test_38_units_with_current_codes(districts: dict[str, Any]) -> None:
    region = load_region("chongqing")
    feats = districts["features"]
    assert [f["properties"]["adcode"] for f in feats] == [d["adcode"] for d in region["districts"]]
    assert all(f["geometry"]["type"] in ("Polygon", "MultiPolygon") for f in feats)
    assert all(shape(f["geometry"]).is_valid for f in feats)


def test_2016_renames_are_reconciled(districts: dict[str, Any]) -> None:
    props = {f["properties"]["adcode"]: f["properties"] for f in districts["features"]}
    assert props["500155"]["name"] == "梁平区" and props["500155"]["source_codes"] == ["500228"]
    assert props["500156"]["name"] == "武隆区" and props["500156"]["source_names"] == ["武隆县"]
    assert props["500155"]["reconciled"] and not props["500106"]["reconciled"]
    assert {"500228", "500232"}.isdisjoint(props)
    assert props["500101"]["zone_cq2020"] == "渝东北三峡库区城镇群"


def test_centroids_near_gazetteer_centres(districts: dict[str, Any]) -> None:
    for f in districts["features"]:
        geom, cp = shape(f["geometry"]), f["properties"]["cp"]
        c = geom.centroid
        assert math.dist((c.x, c.y), cp) < 0.4, f["properties"]["name"]
        assert geom.distance(Point(cp)) < 0.05, f["properties"]["name"]


def test_region_bbox(districts: dict[str, Any]) -> None:
    x0 = min(shape(f["geometry"]).bounds[0] for f in districts["features"])
    y1 = max(shape(f["geometry"]).bounds[3] for f in districts["features"])
    assert 105.2 < x0 < 105.4 and 32.1 < y1 < 32.3


def _square(x: float, y: float, code: str, name: str) -> dict[str, Any]:
    ring = [[x, y], [x + 0.1, y], [x + 0.1, y + 0.1], [x, y + 0.1], [x, y]]
    return {"type": "Feature", "id": code, "properties": {"name": name},
            "geometry": {"type": "Polygon", "coordinates": [ring]}}


def _tiny_region() -> dict[str, Any]:
    return {"region": "tiny", "districts": [{"adcode": "500110", "name": "綦江区"}, {"adcode": "500155",
                                                                                  "name": "梁平区"}],
            "changes": [
                {"year": 2011, "from": [{"adcode": "500110", "name": "万盛区"}, {"adcode": "500222", "name": "綦江县"}],
                 "to": {"adcode": "500110", "name": "綦江区"}, "verified": True},
                {"year": 2016, "from": [{"adcode": "500228", "name": "梁平县"}],
                 "to": {"adcode": "500155", "name": "梁平区"}, "verified": True},
                {"year": 2025, "from": [{"adcode": "500155", "name": "梁平区"}],
                 "to": {"adcode": "500999", "name": "不存在区"}, "verified": False}]}


def test_merged_units_are_unioned_and_unverified_changes_ignored() -> None:
    data = {"type": "FeatureCollection", "features": [
        _square(0, 0, "500110", "万盛区"), _square(0.1, 0, "500222", "綦江县"), _square(5, 5, "500228", "梁平县"),
        _square(9, 9, "510100", "成都市")]}
    out = reconcile(data, _tiny_region())
    assert [f["id"] for f in out["features"]] == ["500110", "500155"]
    qijiang = out["features"][0]
    assert shape(qijiang["geometry"]).area == pytest.approx(0.02)
    assert qijiang["properties"]["source_names"] == ["万盛区", "綦江县"]


def test_missing_unit_is_an_error() -> None:
    data = {"type": "FeatureCollection", "features": [_square(0, 0, "500110", "綦江区")]}
    with pytest.raises(ReportError, match="500155 梁平区"):
        reconcile(data, _tiny_region())


def test_no_map_file_says_how_to_get_one(tmp_path: Path) -> None:
    settings = Settings(home=tmp_path, region="nowhere")
    with pytest.raises(ReportError, match="build-web.sh"):
        find_map_file(settings)
    with pytest.raises(ReportError, match="not found"):
        find_map_file(settings, tmp_path / "absent.json")


def test_user_map_in_home_is_used(tmp_path: Path, echarts_path: Path) -> None:
    maps = tmp_path / "maps"
    maps.mkdir()
    (maps / "chongqing.geojson").write_bytes(echarts_path.read_bytes())
    out = district_geojson(Settings(home=tmp_path))
    assert len(out["features"]) == 38 and out["source"].endswith("chongqing.geojson")


def test_not_a_feature_collection(tmp_path: Path) -> None:
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps({"type": "Feature"}), encoding="utf-8")
    with pytest.raises(ReportError, match="FeatureCollection"):
        district_geojson(Settings(home=tmp_path), bad)
