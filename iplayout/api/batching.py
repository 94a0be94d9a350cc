"""Concurrent ``GET /search`` requests answered in batches by one thread.

Query embedding holds Python's GIL and the exact vector scan reads every vector: twenty request
threads taking turns on them made every request slower (docs/scale.md). One worker thread takes
the requests that are waiting (at most ``max_batch``) and answers them with
``SearchService.search_many``: one embedding call and one faiss call for the lot.
"""

from __future__ import annotations

import queue
import threading
from concurrent.futures import Future

from iplayout.search.results import SearchResult
from iplayout.search.service import SearchRequest, SearchService

_Item = tuple[SearchService, SearchRequest, "Future[SearchResult]"]


class SearchBatcher:
    def __init__(self, max_batch: int) -> None:
        self.max_batch = max_batch
        self._queue: queue.SimpleQueue[_Item | None] = queue.SimpleQueue()
        self._thread: threading.Thread | None = None
        self._lock = threading.Lock()

    def search(self, service: SearchService, request: SearchRequest) -> SearchResult:
        """Answer ``request`` (blocking), batched with whatever else is waiting."""
        done: Future[SearchResult] = Future()
        self._start()
        self._queue.put((service, request, done))
        return done.result()

    def close(self) -> None:
        if self._thread is not None:
            self._queue.put(None)
            self._thread.join(timeout=10)
            self._thread = None

    def _start(self) -> None:
        with self._lock:
            if self._thread is None:
                self._thread = threading.Thread(target=self._run, name="search-batcher", daemon=True)
                self._thread.start()

    def _run(self) -> None:
        while True:
            first = self._queue.get()
            if first is None:
                return
            batch = [first]
            while len(batch) < self.max_batch:
                try:
                    item = self._queue.get_nowait()
                except queue.Empty:
                    break
                if item is None:  # stop after this batch
                    self._queue.put(None)
                    break
                batch.append(item)
            by_service: dict[int, list[_Item]] = {}  # the index may be reopened between requests
            for item in batch:
                by_service.setdefault(id(item[0]), []).append(item)
            for items in by_service.values():
                self._answer(items)

    def _answer(self, items: list[_Item]) -> None:
        service = items[0][0]
        try:
            results = service.search_many([request for _, request, _ in items])
        except Exception as exc:  # noqa: BLE001 - handed to the waiting request thread, as an executor does
            if len(items) == 1:
                items[0][2].set_exception(exc)
            else:  # answer one by one, so only the request at fault gets the error
                for item in items:
                    self._answer([item])
            return
        for (_, _, done), result in zip(items, results, strict=True):
            done.set_result(result)
