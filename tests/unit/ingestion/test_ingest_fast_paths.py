"""The ingest fast paths give exactly what the plain code they replace gives.

Caches, ASCII shortcuts and batched ledger writes are only allowed because their results are
identical: these tests pin that down, and pin the ledger's compatibility with older files.
"""

from __future__ import annotations

import json
import random
import sqlite3
import sys
from pathlib import Path
from typing import Any

import pytest

from iplayout.config import Settings
from iplayout.ingestion import draft, fields, records
from iplayout.ingestion.ledger import Ledger
from iplayout.ingestion.records import (
    Locator,
    PaperRecord,
    PatentRecord,
    PolicyRecord,
    StandardRecord,
    StatRecord,
    canonical_json,
    canonical_utf8,
)
from iplayout.nlp.normalize import collapse_whitespace, t2s, to_halfwidth

_ALL_CHARS = "".join(chr(cp) for cp in range(sys.maxunicode + 1) if not 0xD800 <= cp < 0xE000)
_WHITESPACE = [ch for ch in map(chr, range(sys.maxunicode + 1)) if ch.isspace()]


def _random_texts(seed: int, count: int) -> list[str]:
    pool = "ab 中國臺灣發展乾隆（）１２ＡＢ\u3000\t\n\r\u00a0\u2003\uff0c；;,\U00020000"
    rnd = random.Random(seed)
    return ["".join(rnd.choice(pool) for _ in range(rnd.randint(0, 90))) for _ in range(count)]


def test_single_spaced_is_collapse_whitespace() -> None:
    for ws in _WHITESPACE:
        text = f"{ws}a{ws}{ws}b{ws}"
        assert draft._single_spaced(text) == collapse_whitespace(text), hex(ord(ws))
    for text in _random_texts(1, 2000):
        assert draft._single_spaced(text) == collapse_whitespace(text)


def test_to_halfwidth_ascii_shortcut_changes_nothing() -> None:
    ascii_chars = _ALL_CHARS[:128]
    assert to_halfwidth(ascii_chars) == ascii_chars
    assert to_halfwidth("ＧＢ／Ｔ　4754") == "GB/T 4754"  # the non-ASCII path still maps


def _clean_reference(text: str, multiline: bool) -> tuple[str, str | None]:
    """The normalisation as written before the fast paths: every value through every step."""
    text = to_halfwidth(text)
    if multiline:
        lines = (collapse_whitespace(line) for line in text.replace("\r\n", "\n").split("\n"))
        text = draft._BLANK_LINES.sub("\n\n", "\n".join(lines)).strip()
    else:
        text = collapse_whitespace(text)
    if not draft._CJK.search(text):
        return text, None
    simplified = t2s(text)
    return simplified, (text if simplified != text else None)


@pytest.mark.parametrize("multiline", [False, True])
def test_clean_matches_the_reference_normalisation(multiline: bool) -> None:
    texts = [*_random_texts(3, 1500), "國立臺灣大學", "  Battery  ", "乾隆年間的乾燥機", "x" * 70, "中" * 70]
    for text in texts * 2:  # the second round answers short values from the cache
        assert draft._clean(text, multiline) == _clean_reference(text, multiline), repr(text)


def test_cached_parsers_hand_out_fresh_lists_and_raise_every_time() -> None:
    first = fields.split_list("a; b;；c", ";；")
    first.append("mutated")
    assert fields.split_list("a; b;；c", ";；") == ["a", "b", "c"]
    assert fields.split_list(["x ", None, 3, " "], "") == ["x", "3"]
    for _ in range(2):
        with pytest.raises(ValueError, match="not a calendar date"):
            fields.iso_date("2020-02-30")
        with pytest.raises(ValueError, match="not an IPC"):
            fields.ipc_code("XYZ123")
        with pytest.raises(ValueError, match="unknown patent type"):
            fields.patent_kind("专利")
    assert fields.iso_date(20221202) == "2022-12-02"
    with pytest.raises(ValueError, match="unrecognised"):
        fields.iso_date(0)  # a number is not an empty cell: "0" means "no date" only as text


