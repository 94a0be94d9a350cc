"""Address resolution: national gazetteer, Chongqing history, scripts, short forms, functional areas."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from iplayout.nlp.places import from_adcode, from_province_code, resolve


def test_cn_export_addresses_never_guess_a_district(shared_dir: Path) -> None:
    path = shared_dir / "corpus/patents_cn_full_record_samples/incopat_style_10_records.csv"
    with path.open(encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    for row in rows:
        place = resolve(row["申请人地址"], year=int(row["申请日"][:4]), province_code=row["国省代码"])
        # 郑东新区 is a functional area spanning districts: the city, not a guessed district.
        assert (place.status, place.adcode, place.province) == ("city", "410100", "410000")
        assert place.method == "gazetteer" and place.confidence > 0


def test_province_code_fallback_when_address_is_empty() -> None:
    place = resolve("", province_code="河南(41)")
    assert (place.status, place.adcode, place.method) == ("province", "410000", "province_code")
    assert from_province_code("US").status == "none"


@pytest.mark.parametrize(("address", "status", "adcode"), [
    ("241000 安徽省芜湖市镜湖区华强广场C座办公楼2409室", "district", "340202"),
    ("泗阳县史集小学", "district", "321323"),
    ("普宁市梅塘镇卫生院综合住院部", "district", "445281"),
    ("中国地质大学政法学院,中国地质大学政法学院 湖北武汉430074", "city", "420100"),
    ("重庆邮电大学通信与信息工程学院", "city", "500100"),
    ("天津药物研究院", "province", "120000"),
    ("复旦大学附属肿瘤医院", "none", None),
])
def test_noteexpress_addresses(address: str, status: str, adcode: str | None) -> None:
    place = resolve(address)
    assert (place.status, place.adcode) == (status, adcode)


@pytest.mark.parametrize(("address", "year", "adcode", "method"), [
    ("重庆市沙坪坝区沙正街174号", None, "500106", "region:district"),
    ("重慶市沙坪壩區沙正街174號", None, "500106", "region:district"),
    ("石柱县南宾镇城南路", None, "500240", "region:alias"),
    ("重庆沙坪坝", None, "500106", "region:short"),
    ("四川省重庆市江北区建新东路", 1995, "500105", "region:district+historical_prefix"),
    ("重庆市璧山县璧城街道", 2010, "500120", "region:historical"),
    ("重庆市万盛区", 2008, "500110", "region:historical"),
    ("重庆市双桥区", 2005, "500111", "region:historical"),
    ("重庆市铜梁县", 2012, "500151", "region:historical"),
    ("重庆市潼南县", 2013, "500152", "region:historical"),
    ("重庆市荣昌县", 2013, "500153", "region:historical"),
    ("重庆市开县汉丰街道", 2010, "500154", "region:historical"),
    ("重庆市梁平县", 2015, "500155", "region:historical"),
    ("重庆市武隆县", 2015, "500156", "region:historical"),
    ("重庆市两江新区(渝北区)金开大道", None, "500112", "region:district+area"),
    ("重庆市沙坪坝区大学城南路55号", None, "500106", "region:district+area"),
])
def test_chongqing_layer(address: str, year: int | None, adcode: str, method: str) -> None:
    place = resolve(address, year=year)
    assert (place.status, place.district, place.method) == ("district", adcode, method)
    assert place.city == "500100" and place.province == "500000"


@pytest.mark.parametrize(("address", "candidates"), [
    ("重庆市两江新区金渝大道", ("500105", "500112", "500109")),
    ("重庆市北部新区", ("500105", "500112")),
    ("重庆市高新区科园一路", ("500106", "500107", "500120")),
    ("重庆经开区", ("500108", "500113")),
    ("重庆市大学城", ("500106", "500107")),
])
def test_functional_areas_are_ambiguous(address: str, candidates: tuple[str, ...]) -> None:
    place = resolve(address)
    assert place.status == "ambiguous" and place.district is None
    assert place.candidates == candidates and place.adcode == "500100"
    assert place.confidence == pytest.approx(1 / len(candidates), abs=1e-3)


def test_names_shared_with_other_provinces_need_context() -> None:
    assert resolve("江北区").status == "none"  # 江北区 exists in 重庆 and 宁波
    assert resolve("浙江省宁波市江北区").district == "330205"
    assert resolve("大学城").status == "none"  # generic outside a region address


def test_unverified_changes_are_not_applied() -> None:
    assert resolve("重庆市江北区").district == "500105"


def test_from_adcode() -> None:
    assert from_adcode("500106").city == "500100"
    assert from_adcode("410105").district_name == "金水区"
    assert from_adcode("999999").status == "none"
