"""CNIPA trademark open-data packages: joined members, defects rejected or repaired with a reason."""

from __future__ import annotations

import csv
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from iplayout.ingestion.readers.cnipa_layout import HEADERS
from iplayout.ingestion.run import IngestResult
from tests.unit.ingestion.cnipa_sample import BASIC, FIRM, FIRM_ADDRESS, GOODS, write_package, zip_package

Ingest = Callable[..., IngestResult]
Active = Callable[..., dict[str, Any]]
Rejects = Callable[[IngestResult], list[dict[str, Any]]]


def test_layout_headers_are_the_official_ones(shared_dir: Path) -> None:
    """The headers the samples are written with are exactly those of the format file."""
    fmt = shared_dir / "reference" / "cnipa_trademark_opendata_format" / "member_headers.csv"
    if not fmt.is_file():
        pytest.skip(f"{fmt} is absent")
    with fmt.open(encoding="utf-8") as fh:
        official = {row["member_csv"]: tuple(row["header_raw (| separated)"].split("|")) for row in csv.DictReader(fh)}
    assert official == HEADERS


def _by_reason(items: list[dict[str, Any]], text: str) -> list[dict[str, Any]]:
    return [r for r in items if text in r["reason"]]


def test_package_folder_every_row_lands_or_is_rejected(tmp_path: Path, ingest: Ingest, active: Active,
                                                       rejects: Rejects) -> None:
    result = ingest(write_package(tmp_path / "pkg"))
    records = {k: v.model_dump() for k, v in active("trademarks").items()}
    assert sorted(records) == ["TM:CN:1001", "TM:CN:1002", "TM:CN:1003", "TM:CN:1004", "TM:CN:1006"]
    found = rejects(result)

    two = records["TM:CN:1001"]
    assert two["classes"] == ["30", "43"] and two["groups"] == ["3002", "3001", "4302"]  # member order per class
    assert two["holders"] == [{"name": FIRM, "address": FIRM_ADDRESS, "country": None, "postcode": None}]
    assert (two["name"], two["application_date"], two["registration_date"], two["expiry_date"]) == (
        "山城辣妹", "2015-03-02", "2016-03-06", "2099-03-06")
    assert two["well_known"] is False and two["raw"]["代理机构"] == "重庆某商标代理有限公司"

    multi = records["TM:CN:1002"]
    assert multi["raw"]["商标设计说明"] == "第一行\n第二行，含逗号"  # a quoted field spanning lines
    assert [h["name"] for h in multi["holders"]] == ["重庆云联科技有限公司", "重庆大学"]  # registrant, co-owner
    assert multi["raw"]["优先权"][0]["优先权国家/地区"] == "美国"

    foreign = records["TM:CN:1003"]["holders"][0]
    assert foreign["name"] == "Cupertino Apparel Inc." and "California" in foreign["address"]

    assert records["TM:CN:1004"]["name"] == "坏\ufffd节"
    repaired = _by_reason(found, "not UTF-8")
    assert [(r["record_id"], r["action"]) for r in repaired] == [("TM:CN:1004", "field")]
    assert f"{BASIC}" in repaired[0]["locator"] and "row=5" in repaired[0]["locator"]

    cells = _by_reason(found, "cells, the header has 22")
    assert len(cells) == 1 and cells[0]["action"] == "record" and "row=8" in cells[0]["locator"]
    assert len(_by_reason(found, "no 注册号/申请号")) == 1
    orphan = _by_reason(found, "no 注册商标基本信息.csv row")
    assert [(r["raw_value"], GOODS in r["locator"]) for r in orphan] == [("9999", True)]
    bad = records["TM:CN:1006"]
    assert bad["classes"] == [] and bad.get("application_date") is None
    assert {r["field"] for r in found if r.get("record_id") == "TM:CN:1006"} == {"classes", "application_date"}
    assert result.accepted == 5 and result.rejected == 3  # 3 refused rows: wrong cells, no key, orphan goods


def test_zip_package_reads_like_the_folder(tmp_path: Path, ingest: Ingest, active: Active) -> None:
    folder = write_package(tmp_path / "pkg")
    ingest(zip_package(folder, tmp_path / "2023_1.zip"))
    from_zip = active("trademarks")
    assert sorted(from_zip) == ["TM:CN:1001", "TM:CN:1002", "TM:CN:1003", "TM:CN:1004", "TM:CN:1006"]
    assert from_zip["TM:CN:1001"].holders[0].name == FIRM


def test_folder_containing_a_package_reads_it_as_one_source(tmp_path: Path, ingest: Ingest) -> None:
    write_package(tmp_path / "data" / "2000")
    result = ingest(tmp_path / "data")
    assert [Path(f.path).name for f in result.files] == ["2000"]
    assert result.accepted == 5


def test_batch_without_mark_names(tmp_path: Path, ingest: Ingest, active: Active, rejects: Rejects) -> None:
    result = ingest(write_package(tmp_path / "pkg", with_name=False))
    records = active("trademarks")
    assert len(records) == 5 and all(r.name is None for r in records.values())
    assert len(_by_reason(rejects(result), "no 商标名称 column")) == 1


def test_zip_without_basic_member_is_refused(tmp_path: Path, ingest: Ingest) -> None:
    import zipfile

    from iplayout.errors import IngestionError

    target = tmp_path / "other.zip"
    with zipfile.ZipFile(target, "w") as archive:
        archive.writestr("readme.csv", "a,b\n1,2\n")
    with pytest.raises(IngestionError, match="not a CNIPA trademark open-data package"):
        ingest(target)


def test_zip_member_names_in_gbk_are_recognised(tmp_path: Path, ingest: Ingest, active: Active) -> None:
    """Archives made on Chinese Windows store member names in GBK without the UTF-8 flag."""
    import zipfile

    class GbkName(zipfile.ZipInfo):
        def _encodeFilenameFlags(self) -> tuple[bytes, int]:  # noqa: N802 (zipfile's own name)
            return self.filename.encode("gbk"), self.flag_bits

    folder = write_package(tmp_path / "pkg")
    target = tmp_path / "gbk.zip"
    with zipfile.ZipFile(target, "w") as archive:
        for member in sorted(folder.iterdir()):
            archive.writestr(GbkName(member.name), member.read_bytes())
    with zipfile.ZipFile(target) as archive:
        assert not archive.infolist()[0].flag_bits & 0x800  # really stored without the UTF-8 flag
    assert ingest(target).accepted == 5 and "TM:CN:1001" in active("trademarks")


@pytest.mark.parametrize("block", [1, 5, 64, 1 << 20])
def test_members_decoded_by_block_read_like_line_by_line(block: int, monkeypatch: pytest.MonkeyPatch) -> None:
    """Blocks of whole lines, a line longer than a block, a bad byte at a block border: the same
    lines, and each bad line reported when it is read (so its row is the one marked repaired)."""
    import io

    from iplayout.ingestion.readers import cnipa_trademarks as reader

    monkeypatch.setattr(reader, "_BLOCK", block)
    data = "\ufeffa,b\r\n".encode() + b"x\xff,1\n" + ("长" * 40 + ",\r2\n").encode() + b"\n" + b"q\xe5\x9d,3"
    bad: list[int] = []
    seen = []
    for line in reader._lines(io.BytesIO(data), bad):
        seen.append((line, list(bad)))
    expected = [("a,b\r\n", []), ("x\ufffd,1\n", [2]), ("长" * 40 + ",\r2\n", [2]), ("\n", [2]), ("q\ufffd,3", [2, 5])]
    assert seen == expected
