"""Malformed and malicious input: each case gives its reject reason (or one clear error) and every
valid record in the same file still lands (counted in the ledger)."""

from __future__ import annotations

import io
import json
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from iplayout.errors import IngestionError

HEADER = "公开号,申请号,专利名称,申请人,分类号,申请日,专利类型"


def cn(i: int, *, title: str | None = None, ipc: str = "H01M10/0525", date: str = "20200101", pid: str | None = None) -> str:
    return f"{pid if pid is not None else f'CN{i:07d}A'},CN2020{i:07d}.1,{title if title is not None else f'装置{i}'},重庆大学,{ipc},{date},发明"


def csv_text(*rows: str, header: str = HEADER) -> bytes:
    return ("\n".join([header, *rows]) + "\n").encode("utf-8")


def _zip(members: dict[str, bytes]) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return buf.getvalue()


BOMB = b"""<?xml version="1.0"?>
<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">]>
<us-patent-grant><us-bibliographic-data-grant>&lol3;</us-bibliographic-data-grant></us-patent-grant>
"""
XXE = b"""<?xml version="1.0"?>
<!DOCTYPE foo [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>
<us-patent-grant><us-bibliographic-data-grant><invention-title>&xxe;</invention-title>
</us-bibliographic-data-grant></us-patent-grant>
"""
GOOD_XML = b"""<?xml version="1.0" encoding="UTF-8"?>
<us-patent-grant lang="EN"><us-bibliographic-data-grant>
<publication-reference><document-id><country>US</country><doc-number>09000001</doc-number><kind>B2</kind>
<date>20150407</date></document-id></publication-reference>
<application-reference appl-type="utility"><document-id><country>US</country><doc-number>13000001</doc-number>
<date>20120101</date></document-id></application-reference>
<invention-title>Battery pack</invention-title></us-bibliographic-data-grant></us-patent-grant>
"""

# name -> (file name, content, expected valid records, reasons that must appear | error regex)
Case = tuple[str, bytes | Callable[[], bytes], int, list[str] | str]
CASES: dict[str, Case] = {
    "truncated_row": ("a.csv", csv_text(cn(1), cn(2), "CN0000003A,CN20200000003.1,装置"), 2, ["truncated row: 3 cells"]),
    "too_many_cells": ("a.csv", csv_text(cn(1), cn(2) + ",多余,列"), 1, ["too many cells"]),
    "semicolon_delimiter": ("a.csv", csv_text(*(cn(i).replace(",", ";") for i in range(3)), header=HEADER.replace(",", ";")), 3, []),
    "tab_separated": ("a.tsv", csv_text(*(cn(i).replace(",", "\t") for i in range(2)), header=HEADER.replace(",", "\t")), 2, []),
    "missing_title": ("a.csv", csv_text(cn(1), cn(2, title="")), 1, ["Field required"]),
    "missing_ids": ("a.csv", csv_text(cn(1), ",,无编号装置,重庆大学,H01M10/0525,20200101,发明"), 1, ["Field required"]),
    "invalid_calendar_date": ("a.csv", csv_text(cn(1), cn(2, date="20221399")), 2, ["invalid date: not a calendar date"]),
    "invalid_date_text": ("a.csv", csv_text(cn(1, date="next year")), 1, ["invalid date: unrecognised date format"]),
    "invalid_ipc": ("a.csv", csv_text(cn(1, ipc="H01M10/0525;XYZ123"), cn(2)), 2, ["invalid IPC code"]),
    "duplicate_rows": ("a.csv", csv_text(cn(1), cn(2), cn(1)), 2, ["duplicate record id 'CN0000001A'"]),
    "ten_mb_field": ("a.csv", csv_text(cn(1), cn(2, title="长" * 10_000_000)), 1, ["field larger than 1 MB"]),
    "binary_garbage": ("a.csv", bytes(range(256)) * 64, 0, "binary content"),
    "empty_file": ("a.csv", b"", 0, "file is empty"),
    "header_only": ("a.csv", csv_text(), 0, []),
    "blank_lines_between_rows": ("a.csv", csv_text(cn(1), "", "  ", cn(2)), 2, []),
    "mixed_encodings": (
        "a.csv",
        csv_text(cn(1)) + cn(2, title="一种电池").encode("gbk") + b"\n" + cn(3).encode() + b"\n",
        3,
        ["mixed encodings"],
    ),
    "undecodable_line": ("a.csv", csv_text(cn(1)) + b"CN9\xff\xfe\xff\xfe\x80,x\n" + cn(3).encode() + b"\n", 2, ["undecodable bytes"]),
    "unknown_columns": ("a.csv", b"foo,bar\n1,2\n", 0, "cannot recognise the columns"),
    "xml_bomb": ("a.xml", BOMB + GOOD_XML, 1, ["XML entity declarations refused"]),
    "xml_external_entity": ("a.xml", XXE + GOOD_XML, 1, ["XML entity declarations refused"]),
    "xml_malformed": ("a.xml", GOOD_XML + b'<?xml version="1.0"?>\n<us-patent-grant><oops></us-patent-grant>\n', 1, ["malformed XML"]),
    "xlsx_bomb": ("a.xlsx", lambda: _zip({"xl/worksheets/sheet1.xml": b" " * 30_000_000}), 0, "zip bomb refused"),
    "xlsx_with_doctype": ("a.xlsx", lambda: _zip({"xl/workbook.xml": b"<!DOCTYPE x [<!ENTITY a 'b'>]><x/>"}), 0, "DOCTYPE"),
    "xlsx_not_a_zip": ("a.xlsx", b"PK\x03\x04 this is not really a workbook", 0, "not a valid xlsx"),
    "legacy_xls": ("a.xls", b"\xd0\xcf\x11\xe0", 0, "legacy .xls"),
    "jsonl_bad_lines": (
        "a.jsonl",
        b'{"id": "GB/T 1-2020", "title": "A", "kind_of_record": "standards"}\n{broken\n[1, 2]\n'
        b'{"id": "GB/T 2-2020", "title": "B", "kind_of_record": "standards"}\n',
        2,
        ["invalid JSON", "a JSON object per line is expected"],
    ),
    "jsonl_unknown_kind": ("a.jsonl", b'{"foo": 1}\n', 0, "cannot tell the record kind"),
    "bibtex_unbalanced": (
        "a.bib",
        b"@article{ok1,\nTitle = {{Good one}},\nYear = {{2020}},\n}\n@article{bad, Title = {{Never closed}\n",
        1,
        ["malformed BibTeX entry"],
    ),
    "ris_without_final_er": ("a.ris", b"TY  - JOUR\nTI  - First\nER  - \nTY  - JOUR\nTI  - Cut short\n", 2, []),
    "standard_numbers": (
        "s.csv",
        "标准号,标准名称,发布日期\nGB／T4754—2017,国民经济行业分类,2017-06-30\n???,坏编号,2020-01-01\n".encode(),
        1,
        ["not a standard number"],
    ),
    "stats_wide_bad_value": (
        "w.csv",
        "区县,年份,常住人口(万人),地区生产总值(亿元)\n渝中区,2020,58.9,1400.2\n江北区,2020,n/a,1300\n".encode(),
        3,
        ["not a number; record rejected"],
    ),
    "invalid_patent_type": ("a.csv", csv_text(cn(1).replace(",发明", ",植物新品种")), 1, ["unknown patent type"]),
}


