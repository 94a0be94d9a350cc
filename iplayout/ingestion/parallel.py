"""Building the records of a large file in worker processes while the main process writes the ledger.

Building a record (normalisation, coercion, validation, canonical JSON, hash) costs several times
more than reading its row. So every worker runs the file's reader from the start, but builds only
the records of its own turns: chunks of ``CHUNK`` consecutive ``build_record`` calls, dealt round
robin; for the other calls ``build_record`` returns nothing at once (``draft.set_turns``). A reader's
own rejects go with the chunk of the call before them. The main process takes the chunks back in
order: the stream is the one an in-process run yields (same records, rejects, order, locators),
hence the same ledger batches, counts, rejects file and crash safety. An exception comes after
everything before it, as in-process.

Reading in every worker costs a little CPU twice over, but keeps the main process free for the
ledger and sends only built entries between processes (shipping rows to the workers instead made
the main process, which also reads and writes, the bottleneck).

A reader that joins its rows itself and can do so only once (a CNIPA trademark package, staged in
one temporary database) instead gathers ``draft.Draft`` items in the main process and deals them to
the workers in chunks (``Builders.build``); the workers build every draft they get and the main
process takes the chunks back in order: again the stream of an in-process run.

Workers are spawned without the calling program's ``__main__`` (they need nothing from it): a
script without a ``__main__`` guard is not run again in every worker, and the CLI is not imported
twice more. When the workers cannot start, the file is read in-process.
"""

from __future__ import annotations

import collections
import contextlib
import itertools
import multiprocessing
import os
import pickle
import queue
import sys
import threading
import time
import types
from collections.abc import Callable, Iterator
from typing import Any

from iplayout.errors import IngestionError
from iplayout.ingestion import draft
from iplayout.ingestion.ledger import LedgerEntry, ledger_entry
from iplayout.ingestion.readers.base import Item, ReadContext
from iplayout.ingestion.records import Reject

Reader = Callable[[ReadContext], Iterator[Item]]
Entry = LedgerEntry | Reject

DRAFTS = "drafts"  # a task of drafts to build, not a file to read
DRAFT_CHUNK = 500  # drafts per task
CHUNK = 1000  # build_record calls per turn: ~1.4 MB of entries per message
PART_CHARS = 4 << 20  # a chunk goes in parts of at most about this much JSON (large records)
QUEUED = 3  # messages a worker may hold ready before it waits for the main process (flat memory)
MIN_BYTES = 8 << 20  # smaller files are read in-process: worker start-up would eat the gain
_POLL_S = 1.0


def default_workers() -> int:
    return max(1, min(4, os.cpu_count() or 1))


class WorkersUnavailable(Exception):
    """The workers could not start, or one died before sending anything: nothing was consumed."""


