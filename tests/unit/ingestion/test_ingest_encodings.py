"""The same CN export in every encoding (and as XLSX) gives identical records; Traditional → Simplified."""

from __future__ import annotations

import csv
from pathlib import Path
from typing import Any

import pytest

from iplayout.config import Settings
from iplayout.ingestion.ledger import Ledger
from iplayout.ingestion.run import ingest_paths
from iplayout.ingestion.textio import detect_encoding

pytestmark = pytest.mark.shared
SAMPLE = "corpus/patents_cn_full_record_samples/incopat_style_10_records.csv"


def _records(tmp: Path, name: str, source: Path) -> dict[str, str]:
    settings = Settings(home=tmp / f"home-{name}")
    result = ingest_paths([source], settings)
    assert (result.accepted, result.rejected, result.field_issues) == (10, 0, 0), name
    with Ledger(settings.ledger_path) as ledger:
        return {s.id: s.hash for s in ledger.all_active()}


def _rows(shared_dir: Path) -> list[list[str]]:
    with (shared_dir / SAMPLE).open(encoding="utf-8", newline="") as fh:
        return list(csv.reader(fh))


def test_same_export_in_every_encoding_and_xlsx(shared_dir: Path, tmp_path: Path) -> None:
    text = (shared_dir / SAMPLE).read_text(encoding="utf-8")
    variants = {
        "utf8": text.encode("utf-8"),
        "utf8bom": text.encode("utf-8-sig"),
        "gb18030": text.encode("gb18030"),
        "utf16": text.encode("utf-16"),
    }
    hashes = {}
    for name, data in variants.items():
        path = tmp_path / f"{name}.csv"
        path.write_bytes(data)
        hashes[name] = _records(tmp_path, name, path)

    import openpyxl

    book = openpyxl.Workbook()
    sheet = book.active
    for row in _rows(shared_dir):
        sheet.append(row)
    book.save(tmp_path / "export.xlsx")
    hashes["xlsx"] = _records(tmp_path, "xlsx", tmp_path / "export.xlsx")
    # The content hash excludes the locator, so equal hashes mean field-for-field equal records.
    assert all(h == hashes["utf8"] for h in hashes.values())


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        ("专利申请人重庆大学".encode("gb18030"), "gb18030"),
        ("專利申請人國立臺灣大學發明".encode("big5"), "big5"),
        ("重庆,2020,GDP\n".encode("utf-16-le"), "utf-16-le"),
        (b"\xef\xbb\xbfabc", "utf-8-sig"),
        ("申请人".encode(), "utf-8"),
    ],
)
def test_detect_encoding(data: bytes, expected: str) -> None:
    assert detect_encoding(data * 20) == expected


def test_big5_export_with_traditional_headers(tmp_path: Path, ingest: Any, active: Any) -> None:
    path = tmp_path / "big5.csv"
    content = "公開號,申請號,專利名稱,申請人,申請日\nTW100A,TW2020001,一種電池管理裝置,國立臺灣大學,2020/3/5\n"
    path.write_bytes(content.encode("big5"))
    assert ingest(path).accepted == 1
    record = active("patents")["TW100A"]
    assert record.title == "一种电池管理装置" and record.original["title"] == "一種電池管理裝置"
    assert record.application_date == "2020-03-05"


def test_traditional_copy_is_stored_simplified_with_original(
    shared_dir: Path, tmp_path: Path, ingest: Any, active: Any
) -> None:
    rows = _rows(shared_dir)
    header, first = rows[0], rows[1]
    trad = dict(zip(header, first, strict=True))
    trad["专利名称"] = "一種無人機機載多功能盒"
    trad["申请人"] = "中科大數據研究院"
    path = tmp_path / "trad.csv"
    with path.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(header)
        writer.writerow([trad[h] for h in header])
    assert ingest(path).accepted == 1
    record = active("patents")["CN218751475U"]
    assert record.title == "一种无人机机载多功能盒"
    assert record.applicants[0].name == "中科大数据研究院"
    assert record.original["title"] == "一種無人機機載多功能盒"
    assert record.original["applicants"] == "中科大數據研究院"