def test_canonical_json_is_sorted_compact_json_of_the_dump() -> None:
    record = PatentRecord.model_validate(
        {
            "id": "CN1A",
            "title": "标题 \"quoted\" \\ back",
            "applicants": [{"name": "公司", "address": "路\u0001号", "postcode": "400044"}],
            "raw": {"z": {"b": [1, 2.5, None, True], "a": "\u2028\x7f\U0001f600"}, "a": 10**30},
            "original": {"title": "標題"},
            "locator": Locator(file="f.csv", row=1),
        }
    )
    reference = json.dumps(
        record.model_dump(mode="json", exclude={"locator"}), ensure_ascii=False, sort_keys=True, separators=(",", ":")
    )
    assert canonical_json(record) == reference


_WITHOUT_ROWID_SCHEMA = """
CREATE TABLE records (
    kind TEXT NOT NULL, id TEXT NOT NULL, source TEXT NOT NULL, locator TEXT NOT NULL,
    locator_json TEXT NOT NULL, hash TEXT NOT NULL, json TEXT NOT NULL,
    status TEXT NOT NULL DEFAULT 'active', first_run TEXT NOT NULL, last_run TEXT NOT NULL,
    seen_run TEXT NOT NULL, PRIMARY KEY (kind, id)) WITHOUT ROWID;
CREATE INDEX records_by_source ON records (source, status);
"""


def _patents_csv(path: Path, ids: range, title: str = "一种装置") -> Path:
    rows = "".join(f"CN{i:07d}A,CN2020{i:07d}.1,{title}{i},重庆大学,20200101\n" for i in ids)
    path.write_text("公开号,申请号,专利名称,申请人,申请日\n" + rows, encoding="utf-8")
    return path


def test_ledger_created_without_rowid_keeps_working(tmp_path: Path, ingest: Any, settings: Settings) -> None:
    """Ledgers written by earlier versions (records WITHOUT ROWID) are read and updated as before."""
    settings.ledger_path.parent.mkdir(parents=True, exist_ok=True)
    with sqlite3.connect(settings.ledger_path) as db:
        db.executescript(_WITHOUT_ROWID_SCHEMA)
    src = _patents_csv(tmp_path / "p.csv", range(5))
    assert ingest(src).accepted == 5
    _patents_csv(src, range(1, 6))
    second = ingest(src, replace_source=True)
    assert (second.accepted, second.unchanged, second.deleted) == (1, 4, 1)
    with Ledger(settings.ledger_path) as ledger:
        assert [s.id for b in ledger.pending("x1", batch_size=2) for s in b] == [f"CN{i:07d}A" for i in range(1, 6)]
    with sqlite3.connect(settings.ledger_path) as db:
        assert "WITHOUT ROWID" in db.execute("SELECT sql FROM sqlite_master WHERE name='records'").fetchone()[0]


def test_pending_pages_in_key_order_while_batches_are_marked_built(
    tmp_path: Path, ingest: Any, settings: Settings
) -> None:
    ingest(_patents_csv(tmp_path / "p.csv", range(23)))
    with Ledger(settings.ledger_path) as ledger:
        seen = []
        for batch in ledger.pending("x1", batch_size=4):
            seen += [s.id for s in batch]
            ledger.mark_built([(s.kind, s.id) for s in batch], "x1")
        assert seen == sorted(seen) and len(seen) == len(set(seen)) == 23
        assert list(ledger.pending("x1")) == []
        record = next(iter(ledger.all_active())).record
        assert isinstance(record, PatentRecord) and record.locator == Locator(file=str((tmp_path / "p.csv").resolve()), row=1)


def test_long_cells_are_parsed_but_not_cached() -> None:
    # A cell may be up to 1 MB; thousands of those in a cache would not keep memory flat.
    from iplayout.ingestion import fields

    long_cell = ";".join(f"申请人{i}" for i in range(200))
    fields._split_cell.cache_clear()
    assert fields.split_list(long_cell)[:2] == ["申请人0", "申请人1"]
    assert fields._split_cell.cache_info().currsize == 0
    assert fields.split_list("甲;乙") == ["甲", "乙"]
    assert fields._split_cell.cache_info().currsize == 1


