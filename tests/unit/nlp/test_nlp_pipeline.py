"""record_to_rows (pure) and build() against in-memory doubles that enforce the ontology."""

from __future__ import annotations

import csv
from pathlib import Path
from typing import Any

import pytest

from iplayout.config import Settings
from iplayout.ingestion.records import Author, PaperRecord, Party, PatentRecord, PolicyRecord, StatRecord
from iplayout.nlp import versions
from iplayout.nlp.entities import ExtractionContext
from iplayout.nlp.pipeline import build
from iplayout.nlp.record_rows import record_to_rows
from iplayout.nlp.reference_rows import References

PATENT = PatentRecord(
    id="CN218751475U", title="一种无人机机载多功能盒", abstract="该多功能盒内设置有CPU模块、4G/5G通信模块以及扩展接口",
    applicants=[Party(name="中科大数据研究院", address="450000河南省郑州市郑东新区中道东路6号创意岛大厦8层")],
    inventors=["刘迪", "刘敏"], ipc=["B64U 20/80", "B64U 101/30"], application_date="2022-12-02",
    province_code="河南(41)", cites=["CN000000000A", "CN2"], raw={"申请人类型": "科研机构"},
)
CQ = PatentRecord(id="CN2", title="锂离子电池", ipc=["H01M0010052500"], application_date="2020-01-01",
                  applicants=[Party(name="重庆长安汽车股份有限公司", address="重庆市江北区建新东路260号")])


class S:
    def __init__(self, rec: Any, kind: str) -> None:
        self.kind, self.id, self.source, self.locator, self.hash, self.record = kind, rec.id, "f.csv", "row=1", "h", rec


def test_record_to_rows_is_pure_and_uses_the_ontology() -> None:
    rows = record_to_rows(S(PATENT, "patents"), ExtractionContext())
    patent = rows.nodes["Patent"]["CN218751475U"]
    assert patent["year"] == 2022 and patent["source"] == "f.csv" and patent["extractor"] == "records@1"
    org = rows.nodes["Organization"]["org:中科大数据研究院"]
    assert org["kind"] == "institute" and org["source"] == "derived:orgs"
    applied = rows.rels[("APPLIED_FOR", "Organization", "Patent")][("org:中科大数据研究院", "CN218751475U")]
    assert applied["seq"] == 1 and applied["role"] == "applicant"
    located = rows.rels[("LOCATED_IN", "Organization", "City")][("org:中科大数据研究院", "410100")]
    assert located["method"] == "gazetteer"
    classified = rows.rels[("CLASSIFIED_AS", "Patent", "Technology")]
    assert classified[("CN218751475U", "IPC:B64U20/80")]["main"] is True
    assert classified[("CN218751475U", "IPC:B64U101/30")]["main"] is False
    assert ("IPC:B64U20/80", "IPC:B64U20/00") in rows.rels[("BROADER", "Technology", "Technology")]
    inventors = rows.nodes["Person"]
    assert "person:刘迪@中科大数据研究院" in inventors
    assert {c.target for c in rows.cites} == {"CN000000000A", "CN2"}
    assert all(t.startswith("TERM:") for _, t in rows.rels[("MENTIONS", "Patent", "Technology")])


def test_dict_records_are_accepted() -> None:
    rows = record_to_rows(S(PATENT, "patents"), ExtractionContext())
    stored = S(PATENT, "patents")
    stored.record = PATENT.model_dump()
    assert record_to_rows(stored, ExtractionContext()).count() == rows.count()


def test_cn_export_rows_build(shared_dir: Path, memory_store: Any, memory_ledger: Any, stored: Any) -> None:
    path = shared_dir / "corpus/patents_cn_full_record_samples/incopat_style_10_records.csv"
    with path.open(encoding="utf-8") as fh:
        recs = [PatentRecord(id=r["公开号"], title=r["专利名称"], abstract=r["申请摘要"],
                             applicants=[Party(name=r["申请人"], address=r["申请人地址"])],
                             inventors=r["发明人"].split(";"), ipc=r["分类号"].split(";"),
                             application_date=f"{r['申请日'][:4]}-{r['申请日'][4:6]}-{r['申请日'][6:]}",
                             province_code=r["国省代码"]) for r in csv.DictReader(fh)]
    ledger = memory_ledger([stored("patents", r.id, path.name, f"row={i}", "h", r) for i, r in enumerate(recs, 1)])
    result = build(Settings(), memory_store, ledger, references=References())
    assert result.records == {"patents": 10}
    assert len(memory_store.nodes["Organization"]) == 1
    assert len(memory_store.rels[("APPLIED_FOR", "Organization", "Patent")]) == 10


