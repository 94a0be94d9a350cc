"""Integration fixtures: one `store` fixture parametrised over both real engines.

The Neo4j half uses the server named by IPLAYOUT_NEO4J_URI (``make test`` starts one). Without
it the Neo4j cases skip with a loud reason, except under CI=true or IPLAYOUT_REQUIRE_NEO4J=1,
where a missing server is a failure.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from iplayout.config import Settings
from iplayout.graph.factory import open_store
from iplayout.graph.store import GraphStore

ENGINES = ["embedded", "neo4j"]


def neo4j_uri() -> str | None:
    uri = os.environ.get("IPLAYOUT_NEO4J_URI")
    if uri:
        return uri
    if os.environ.get("CI") == "true" or os.environ.get("IPLAYOUT_REQUIRE_NEO4J") == "1":
        pytest.fail("IPLAYOUT_NEO4J_URI is not set but a real Neo4j is required (CI / IPLAYOUT_REQUIRE_NEO4J)")
    pytest.skip("NEO4J HALF SKIPPED: IPLAYOUT_NEO4J_URI is not set (run `make test`, which starts Neo4j)")


def settings_for(engine: str, home: Path) -> Settings:
    if engine == "neo4j":
        return Settings(store="neo4j", home=home, neo4j_uri=neo4j_uri() or "")
    return Settings(store="embedded", home=home)


@pytest.fixture(params=ENGINES)
def engine(request: pytest.FixtureRequest) -> str:
    return str(request.param)


@pytest.fixture
def settings(engine: str, tmp_path: Path) -> Settings:
    return settings_for(engine, tmp_path / "home")


@pytest.fixture
def store(settings: Settings) -> Iterator[GraphStore]:
    """A writable, empty store of each engine (the shared Neo4j server is cleared before each test)."""
    s = open_store(settings)
    s.clear()
    yield s
    s.close()


@pytest.fixture(scope="session")
def demo_rows():  # type: ignore[no-untyped-def]
    from iplayout.demo import generate

    return generate("small", seed=7)


@pytest.fixture
def demo_store(store: GraphStore, demo_rows) -> GraphStore:  # type: ignore[no-untyped-def]
    """The small synthetic demo graph loaded into each engine."""
    from iplayout.demo import load_into

    load_into(store, demo_rows)
    return store
