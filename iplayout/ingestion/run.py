"""Orchestration of one ingest run: files → readers → ledger batches, rejects → JSONL.

Every record is written through the ledger in batches (one transaction each); rejects go to
``<rejects_dir>/<run_id>.jsonl``. A file that cannot be read at all is reported for that file
and the other files still ingest; when every file fails, the first failure is raised.
"""

from __future__ import annotations

import logging
import secrets
import sqlite3
from collections.abc import Generator, Iterator, Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import IO, Any

from pydantic import BaseModel, Field

from iplayout.config import Settings
from iplayout.errors import IngestionError
from iplayout.ingestion import parallel
from iplayout.ingestion.detect import expand, reader_for
from iplayout.ingestion.hints import RejectTally
from iplayout.ingestion.ledger import Ledger, LedgerEntry, ledger_entry
from iplayout.ingestion.parallel import Entry, Reader
from iplayout.ingestion.profiles import Profile, resolve_profile
from iplayout.ingestion.readers.base import ReadContext
from iplayout.ingestion.readers.cnipa_trademarks import (
    is_package_dir,
    package_bytes,
    package_drafts,
    read_cnipa_package,
)
from iplayout.ingestion.readers.documents import read_document
from iplayout.ingestion.readers.tables import table_headers
from iplayout.ingestion.records import Reject

log = logging.getLogger(__name__)
BATCH_SIZE = 2000


class FileResult(BaseModel):
    path: str
    kinds: dict[str, int] = Field(default_factory=dict)  # valid records per kind
    accepted: int = 0  # new records
    updated: int = 0  # known ids whose content changed
    unchanged: int = 0
    rejected: int = 0  # records refused (see the rejects file)
    field_issues: int = 0  # records kept with one bad value dropped
    deleted: int = 0  # --replace-source: records the file no longer has
    error: str | None = None  # the file could not be read at all
    hint: str | None = None  # most records lack one field: headers seen, profile used, which --profile to try


class IngestResult(BaseModel):
    accepted: int = 0
    updated: int = 0
    unchanged: int = 0
    rejected: int = 0
    field_issues: int = 0
    deleted: int = 0
    rejects_file: str | None = None
    run_id: str
    files: list[FileResult] = Field(default_factory=list)

    @property
    def hints(self) -> list[str]:
        return [f"{Path(f.path).name}: {f.hint}" for f in self.files if f.hint]

    def summary(self) -> dict[str, Any]:
        keys = ("accepted", "updated", "unchanged", "rejected", "rejects_file", "run_id")
        out = {k: getattr(self, k) for k in keys}
        if self.hints:
            out["hints"] = self.hints
        return out