def _all_kinds() -> list[tuple[str, Any]]:
    paper = PaperRecord(id="doi:10/x", title="基于平方和优化的飞行器控制", year=2020, keywords=["平方和优化"],
                        authors=[Author(name="王伟", affiliation="重庆邮电大学通信与信息工程学院")])
    policy = PolicyRecord(id="pol", title="政府工作报告", issuer="重庆市人民政府", year=2024,
                          text="加快发展集成电路、新型显示产业。支持沙坪坝区建设科学城。")
    stat = StatRecord(id="obs", district="沙坪坝区", year=2022, metric="GDP", value=1.5)
    return [("patents", PATENT), ("patents", CQ), ("papers", paper), ("policies", policy), ("stats", stat)]


def test_build_writes_everything_then_nothing(memory_store: Any, memory_ledger: Any, stored: Any,
                                              tmp_path: Path) -> None:
    ledger = memory_ledger([stored(k, r.id, "f.csv", "row=1", "h", r) for k, r in _all_kinds()])
    result = build(Settings(home=tmp_path), memory_store, ledger)
    assert result.records == {"patents": 2, "papers": 1, "policies": 1, "stats": 1}
    assert result.cites_linked == 1 and result.cites_unresolved == 1  # no stub for the unknown patent
    rels = memory_store.rels
    assert ("CN218751475U", "CN2") in rels[("CITES", "Patent", "Patent")]
    assert ("org:重庆长安汽车", "500105") in rels[("LOCATED_IN", "Organization", "District")]
    assert ("pol", "500106") in rels[("TARGETS", "Policy", "District")]
    assert ("obs", "500106") in rels[("OBSERVED_IN", "Observation", "District")]
    assert len(memory_store.nodes["District"]) >= 38 and "IndustryChain" in memory_store.nodes
    again = build(Settings(home=tmp_path), memory_store, ledger)
    assert again.records == {}


def test_bumping_one_extractor_reprocesses_only_its_kinds(memory_store: Any, memory_ledger: Any, stored: Any,
                                                          tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    ledger = memory_ledger([stored(k, r.id, "f.csv", "row=1", "h", r) for k, r in _all_kinds()])
    build(Settings(home=tmp_path), memory_store, ledger)
    monkeypatch.setitem(versions.EXTRACTORS, "ipc", 2)
    assert build(Settings(home=tmp_path), memory_store, ledger).records == {"patents": 2}
    monkeypatch.setitem(versions.EXTRACTORS, "policy_targets", 2)
    assert build(Settings(home=tmp_path), memory_store, ledger).records == {"policies": 1}


def test_deletions_wait_for_their_named_query(memory_store: Any, memory_ledger: Any, tmp_path: Path) -> None:
    ledger = memory_ledger([])
    ledger.deletions = [("patents", "CN2")]
    result = build(Settings(home=tmp_path), memory_store, ledger)
    assert result.deleted + result.deletions_pending == 1


def test_rows_written_earlier_in_the_run_are_not_written_again() -> None:
    from iplayout.nlp.pipeline import WrittenInRun
    from iplayout.nlp.rows import GraphRows

    def batch(patent: str, org_name: str, locator: str) -> GraphRows:
        rows = GraphRows()
        prov = {"source": "s.csv", "locator": locator, "run_id": "r", "extractor": "x", "synthetic": False}
        rows.node("Patent", {"id": patent, "title": "t", **prov})
        rows.node("Organization", {"id": "org1", "name": org_name, **prov})
        rows.rel("APPLIED_FOR", "Organization", "Patent", "org1", patent, prov)
        rows.rel("LOCATED_IN", "Organization", "District", "org1", "500108", prov)
        return rows

    written = WrittenInRun()
    first = batch("P1", "重庆长安汽车股份有限公司", "row 1")
    assert written.drop_repeats(first, {"P1"}) == 0
    second = batch("P2", "重庆长安汽车股份有限公司", "row 2")  # same organisation, new locator only
    assert written.drop_repeats(second, {"P2"}) == 2
    assert set(second.nodes["Organization"]) == set()
    assert ("LOCATED_IN", "Organization", "District") in second.rels
    assert not second.rels[("LOCATED_IN", "Organization", "District")]
    assert set(second.nodes["Patent"]) == {"P2"}  # the batch's own record and its links stay
    assert ("org1", "P2") in second.rels[("APPLIED_FOR", "Organization", "Patent")]
    third = batch("P3", "重庆长安汽车股份有限公司（更名）", "row 3")  # a changed property is written
    written.drop_repeats(third, {"P3"})
    assert set(third.nodes["Organization"]) == {"org1"}
