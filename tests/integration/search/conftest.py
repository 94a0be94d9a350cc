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
    # and the search schema: Neo4j lists a label while an index names it (`CALL db.labels()`), and the
    # Cypher dialect suite compares the labels of the shared server with the embedded engine's
    import neo4j

    password = settings.neo4j_password.get_secret_value()
    auth = (settings.neo4j_user, password) if password else None
    with neo4j.GraphDatabase.driver(settings.neo4j_uri, auth=auth) as driver:
        for kind, listing in (("CONSTRAINT", "CONSTRAINTS"), ("INDEX", "INDEXES")):  # constraints own indexes
            names = [r["name"] for r in driver.execute_query(
                f"SHOW {listing} YIELD name, labelsOrTypes WHERE any(l IN coalesce(labelsOrTypes, []) "
                "WHERE l IN ['SearchDoc', 'SearchPassage', 'SearchIndexMeta']) RETURN name").records]
            for name in names:
                driver.execute_query(f"DROP {kind} `{name}` IF EXISTS")


@pytest.fixture(params=BACKENDS)
def search_backend(request: pytest.FixtureRequest) -> str:
    return str(request.param)


@pytest.fixture
def search_settings(search_backend: str, tmp_path: Path) -> Iterator[Settings]:
    settings = search_settings_for(search_backend, tmp_path / "home")
    empty_search_index(settings)
    yield settings
    empty_search_index(settings)  # the shared Neo4j is left as found (other suites list its labels)
