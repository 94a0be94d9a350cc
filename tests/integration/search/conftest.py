"""The search contract fixtures: one `search_settings` per search backend (local, neo4j).

The neo4j half uses the server named by IPLAYOUT_NEO4J_URI, as the graph contract does, and starts
each test from an empty search index (``SearchDoc`` / ``SearchPassage`` nodes deleted).
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from iplayout.config import Settings
from tests.integration.conftest import neo4j_uri

BACKENDS = ["local", "neo4j"]


def search_settings_for(backend: str, home: Path) -> Settings:
    if backend == "neo4j":
        return Settings(home=home, store="neo4j", neo4j_uri=neo4j_uri() or "", search_backend="neo4j")
    return Settings(home=home)


def empty_search_index(settings: Settings) -> None:
    """Delete what an earlier test left in the shared Neo4j's search index."""
    if settings.search_backend != "neo4j":
        return
    from iplayout.search.backends import make_backend
    from iplayout.search.config import SearchConfig

    backend = make_backend(settings, SearchConfig())
    try:
        backend.reset()
    finally:
        backend.close()


@pytest.fixture(params=BACKENDS)
def search_backend(request: pytest.FixtureRequest) -> str:
    return str(request.param)


@pytest.fixture
def search_settings(search_backend: str, tmp_path: Path) -> Iterator[Settings]:
    settings = search_settings_for(search_backend, tmp_path / "home")
    empty_search_index(settings)
    yield settings
