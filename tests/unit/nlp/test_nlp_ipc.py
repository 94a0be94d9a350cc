"""IPC/CPC parsing, hierarchy, titles and the WIPO 35-field concordance."""

from __future__ import annotations

from pathlib import Path

import pytest

from iplayout.nlp import ipc
from iplayout.nlp.wipo35 import load_wipo35


@pytest.mark.parametrize("spelling", ["H01M 10/0525", "H01M10/0525", "H01M0010052500", "h01m  10/0525 (2010.01)",
                                      "Ｈ０１Ｍ１０／０５２５"])
def test_spellings(spelling: str) -> None:
    code = ipc.parse(spelling)
    assert code is not None and code.normalized == "H01M 10/0525" and code.id == "IPC:H01M10/0525"


def test_lists_from_the_cn_export() -> None:
    codes = ipc.parse_list("H04N7/18;G07C1/20;B64C39/02;B64D47/08;B64D1/08;B64D47/02")
    assert [c.normalized for c in codes][:2] == ["H04N 7/18", "G07C 1/20"] and len(codes) == 6
    assert [c.normalized for c in ipc.parse_list("G06F0016000000, G06F 16/00")] == ["G06F 16/00"]


def test_hierarchy() -> None:
    code = ipc.parse("H01M 10/0525")
    assert code is not None
    assert [c.id for c in code.lineage()] == ["IPC:H01M10/0525", "IPC:H01M10/00", "IPC:H01M", "IPC:H01", "IPC:H"]
    assert [c.level for c in code.lineage()] == ["subgroup", "main_group", "subclass", "class", "section"]
    y = ipc.parse("Y02E 60/10")
    assert y is not None and y.scheme == "CPC" and y.id == "CPC:Y02E60/10"


def test_chinese_titles(shared_dir: Path) -> None:
    titles = ipc.load_titles_zh(shared_dir / "reference/ipc_zh_2026/ipc_zh_2026.01.tsv")
    assert "锂离子电池" in titles["H01M10/0525"]
    assert titles["H"] == "电学"
    assert " " not in titles["A01B1/24"]  # PDF line-break spaces removed


def test_wipo35(shared_dir: Path) -> None:
    w = load_wipo35(shared_dir / "reference/ipc_wipo_35_fields/ipc_technology.csv")
    assert len(w.fields) == 35
    battery = ipc.parse("H01M 10/0525")
    assert battery is not None
    assert w.field_for(battery).nr == 1  # type: ignore[union-attr]
    cosmetics, drugs = ipc.parse("A61K 8/02"), ipc.parse("A61K 31/00")
    assert cosmetics is not None and drugs is not None
    assert w.field_for(cosmetics).nr == 14 and w.field_for(drugs).nr == 16  # type: ignore[union-attr]
    assert w.anchor(cosmetics) == ipc.IpcCode("A61K", "8", "00")
