"""The run ledger: every ingested record's content hash, source, status and build state (SQLite).

Crash safety comes from three properties: each batch of records is written in one transaction
(WAL journal, so a kill -9 loses at most the open batch); every write is an idempotent upsert
keyed by (kind, id) and decided by the content hash; and source-level deletions
(``--replace-source``) run only after the whole file was seen in the same run. Re-running a
killed run therefore converges to the state of an uninterrupted one.
"""

from __future__ import annotations

import hashlib
import json
import sqlite3
from collections.abc import Iterator, Mapping, Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, NamedTuple, cast

from iplayout.errors import IngestionError
from iplayout.ingestion.records import RECORD_TYPES, AnyRecord, Locator, canonical_utf8

# ``records`` is a rowid table: its rows (a whole record's JSON) are too large for WITHOUT ROWID,
# whose B-tree pages hold only ~1 KB of a row before spilling to overflow pages; that made every
# insert, update and lookup about twice as slow. Ledgers created WITHOUT ROWID by earlier versions
# keep working unchanged: no statement depends on the table kind.
_SCHEMA = """
CREATE TABLE IF NOT EXISTS records (
    kind TEXT NOT NULL, id TEXT NOT NULL, source TEXT NOT NULL, locator TEXT NOT NULL,
    locator_json TEXT NOT NULL, hash TEXT NOT NULL, json TEXT NOT NULL,
    status TEXT NOT NULL DEFAULT 'active', first_run TEXT NOT NULL, last_run TEXT NOT NULL,
    seen_run TEXT NOT NULL, PRIMARY KEY (kind, id));
CREATE INDEX IF NOT EXISTS records_by_source ON records (source, status);
CREATE TABLE IF NOT EXISTS built (
    kind TEXT NOT NULL, id TEXT NOT NULL, hash TEXT NOT NULL, extractor_version TEXT NOT NULL,
    PRIMARY KEY (kind, id)) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS cites_pending (
    kind TEXT NOT NULL, id TEXT NOT NULL, from_label TEXT NOT NULL, target TEXT NOT NULL, props TEXT NOT NULL,
    PRIMARY KEY (kind, id, target)) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS cites_pending_by_target ON cites_pending (target);
CREATE TABLE IF NOT EXISTS runs (
    run_id TEXT PRIMARY KEY, started TEXT NOT NULL, ended TEXT, status TEXT NOT NULL,
    accepted INTEGER DEFAULT 0, updated INTEGER DEFAULT 0, unchanged INTEGER DEFAULT 0,
    rejected INTEGER DEFAULT 0, deleted INTEGER DEFAULT 0, details TEXT);
"""


class StoredRecord:
    """A ledger record; its canonical model is parsed from the stored JSON on first use.

    ``build`` hands batches of these to extraction processes: parsing there, not in the writing
    process, takes pydantic validation off the busiest process, and a pickled StoredRecord is five
    strings and the JSON (never the parsed model).
    """

    __slots__ = ("_record", "hash", "id", "json", "kind", "locator", "source")

    def __init__(self, kind: str, id: str, source: str, locator: str, hash: str, json: str) -> None:  # noqa: A002
        self.kind, self.id, self.source, self.locator, self.hash, self.json = kind, id, source, locator, hash, json
        self._record: AnyRecord | None = None

    @property
    def record(self) -> AnyRecord:
        if self._record is None:
            self._record = cast(AnyRecord, RECORD_TYPES[self.kind].model_validate_json(self.json))
        return self._record

    def __getstate__(self) -> tuple[str, ...]:
        return self.kind, self.id, self.source, self.locator, self.hash, self.json

    def __setstate__(self, state: tuple[str, ...]) -> None:
        self.kind, self.id, self.source, self.locator, self.hash, self.json = state
        self._record = None

    def __eq__(self, other: object) -> bool:
        return isinstance(other, StoredRecord) and self.__getstate__() == other.__getstate__()

    def __hash__(self) -> int:
        return hash(self.__getstate__())

    def __repr__(self) -> str:
        return f"StoredRecord(kind={self.kind!r}, id={self.id!r}, source={self.source!r}, hash={self.hash[:12]!r})"


