"""District/industry reports, map metrics and the matching table on the demo graph, both engines."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from openpyxl import load_workbook

from iplayout.config import Settings
from iplayout.errors import ReportError
from iplayout.graph.store import GraphStore
from iplayout.reports.matching import matching_frame, matching_table_xlsx
from iplayout.reports.metrics import district_metric
from iplayout.reports.report import build, render_html, write_report

ECHARTS = "reference/chongqing_divisions/echarts-4.9.0_province_chongqing.json"


@pytest.fixture
def geojson(shared_dir: Path) -> Path:
    path = shared_dir / ECHARTS
    if not path.is_file():
        pytest.skip(f"{path} is absent")
    return path


def _table(html: str, title: str) -> str:
    start = html.index(f"<h2>{title}</h2>")
    return html[start:html.index("</section>", start)]


def test_district_report_html_and_pdf(demo_store: GraphStore, settings: Settings, geojson: Path,
                                      tmp_path: Path) -> None:
    report = build(demo_store, settings, "district", "梁平县", geojson)  # former name resolves to 梁平区
    assert report.key == "500155" and report.synthetic
    html = render_html(report)
    assert "梁平区" in html and 'id="synthetic-badge"' in html
    assert len(re.findall(r'id="map-patents-district-\d{6}"', html)) == 38
    assert html.count("<figure") == 2 and html.count("<svg") == 2
    years = _table(html, "Documents by year 年度数量")
    assert "<td" in years and "patents" in years
    assert "<td" in _table(html, "Top organisations 主要创新主体")
    assert "report_district_top_orgs" in html  # provenance names the queries
    pdf = write_report(report, tmp_path / "r.pdf")
    assert pdf.path.read_bytes()[:5] == b"%PDF-" and pdf.bytes > 50_000


def test_industry_report(demo_store: GraphStore, settings: Settings, geojson: Path, tmp_path: Path) -> None:
    report = build(demo_store, settings, "industry", "GBT4754:C27", geojson)
    written = write_report(report, tmp_path / "industry.html")
    html = written.path.read_text(encoding="utf-8")
    assert "医药制造业" in html and "<svg" in html
    assert {t.title: len(t.rows) for t in report.tables}["Top districts 主要区县"] > 0
    assert written.as_dict()["tables"]["Resource matching by district 资源匹配"] > 0


def test_unknown_keys(demo_store: GraphStore, settings: Settings, geojson: Path) -> None:
    with pytest.raises(ReportError, match="no district"):
        build(demo_store, settings, "district", "火星区", geojson)
    with pytest.raises(ReportError, match="no industry"):
        build(demo_store, settings, "industry", "NOPE", geojson)


METRICS = [("patents", None), ("papers", 2020), ("patents_per_10k", None), ("coordination", None),
           ("population", None), ("industry:GBT4754:C36", None)]


def test_map_metrics_cover_every_district(demo_store: GraphStore) -> None:
    for metric, year in METRICS:
        m = district_metric(demo_store, metric, year)
        assert len(m.values) == 38 and m.queries, metric
        assert sum(v is not None and v > 0 for v in m.values.values()) >= 5, metric
    with pytest.raises(ReportError, match="unknown metric"):
        district_metric(demo_store, "nonsense")


def test_matching_table_from_evaluate(demo_store: GraphStore, tmp_path: Path) -> None:
    frame = matching_frame(demo_store)
    assert {"adcode", "district", "industry", "industry_name", "D", "grade"} <= set(frame.columns)
    assert frame["D"].between(0, 1).all() and len(frame) > 38
    wb = load_workbook(matching_table_xlsx(frame, tmp_path / "m.xlsx"))
    rows: list[Any] = list(wb["matching"].iter_rows(values_only=True))
    assert len(rows) == len(frame) + 1