class _Rejects:
    """The run's rejects file, opened on the first reject."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._fh: IO[str] | None = None

    def write(self, reject: Reject) -> None:
        if self._fh is None:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            self._fh = self.path.open("a", encoding="utf-8")
        self._fh.write(reject.model_dump_json(exclude_none=True) + "\n")

    def close(self) -> None:
        if self._fh is not None:
            self._fh.close()

    @property
    def used(self) -> bool:
        return self._fh is not None


def new_run_id() -> str:
    return f"{datetime.now(UTC):%Y%m%dT%H%M%S}-{secrets.token_hex(3)}"


def _built(reader: Reader, ctx: ReadContext, builders: parallel.Builders) -> Generator[Entry, None, None]:
    """The file's records as ledger entries and its rejects, in reader order; for a large file
    built by worker processes, else in this process."""
    if builders.usable and reader is read_cnipa_package and package_bytes(ctx.path) >= parallel.MIN_BYTES:
        # A trademark package joins its members through one temporary database: read once, here;
        # the workers build its drafts.
        try:
            yield from builders.build(package_drafts(ctx), ctx)
            return
        except parallel.WorkersUnavailable as exc:  # raised before anything was yielded
            log.warning("%s: ingest worker processes unavailable (%s); reading in-process", ctx.source, exc)
    in_process = reader is read_document or reader is read_cnipa_package
    if builders.usable and not in_process and ctx.path.stat().st_size >= parallel.MIN_BYTES:
        try:
            yield from builders.entries(reader, ctx)
            return
        except parallel.WorkersUnavailable as exc:  # raised before anything was yielded
            log.warning("%s: ingest worker processes unavailable (%s); reading in-process", ctx.source, exc)
    for item in reader(ctx):
        yield item if isinstance(item, Reject) else ledger_entry(item)


def _entries(items: Iterator[Entry], result: FileResult, unique: bool = False) -> Iterator[Entry]:
    """Entries and rejects passed through; a record whose (kind, id) already appeared in this file
    is rejected: the first one wins. ``unique``: the reader yields each id once by construction, so
    no id is remembered (memory stays flat however many records the file holds)."""
    first_seen: dict[tuple[str, str], str] = {}
    for item in items:
        if isinstance(item, Reject):
            yield item
            continue
        key = (item.kind, item.id)
        if unique:
            result.kinds[key[0]] = result.kinds.get(key[0], 0) + 1
            yield item
            continue
        if key in first_seen:
            yield Reject(
                locator=item.locator or "None",  # str() of the record's locator, as before entries
                field="id",
                reason=f"duplicate record id {item.id!r} in this file (first at {first_seen[key]})",
                raw_value=item.id,
                record_id=item.id,
            )
            continue
        first_seen[key] = item.locator
        result.kinds[key[0]] = result.kinds.get(key[0], 0) + 1
        yield item


def _ingest_file(
    ctx: ReadContext, ledger: Ledger, run: tuple[str, _Rejects, Any, parallel.Builders], result: FileResult
) -> None:
    run_id, rejects, advance, builders = run
    reader = reader_for(ctx.path, ctx.kind)
    batch: list[LedgerEntry] = []

    def flush() -> None:
        for name, n in ledger.upsert(run_id, ctx.source, batch).items():
            setattr(result, name, getattr(result, name) + n)
        advance(len(batch))
        batch.clear()

    built = _built(reader, ctx, builders)
    tally = RejectTally()
    try:
        # A trademark package groups its rows by registration number: every id comes once.
        for item in _entries(built, result, unique=reader is read_cnipa_package):
            if isinstance(item, Reject):
                rejects.write(item)
                if item.action == "record":
                    tally.add(item)
                else:
                    result.field_issues += 1
                continue
            batch.append(item)
            if len(batch) >= BATCH_SIZE:
                flush()
    finally:
        built.close()  # settles the worker processes now, not when the generator is collected
    flush()
    result.rejected = tally.records
    if tally.missing:
        total = sum(result.kinds.values()) + tally.records
        result.hint = tally.hint(table_headers(ctx), ctx.profile, ctx.kind, total)


def _one_file(
    path: Path,
    profile: Profile | None,
    kind: str | None,
    run: tuple[Ledger, str, _Rejects, Any, parallel.Builders],
    replace: bool,
) -> FileResult:
    ledger, run_id, rejects, advance, builders = run
    source = str(path.resolve())
    result = FileResult(path=source)
    ctx = ReadContext(path=path, source=source, kind=kind, profile=profile)
    try:
        if not path.is_file() and not is_package_dir(path):
            raise IngestionError(f"{path}: no such file")
        _ingest_file(ctx, ledger, (run_id, rejects, advance, builders), result)
        if replace:
            result.deleted = ledger.delete_unseen(run_id, source)
    except IngestionError as exc:
        log.info("%s", exc)
        result.error = str(exc)
    except (OSError, sqlite3.Error) as exc:
        result.error = f"{path}: {exc}"
    return result


def ingest_paths(
    paths: Sequence[Path | str],
    settings: Settings,
    kind: str | None = None,
    profile: str | Path | None = None,
    replace_source: bool = False,
    show_progress: bool = False,
) -> IngestResult:
    """Ingest files (and folders) into the ledger at ``settings.ledger_path``."""
    from iplayout.cli_support import progress

    chosen = resolve_profile(profile)
    if chosen is not None and kind is not None and chosen.kind != kind:
        raise IngestionError(f"profile {chosen.name} holds {chosen.kind}, not {kind}")
    files = expand([Path(p) for p in paths], kind)
    if not files:
        raise IngestionError("no ingestible files in " + ", ".join(str(p) for p in paths))
    run_id = new_run_id()
    rejects = _Rejects(settings.rejects_dir / f"{run_id}.jsonl")
    result = IngestResult(run_id=run_id)
    builders = parallel.Builders(settings.ingest_workers or parallel.default_workers())
    ledger = Ledger(settings.ledger_path)
    try:
        ledger.start_run(run_id)
        with progress("ingest", None, show_progress) as advance:
            for path in files:
                run = (ledger, run_id, rejects, advance, builders)
                result.files.append(_one_file(path, chosen, kind, run, replace_source))
        _total(result)
        result.rejects_file = str(rejects.path) if rejects.used else None
        ledger.finish_run(run_id, result.model_dump(), [f.model_dump() for f in result.files])
    finally:
        builders.close()
        rejects.close()
        ledger.close()
    failed = [f for f in result.files if f.error]
    if failed and len(failed) == len(result.files):
        raise IngestionError(failed[0].error or "ingest failed")
    return result


def _total(result: IngestResult) -> None:
    for name in ("accepted", "updated", "unchanged", "rejected", "field_issues", "deleted"):
        setattr(result, name, sum(getattr(f, name) for f in result.files))