class PendingCiteRow(NamedTuple):
    """A citation of a built record (kind, id) to ``target``, not linked yet: its target was absent."""

    kind: str
    id: str
    from_label: str
    target: str
    props: str  # JSON of the link's properties


class LedgerEntry(NamedTuple):
    """A record as the ledger stores it: its canonical JSON, content hash and locator.

    Ingest batches hold these instead of records: a tuple of strings drops out of the cyclic
    garbage collector's sight, while a batch of models (thousands of containers) would be
    traversed again by every collection until it is written.
    """

    kind: str
    id: str
    locator: str
    locator_json: str
    hash: str
    json: str


def ledger_entry(record: AnyRecord) -> LedgerEntry:
    body = canonical_utf8(record)
    loc = record.locator
    text, loc_json = _locator_texts(loc) if loc else ("", "{}")
    return LedgerEntry(
        record.kind_of_record,
        record.id,
        text,
        loc_json,
        hashlib.sha256(body).hexdigest(),
        body.decode("utf-8"),
    )


_PROBE_ROW = 918_273_645
_ROW_TEMPLATES: dict[tuple[str, str | None], tuple[str, str, str]] = {}


def _locator_texts(loc: Locator) -> tuple[str, str]:
    """``str(loc)`` and ``loc.model_dump_json()``. A table row's locator differs from its
    neighbours' in the row number only: both texts come from its file's (and sheet's) template,
    cut from the real outputs for a probe row (the last field set, so the last occurrence)."""
    row = loc.row
    if row.__class__ is not int or loc.element is not None or loc.offset is not None:
        return str(loc), loc.model_dump_json()
    key = (loc.file, loc.sheet)
    template = _ROW_TEMPLATES.get(key)
    if template is None:
        if len(_ROW_TEMPLATES) >= 64:
            _ROW_TEMPLATES.clear()
        probe = Locator(file=loc.file, sheet=loc.sheet, row=_PROBE_ROW)
        text_head, _, _ = str(probe).rpartition(str(_PROBE_ROW))
        json_head, _, json_tail = probe.model_dump_json().rpartition(str(_PROBE_ROW))
        template = _ROW_TEMPLATES[key] = (text_head, json_head, json_tail)
    digits = str(row)
    return template[0] + digits, template[1] + digits + template[2]


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def _kinds_clause(kinds: Sequence[str] | None) -> tuple[str, list[Any]]:
    if not kinds:
        return "", []
    return f" AND r.kind IN ({','.join('?' * len(kinds))})", list(kinds)


