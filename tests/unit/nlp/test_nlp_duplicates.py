"""The duplicates review list: reasons, ranking, and what is never proposed."""

from __future__ import annotations

from pathlib import Path

from iplayout.nlp import organisations as orgs
from iplayout.nlp.duplicates import OrgEntry, find_duplicates, write_pairs


def _entries(*names: str, code: dict[str, str] | None = None) -> list[OrgEntry]:
    out: dict[str, OrgEntry] = {}
    for n in names:
        r = orgs.resolve(n)
        out.setdefault(r.id, OrgEntry(r.id, r.name, r.kind, r.key, r.name_en, (code or {}).get(n), 1))
    return list(out.values())


def _reasons(*names: str, **kw: dict[str, str]) -> dict[frozenset[str], str]:
    return {frozenset((p.a.name, p.b.name)): p.reason for p in find_duplicates(_entries(*names, **kw))}


def test_each_reason() -> None:
    found = _reasons("华为技术有限公司", "HUAWEI TECH CO LTD", "TSINGHAU UNIVERSITY", "TSINGHUA UNIVERSITY",
                     "INSTITUTE OF PROCESS ENGINEERING CHINESE ACADEMYOF SCIENCES",
                     "INSTITUTE OF PROCESS ENGINEERING CHINESE ACADEMY OF SCIENCES",
                     "长安福特(重庆)汽车有限公司", "长安福特汽车有限公司", "重庆长安汽车股份有限公司 (Chongqing Changan Automobile Co., Ltd.)",
                     "CHONGQING CHANGAN AUTOMOBILE CO LTD", "苏州云轩医药科技有限公司", "SUZHOU YUNXUAN YIYAO KEJI YOUXIAN GONGSI")
    assert found[frozenset(("华为技术有限公司", "HUAWEI TECH CO LTD"))] == "pinyin of the Chinese name"
    assert found[frozenset(("TSINGHAU UNIVERSITY", "TSINGHUA UNIVERSITY"))] == "one or two letters apart"
    assert found[frozenset(("INSTITUTE OF PROCESS ENGINEERING CHINESE ACADEMYOF SCIENCES",
                            "INSTITUTE OF PROCESS ENGINEERING CHINESE ACADEMY OF SCIENCES"))] == \
        "same letters without spaces"
    assert found[frozenset(("长安福特(重庆)汽车有限公司", "长安福特汽车有限公司"))] == "same name without brackets"
    assert found[frozenset(("重庆长安汽车股份有限公司", "CHONGQING CHANGAN AUTOMOBILE CO LTD"))] == "same English key"
    assert found[frozenset(("苏州云轩医药科技有限公司", "SUZHOU YUNXUAN YIYAO KEJI YOUXIAN GONGSI"))] == \
        "pinyin of the Chinese name"


def test_credit_code_ranks_first() -> None:
    pairs = find_duplicates(_entries("甲公司", "乙有限公司", "TSINGHUA UNIVERISTY", "TSINGHUA UNIVERSITY",
                                     code={"甲公司": "91500000MA5U7AB12X", "乙有限公司": "91500000MA5U7AB12X"}))
    assert pairs[0].reason == "same credit code" and pairs[0].score == 1.0


def test_never_proposed() -> None:
    found = _reasons("HEBEI UNIVERSITY OF TECH", "HEFEI UNIVERSITY OF TECH",  # two places
                     "NO 3 PEOPLES HOSPITAL OF SHANGHAI", "NO 9 PEOPLES HOSPITAL OF SHANGHAI",  # digits
                     "陈能森", "CHEN NENGSEN", "Chen, Nengsen",  # persons
                     "华为技术有限公司", "华为软件技术有限公司")  # a different firm of one brand
    assert found == {}


def test_csv_and_json_rows_carry_the_alias_row(tmp_path: Path) -> None:
    pairs = find_duplicates(_entries("华为技术有限公司", "Huawei Technologies Co., Ltd."))
    text = write_pairs(pairs, "csv", tmp_path / "r.csv")
    assert (tmp_path / "r.csv").read_text(encoding="utf-8") == text
    assert text.splitlines()[1].endswith('"""Huawei Technologies Co., Ltd"",华为技术有限公司"')
    assert '"alias_row": "\\"Huawei Technologies Co., Ltd\\",华为技术有限公司"' in write_pairs(pairs, "json")
