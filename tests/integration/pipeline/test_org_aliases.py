"""One firm across languages on both engines: three Huawei spellings + the user's alias table give one
Organization with every alias and one APPLIED_FOR per patent; similar firms stay apart; a romanised
person applicant is an individual like a Chinese one."""

from __future__ import annotations

import csv
import json
from pathlib import Path

from typer.testing import CliRunner

from iplayout.cli import app
from iplayout.graph.factory import open_store
from iplayout.ingestion.ledger import Ledger
from iplayout.ingestion.run import ingest_paths
from iplayout.nlp.pipeline import build

from ..conftest import settings_for

_HEAD = ["公开号", "申请号", "标题", "摘要", "申请人", "申请人地址", "发明人", "IPC分类号", "申请日", "专利类型"]
_APPLICANTS = {
    "CN1000001A": "华为技术有限公司",
    "CN1000002A": "Huawei Technologies Co., Ltd.",
    "CN1000003A": "HUAWEI TECH CO LTD",
    "CN1000004A": "华为软件技术有限公司",
    "CN1000005A": "长安福特(重庆)汽车有限公司",
    "CN1000006A": "长安福特汽车有限公司",
    "CN1000007A": "CHEN NENGSEN",
    "CN1000008A": "陈能森",
}
ALIASES = 'name,canonical\n"Huawei Technologies Co., Ltd.",华为技术有限公司\nHUAWEI TECH CO LTD,华为技术有限公司\n'


def _export(path: Path) -> Path:
    with path.open("w", encoding="utf-8", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(_HEAD)
        for i, (pid, applicant) in enumerate(_APPLICANTS.items()):
            w.writerow([pid, f"CN2020{i:07d}", f"一种通信装置{i}", "本发明公开了一种通信装置。", applicant,
                        "", "张三", "H04W 72/04", "2020-03-01", "发明申请"])
    return path


def test_alias_table_merges_spellings_and_keeps_similar_firms_apart(engine: str, tmp_path: Path) -> None:
    settings = settings_for(engine, tmp_path / "home").model_copy(update={"build_workers": 1})
    (settings.home / "reference").mkdir(parents=True)
    (settings.home / "reference" / "org_aliases.csv").write_text(ALIASES, encoding="utf-8")
    store = open_store(settings)
    store.clear()
    try:
        ingest_paths([_export(tmp_path / "patents.csv")], settings)
        build(settings, store, Ledger(settings.ledger_path))
        rows = store.cypher_read("MATCH (o:Organization)-[:APPLIED_FOR]->(p:Patent) "
                                 "RETURN p.id AS patent, o.id AS org, o.name AS name, o.aliases AS aliases, "
                                 "o.kind AS kind ORDER BY patent")
    finally:
        store.close()
    by_patent: dict[str, list[dict[str, object]]] = {}
    for r in rows:
        by_patent.setdefault(str(r["patent"]), []).append(r)
    assert sorted(by_patent) == sorted(_APPLICANTS)
    assert all(len(v) == 1 for v in by_patent.values())  # one APPLIED_FOR per patent
    huawei = [by_patent[p][0] for p in ("CN1000001A", "CN1000002A", "CN1000003A")]
    assert {h["org"] for h in huawei} == {"org:华为技术"}
    assert huawei[0]["name"] == "华为技术有限公司" and huawei[0]["kind"] == "enterprise"
    assert sorted(huawei[0]["aliases"]) == sorted(  # type: ignore[arg-type]
        ["华为技术有限公司", "Huawei Technologies Co., Ltd", "HUAWEI TECH CO LTD"])
    others = {by_patent[p][0]["org"] for p in ("CN1000004A", "CN1000005A", "CN1000006A")}
    assert len(others) == 3 and "org:华为技术" not in others
    assert by_patent["CN1000004A"][0]["aliases"] is None  # a firm the table does not list has none
    person, chinese = by_patent["CN1000007A"][0], by_patent["CN1000008A"][0]
    assert person["kind"] == chinese["kind"] == "individual"
    assert person["org"] != chinese["org"]  # the table, not a guess, would merge them


def test_duplicates_review_list_proposes_the_cross_language_pair(engine: str, tmp_path: Path) -> None:
    settings = settings_for(engine, tmp_path / "home").model_copy(update={"build_workers": 1})
    store = open_store(settings)
    store.clear()
    try:
        ingest_paths([_export(tmp_path / "patents.csv")], settings)
        build(settings, store, Ledger(settings.ledger_path))
    finally:
        store.close()
    out = tmp_path / "review.csv"
    result = CliRunner().invoke(app, ["export", "duplicates", str(out), "--store", engine, "--home",
                                      str(settings.home), "--json"])
    assert result.exit_code == 0, result.output
    assert json.loads(result.output)["organisations"] == 7  # 8 applicants, two English spellings meet
    rows = list(csv.DictReader(out.read_text(encoding="utf-8").splitlines()))
    pairs = {frozenset((r["name_a"], r["name_b"])): r for r in rows}
    english = next(r for r in rows if "org:huawei tech" in (r["id_a"], r["id_b"]))  # either English spelling
    english_name = english["name_a"] if english["id_a"] == "org:huawei tech" else english["name_b"]
    huawei = pairs[frozenset(("华为技术有限公司", english_name))]
    assert huawei["reason"] == "pinyin of the Chinese name"
    assert huawei["alias_row"] == f"{english_name},华为技术有限公司"
    brackets = pairs[frozenset(("长安福特(重庆)汽车有限公司", "长安福特汽车有限公司"))]
    assert brackets["reason"] == "same name without brackets"
    assert rows[0] is huawei  # the stronger reason first
    assert not any("陈能森" in (r["name_a"], r["name_b"]) for r in rows)  # persons are never proposed
