"""SearchService on synthetic documents: filter correctness, changes, persistence, model guard."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from iplayout.config import Settings
from iplayout.errors import SearchError
from iplayout.search.config import SearchConfig
from iplayout.search.filters import SearchFilters
from iplayout.search.service import SearchService

FILTERS = [
    SearchFilters(types="Patent"),
    SearchFilters(districts="500112"),
    SearchFilters(zones="Z-north", types=["Paper", "Policy"]),
    SearchFilters(industries="IND2", year_from=2010),
    SearchFilters(organizations="org 4"),  # case-insensitive
    SearchFilters(ipc="H01M1"),  # prefix, spaces ignored: H01M 1/.., H01M 10/.., H01M 11/..
    SearchFilters(year_from=2008, year_to=2012, districts=["500103", "500151"]),
    SearchFilters(types="Standard", organizations="Org 2", year_to=2015),
]


@pytest.fixture
def svc(home: Path, hash_embedder: Any, make_docs: Any) -> SearchService:
    s = SearchService.open(Settings(home=home), embedder=hash_embedder, config=SearchConfig(exact_subset_max=10))
    s.index_documents(make_docs(400))
    return s


@pytest.mark.parametrize("mode", ["hybrid", "dense", "bm25"])
@pytest.mark.parametrize("filters", FILTERS, ids=lambda f: ",".join(f.model_dump(exclude_defaults=True)))
def test_every_hit_satisfies_every_filter_and_top_k_is_full(
        svc: SearchService, filters: SearchFilters, mode: str) -> None:
    top = 15
    res = svc.search("lithium battery cathode", filters, top=top, mode=mode)
    matching = [d for d in svc.docs.docs if filters.matches(d.model_dump())]
    assert res.matching_documents == len(matching)
    for h in res.hits:
        assert filters.matches(svc.docs.docs[svc.docs.pos[h.id]].model_dump()), h
    if mode != "bm25":  # every filtered document has a dense score
        assert len(res.hits) == min(top, len(matching))
    else:  # BM25 returns the documents that contain a query word
        with_words = [d for d in matching if {"lithium", "battery", "cathode"} & set(
            f"{d.title} {d.text}".replace("batteries", "battery").split())]
        assert len(res.hits) == min(top, len(with_words))


def test_hits_carry_ranks_and_evidence(svc: SearchService) -> None:
    res = svc.search("lithium battery", top=5)
    h = res.hits[0]
    assert set(h.ranks) == {"dense", "bm25"}
    assert h.evidence.matched_terms and h.evidence.dense_similarity is not None
    assert res.cross_lingual is False and "not multilingual" in res.notes[0]


def test_incremental_add_replace_remove_and_round_trip(svc: SearchService, home: Path, hash_embedder: Any,
                                                      make_docs: Any) -> None:
    new = make_docs(3, seed=9)
    new = [d.model_copy(update={"id": f"NEW{i}", "title": "zeppelin airship"}) for i, d in enumerate(new)]
    assert svc.index_documents(new) == {"added": 3, "replaced": 0, "passages": 3}
    assert {h.id for h in svc.search("zeppelin airship", top=3).hits} == {"NEW0", "NEW1", "NEW2"}
    changed = svc.docs.docs[svc.docs.pos["NEW1"]].model_copy(update={"title": "submarine hull"})
    assert svc.index_documents([changed])["replaced"] == 1
    assert svc.remove(["NEW0", "nope"]) == 1
    back = SearchService.open(Settings(home=home), embedder=hash_embedder)
    assert back.ids() == svc.ids() and len(back.ids()) == 402
    assert [h.id for h in back.search("zeppelin airship", top=1, mode="bm25").hits] == ["NEW2"]
    assert back.search("submarine hull", top=1).hits[0].id == "NEW1"
    assert back.stats()["documents"] == 402


def test_refuses_queries_and_documents_from_another_model(svc: SearchService, home: Path, make_embedder: Any,
                                                           make_docs: Any) -> None:
    other = SearchService.open(Settings(home=home), embedder=make_embedder(64, "test:other-model"))
    with pytest.raises(SearchError, match="built with embedder test:hash-64.*iplayout index rebuild"):
        other.search("battery")
    with pytest.raises(SearchError, match="built with embedder"):
        other.index_documents(make_docs(1, seed=5))
    assert other.search("battery", mode="bm25").hits  # lexical search needs no model
    other.rebuild()  # re-embeds the stored texts with the new model
    assert other.search("battery").model_id == "test:other-model"
    assert SearchService.open(Settings(home=home), embedder=make_embedder(64, "test:other-model")).search("x").hits


def test_errors_are_search_errors(svc: SearchService) -> None:
    with pytest.raises(SearchError, match="unknown search mode"):
        svc.search("x", mode="fuzzy")
    with pytest.raises(SearchError, match="empty query"):
        svc.search("  ")
    with pytest.raises(SearchError, match="not in the search index"):
        svc.related("missing")


def test_related_returns_every_type_without_self(svc: SearchService) -> None:
    res = svc.related("D00004", top=3)
    assert set(res.hits) == {"Patent", "Paper", "Standard", "Policy"}
    for t, hits in res.hits.items():
        assert len(hits) == 3 and all(h.type == t and h.id != "D00004" for h in hits)
        assert all(h.evidence.dense_similarity is not None for h in hits)


def test_search_many_answers_each_request_as_search_alone(svc: SearchService) -> None:
    from iplayout.search.service import SearchRequest

    queries = ["lithium battery", "电池 正极", "sensor signal", "robot arm control", "新能源汽车"]
    requests = [SearchRequest(query=q, filters=f, top=top, mode=mode)
                for q in queries for f in (None, FILTERS[0], FILTERS[3]) for top, mode in
                ((5, "hybrid"), (30, "dense"), (10, "bm25"))]
    batched = svc.search_many(requests)
    assert len(batched) == len(requests)
    for request, result in zip(requests, batched, strict=True):
        alone = svc.search(request.query, request.filters, top=request.top, mode=request.mode)
        assert [(h.id, h.score) for h in result.hits] == [(h.id, h.score) for h in alone.hits], request
        if request.mode != "bm25":  # BM25 finds only documents sharing a word
            assert len(result.hits) == min(request.top, result.matching_documents), request


def test_batcher_answers_concurrent_requests_and_keeps_errors_to_their_request(svc: SearchService) -> None:
    from concurrent.futures import ThreadPoolExecutor

    from iplayout.api.batching import SearchBatcher
    from iplayout.search.service import SearchRequest

    batcher = SearchBatcher(max_batch=8)
    queries = [f"battery sensor {i}" for i in range(40)]
    try:
        with ThreadPoolExecutor(12) as pool:
            got = list(pool.map(lambda q: batcher.search(svc, SearchRequest(query=q, top=7)), queries))
            bad = pool.submit(batcher.search, svc, SearchRequest(query="x", mode="nonsense"))
            good = pool.submit(batcher.search, svc, SearchRequest(query="battery", top=3))
            with pytest.raises(SearchError, match="unknown search mode"):
                bad.result()
            assert len(good.result().hits) == 3
    finally:
        batcher.close()
    for q, result in zip(queries, got, strict=True):
        assert result.query == q
        assert [h.id for h in result.hits] == [h.id for h in svc.search(q, top=7).hits]
