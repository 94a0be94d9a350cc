"""Organisation rules: splitting, kinds, resolution keys, parents, credit codes (real corpus strings)."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from iplayout.nlp import organisations as orgs
from iplayout.nlp.credit_code import check_char, find_credit_code, parse_credit_code


def test_cn_export_applicant_is_an_institute(shared_dir: Path) -> None:
    path = shared_dir / "corpus/patents_cn_full_record_samples/incopat_style_10_records.csv"
    with path.open(encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    names = {n for r in rows for n in orgs.split_names(r["申请人"])}
    assert names == {"中科大数据研究院"}
    assert orgs.classify("中科大数据研究院") == "institute"
    inventors = orgs.split_names(rows[0]["发明人"])
    assert inventors == ["刘迪", "刘敏", "王煜伟", "付艳波", "王元卓"]
    assert all(orgs.classify(n) == "individual" for n in inventors)


@pytest.mark.parametrize(("field", "expected"), [
    ("重庆邮电大学通信与信息工程学院;重庆邮电大学移动通信重点实验室;",
     ["重庆邮电大学通信与信息工程学院", "重庆邮电大学移动通信重点实验室"]),
    ("四川农业大学动物科技学院,四川农业大学动物科技学院,四川农业大学动物科技学院 四川雅安625014", ["四川农业大学动物科技学院"]),
    ("复旦大学附属肿瘤医院|JG001257", ["复旦大学附属肿瘤医院"]),
    ("1.中国铁道科学研究院 研究生部；2.中国铁道科学研究院集团有限公司 运输及经济研究所",
     ["中国铁道科学研究院 研究生部", "中国铁道科学研究院集团有限公司 运输及经济研究所"]),
    ("Chongqing Changan Automobile Co., Ltd.; Ford Motor Company",
     ["Chongqing Changan Automobile Co., Ltd", "Ford Motor Company"]),
    ("华为技术有限公司、重庆大学", ["华为技术有限公司", "重庆大学"]),
])
def test_split_names(field: str, expected: list[str]) -> None:
    assert orgs.split_names(field) == expected


@pytest.mark.parametrize(("name", "kind"), [
    ("重庆大学附属肿瘤医院", "hospital"),
    ("普宁市梅塘镇卫生院综合住院部", "hospital"),
    ("华北电力大学控制与计算机工程学院", "university"),
    ("中国科学院重庆绿色智能技术研究院", "institute"),
    ("天津市中药注射剂安全性评价企业重点实验室", "institute"),
    ("天津天士力之骄药业有限公司", "enterprise"),
    ("重庆市知识产权局", "government"),
    ("王元卓", "individual"),
    ("Sichuan University", "university"),
    ("West China Hospital of Stomatology", "hospital"),
    ("Chongqing Changan Automobile Co., Ltd.", "enterprise"),
    ("SMITH, John", "individual"),
])
def test_classify(name: str, kind: str) -> None:
    assert orgs.classify(name) == kind


@pytest.mark.parametrize(("a", "b"), [
    ("重庆长安汽车股份有限公司", "重庆长安汽车有限公司"),
    ("重慶長安汽車股份有限公司", "重庆长安汽车股份有限公司"),
    ("长安福特（重庆）汽车有限公司", "长安福特(重庆)汽车有限公司"),
    ("ＡＢＣ科技有限公司", "ABC科技有限责任公司"),
    ("Chongqing Changan Automobile Co., Ltd.", "CHONGQING CHANGAN AUTOMOBILE CO LTD"),
    ("Chongqing Changan Automobile Company Limited", "Chongqing Changan Automobile Inc."),
])
def test_same_firm_merges(a: str, b: str) -> None:
    assert orgs.same_organisation(a, b)


@pytest.mark.parametrize(("a", "b"), [
    ("重庆长安汽车股份有限公司", "长安福特汽车有限公司"),
    ("重庆长安汽车股份有限公司", "重庆长安汽车客车有限公司"),
    ("京东方科技集团股份有限公司", "重庆京东方光电科技有限公司"),
    ("华为技术有限公司", "华为终端有限公司"),
    ("长安福特(重庆)汽车有限公司", "长安福特汽车有限公司"),
    ("重庆长安汽车集团有限公司", "重庆长安汽车有限公司"),
])
def test_firms_sharing_a_brand_stay_apart(a: str, b: str) -> None:
    assert not orgs.same_organisation(a, b)


def test_branch_units_point_to_their_parent() -> None:
    assert orgs.resolve("中国地质大学政法学院").parent == orgs.resolve("中国地质大学")
    assert orgs.split_parent("国网河北省电力有限公司电力科学研究院") == ("国网河北省电力有限公司", "电力科学研究院")
    branch = orgs.resolve("中国石油化工股份有限公司西南油气分公司")
    assert branch.parent is not None and branch.parent.key == "中国石油化工"
    assert orgs.resolve("中科大数据研究院").parent is None
    assert orgs.split_parent("重庆大学城市科技学院") is None


def test_english_alias_in_brackets() -> None:
    org = orgs.resolve("重庆大学（Chongqing University）")
    assert (org.name, org.name_en, org.key) == ("重庆大学", "Chongqing University", "重庆大学")


def test_credit_code() -> None:
    body = "91500106202812345"
    code = parse_credit_code(body + check_char(body))
    assert code is not None and code.valid and code.division == "500106" and code.province_code == "500000"
    assert code.authority == "工商/市场监管"
    bad = parse_credit_code(body + ("0" if check_char(body) != "0" else "1"))
    assert bad is not None and not bad.valid
    assert parse_credit_code("12345") is None
    found = find_credit_code(f"重庆某某科技有限公司（统一社会信用代码：{body}{check_char(body)}）")
    assert found is not None and found.division == "500106"
    assert orgs.resolve(f"重庆某某科技有限公司 {body}{check_char(body)}").credit_code == found
