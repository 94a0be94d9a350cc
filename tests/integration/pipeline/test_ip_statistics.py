"""Copyrights, layout designs and plant varieties counted only as statistics: a yearbook-style wide
table (区县 年份 + one column per metric, unit in brackets) ingests, builds on both engines, and shows
in density (latest value per district) and in evaluation (as stat indicators under documented names)."""

from __future__ import annotations

from pathlib import Path

from iplayout.graph.factory import open_store
from iplayout.ingestion.ledger import Ledger
from iplayout.ingestion.run import ingest_paths
from iplayout.nlp.pipeline import build
from iplayout.queries.density import density
from iplayout.queries.evaluate import EvaluateOptions, evaluate

from ..conftest import settings_for

TABLE = """区县,年份,常住人口(万人),地区生产总值(亿元),软件著作权登记量(件),集成电路布图设计登记量(件),植物新品种权授权量(件),有效注册商标量(件)
渝中区,2022,58.9,1500,3100,12,0,52000
渝中区,2023,58.5,1600,3400,15,0,55000
渝北区,2022,219.1,2200,5200,40,1,61000
渝北区,2023,221.0,2400,6100,44,2,66000
巫溪县,2022,38.9,110,20,0,5,2100
巫溪县,2023,38.6,118,25,0,7,2300
"""
SYSTEM = """name: ip statistics
weights: entropy
subsystems:
  ip:
    indicators:
      - {id: ip_copyrights_software, source: stat}
      - {id: ip_layout_designs, source: stat}
      - {id: ip_trademarks_registered, source: stat}
  industry:
    indicators:
      - {id: 地区生产总值, source: stat}
"""


def test_ip_statistics_in_density_and_evaluation(engine: str, tmp_path: Path) -> None:
    settings = settings_for(engine, tmp_path / "home")
    (tmp_path / "ip_stats.csv").write_text(TABLE, encoding="utf-8")
    (tmp_path / "system.yaml").write_text(SYSTEM, encoding="utf-8")
    store = open_store(settings)
    store.clear()
    try:
        result = ingest_paths([tmp_path / "ip_stats.csv"], settings)
        assert result.accepted == 6 * 6 and result.rejected == 0
        build(settings, store, Ledger(settings.ledger_path))
        dist = density(store).frame().set_index("district")
        assert dist.loc["渝北区", "ip_copyrights_software"] == 6100  # the latest year
        assert dist.loc["渝中区", "ip_layout_designs"] == 15
        assert dist.loc["巫溪县", "ip_plant_varieties"] == 7
        assert dist.loc["渝中区", "ip_trademarks_registered"] == 55000
        res = evaluate(store, EvaluateOptions(indicators=tmp_path / "system.yaml"))
        weights = res.frame("weights")
        assert set(weights[weights["subsystem"] == "ip"]["indicator"]) == {
            "ip_copyrights_software", "ip_layout_designs", "ip_trademarks_registered"}
        static = res.frame().set_index("district")
        assert static.loc["渝北区", "U_ip"] > static.loc["渝中区", "U_ip"] > static.loc["巫溪县", "U_ip"]
    finally:
        store.close()
