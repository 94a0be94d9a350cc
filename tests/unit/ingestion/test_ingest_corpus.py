"""Every sample of ../shared/corpus ingests, with field-level checks on real records."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from iplayout.errors import IngestionError

pytestmark = pytest.mark.shared


def test_cn_patent_export(shared_dir: Path, ingest: Any, active: Any) -> None:
    result = ingest(shared_dir / "corpus/patents_cn_full_record_samples/incopat_style_10_records.csv")
    assert (result.accepted, result.rejected, result.field_issues) == (10, 0, 0)
    records = active("patents")
    p = records["CN218751475U"]
    assert p.application_number == "CN202223220665.2"
    assert p.title == "一种无人机机载多功能盒"
    assert [a.name for a in p.applicants] == ["中科大数据研究院"]
    assert p.applicants[0].address == "河南省郑州市郑东新区中道东路6号创意岛大厦8层"
    assert p.applicants[0].postcode == "450000"
    assert p.ipc == ["B64U 20/80", "B64U 101/30"]
    assert (p.application_date, p.publication_date, p.grant_date) == ("2022-12-02", "2023-03-28", "2023-03-28")
    assert p.kind == "utility" and p.legal_status == "有权-审定授权" and p.province_code == "河南(41)"
    assert p.inventors == ["刘迪", "刘敏", "王煜伟", "付艳波", "王元卓"]
    assert p.raw["申请人类型"] == "科研机构"  # unknown columns are kept, not dropped
    pending = records["CN116245100A"]
    assert pending.kind == "invention" and pending.grant_date is None  # 授权公告日 "0" = no grant
    assert pending.ipc[0] == "G06F 40/289" and len(pending.ipc) == 5
    assert records["CN115883397A"].grant_date == "2024-04-05"


def test_uspto_xml_every_vintage(shared_dir: Path, ingest: Any, active: Any, rejects: Any) -> None:
    folder = shared_dir / "corpus/patents_us_uspto_samples"
    result = ingest(*sorted(folder.glob("*/*.xml")))
    assert result.accepted == 9
    # The CPC scheme file is not a patent document: one clear reject, nothing else lost.
    assert [r["reason"] for r in rejects(result)] == ["not a USPTO patent document: <class-scheme>"]
    records = active("patents")
    ibm = records["US6970935B1"]
    assert ibm.applicants[0].name == "International Business Machines Corporation"
    assert ibm.applicants[0].address == "Armonk, NY, US" and ibm.applicants[0].country == "US"
    assert len(ibm.cites) == 11 and ibm.cites[0] == "US5918020A"
    assert ibm.application_date == "2000-11-01" and ibm.grant_date == "2005-11-29"
    ms = records["US7272630B2"]
    assert "Redmond" in (ms.applicants[0].address or "")
    assert len(ms.cites) == 78 and len(ms.raw["non_patent_citations"]) == 38
    hmicro = records["US8926509B2"]
    assert hmicro.ipc[:2] == ["A61B 5/00", "A61B 5/0205"] and hmicro.cpc[0] == "A61B 5/0205"
    assert records["US20010000044A1"].ipc == ["G06F 17/60"]  # 2001 pap format
    assert records["US20050004437A1"].applicants[0].address == "Bern, CH"


def test_uspto_brs_text(shared_dir: Path, ingest: Any, active: Any) -> None:
    result = ingest(shared_dir / "corpus/patents_us_uspto_samples/css_brs/css_brs_sample.txt")
    assert result.accepted == 6
    mediatek = active("patents")["US9204581B2"]
    assert mediatek.applicants[0].country == "TW" and "Hsin-Chu" in (mediatek.applicants[0].address or "")
    assert mediatek.cpc == ["H05K 9/0066"] and mediatek.claims_count == 20


def test_cnki_noteexpress(shared_dir: Path, ingest: Any, active: Any) -> None:
    folder = shared_dir / "corpus/literature_cnki_noteexpress_samples"
    result = ingest(*sorted(folder.glob("*.net")))
    assert result.accepted == 54 and result.unchanged == 1 and result.rejected == 0  # 55, one repeated
    assert result.field_issues == 1  # a record with {Year}: 2989 keeps everything but the year
    papers = {p.title: p for p in active("papers").values()}
    p = papers["基于公共行政理念的政府公共关系发展历程探析"]
    assert [a.name for a in p.authors] == ["谢昕", "王小增"]
    assert p.authors[0].address == "中国地质大学政法学院"
    assert p.keywords == ["政府公共关系", "公共行政", "发展历程", "理念"]
    assert p.year == 2005 and p.venue == "湖北社会科学"
    q = papers["基于深度信念网络资源需求预测的虚拟网络功能动态迁移算法"]
    assert q.affiliations == ["重庆邮电大学通信与信息工程学院", "重庆邮电大学移动通信重点实验室"]
    assert q.keywords == ["虚拟网络功能", "预测", "迁移", "深度学习"]


def test_wos_bibtex(shared_dir: Path, ingest: Any, active: Any) -> None:
    folder = shared_dir / "corpus/literature_wos_innovation_dev"
    result = ingest(folder / "wos_dev_citing_250.bib", folder / "wos_targets_500.bib")
    assert result.rejected == 0 and result.accepted == 750
    geels = active("papers")["10.1016/j.respol.2004.01.015"]
    assert geels.authors[0].affiliation == "Eindhoven Univ Technol"
    assert geels.year == 2004 and geels.venue == "RESEARCH POLICY"
    assert "10.2307/2295952" in geels.cites and len(geels.cites) == 36
    assert "multi-level perspective" in geels.keywords


def test_policy_jsonl(shared_dir: Path, ingest: Any, active: Any) -> None:
    folder = shared_dir / "corpus/policy_gov_work_reports"
    result = ingest(folder / "government_work_reports.jsonl", folder / "cpc_congress_reports.jsonl")
    assert result.accepted == 88 and result.rejected == 0
    by_title = {p.title: p for p in active("policies").values()}
    report = by_title["2025年中华人民共和国国务院政府工作报告"]
    assert report.year == 2025 and report.text.startswith("各位代表:")
    assert report.raw["url"].startswith("https://zh.wikisource.org/")
    canton = by_title["广州共产党报告 (一大)"]  # stored Simplified, the Traditional title kept
    assert canton.original["title"] == "廣州共產黨報告 (一大)"


def test_corpus_folder_reports_unreadable_files(shared_dir: Path, ingest: Any) -> None:
    result = ingest(shared_dir / "corpus")
    errors = {Path(f.path).name: f.error for f in result.files if f.error}
    # A headerless TSV, a JSON array and a table of applicant names (no record kind: development
    # data for organisation rules) are refused with one clear reason each; all else lands.
    assert set(errors) == {"kg_dev.tsv", "test_data_A.json", "applicants_han_sector_dev.csv"}
    assert "cannot recognise the columns" in errors["kg_dev.tsv"]
    assert "cannot recognise the columns (han_name" in errors["applicants_han_sector_dev.csv"]
    assert "JSON Lines" in errors["test_data_A.json"]
    assert result.accepted + result.unchanged == 10 + 9 + 6 + 55 + 750 + 88 + 3  # + 3 USPTO trademark case files
    assert result.unchanged == 1  # withLineBreakInAddress.net repeats a record of another file


def test_single_unreadable_file_is_one_clear_error(shared_dir: Path, ingest: Any) -> None:
    with pytest.raises(IngestionError, match="JSON Lines"):
        ingest(shared_dir / "corpus/patent_keyphrase_kppatent_zh/test_data_A.json")