class Ledger:
    def __init__(self, path: Path) -> None:
        self.path = Path(path)
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            self._db = sqlite3.connect(self.path, timeout=60, isolation_level=None)
            self._db.execute("PRAGMA journal_mode=WAL")
            self._db.execute("PRAGMA synchronous=NORMAL")  # WAL + NORMAL: durable at checkpoints, never corrupt
            self._db.executescript(_SCHEMA)
            self._add_digest_columns()
        except sqlite3.Error as exc:
            raise IngestionError(f"ledger {self.path}: cannot open ({exc})") from exc

    def _add_digest_columns(self) -> None:
        """Ledgers written before ``build --resync`` existed lack the content digests: added empty
        (a record without digests is compared by id only until it is built again)."""
        have = {row[1] for row in self._db.execute("PRAGMA table_info(built)")}
        for column in ("graph_digest", "index_digest"):
            if column not in have:
                self._db.execute(f"ALTER TABLE built ADD COLUMN {column} TEXT")

    # -- runs -------------------------------------------------------------------------------
    def start_run(self, run_id: str) -> None:
        with self._tx():
            # A run still marked running was killed: its committed batches stay valid.
            self._db.execute("UPDATE runs SET status='aborted' WHERE status='running'")
            self._db.execute(
                "INSERT OR REPLACE INTO runs (run_id, started, status) VALUES (?, ?, 'running')",
                (run_id, _now()),
            )

    def finish_run(self, run_id: str, counts: dict[str, int], details: Any) -> None:
        with self._tx():
            self._db.execute(
                "UPDATE runs SET ended=?, status='done', accepted=?, updated=?, unchanged=?, rejected=?,"
                " deleted=?, details=? WHERE run_id=?",
                (
                    _now(),
                    *(counts.get(k, 0) for k in ("accepted", "updated", "unchanged", "rejected", "deleted")),
                    json.dumps(details, ensure_ascii=False),
                    run_id,
                ),
            )

    # -- writes -----------------------------------------------------------------------------
    def upsert(self, run_id: str, source: str, entries: Sequence[LedgerEntry]) -> dict[str, int]:
        """Store one batch in one transaction; returns accepted / updated / unchanged counts."""
        counts = {"accepted": 0, "updated": 0, "unchanged": 0}
        # One executemany per statement instead of one execute per record: same rows, same transaction.
        inserts: list[tuple[str, ...]] = []
        unchanged: list[tuple[str, ...]] = []
        changed: list[tuple[str, ...]] = []
        with self._tx():
            known = self._known(entries)
            for kind, rid, loc_text, loc_json, digest, body in entries:
                row = known.get((kind, rid))
                if row is None:
                    inserts.append((kind, rid, source, loc_text, loc_json, digest, body, run_id, run_id, run_id))
                    counts["accepted"] += 1
                elif row[0] == digest and row[1] == "active":
                    unchanged.append((run_id, source, loc_text, loc_json, kind, rid))
                    counts["unchanged"] += 1
                else:
                    changed.append((source, loc_text, loc_json, digest, body, run_id, run_id, kind, rid))
                    counts["accepted" if row[1] != "active" else "updated"] += 1
            self._db.executemany("INSERT INTO records VALUES (?,?,?,?,?,?,?,'active',?,?,?)", inserts)
            self._db.executemany(
                "UPDATE records SET seen_run=?, source=?, locator=?, locator_json=? WHERE kind=? AND id=?",
                unchanged,
            )
            self._db.executemany(
                "UPDATE records SET source=?, locator=?, locator_json=?, hash=?, json=?, status='active',"
                " last_run=?, seen_run=? WHERE kind=? AND id=?",
                changed,
            )
        return counts

    def _known(self, entries: Sequence[LedgerEntry]) -> dict[tuple[str, str], tuple[str, str]]:
        """(kind, id) -> (hash, status) for the batch, fetched in a few IN queries, not one per record."""
        found: dict[tuple[str, str], tuple[str, str]] = {}
        by_kind: dict[str, list[str]] = {}
        for entry in entries:
            by_kind.setdefault(entry.kind, []).append(entry.id)
        for kind, ids in by_kind.items():
            for start in range(0, len(ids), 500):
                chunk = ids[start : start + 500]
                rows = self._db.execute(
                    f"SELECT id, hash, status FROM records WHERE kind=? AND id IN ({','.join('?' * len(chunk))})",
                    (kind, *chunk),
                )
                found.update({(kind, rid): (digest, status) for rid, digest, status in rows})
        return found

    def delete_unseen(self, run_id: str, source: str) -> int:
        """Mark deleted the active records of ``source`` this run did not see (--replace-source)."""
        with self._tx():
            cur = self._db.execute(
                "UPDATE records SET status='deleted', last_run=? WHERE source=? AND status='active'"
                " AND seen_run<>?",
                (run_id, source, run_id),
            )
        return cur.rowcount

    # -- build side (consumed by ``iplayout build``) ------------------------------------------
    def pending(
        self, extractor_version: str, kinds: Sequence[str] | None = None, batch_size: int = 1000
    ) -> Iterator[list[StoredRecord]]:
        """Active records not built with their current hash and ``extractor_version``, in batches.

        Keyset pagination (kind, id) keeps the iteration stable while the caller marks batches built;
        the row-value comparison lets SQLite seek in the primary key (an OR of the two conditions made
        every batch scan the table from the start: quadratic in the number of records).
        """
        clause, params = _kinds_clause(kinds)
        last = ("", "")
        while True:
            rows = self._db.execute(
                "SELECT r.kind, r.id, r.source, r.locator, r.hash, r.json, r.locator_json FROM records r"
                " LEFT JOIN built b ON b.kind=r.kind AND b.id=r.id"
                " WHERE r.status='active' AND (b.hash IS NULL OR b.hash<>r.hash OR b.extractor_version<>?)"
                f" AND (r.kind, r.id) > (?, ?){clause}"
                " ORDER BY r.kind, r.id LIMIT ?",
                (extractor_version, *last, *params, batch_size),
            ).fetchall()
            if not rows:
                return
            last = (rows[-1][0], rows[-1][1])
            yield [_stored(row) for row in rows]

    def mark_built(self, keys: Sequence[tuple[str, str]], extractor_version: str, *,
                   digests: Mapping[tuple[str, str], tuple[str | None, str | None]] | None = None,
                   cites: Sequence[PendingCiteRow] = ()) -> None:
        """Record ``keys`` as built, with the content digests of what the build wrote for each
        (its document node, its search-index entry) and the citations it could not link yet,
        all in one transaction (a killed build never leaves a record built without them)."""
        found = digests or {}
        with self._tx():
            self._db.executemany(
                "INSERT OR REPLACE INTO built (kind, id, hash, extractor_version, graph_digest, index_digest)"
                " SELECT kind, id, hash, ?, ?, ? FROM records WHERE kind=? AND id=?",
                [(extractor_version, *found.get((kind, rid), (None, None)), kind, rid) for kind, rid in keys],
            )
            self._db.executemany("DELETE FROM cites_pending WHERE kind=? AND id=?", list(keys))
            self._db.executemany("INSERT OR REPLACE INTO cites_pending VALUES (?,?,?,?,?)", list(cites))

    def unmark_built(self, keys: Sequence[tuple[str, str]]) -> None:
        """Forget that ``keys`` were built: the next build rebuilds them (``build --resync``)."""
        with self._tx():
            self._db.executemany("DELETE FROM built WHERE kind=? AND id=?", list(keys))

    def built_state(self, kind: str, extractor_version: str) -> dict[str, tuple[str | None, str | None]]:
        """id -> (graph digest, index digest) of the active ``kind`` records built with their current
        content and ``extractor_version``: what the graph and the index should hold."""
        rows = self._db.execute(
            "SELECT r.id, b.graph_digest, b.index_digest FROM records r JOIN built b ON b.kind=r.kind AND b.id=r.id"
            " WHERE r.kind=? AND r.status='active' AND b.hash=r.hash AND b.extractor_version=?",
            (kind, extractor_version),
        )
        return {str(rid): (g, i) for rid, g, i in rows}

    def unmark_all_built(self) -> int:
        """Forget every build: the next build rebuilds every active record, in ledger order."""
        with self._tx():
            cur = self._db.execute(
                "DELETE FROM built WHERE EXISTS (SELECT 1 FROM records r WHERE r.kind=built.kind AND r.id=built.id"
                " AND r.status='active')")
        return cur.rowcount

    def stored(self, keys: Sequence[tuple[str, str]]) -> list[StoredRecord]:
        """The active records of ``keys`` (kind, id), in ledger order."""
        out: list[StoredRecord] = []
        for kind in sorted({k for k, _ in keys}):
            ids = sorted(i for k, i in keys if k == kind)
            for start in range(0, len(ids), 500):
                chunk = ids[start : start + 500]
                rows = self._db.execute(
                    "SELECT r.kind, r.id, r.source, r.locator, r.hash, r.json, r.locator_json FROM records r"
                    f" WHERE r.status='active' AND r.kind=? AND r.id IN ({','.join('?' * len(chunk))})"
                    " ORDER BY r.id", (kind, *chunk))
                out += [_stored(row) for row in rows]
        return out

    def set_index_digests(self, digests: Mapping[tuple[str, str], str]) -> None:
        with self._tx():
            self._db.executemany("UPDATE built SET index_digest=? WHERE kind=? AND id=?",
                                 [(d, kind, rid) for (kind, rid), d in digests.items()])

    def built_counts(self) -> dict[str, int]:
        """Active records marked built, per kind (a cheap drift probe: no version or hash check)."""
        rows = self._db.execute(
            "SELECT r.kind, count(*) FROM records r JOIN built b ON b.kind=r.kind AND b.id=r.id"
            " WHERE r.status='active' GROUP BY r.kind"
        )
        return {str(k): int(n) for k, n in rows}

    def status_of(self, kind: str, ids: Sequence[str]) -> dict[str, str]:
        """id -> 'active' | 'deleted' for those of ``ids`` the ledger knows."""
        found: dict[str, str] = {}
        for start in range(0, len(ids), 500):
            chunk = list(ids[start : start + 500])
            rows = self._db.execute(
                f"SELECT id, status FROM records WHERE kind=? AND id IN ({','.join('?' * len(chunk))})", (kind, *chunk))
            found.update({str(i): str(s) for i, s in rows})
        return found

    def pending_cites(self) -> list[PendingCiteRow]:
        """Citations of built records whose target was not in the graph when they were built."""
        rows = self._db.execute("SELECT kind, id, from_label, target, props FROM cites_pending ORDER BY kind, id, target")
        return [PendingCiteRow(*row) for row in rows]

    def resolve_cites(self, done: Sequence[tuple[str, str, str]]) -> None:
        """Drop (kind, id, target) citations now linked in the graph."""
        with self._tx():
            self._db.executemany("DELETE FROM cites_pending WHERE kind=? AND id=? AND target=?", list(done))

    def pending_deletions(self) -> list[tuple[str, str]]:
        rows = self._db.execute(
            "SELECT r.kind, r.id FROM records r JOIN built b ON b.kind=r.kind AND b.id=r.id"
            " WHERE r.status='deleted' ORDER BY r.kind, r.id"
        ).fetchall()
        return [(str(k), str(i)) for k, i in rows]

    def mark_deletions_done(self, keys: Sequence[tuple[str, str]]) -> None:
        with self._tx():
            self._db.executemany("DELETE FROM built WHERE kind=? AND id=?", list(keys))
            self._db.executemany("DELETE FROM cites_pending WHERE kind=? AND id=?", list(keys))

    def all_active(self, kinds: Sequence[str] | None = None) -> Iterator[StoredRecord]:
        clause, params = _kinds_clause(kinds)
        cur = self._db.execute(
            "SELECT r.kind, r.id, r.source, r.locator, r.hash, r.json, r.locator_json FROM records r"
            f" WHERE r.status='active'{clause} ORDER BY r.kind, r.id",
            params,
        )
        for row in cur:
            yield _stored(row)

    # -- inspection -------------------------------------------------------------------------
    def checksum(self) -> str:
        """A digest of (kind, id, hash, status) over all records: equal ledgers, equal checksums."""
        digest = hashlib.sha256()
        for row in self._db.execute("SELECT kind, id, hash, status FROM records ORDER BY kind, id"):
            digest.update("\x1f".join(row).encode("utf-8") + b"\x1e")
        return digest.hexdigest()

    def counts(self) -> dict[str, int]:
        rows = self._db.execute("SELECT status, count(*) FROM records GROUP BY status").fetchall()
        return {str(s): int(n) for s, n in rows}

    def close(self) -> None:
        self._db.close()

    def __enter__(self) -> Ledger:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _tx(self) -> _Transaction:
        return _Transaction(self._db)


class _Transaction:
    """BEGIN IMMEDIATE … COMMIT, rolled back on any exception (the connection is in autocommit)."""

    def __init__(self, db: sqlite3.Connection) -> None:
        self._db = db

    def __enter__(self) -> None:
        self._db.execute("BEGIN IMMEDIATE")

    def __exit__(self, exc_type: object, exc: object, tb: object) -> None:
        self._db.execute("COMMIT" if exc_type is None else "ROLLBACK")


def _stored(row: tuple[Any, ...]) -> StoredRecord:
    kind, rid, source, locator, digest, body, loc_json = row
    # ``body`` (canonical JSON, locator excluded) and ``loc_json`` were both written by ``upsert``
    # from a validated record, so the locator can be spliced in as the object's last member and the
    # whole record validated from JSON in one pydantic-core pass (no json.loads, no dict walk).
    spliced = f'{body[:-1]},"locator":{loc_json if loc_json != "{}" else "null"}}}'
    return StoredRecord(kind, rid, source, locator, digest, spliced)