class _Turns:
    """Which ``build_record`` calls of the current file this worker builds."""

    def __init__(self, index: int, workers: int, size: int, part_chars: int) -> None:
        self.index, self.workers, self.size, self.started = index, workers, size, 0
        self.part_chars = part_chars

    def mine(self) -> bool:
        n = self.started
        self.started = n + 1
        return (n // self.size) % self.workers == self.index

    def chunk(self) -> int:
        """The chunk of an item yielded now: that of the last ``build_record`` call (0 before any)."""
        return (self.started - 1) // self.size if self.started else 0

    def owns(self, chunk: int) -> bool:
        return chunk % self.workers == self.index


def _exit_with_parent(parent: int) -> None:
    # A parent killed with SIGKILL cannot stop its workers: they notice and exit by themselves.
    while os.getppid() == parent:
        time.sleep(0.5)
    os._exit(1)


def _picklable(exc: BaseException) -> BaseException:
    try:
        pickle.loads(pickle.dumps(exc))
    except Exception:  # noqa: BLE001 - any failure: send the message instead
        return IngestionError(f"{type(exc).__name__}: {exc}")
    return exc


def _serve(turns: _Turns, inbox: Any, outbox: Any, parent: int) -> None:
    """A worker: for each ``(reader, ctx)`` task, its turns' chunks, then the end or the error;
    for each ``(DRAFTS, items)`` task, the items built."""
    threading.Thread(target=_exit_with_parent, args=(parent,), daemon=True).start()
    draft.set_turns(turns.mine)
    while (task := inbox.get()) is not None:
        if task[0] == DRAFTS:
            _build(task[1], outbox)
            continue
        reader, ctx = task
        turns.started = 0
        _stream(reader, ctx, turns, outbox)


def _build(items: list[Reject | draft.Draft], outbox: Any) -> None:
    """``("built", entries)`` of one chunk of drafts (every one built here: no turns), or
    ``("error", 0, entries before the error, exception)``."""
    turns = draft.current_turns()
    draft.set_turns(None)
    out: list[Entry] = []
    try:
        for item in items:
            if isinstance(item, Reject):
                out.append(item)
                continue
            out += [e if isinstance(e, Reject) else ledger_entry(e) for e in draft.build_draft(item)]
        outbox.put(("built", out))
    except Exception as exc:  # noqa: BLE001 - handed to the main process, raised there in place
        outbox.put(("error", 0, out, _picklable(exc)))
    finally:
        draft.set_turns(turns)


def _stream(reader: Reader, ctx: ReadContext, turns: _Turns, outbox: Any) -> None:
    """``("items", chunk, entries)`` for each chunk of this worker's turns (after ``("part", chunk,
    entries)`` messages for a large one), then ``("end", chunks)`` or ``("error", chunk, entries of
    that chunk before the error, exception)``."""
    held: list[Entry] = []
    size = 0
    current = 0

    def send_until(end: int) -> None:  # the chunks from ``current`` up to ``end`` are complete
        nonlocal held, size, current
        for chunk in range(current, end):
            if turns.owns(chunk):
                outbox.put(("items", chunk, held if chunk == current else []))
        held, size, current = [], 0, end

    try:
        for item in reader(ctx):
            at = turns.chunk()
            if at != current:
                send_until(at)
            if not turns.owns(at):
                continue  # a reader's reject in another worker's chunk
            if isinstance(item, Reject):
                held.append(item)
            else:
                entry = ledger_entry(item)
                held.append(entry)
                size += len(entry.json)
            if size > turns.part_chars or len(held) > turns.size:  # records of 1 MB, or rejects alone
                outbox.put(("part", current, held))
                held, size = [], 0
        send_until(turns.chunk() + 1)
        outbox.put(("end", current))
    except Exception as exc:  # noqa: BLE001 - handed to the main process, raised there in place
        at = turns.chunk()
        if at != current:
            send_until(at)
        outbox.put(("error", at, held if turns.owns(at) else [], _picklable(exc)))


class Builders:
    """The worker processes of one ingest run, started for its first large file."""

    def __init__(self, workers: int) -> None:
        self.workers = workers
        self.usable = workers > 1  # False once they could not start: no new try for every file
        self._procs: list[Any] = []
        self._inboxes: list[Any] = []
        self._outboxes: list[Any] = []

    def _start(self) -> None:
        mp = multiprocessing.get_context("spawn")  # not fork: the parent may hold threads (faiss, torch)
        self._inboxes = [mp.Queue() for _ in range(self.workers)]
        self._outboxes = [mp.Queue(maxsize=QUEUED) for _ in range(self.workers)]
        parent = os.getpid()
        try:
            with _without_main():
                for i in range(self.workers):
                    turns = _Turns(i, self.workers, CHUNK, PART_CHARS)
                    args = (turns, self._inboxes[i], self._outboxes[i], parent)
                    proc = mp.Process(target=_serve, args=args, daemon=True, name=f"iplayout-ingest-{i}")
                    proc.start()
                    self._procs.append(proc)
        except (OSError, RuntimeError, pickle.PicklingError) as exc:
            self.discard()
            self.usable = False
            raise WorkersUnavailable(str(exc)) from exc

    def entries(self, reader: Reader, ctx: ReadContext) -> Iterator[Entry]:
        """The file's ledger entries and rejects in reader order.

        Raises ``WorkersUnavailable`` before yielding anything when the workers cannot run.
        """
        if not self._procs:
            self._start()
        for inbox in self._inboxes:
            inbox.put((reader, ctx))
        clean = False  # every worker finished this file and sent its end: they can take the next
        try:
            chunk = 0
            while True:
                message = self._next(chunk % self.workers, chunk, ctx)
                if message[0] in ("part", "items") and message[1] != chunk:
                    raise IngestionError(f"{ctx.source}: ingest worker sent chunk {message[1]}, not {chunk}")
                if message[0] == "part":
                    yield from message[2]
                elif message[0] == "items":
                    yield from message[2]
                    chunk += 1
                elif message[0] == "end":
                    if message[1] > chunk:
                        raise IngestionError(f"{ctx.source}: an ingest worker ended before chunk {chunk}")
                    break
                else:  # the entries before the error, then the error, as in-process
                    if message[1] == chunk:
                        yield from message[2]
                    raise message[3]
            for index in range(self.workers):  # the others' end messages
                if index != chunk % self.workers and self._next(index, chunk, ctx)[0] != "end":
                    raise IngestionError(f"{ctx.source}: an ingest worker sent more than its chunks")
            clean = True
        finally:
            if not clean:  # some may be mid-file or dead: the next file starts new ones
                self.discard()

    def build(self, items: Iterator[Reject | draft.Draft], ctx: ReadContext) -> Iterator[Entry]:
        """The ledger entries and rejects of a reader's drafts, built by the workers in chunks of
        ``DRAFT_CHUNK`` items dealt round robin, in item order (for a reader that joins its rows
        itself, which it can do only once: ``readers.cnipa_trademarks``).

        Raises ``WorkersUnavailable`` before yielding anything when the workers cannot run; the
        caller then reads again in-process (``items`` is closed).
        """
        if not self._procs:
            try:
                self._start()
            except WorkersUnavailable:
                _close(items)
                raise
        sent: collections.deque[int] = collections.deque()  # workers holding a chunk, in order
        done = 0  # chunks yielded
        clean = False
        try:
            chunks = _chunks(items, DRAFT_CHUNK)
            while True:
                try:
                    chunk = next(chunks)
                except StopIteration:
                    break
                except Exception:  # the reader failed: what it gathered before comes first, as in-process
                    while sent:
                        yield from self._built(sent.popleft(), done, ctx, items)
                        done += 1
                    raise
                index = (done + len(sent)) % self.workers
                self._inboxes[index].put((DRAFTS, chunk))
                sent.append(index)
                if len(sent) > self.workers * QUEUED:  # flat memory: a few chunks in flight
                    yield from self._built(sent.popleft(), done, ctx, items)
                    done += 1
            while sent:
                yield from self._built(sent.popleft(), done, ctx, items)
                done += 1
            clean = True
        finally:
            _close(items)
            if not clean:  # a worker may hold chunks nobody reads: the next file starts new ones
                self.discard()

    def _built(self, index: int, done: int, ctx: ReadContext, items: Iterator[Any]) -> Iterator[Entry]:
        try:
            message = self._next(index, done, ctx)
        except WorkersUnavailable:  # only before the first chunk came back: nothing was yielded
            _close(items)
            raise
        if message[0] == "built":
            yield from message[1]
            return
        if message[0] != "error":
            raise IngestionError(f"{ctx.source}: ingest worker sent {message[0]!r} for a chunk of drafts")
        yield from message[2]  # the entries before the error, then the error, as in-process
        raise message[3]

    def _next(self, index: int, chunk: int, ctx: ReadContext) -> tuple[Any, ...]:
        outbox, proc = self._outboxes[index], self._procs[index]
        while True:
            try:
                message: tuple[Any, ...] = outbox.get(timeout=_POLL_S)
                return message
            except queue.Empty:
                if proc.exitcode is None:
                    continue
            with contextlib.suppress(queue.Empty):  # the worker is gone; what it sent before is in the pipe
                message = outbox.get(timeout=_POLL_S)
                return message
            if chunk == 0:
                self.usable = False
                raise WorkersUnavailable(f"ingest worker exit code {proc.exitcode}")
            raise IngestionError(f"{ctx.source}: an ingest worker process died (exit code {proc.exitcode})")

    def discard(self) -> None:
        for proc in self._procs:
            if proc.is_alive():
                proc.terminate()
        for proc in self._procs:
            proc.join()
        for box in self._inboxes + self._outboxes:
            box.close()
            box.cancel_join_thread()
        self._procs, self._inboxes, self._outboxes = [], [], []

    def close(self) -> None:
        for inbox in self._inboxes:
            with contextlib.suppress(OSError, ValueError):
                inbox.put(None)
        for proc in self._procs:
            proc.join(timeout=10)
        self.discard()


def _chunks(items: Iterator[Any], size: int) -> Iterator[list[Any]]:
    while chunk := list(itertools.islice(items, size)):
        yield chunk


def _close(items: Iterator[Any]) -> None:
    close = getattr(items, "close", None)
    if close is not None:
        close()


@contextlib.contextmanager
def _without_main() -> Iterator[None]:
    # multiprocessing runs the parent's ``__main__`` file in each spawned child before unpickling
    # the target, unless there is none (as under ``python -c``): our target and its arguments live
    # in iplayout, so the children are started as if there were none.
    main = sys.modules["__main__"]
    sys.modules["__main__"] = types.ModuleType("__main__")
    try:
        yield
    finally:
        sys.modules["__main__"] = main
