"""Extraction in worker processes, overlapped with graph writes in the main process.

Extraction (segmentation, keyphrases, resolution) is CPU-bound pure Python and dominates `build`;
graph writes are a separate CPU-bound engine call. Running extraction of the next batches in
workers while the main process writes the current one uses every core. Results are consumed in
submission order, so the graph sees batches in ledger order and crash safety is unchanged.
"""

from __future__ import annotations

import gc
import multiprocessing
import os
import threading
import time
from collections.abc import Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from typing import Any

from iplayout.errors import ExtractionError
from iplayout.nlp.entities import ExtractionContext
from iplayout.nlp.index_docs import DOC_KINDS, FacetMaps, index_doc
from iplayout.nlp.record_rows import record_to_rows
from iplayout.nlp.rows import GraphRows

_CTX: ExtractionContext | None = None
_MAPS: FacetMaps | None = None


def extract_batch(batch: Sequence[Any], ctx: ExtractionContext, maps: FacetMaps | None) -> tuple[GraphRows, list[Any]]:
    """Merged rows of a batch, and its search documents when ``maps`` is given."""
    # Everything a batch allocates that survives (parsed records, rows) lives until it is returned, and
    # extraction makes no reference cycles: collections during the batch would only re-scan survivors
    # (a fifth of its CPU). The collector runs again, as before, once the batch is done.
    collecting = gc.isenabled()
    if collecting:
        gc.disable()
    try:
        rows = GraphRows()
        docs: list[Any] = []
        for stored in batch:
            if maps is not None and stored.kind in DOC_KINDS:
                own = record_to_rows(stored, ctx)  # its facets come from its own rows
                docs.append(index_doc(stored, own, maps))
                rows.absorb(own)
            else:
                record_to_rows(stored, ctx, rows)  # straight into the batch: the same rows as merging
        return rows, docs
    finally:
        if collecting:
            gc.enable()


def _init(ctx: ExtractionContext, maps: FacetMaps | None, parent: int) -> None:
    global _CTX, _MAPS
    _CTX, _MAPS = ctx, maps
    # A parent killed with SIGKILL cannot shut the pool down: workers notice and exit by themselves.
    # The parent's pid comes from the parent: it may already be gone when this worker starts.
    threading.Thread(target=_exit_with_parent, args=(parent,), daemon=True).start()


def _exit_with_parent(parent: int) -> None:
    while os.getppid() == parent:
        time.sleep(0.5)
    os._exit(1)


def _work(batch: Sequence[Any]) -> tuple[GraphRows, list[Any]]:
    assert _CTX is not None, "worker not initialised"
    return extract_batch(batch, _CTX, _MAPS)


def default_workers() -> int:
    return max(1, min(4, os.cpu_count() or 1))


class Extractor:
    """``submit(batch)`` returns a future of ``(rows, docs)``; inline when ``workers <= 1``.

    Workers are spawned, so the calling program's ``__main__`` must be importable (any script or
    ``python -m``; not code piped on standard input).
    """

    def __init__(self, ctx: ExtractionContext, maps: FacetMaps | None, workers: int) -> None:
        self.ctx, self.maps, self.workers = ctx, maps, workers
        self._pool: ProcessPoolExecutor | None = None

    def submit(self, batch: Sequence[Any]) -> Future[tuple[GraphRows, list[Any]]]:
        if self.workers <= 1:
            done: Future[tuple[GraphRows, list[Any]]] = Future()
            done.set_result(extract_batch(batch, self.ctx, self.maps))
            return done
        if self._pool is None:
            # spawn, not fork: the parent may hold faiss/torch threads that fork would copy mid-state.
            self._pool = ProcessPoolExecutor(self.workers, mp_context=multiprocessing.get_context("spawn"),
                                             initializer=_init, initargs=(self.ctx, self.maps, os.getpid()))
        try:
            return self._pool.submit(_work, list(batch))
        except BrokenProcessPool as exc:
            raise ExtractionError(f"an extraction worker process died: {exc}") from exc

    def close(self) -> None:
        if self._pool is not None:
            self._pool.shutdown(cancel_futures=True)
            self._pool = None

    def __enter__(self) -> Extractor:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
