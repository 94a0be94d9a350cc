"""API fixtures: the FastAPI app over each engine's store, through HTTP (Starlette TestClient).

The search index is built from the demo graph with a small deterministic hashing embedder, so
these tests never load an embedding model; the embedder itself is tested in tests/unit/search.
"""

from __future__ import annotations

import hashlib
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from fastapi.testclient import TestClient

from iplayout.config import Settings
from iplayout.graph.store import GraphStore

ROOT = Path(__file__).resolve().parents[3]
if str(ROOT) not in sys.path:  # benchmarks.bench_api holds the graph -> index helper
    sys.path.insert(0, str(ROOT))

API_KEY = "test-key-0123456789abcdef"
UPLOAD_LIMIT = 4_096


class HashEmbedder:
    """Character-bigram hashing into 256 dimensions: deterministic, instant, good enough to rank."""

    model_id = "test:hash-bigrams-256"
    dim = 256
    multilingual = False

    def embed(self, texts: list[str]) -> np.ndarray:
        out = np.zeros((len(texts), self.dim), dtype=np.float32)
        for i, text in enumerate(texts):
            for a, b in zip(text, text[1:], strict=False):
                h = int.from_bytes(hashlib.blake2b((a + b).encode(), digest_size=4).digest(), "little")
                out[i, h % self.dim] += 1.0
        norms = np.linalg.norm(out, axis=1, keepdims=True)
        norms[norms == 0] = 1.0
        return out / norms


def api_settings(settings: Settings, tmp_path: Path, **overrides: Any) -> Settings:
    from iplayout.api.security import digest

    root = tmp_path / "ingest"
    root.mkdir(exist_ok=True)
    values: dict[str, Any] = {"api_keys": [digest(API_KEY)], "ingest_root": root, "upload_max_bytes": UPLOAD_LIMIT,
                              "query_timeout_s": 1.0, "query_row_limit": 50}
    return settings.model_copy(update=values | overrides)


def search_service(rows: Any, settings: Settings) -> Any:
    from iplayout.demo.search_docs import index_demo
    from iplayout.search.service import SearchService

    embedder = HashEmbedder()
    index_demo(settings, rows, embedder=embedder)
    return SearchService.open(settings, embedder=embedder)


@pytest.fixture
def keyed_settings(settings: Settings, tmp_path: Path) -> Settings:
    return api_settings(settings, tmp_path)


@pytest.fixture
def client(store: GraphStore, keyed_settings: Settings) -> Iterator[TestClient]:
    """The app over an empty store of each engine (security, uploads, paths)."""
    from iplayout.api import create_app
    from iplayout.search.service import SearchService

    app = create_app(keyed_settings, store=store, search=SearchService.open(keyed_settings, embedder=HashEmbedder()))
    with TestClient(app) as c:
        yield c


@pytest.fixture
def demo_client(demo_store: GraphStore, demo_rows: Any, keyed_settings: Settings) -> Iterator[TestClient]:
    """The app over the small demo graph of each engine, with a search index of its documents."""
    from iplayout.api import create_app

    app = create_app(keyed_settings, store=demo_store, search=search_service(demo_rows, keyed_settings))
    with TestClient(app) as c:
        yield c


def assert_problem(resp: Any, status: int) -> dict[str, Any]:
    """An RFC 9457 problem of ``status`` with every member."""
    assert resp.status_code == status, resp.text
    assert resp.headers["content-type"].startswith("application/problem+json")
    body: dict[str, Any] = resp.json()
    assert {"type", "title", "status", "detail", "instance"} <= set(body)
    assert body["status"] == status
    return body


@pytest.fixture
def problem() -> Any:
    return assert_problem


@pytest.fixture(scope="session")
def build_search() -> Any:
    """``build_search(demo_rows, settings)``: a search service over the demo documents (hash embedder)."""
    return search_service
