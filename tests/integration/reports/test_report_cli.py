"""`iplayout report ...` and `iplayout map ...` end to end on an embedded demo graph."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ECHARTS = "reference/chongqing_divisions/echarts-4.9.0_province_chongqing.json"


@pytest.fixture(scope="module")
def demo_home(tmp_path_factory: pytest.TempPathFactory) -> Path:
    home = tmp_path_factory.mktemp("reports_cli")
    out = _run("demo", "--json", home=home)
    assert out.returncode == 0, out.stderr
    return home


def _run(*args: str, home: Path) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ, IPLAYOUT_HOME=str(home), IPLAYOUT_STORE="embedded")
    return subprocess.run([sys.executable, "-m", "iplayout", *args], capture_output=True, text=True, env=env,
                          check=False, timeout=600)


def test_report_and_map_commands(demo_home: Path, shared_dir: Path, tmp_path: Path) -> None:
    geo = str(shared_dir / ECHARTS)
    rep = _run("report", "district", "500106", "--geojson", geo, "--json", home=demo_home)
    assert rep.returncode == 0, rep.stderr
    info = json.loads(rep.stdout)
    assert info["format"] == "html" and info["synthetic"] is True
    assert Path(info["path"]) == demo_home / "reports" / "district-500106.html"
    assert "沙坪坝区" in Path(info["path"]).read_text(encoding="utf-8")

    svg = tmp_path / "m.svg"
    mp = _run("map", "patents", "--year", "2022", "--out", str(svg), "--geojson", geo, "--json", home=demo_home)
    assert mp.returncode == 0, mp.stderr
    assert json.loads(mp.stdout)["districts"] == 38 and svg.read_text(encoding="utf-8").count('id="district-') == 38

    xlsx = tmp_path / "m.xlsx"
    mt = _run("report", "matching", "--out", str(xlsx), "--json", home=demo_home)
    assert mt.returncode == 0, mt.stderr and xlsx.is_file()


def test_errors_are_one_line(demo_home: Path, shared_dir: Path, tmp_path: Path) -> None:
    geo = str(shared_dir / ECHARTS)
    bad = _run("report", "district", "火星区", "--geojson", geo, home=demo_home)
    assert bad.returncode == 1 and bad.stderr.startswith("error: no district") and len(bad.stderr.splitlines()) == 1
    nomap = _run("map", "patents", "--out", str(tmp_path / "x.svg"), "--geojson", str(tmp_path / "no.json"),
                 home=demo_home)
    assert nomap.returncode == 1 and "GeoJSON file not found" in nomap.stderr
    suffix = _run("report", "district", "500106", "--out", str(tmp_path / "x.docx"), "--geojson", geo,
                  home=demo_home)
    assert suffix.returncode == 1 and ".html or .pdf" in suffix.stderr


def test_help_shows_examples() -> None:
    for args in (["report", "district", "--help"], ["report", "industry", "--help"], ["map", "--help"]):
        out = subprocess.run([sys.executable, "-m", "iplayout", *args], capture_output=True, text=True, check=True)
        assert "Example: iplayout" in out.stdout