@pytest.mark.parametrize("case", sorted(CASES))
def test_malformed(case: str, tmp_path: Path, ingest: Any, active: Any, rejects: Any) -> None:
    name, content, valid, expected = CASES[case]
    path = tmp_path / name
    path.write_bytes(content() if callable(content) else content)
    if isinstance(expected, str):
        with pytest.raises(IngestionError, match=expected):
            ingest(path)
        return
    result = ingest(path)
    reasons = [r["reason"] for r in rejects(result)]
    for reason in expected:
        assert any(reason in r for r in reasons), (reason, reasons)
    if not expected:
        assert reasons == []
    assert len(active()) == valid


def test_suite_is_large_enough() -> None:
    assert len(CASES) >= 25


def test_html_scripts_are_dropped_not_run(tmp_path: Path, ingest: Any, active: Any) -> None:
    page = tmp_path / "p.html"
    page.write_text(
        "<html><head><title>重庆市知识产权保护条例</title><script>document.write('EVIL')</script></head>"
        "<body><h1>重庆市知识产权保护条例</h1><p>第一条 为了加强知识产权保护。</p>"
        "<script>alert('EVIL')</script><p>重庆市人民政府</p><p>2023年5月6日</p></body></html>",
        encoding="utf-8",
    )
    assert ingest(page).accepted == 1
    (policy,) = active("policies").values()
    assert policy.title == "重庆市知识产权保护条例" and "EVIL" not in policy.text
    assert (policy.date, policy.year, policy.issuer, policy.level) == ("2023-05-06", 2023, "重庆市人民政府", "municipal")


def test_docx_policy(tmp_path: Path, ingest: Any, active: Any) -> None:
    w = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
    body = f'<w:document xmlns:w="{w}"><w:body>' + "".join(
        f"<w:p><w:r><w:t>{t}</w:t></w:r></w:p>" for t in ("关于促进专利转化的通知", "各区县人民政府:", "渝中区人民政府")
    ) + "</w:body></w:document>"
    path = tmp_path / "n.docx"
    path.write_bytes(_zip({"word/document.xml": body.encode()}))
    assert ingest(path).accepted == 1
    (policy,) = active("policies").values()
    assert policy.title == "关于促进专利转化的通知" and policy.level == "district"


def test_several_paths_one_bad(tmp_path: Path, ingest: Any, active: Any) -> None:
    good = tmp_path / "good.csv"
    good.write_bytes(csv_text(cn(1)))
    bad = tmp_path / "bad.csv"
    bad.write_bytes(b"")
    result = ingest(good, bad)
    assert result.accepted == 1 and [f.error is not None for f in result.files] == [False, True]
    assert json.loads(json.dumps(result.summary()))["accepted"] == 1
