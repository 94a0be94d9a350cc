"""Ledger bookkeeping: idempotent re-runs, in-place updates, --replace-source, the build-side API."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from iplayout.config import Settings
from iplayout.ingestion.ledger import Ledger

HEADER = "公开号,申请号,专利名称,申请人,申请人地址,分类号,申请日,专利类型\n"


def _row(i: int, title: str | None = None) -> str:
    return f"CN{i:07d}A,CN2020{i:07d}.1,{title or f'一种装置{i}'},重庆大学,400044重庆市沙坪坝区,H01M10/0525,20200101,发明公开\n"


def _write(path: Path, rows: list[str]) -> Path:
    path.write_text(HEADER + "".join(rows), encoding="utf-8")
    return path


def test_reingest_is_unchanged_and_changes_update_in_place(tmp_path: Path, ingest: Any, active: Any) -> None:
    src = _write(tmp_path / "p.csv", [_row(i) for i in range(5)])
    first = ingest(src)
    assert (first.accepted, first.updated, first.unchanged) == (5, 0, 0)
    second = ingest(src)
    assert (second.accepted, second.updated, second.unchanged) == (0, 0, 5)
    _write(src, [_row(i, "一种新装置" if i == 2 else None) for i in range(5)])
    third = ingest(src)
    assert (third.accepted, third.updated, third.unchanged) == (0, 1, 4)
    records = active("patents")
    assert len(records) == 5 and records["CN0000002A"].title == "一种新装置"
    assert records["CN0000002A"].ipc == ["H01M 10/0525"]


def test_replace_source_deletes_missing_records(tmp_path: Path, ingest: Any, active: Any, settings: Settings) -> None:
    src = _write(tmp_path / "p.csv", [_row(i) for i in range(4)])
    ingest(src)
    _write(src, [_row(i) for i in (0, 1, 3)])
    kept = ingest(src)
    assert kept.deleted == 0 and len(active()) == 4  # without the flag nothing is deleted
    result = ingest(src, replace_source=True)
    assert result.deleted == 1 and result.unchanged == 3
    assert set(active()) == {"CN0000000A", "CN0000001A", "CN0000003A"}
    with Ledger(settings.ledger_path) as ledger:
        assert ledger.counts() == {"active": 3, "deleted": 1}
    _write(src, [_row(i) for i in range(4)])
    assert ingest(src).accepted == 1  # a deleted record that comes back is accepted again


def test_build_side_api(tmp_path: Path, ingest: Any, settings: Settings) -> None:
    src = _write(tmp_path / "p.csv", [_row(i) for i in range(5)])
    ingest(src)
    with Ledger(settings.ledger_path) as ledger:
        batches = list(ledger.pending("x1", batch_size=2))
        assert [len(b) for b in batches] == [2, 2, 1]
        first = batches[0][0]
        assert first.kind == "patents" and first.record.locator is not None and "row=1" in first.locator
        ledger.mark_built([(s.kind, s.id) for b in batches for s in b], "x1")
        assert list(ledger.pending("x1")) == []
        assert sum(len(b) for b in ledger.pending("x2")) == 5  # a new extractor version rebuilds all
        assert list(ledger.pending("x1", kinds=["papers"])) == []
    _write(src, [_row(i) for i in range(4)])
    ingest(src, replace_source=True)
    with Ledger(settings.ledger_path) as ledger:
        assert ledger.pending_deletions() == [("patents", "CN0000004A")]
        ledger.mark_deletions_done([("patents", "CN0000004A")])
        assert ledger.pending_deletions() == []
        assert len(list(ledger.all_active())) == 4


def test_canonical_jsonl_round_trip(tmp_path: Path, ingest: Any, active: Any, settings: Settings) -> None:
    src = _write(tmp_path / "p.csv", [_row(1)])
    ingest(src)
    original = active("patents")["CN0000001A"]
    dump = tmp_path / "dump.jsonl"
    dump.write_text(original.model_dump_json(exclude={"locator"}) + "\n", encoding="utf-8")
    result = ingest(dump)
    assert result.unchanged == 1  # the canonical JSONL of a record is the same record
    line = {"id": "GB/T 4754-2017", "title": "国民经济行业分类", "issued": "2017-06-30", "drafters": ["国家统计局"]}
    std = tmp_path / "std.jsonl"
    std.write_text(json.dumps(line, ensure_ascii=False) + "\n", encoding="utf-8")
    assert ingest(std, kind="standards").accepted == 1
    assert active("standards")["GB/T 4754-2017"].drafters == ["国家统计局"]
