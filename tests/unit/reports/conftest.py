"""Fixtures for map/report unit tests: the real ECharts Chongqing map (from ../shared) and a tiny one."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

ECHARTS_FILE = "reference/chongqing_divisions/echarts-4.9.0_province_chongqing.json"


@pytest.fixture(scope="session")
def echarts_path(shared_dir: Path) -> Path:
    path = shared_dir / ECHARTS_FILE
    if not path.is_file():
        pytest.skip(f"{path} is absent")
    return path


@pytest.fixture(scope="session")
def echarts_raw(echarts_path: Path) -> dict[str, Any]:
    data: dict[str, Any] = json.loads(echarts_path.read_text(encoding="utf-8"))
    return data


@pytest.fixture(scope="session")
def districts(echarts_path: Path) -> dict[str, Any]:
    from iplayout.config import Settings
    from iplayout.reports.maps import district_geojson

    return district_geojson(Settings(), echarts_path)
