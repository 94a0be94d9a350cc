"""CNIPA trademarks through ingest → build on both engines: one firm's marks and patents meet on one
Organization, holders are located by their address, Nice classes and groups are Technology nodes."""

from __future__ import annotations

import csv
from pathlib import Path

from iplayout.graph.factory import open_store
from iplayout.ingestion.ledger import Ledger
from iplayout.ingestion.run import ingest_paths
from iplayout.nlp.pipeline import build
from tests.unit.ingestion.cnipa_sample import FIRM, FIRM_ADDRESS, write_package

from ..conftest import settings_for


def _patents(path: Path) -> Path:
    with path.open("w", encoding="utf-8-sig", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(["公开号", "申请号", "专利名称", "申请人", "申请人地址", "申请日", "主分类号", "专利类型"])
        writer.writerow(["CN111111111A", "CN202010000001.1", "一种茶饮料的制备方法", FIRM, FIRM_ADDRESS,
                         "2020-01-02", "A23F 3/16", "发明"])
    return path


def test_firm_with_patents_and_trademarks_is_one_organisation(engine: str, tmp_path: Path) -> None:
    settings = settings_for(engine, tmp_path / "home")
    store = open_store(settings)
    store.clear()
    try:
        ingest_paths([_patents(tmp_path / "patents.csv"), write_package(tmp_path / "pkg")], settings)
        build(settings, store, Ledger(settings.ledger_path))
        held = store.cypher_read(
            "MATCH (o:Organization)-[a:APPLIED_FOR]->(t:Trademark {id: 'TM:CN:1001'}) "
            "MATCH (o)-[:APPLIED_FOR]->(p:Patent) MATCH (o)-[:LOCATED_IN]->(d:District) "
            "RETURN o.name AS org, a.role AS role, p.id AS patent, d.name AS district, t.status AS status, "
            "t.in_force AS in_force, t.classes AS classes")
        assert held == [{"org": FIRM, "role": "holder", "patent": "CN111111111A", "district": "渝中区",
                         "status": "registered", "in_force": True, "classes": ["30", "43"]}]
        roles = store.cypher_read("MATCH (o:Organization)-[a:APPLIED_FOR]->(:Trademark {id: 'TM:CN:1002'}) "
                                  "RETURN o.name AS org, a.role AS role ORDER BY a.seq")
        assert roles == [{"org": "重庆云联科技有限公司", "role": "holder"}, {"org": "重庆大学", "role": "co-owner"}]
        expired = store.cypher_read("MATCH (t:Trademark {id: 'TM:CN:1002'}) RETURN t.status AS s, t.in_force AS f")
        assert expired == [{"s": "expired", "f": False}]
        foreign = store.cypher_read(
            "MATCH (o:Organization)-[:APPLIED_FOR]->(:Trademark {id: 'TM:CN:1003'}) "
            "OPTIONAL MATCH (o)-[l:LOCATED_IN]->() RETURN o.name AS org, count(l) AS located")
        assert foreign == [{"org": "Cupertino Apparel Inc", "located": 0}]
        nice = store.cypher_read(
            "MATCH (:Trademark {id: 'TM:CN:1001'})-[c:CLASSIFIED_AS]->(g:Technology {scheme: 'NICE', level: 'group'}) "
            "MATCH (g)-[:BROADER]->(k:Technology {level: 'class'}) MATCH (k)-[:MAPS_TO]->(i:Industry) "
            "RETURN DISTINCT g.code AS grp, k.code AS cls, i.code AS industry ORDER BY grp, industry")
        assert {(r["grp"], r["cls"]) for r in nice} == {("3001", "30"), ("3002", "30"), ("4302", "43")}
        assert {r["industry"] for r in nice} == {"13", "14", "61", "62"}  # 食品 + 住宿餐饮 via the concordance
    finally:
        store.close()
