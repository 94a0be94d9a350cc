"""An API server on the neo4j search backend answers search with no index folder under its home:
the vectors and the full-text index are in Neo4j, written there by a separate `build`."""

from __future__ import annotations

from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from iplayout.config import Settings
from tests.integration.conftest import neo4j_uri
from tests.unit.search.conftest import HashEmbedder


def test_api_server_on_the_neo4j_backend_needs_no_local_index(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from iplayout.api import create_app
    from iplayout.demo import generate
    from iplayout.demo.search_docs import demo_index_docs
    from iplayout.search.service import SearchService
    from tests.integration.search.conftest import empty_search_index

    uri = neo4j_uri() or ""
    builder = Settings(home=tmp_path / "builder", store="neo4j", neo4j_uri=uri, search_backend="neo4j")
    empty_search_index(builder)
    docs = demo_index_docs(generate("small", seed=7))
    built = SearchService.open(builder, embedder=HashEmbedder())
    built.index_documents([d for d in docs if d.type == "Patent"][:150] + [d for d in docs if d.type != "Patent"][:150])
    built.close()
    assert not (builder.home / "index").exists()

    # the server: another home, never built; the embedder factory gives the model the index was built with
    monkeypatch.setattr("iplayout.search.service.make_embedder", lambda settings: HashEmbedder())
    server = Settings(home=tmp_path / "server", store="neo4j", neo4j_uri=uri, search_backend="neo4j")
    with TestClient(create_app(server)) as client:
        body = client.get("/search", params={"q": "电池", "limit": 5, "type": "Patent"}).json()
        assert body["matching_documents"] > 0 and body["model_id"] == HashEmbedder().model_id
        assert 0 < len(body["items"]) <= 5 and all(c["type"] == "Patent" for c in body["items"])
        assert body["items"][0]["evidence"]["matched_terms"]
        first = body["items"][0]["id"]
        related = client.get(f"/related/{first}", params={"per_type": 3}).json()
        assert related["id"] == first and related["items"]
        assert all(c["id"] != first for c in related["items"])
    assert not (server.home / "index").exists()
    empty_search_index(builder)  # the shared Neo4j is left as found
