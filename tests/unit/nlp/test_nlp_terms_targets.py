"""Keyphrases (CSL / KPPatent strings) and policy targets (government work report sentences)."""

from __future__ import annotations

import json
from pathlib import Path

from iplayout.nlp import terms
from iplayout.nlp.policy_targets import find_targets


def test_csl_abstract_phrases(shared_dir: Path) -> None:
    line = (shared_dir / "corpus/literature_csl_zh_keywords_dev/kg_dev.tsv").read_text(encoding="utf-8").split("\n")[0]
    _, text, gold = line.split("\t")
    body, _, title = text.rpartition(" ")
    found = [t.text for t in terms.extract(title, body, top_k=5)]
    assert len(found) == 5 and "平方和优化" in gold.split("_")
    assert {"一种", "方法", "装置", "系统"}.isdisjoint(found)
    assert found and terms.extract(title, body)[0].weight == 1.0


def test_stop_phrases_alone_are_never_terms() -> None:
    found = [t.text for t in terms.extract("一种方法、装置及系统", "一种方法。一种装置。一种系统。方法装置系统。")]
    assert {"一种", "方法", "装置", "系统"}.isdisjoint(found)


def test_word_mode_on_kppatent(shared_dir: Path) -> None:
    item = json.loads((shared_dir / "corpus/patent_keyphrase_kppatent_zh/test_data_A.json").read_text("utf-8"))[1]
    words = [t.text for t in terms.extract("", item["input"], granularity="word")]
    assert "衣物" in words or "预约" in words


def test_english_terms() -> None:
    found = [t.text for t in terms.extract("A lithium-ion battery thermal management system",
                                           "The battery thermal management system cools lithium-ion battery cells.")]
    assert "lithium-ion battery" in found and "system" not in found


def test_policy_sentences(shared_dir: Path) -> None:
    path = shared_dir / "corpus/policy_gov_work_reports/government_work_reports.jsonl"
    report = next(json.loads(ln) for ln in path.read_text(encoding="utf-8").splitlines() if "2024" in ln[:60])
    targets = find_targets(report["content"])
    names = {t.name for t in targets}
    assert names & {"集成电路", "人工智能", "新能源汽车", "生物制造", "商业航天", "低空经济"}
    assert all(t.measure and t.evidence for t in targets)


def test_measures_and_numbers() -> None:
    (ic,) = [t for t in find_targets("加快发展集成电路产业。") if t.kind == "Industry"]
    assert ic.name == "集成电路产业" and ic.measure == "发展"
    (nev,) = find_targets("新能源汽车产量达到100万辆。")
    assert nev.measure == "numeric_target"
    assert find_targets("集成电路是电子产品的核心。") == []
    (district,) = [t for t in find_targets("支持璧山区建设新型显示基地。") if t.kind == "District"]
    assert district.key == "500120"


OLED_TITLE = "一种柔性OLED显示面板及其制备方法"
OLED_ABSTRACT = ("本发明公开了一种柔性OLED显示面板，包括阵列基板、OLED发光层和薄膜封装层；所述薄膜封装层采用无机层与"
                 "有机层交替层叠的结构，降低了水氧渗透率。该柔性OLED显示面板弯折半径小，显示面板寿命长。")


def test_terms_are_pinned() -> None:
    # Output of the extractor as released with terms@1: a change here needs a version bump in versions.py.
    phrases = [(t.text, t.weight) for t in terms.extract(OLED_TITLE, OLED_ABSTRACT)]
    assert phrases == [("OLED", 1.0), ("面板", 0.3699), ("柔性", 0.347), ("薄膜封装", 0.3437), ("水氧渗透率", 0.2608)]
    words = [(t.text, t.weight) for t in terms.extract(OLED_TITLE, OLED_ABSTRACT, granularity="word")]
    assert words == [("OLED", 1.0), ("面板", 0.7801), ("柔性", 0.7208), ("封装", 0.5997), ("弯折", 0.5)]


def test_remembered_clauses_do_not_change_terms() -> None:
    first = terms.extract(OLED_TITLE, OLED_ABSTRACT)
    terms.extract("一种显示面板", "该柔性OLED显示面板弯折半径小，降低了水氧渗透率。")  # shares clauses
    assert terms.extract(OLED_TITLE, OLED_ABSTRACT) == first


def test_segmenter_matches_jieba(shared_dir: Path) -> None:
    import jieba

    tricky = ["", "a  b\r\n c", "蓬莱9-1油田", "采用HPLC-ESI-MS技术", "嵌入式Java芯片内核--JC401", "BOD_5与High_Q算法",
              "相相相相相相相相相相机机机机机机机机机机123452345工厂终端", "3.5%的C++与C#", "Ｆｕｌｌ　ｗｉｄｔｈ", "😀表情", "12.5.3版本"]
    csl = (shared_dir / "corpus/literature_csl_zh_keywords_dev/kg_dev.tsv").read_text(encoding="utf-8").splitlines()
    kpp = json.loads((shared_dir / "corpus/patent_keyphrase_kppatent_zh/test_data_A.json").read_text("utf-8"))
    texts = tricky + [line.split("\t")[1] for line in csl[:300]] + [item["input"] for item in kpp[:300]]
    for text in texts:
        assert terms._segment(text) == jieba.lcut(text), text
