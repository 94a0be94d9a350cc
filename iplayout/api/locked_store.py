"""A GraphStore wrapper that serialises every call with one lock.

The server opens the graph once per process (LadybugDB allows a single read-write process) and
shares it between request threads; LadybugDB connections are not thread-safe, so each call
holds the lock for its duration. Analytics made of many named queries interleave between calls.
"""

from __future__ import annotations

import threading
from collections.abc import Collection, Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any

from iplayout.graph.store import Counts, GraphStore, Row


class LockedStore:
    def __init__(self, inner: GraphStore) -> None:
        self.inner = inner
        self.engine = inner.engine
        self._lock = threading.RLock()

    def ensure_schema(self) -> None:
        with self._lock:
            self.inner.ensure_schema()

    def upsert_nodes(self, label: str, rows: Iterable[Row], *, existing: Collection[Any] | None = None) -> int:
        with self._lock:
            return self.inner.upsert_nodes(label, rows, existing=existing)

    def upsert_relationships(self, rel_type: str, from_label: str, to_label: str, rows: Iterable[Row],
                             *, known_new: bool = False) -> int:
        with self._lock:
            return self.inner.upsert_relationships(rel_type, from_label, to_label, rows, known_new=known_new)

    def begin_bulk_load(self, directory: Path) -> bool:
        with self._lock:
            return self.inner.begin_bulk_load(directory)

    def finish_bulk_load(self) -> int:
        with self._lock:
            return self.inner.finish_bulk_load()

    def abort_bulk_load(self) -> None:
        with self._lock:
            self.inner.abort_bulk_load()

    def delete_by_source(self, source: str) -> int:
        with self._lock:
            return self.inner.delete_by_source(source)

    def run_named(self, name: str, params: Mapping[str, Any] | None = None) -> list[dict[str, Any]]:
        with self._lock:
            return self.inner.run_named(name, params)

    def run_write_named(self, name: str, params: Mapping[str, Any] | None = None) -> list[dict[str, Any]]:
        with self._lock:
            return self.inner.run_write_named(name, params)

    def cypher_read(self, text: str, params: Mapping[str, Any] | None = None, limit: int | None = None,
                    timeout: float | None = None) -> list[dict[str, Any]]:
        with self._lock:
            return self.inner.cypher_read(text, params, limit, timeout)

    def existing_keys(self, label: str, keys: Sequence[Any]) -> set[Any]:
        with self._lock:
            return self.inner.existing_keys(label, keys)

    def counts(self) -> Counts:
        with self._lock:
            return self.inner.counts()

    def clear(self) -> None:
        with self._lock:
            self.inner.clear()

    def close(self) -> None:
        with self._lock:
            self.inner.close()
