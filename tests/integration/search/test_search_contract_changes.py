"""The search contract, continued: changes, reopening, the model guard, `index rebuild|stats` and the
setting that chooses the backend, on both backends."""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from iplayout.config import Settings
from iplayout.errors import SearchError
from iplayout.search.service import SearchService
from tests.unit.search.conftest import HashEmbedder, synthetic_docs


def test_incremental_add_replace_remove_and_reopen(search_settings: Settings) -> None:
    svc = SearchService.open(search_settings, embedder=HashEmbedder())
    svc.index_documents(synthetic_docs(120))
    new = [d.model_copy(update={"id": f"NEW{i}", "title": "zeppelin airship"}) for i, d in enumerate(synthetic_docs(3, 9))]
    assert svc.index_documents(new) == {"added": 3, "replaced": 0, "passages": 3}
    assert {h.id for h in svc.search("zeppelin airship", top=3).hits} == {"NEW0", "NEW1", "NEW2"}
    changed = svc.docs.docs[svc.docs.pos["NEW1"]].model_copy(update={"title": "submarine hull"})
    assert svc.index_documents([changed])["replaced"] == 1
    assert svc.remove(["NEW0", "nope"]) == 1
    assert [h.id for h in svc.search("zeppelin airship", top=1, mode="bm25").hits] == ["NEW2"]
    back = SearchService.open(search_settings, embedder=HashEmbedder())
    assert back.ids() == svc.ids() and len(back.ids()) == 122
    assert [h.id for h in back.search("zeppelin airship", top=1, mode="bm25").hits] == ["NEW2"]
    assert back.search("submarine hull", top=1).hits[0].id == "NEW1"
    stats = back.stats()
    assert stats["documents"] == 122 and stats["passages"] == 122 and stats["backend"] == search_settings.search_backend
    svc.close()
    back.close()


def test_refuses_another_model_until_rebuilt(search_settings: Settings) -> None:
    SearchService.open(search_settings, embedder=HashEmbedder()).index_documents(synthetic_docs(40))
    other = SearchService.open(search_settings, embedder=HashEmbedder(32, "test:other-model"))
    with pytest.raises(SearchError, match="built with embedder test:hash-64.*iplayout index rebuild"):
        other.search("battery")
    with pytest.raises(SearchError, match="built with embedder"):
        other.index_documents(synthetic_docs(1, seed=5))
    assert other.search("battery", mode="bm25").hits  # lexical search needs no model
    stats = other.rebuild()  # re-embeds the stored texts with the new model (another dimension)
    assert stats["documents"] == 40 and stats["dim"] == 32
    assert other.search("battery").model_id == "test:other-model"
    again = SearchService.open(search_settings, embedder=HashEmbedder(32, "test:other-model"))
    assert len(again.search("battery lithium", top=5).hits) == 5


def test_index_commands_on_both_backends(search_settings: Settings, monkeypatch: pytest.MonkeyPatch) -> None:
    from iplayout.cli import app
    from iplayout.nlp import embeddings

    SearchService.open(search_settings, embedder=HashEmbedder()).index_documents(synthetic_docs(30))
    monkeypatch.setattr(embeddings, "make_embedder", lambda settings: HashEmbedder())
    monkeypatch.setattr("iplayout.search.service.make_embedder", lambda settings: HashEmbedder())
    env = {"IPLAYOUT_STORE": search_settings.store, "IPLAYOUT_NEO4J_URI": search_settings.neo4j_uri,
           "IPLAYOUT_SEARCH_BACKEND": search_settings.search_backend}
    runner = CliRunner()
    home = ["--home", str(search_settings.home)]
    stats = runner.invoke(app, ["index", "stats", "--json", *home], env=env)
    assert stats.exit_code == 0, stats.output
    assert json.loads(stats.output)["documents"] == 30
    rebuilt = runner.invoke(app, ["index", "rebuild", "--json", *home], env=env)
    assert rebuilt.exit_code == 0, rebuilt.output
    assert json.loads(rebuilt.output)["passages"] == 30
    found = runner.invoke(app, ["search", "lithium battery", "--type", "patent", "--json", *home], env=env)
    assert found.exit_code == 0, found.output
    assert {h["type"] for h in json.loads(found.output)["hits"]} == {"Patent"}


def test_neo4j_backend_needs_the_neo4j_store(tmp_path: pytest.TempPathFactory) -> None:
    with pytest.raises(SearchError, match="IPLAYOUT_SEARCH_BACKEND=neo4j needs IPLAYOUT_STORE=neo4j"):
        SearchService.open(Settings(home=tmp_path, search_backend="neo4j"), embedder=HashEmbedder())
    with pytest.raises(SearchError, match="unknown IPLAYOUT_SEARCH_BACKEND 'elastic'; one of local, neo4j"):
        SearchService.open(Settings(home=tmp_path, search_backend="elastic"), embedder=HashEmbedder())


def test_check_compares_the_graph_and_the_search_index(search_settings: Settings) -> None:
    from iplayout.consistency import check
    from iplayout.graph.factory import open_store

    store = open_store(search_settings)
    try:
        store.clear()  # an empty graph: every indexed document is one the graph lacks
        svc = SearchService.open(search_settings, embedder=HashEmbedder())
        svc.index_documents(synthetic_docs(6))
        report = check(search_settings, store)
        assert report.index == {"documents": 6}
        assert report.problems["search index: documents not in the graph"]["count"] == 6
        if search_settings.search_backend == "neo4j":  # the Neo4j indexes themselves are checked too
            svc.backend._run("MATCH (p:SearchPassage {doc_id: 'D00003'}) DETACH DELETE p", write=True)  # type: ignore[attr-defined]
            problems = check(search_settings, store).problems
            assert problems["search index (neo4j): documents without passages"]["sample"] == ["D00003"]
        svc.close()
    finally:
        store.close()
