"""Per-process services shared by the routes (FastAPI ``Depends``): settings, store, search, jobs.

The graph store is opened once per process (or injected by tests) and wrapped in
:class:`LockedStore`; the search index is opened lazily and re-opened when its manifest changes;
analytics results are cached for ``ANALYTICS_TTL_S`` seconds per parameter set (single-flight).
"""

from __future__ import annotations

import importlib
import threading
import time
from collections.abc import Callable, Hashable
from typing import TYPE_CHECKING, Annotated, Any

from fastapi import Depends, Request

from iplayout.api.jobs import JobRegistry
from iplayout.api.locked_store import LockedStore
from iplayout.api.problems import FeatureMissing
from iplayout.config import Settings
from iplayout.graph.store import GraphStore

if TYPE_CHECKING:
    from iplayout.search.service import SearchService

ANALYTICS_TTL_S = 60.0
CACHE_ENTRIES = 64


def optional_module(module: str, feature: str) -> Any:
    """Import a module another area provides, or raise a 501 problem when it is not installed."""
    try:
        return importlib.import_module(module)
    except ModuleNotFoundError as exc:
        if exc.name and module.startswith(exc.name):
            raise FeatureMissing(feature, module) from exc
        raise


class _Cache:
    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._keys: dict[Hashable, threading.Lock] = {}
        self._values: dict[Hashable, tuple[float, Any]] = {}

    def get(self, key: Hashable, compute: Callable[[], Any]) -> Any:
        with self._lock:
            key_lock = self._keys.setdefault(key, threading.Lock())
        with key_lock:  # one computation per key at a time; the others wait and reuse it
            hit = self._values.get(key)
            if hit is not None and time.monotonic() - hit[0] < ANALYTICS_TTL_S:
                return hit[1]
            value = compute()
            with self._lock:
                if len(self._values) >= CACHE_ENTRIES:
                    self._values.pop(min(self._values, key=lambda k: self._values[k][0]))
                self._values[key] = (time.monotonic(), value)
            return value

    def clear(self) -> None:
        with self._lock:
            self._values.clear()


class Services:
    def __init__(self, settings: Settings, store: GraphStore | None = None,
                 search: SearchService | None = None) -> None:
        self.settings = settings
        self._given_store = store is not None
        self._store: LockedStore | None = LockedStore(store) if store is not None else None
        self._search = search
        self._search_fixed = search is not None
        self._search_stamp: float | None = None
        self._search_lock = threading.Lock()
        self._batcher: Any = None
        self._store_lock = threading.Lock()
        self.jobs = JobRegistry()
        self.cache = _Cache()

    # ---- graph ---------------------------------------------------------------------------------
    @property
    def store(self) -> GraphStore:
        if self._store is None:
            with self._store_lock:
                if self._store is None:
                    from iplayout.graph.factory import open_store

                    self._store = LockedStore(open_store(self.settings))
        return self._store

    # ---- search --------------------------------------------------------------------------------
    def _manifest_stamp(self) -> float | None:
        manifest = self.settings.index_dir / "manifest.json"
        return manifest.stat().st_mtime if manifest.exists() else None

    def search(self) -> SearchService:
        if self._search is not None and (self._search_fixed or self._search_stamp == self._manifest_stamp()):
            return self._search
        module = optional_module("iplayout.search.service", "search")
        with self._search_lock:
            stamp = self._manifest_stamp()
            if self._search is None or stamp != self._search_stamp:
                embedder = self._search.embedder if self._search is not None else None
                self._search = module.SearchService.open(self.settings, embedder=embedder)
                self._search_stamp = stamp
            return self._search

    # ---- analytics cache -----------------------------------------------------------------------
    def cached(self, key: Hashable, compute: Callable[[], Any]) -> Any:
        return self.cache.get(key, compute)

    def district_names(self) -> dict[str, str]:
        """adcode -> district name, from the graph (cached like analytics)."""
        def load() -> dict[str, str]:
            rows = self.store.run_named("density_districts")
            return {str(r["adcode"]): str(r.get("district") or r["adcode"]) for r in rows}

        names: dict[str, str] = self.cached(("district_names",), load)
        return names

    def search_batched(self, request: Any) -> Any:
        """``SearchService.search`` of a ``SearchRequest``, batched with concurrent requests."""
        svc = self.search()
        if self._batcher is None:
            with self._search_lock:
                if self._batcher is None:
                    from iplayout.api.batching import SearchBatcher

                    self._batcher = SearchBatcher(self.settings.search_batch_max)
        return self._batcher.search(svc, request)

    def close(self) -> None:
        if self._batcher is not None:
            self._batcher.close()
        self.jobs.shutdown()
        if self._store is not None and not self._given_store:
            self._store.close()


def get_services(request: Request) -> Services:
    services: Services = request.app.state.services
    return services


def get_store(services: Annotated[Services, Depends(get_services)]) -> GraphStore:
    return services.store


ServicesDep = Annotated[Services, Depends(get_services)]
StoreDep = Annotated[GraphStore, Depends(get_store)]