def test_single_item_cells_split_as_lists_do() -> None:
    """A cell without a separator skips the split and the cache: same items as the split gives."""
    for cell in ["", " ", "甲", " 甲 ", "0", "无", "N/A", "a\u3000", "x,y", "甲；乙", "甲;", ";", "甲;乙;甲"]:
        for seps in [";；", ";；,，", ""]:
            assert fields.split_list(cell, seps) == fields._kept(
                fields._splitter(seps).split(cell) if seps else [cell]
            ), (cell, seps)


def _canonical_reference(record: Any) -> str:
    return json.dumps(
        record.model_dump(mode="json", exclude={"locator"}), ensure_ascii=False, sort_keys=True, separators=(",", ":")
    )


def _raw_value(rnd: random.Random, depth: int = 0) -> Any:
    pick = rnd.random()
    if depth < 3 and pick < 0.15:
        keys = ["b", "a", "é", "中", "Z", "_", "\x01", 'q"', "10", "9"]
        return {rnd.choice(keys): _raw_value(rnd, depth + 1) for _ in range(rnd.randint(0, 4))}
    if depth < 3 and pick < 0.3:
        return [_raw_value(rnd, depth + 1) for _ in range(rnd.randint(0, 4))]
    return rnd.choice(
        ["", "x", "中文\n\t\\\"/", "\u2028\x7f\x00", "\U0001d11e", 0, -5, 10**25, True, False, None,
         1.5, 1e16, 1e-5, float("nan"), float("inf"), (1, "a")]
    )


def test_canonical_json_fast_path_writes_what_the_stdlib_encoder_writes() -> None:
    """Records are written by pydantic's encoder from their own values, in key order; floats and
    other values both encoders could write differently go the stdlib way. Same text either way."""
    rnd = random.Random(7)
    fast = 0
    for i in range(3000):
        kind = rnd.choice([PatentRecord, PaperRecord, PolicyRecord, StandardRecord, StatRecord])
        data: dict[str, Any] = {
            "id": f"r{i}",
            "raw": {rnd.choice(["数据", "b", "a", "Z"]) + str(rnd.randint(0, 9)): _raw_value(rnd) for _ in range(rnd.randint(0, 4))},
            "original": {rnd.choice(["title", "abstract", "a"]): "原" for _ in range(rnd.randint(0, 2))},
            "locator": Locator(file="f.csv", row=i),
        }
        if kind is PatentRecord:
            data |= {"title": "t", "applicants": [{"name": "公司", "address": rnd.choice([None, "路"])}] * rnd.randint(0, 2)}
        elif kind is PaperRecord:
            data |= {"title": "t", "authors": [{"name": "n", "affiliation": "x"}], "year": rnd.choice([None, 2001])}
        elif kind is StatRecord:
            data |= {"district": "渝中区", "year": 2020, "metric": "m", "value": rnd.choice([1.0, 2.5, 1e16])}
        else:
            data |= {"title": "t"}
        record = kind.model_validate(data)
        fast += records._fast_utf8(record) is not None
        assert canonical_json(record) == _canonical_reference(record)
        assert canonical_utf8(record) == _canonical_reference(record).encode("utf-8")
    assert 1000 < fast < 3000  # both ways were taken


def test_locator_texts_come_from_templates_unchanged() -> None:
    from iplayout.ingestion.ledger import _locator_texts

    locators = [
        Locator(file="/a/b.csv", row=1),
        Locator(file='/a/row=918273645"x.csv', sheet="S#row=918273645", row=7),
        Locator(file="f", sheet="", row=0),
        Locator(file="f", row=-3),
        Locator(file="f", element="/x", row=3),
        Locator(file="f", offset=5),
        Locator(file="中文/表.xlsx", sheet="专利", row=123456),
    ]
    for locator in locators * 2:  # the second round from the templates
        assert _locator_texts(locator) == (str(locator), locator.model_dump_json())
