"""Ledger side of `build --resync`: content digests kept with the built mark, pending citations kept
and dropped with it, unmarking, and ledgers written before the digest columns existed."""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import Any

from iplayout.ingestion.ledger import Ledger, PendingCiteRow

HEADER = "公开号,申请号,专利名称,申请人,申请人地址,分类号,申请日,专利类型\n"


def _ingest(tmp_path: Path, ingest: Any, n: int = 4) -> Path:
    src = tmp_path / "p.csv"
    src.write_text(HEADER + "".join(
        f"CN{i:07d}A,CN2020{i:07d}.1,一种装置{i},重庆大学,400044重庆市沙坪坝区,H01M10/0525,20200101,发明公开\n"
        for i in range(n)), encoding="utf-8")
    ingest(src)
    return src


def test_digests_and_pending_cites_go_with_the_built_mark(tmp_path: Path, ingest: Any, settings: Any) -> None:
    _ingest(tmp_path, ingest)
    with Ledger(settings.ledger_path) as ledger:
        keys = [("patents", f"CN{i:07d}A") for i in range(4)]
        cite = PendingCiteRow("patents", "CN0000001A", "Patent", "CN9999999A", '{"source": "p.csv"}')
        ledger.mark_built(keys, "v1", digests={keys[1]: ("g1", "i1")}, cites=[cite])
        state = ledger.built_state("patents", "v1")
        assert state["CN0000001A"] == ("g1", "i1") and state["CN0000000A"] == (None, None)
        assert ledger.built_state("patents", "v2") == {}  # another extractor version: not built
        assert ledger.pending_cites() == [cite]
        ledger.mark_built([keys[1]], "v1")  # rebuilt: its citations are replaced (here by none)
        assert ledger.pending_cites() == []
        ledger.mark_built([keys[1]], "v1", cites=[cite])
        ledger.resolve_cites([("patents", "CN0000001A", "CN9999999A")])
        assert ledger.pending_cites() == []
        ledger.unmark_built(keys[:2])
        assert set(ledger.built_state("patents", "v1")) == {"CN0000002A", "CN0000003A"}
        assert ledger.built_counts() == {"patents": 2}
        assert ledger.unmark_all_built() == 2
        assert [[r.id for r in b] for b in ledger.pending("v1", ["patents"], 10)] == [[k[1] for k in keys]]
        assert [r.id for r in ledger.stored([keys[3], keys[0]])] == ["CN0000000A", "CN0000003A"]
        assert ledger.status_of("patents", ["CN0000000A", "nope"]) == {"CN0000000A": "active"}


def test_a_ledger_without_digest_columns_is_upgraded_in_place(tmp_path: Path, ingest: Any, settings: Any) -> None:
    _ingest(tmp_path, ingest, 2)
    with Ledger(settings.ledger_path) as ledger:
        ledger.mark_built([("patents", "CN0000000A")], "v1")
    with sqlite3.connect(settings.ledger_path) as db:  # as an older version wrote it
        db.executescript("""
            CREATE TABLE old_built (kind TEXT NOT NULL, id TEXT NOT NULL, hash TEXT NOT NULL,
                extractor_version TEXT NOT NULL, PRIMARY KEY (kind, id)) WITHOUT ROWID;
            INSERT INTO old_built SELECT kind, id, hash, extractor_version FROM built;
            DROP TABLE built; ALTER TABLE old_built RENAME TO built;""")
    with Ledger(settings.ledger_path) as ledger:
        assert ledger.built_state("patents", "v1") == {"CN0000000A": (None, None)}
        ledger.mark_built([("patents", "CN0000001A")], "v1", digests={("patents", "CN0000001A"): ("g", "i")})
        assert ledger.built_state("patents", "v1")["CN0000001A"] == ("g", "i")
