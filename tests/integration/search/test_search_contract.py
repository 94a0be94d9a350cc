"""The search contract: the same answers from the local (faiss + bm25s) and the neo4j (vector and
full-text indexes) backends: filters, hybrid fusion, evidence, `related`, batches and bad input."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from iplayout.errors import SearchError
from iplayout.search.config import SearchConfig
from iplayout.search.documents import IndexDoc
from iplayout.search.filters import SearchFilters
from iplayout.search.service import SearchRequest, SearchService
from tests.integration.search.conftest import BACKENDS, empty_search_index, search_settings_for
from tests.unit.search.conftest import HashEmbedder, synthetic_docs

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
LINKED = [
    IndexDoc(id="10.1/X", type="Paper", title="Regional innovation systems and policy", year=2015,
             people=("Chen, Li",), venue="RESEARCH POLICY", cites=("10.9/R1", "10.9/R2")),
    IndexDoc(id="Y", type="Paper", title="Wind turbine blade fatigue", year=2012, cites=("10.9/r1",)),
    IndexDoc(id="Z", type="Paper", title="Battery recycling logistics", year=2018, cites=("10.1/x", "W")),
    IndexDoc(id="W", type="Paper", title="Protein folding kinetics", year=2010, people=("CHEN, LI",)),
    IndexDoc(id="L", type="Paper", title="Later work on regional innovation systems policy", year=2020),
    IndexDoc(id="CN1", type="Patent", title="锂离子电池正极材料及其制备方法", text="一种锂离子电池正极材料。", year=2016,
             districts=("500112",), ipc=("H01M 4/525",)),
    IndexDoc(id="CN2", type="Patent", title="新能源汽车电池管理系统", text="电池管理系统与荷电状态估计。", year=2019,
             districts=("500106",), ipc=("H01M 10/42",)),
]


@pytest.fixture(scope="module", params=BACKENDS)
def svc(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[SearchService]:
    """400 synthetic documents and a few linked ones, indexed once per backend (read-only below)."""
    settings = search_settings_for(str(request.param), tmp_path_factory.mktemp("search-contract"))
    empty_search_index(settings)
    s = SearchService.open(settings, embedder=HashEmbedder(), config=SearchConfig(exact_subset_max=10))
    s.index_documents(synthetic_docs(400) + LINKED)
    yield s
    s.close()
    empty_search_index(settings)  # the shared Neo4j is left as found


@pytest.mark.parametrize("mode", ["hybrid", "dense", "bm25"])
@pytest.mark.parametrize("filters", FILTERS, ids=lambda f: ",".join(f.model_dump(exclude_defaults=True)))
def test_every_hit_satisfies_every_filter_and_top_k_is_full(svc: SearchService, filters: SearchFilters,
                                                            mode: str) -> None:
    top = 15
    res = svc.search("lithium battery cathode", filters, top=top, mode=mode)
    matching = [d for d in svc.docs.docs if filters.matches(d.model_dump())]
    assert res.matching_documents == len(matching) > 0
    assert all(filters.matches(svc.docs.docs[svc.docs.pos[h.id]].model_dump()) for h in res.hits), res.hits
    if mode != "bm25":  # every filtered document has a dense score
        assert len(res.hits) == min(top, len(matching))
    else:  # BM25 returns the documents that contain a query word
        with_words = [d for d in matching if {"lithium", "battery", "cathode"} & set(
            f"{d.title} {d.text}".replace("batteries", "battery").split())]
        assert len(res.hits) == min(top, len(with_words))


def test_hybrid_fuses_both_lists_with_evidence(svc: SearchService) -> None:
    res = svc.search("lithium battery", top=5)
    h = res.hits[0]
    assert set(h.ranks) == {"dense", "bm25"} and h.ranks["dense"] and h.ranks["bm25"]
    assert h.evidence.matched_terms and h.evidence.dense_similarity is not None and h.evidence.bm25_score
    assert res.cross_lingual is False and "not multilingual" in res.notes[0]
    scores = [x.score for x in res.hits]
    assert scores == sorted(scores, reverse=True)


def test_chinese_words_and_traditional_query_find_the_simplified_patent(svc: SearchService) -> None:
    for query in ("锂离子电池 正极材料", "鋰離子電池 正極材料"):  # Traditional is normalised to Simplified
        res = svc.search(query, top=3, mode="bm25")
        assert res.hits[0].id == "CN1", (query, res.hits)
        assert "电池" in res.hits[0].evidence.matched_terms
    filtered = svc.search("电池", SearchFilters(ipc="H01M10", districts="500106"), top=5, mode="bm25")
    assert [h.id for h in filtered.hits] == ["CN2"]


def test_dense_scores_are_cosines_of_the_best_passage(svc: SearchService) -> None:
    res = svc.search("sensor robot chip", top=10, mode="dense")
    qv = svc.embed_queries(["sensor robot chip"])[0]
    rows = [svc.docs.pos[h.id] for h in res.hits]
    exact = svc.passage_similarities(rows, qv)
    assert [h.score for h in res.hits] == pytest.approx(exact.tolist(), abs=1e-3)
    assert exact.tolist() == sorted(exact.tolist(), reverse=True) or max(
        abs(a - b) for a, b in zip(exact, sorted(exact, reverse=True), strict=True)) < 1e-4


def test_related_returns_every_type_without_self(svc: SearchService) -> None:
    res = svc.related("D00004", top=3)
    assert set(res.hits) == {"Patent", "Paper", "Standard", "Policy"}
    for t, hits in res.hits.items():
        assert len(hits) == 3 and all(h.type == t and h.id != "D00004" for h in hits)
        assert all(h.evidence.dense_similarity is not None for h in hits)


def test_related_linked_signals_and_when(svc: SearchService) -> None:
    hits = {h.id: h for h in svc.related("10.1/X", top=60, types=["Paper"]).hits["Paper"]}
    assert hits["Y"].evidence.links["coupling"] == ["10.9/R1"]
    assert hits["Z"].evidence.links["citation"] == ["cited_by"]
    assert hits["W"].evidence.links["people"] == ["Chen, Li"]
    assert "prior" not in hits["L"].ranks and "dense" in hits["L"].ranks  # later work is not prior work
    before = svc.related("10.1/X", top=20, when="before", types=["Paper"]).hits["Paper"]
    assert before and all(h.year is not None and h.year <= 2015 for h in before)
    after = svc.related("10.1/X", top=20, when="after", types=["Paper"]).hits["Paper"]
    assert after and all(h.year is not None and h.year >= 2015 for h in after)


def test_search_many_answers_each_request_as_search_alone(svc: SearchService) -> None:
    queries = ["lithium battery", "电池 正极", "sensor signal", "robot arm control"]
    requests = [SearchRequest(query=q, filters=f, top=top, mode=mode)
                for q in queries for f in (None, FILTERS[0], FILTERS[3]) for top, mode in
                ((5, "hybrid"), (30, "dense"), (10, "bm25"))]
    batched = svc.search_many(requests)
    for request, result in zip(requests, batched, strict=True):
        alone = svc.search(request.query, request.filters, top=request.top, mode=request.mode)
        assert [h.id for h in result.hits] == [h.id for h in alone.hits], request
        assert [h.score for h in result.hits] == pytest.approx([h.score for h in alone.hits], abs=1e-6)


def test_bad_input_is_a_search_error(svc: SearchService) -> None:
    with pytest.raises(SearchError, match="unknown search mode"):
        svc.search("x", mode="fuzzy")
    with pytest.raises(SearchError, match="empty query"):
        svc.search("  ")
    with pytest.raises(SearchError, match="not in the search index"):
        svc.related("missing")
    with pytest.raises(SearchError, match="unknown --when"):
        svc.related("D00004", when="never")
    with pytest.raises(SearchError, match="unknown document type"):
        SearchFilters(types="Trademark?")
    assert svc.search("zzzz qqqq", mode="bm25").hits == []  # no indexed word: nothing, not an error


def test_backends_agree(svc: SearchService, tmp_path_factory: pytest.TempPathFactory) -> None:
    """The same documents and embedder give the same dense top 10 and nearly the same BM25 top 10
    (Lucene's BM25 uses k1=1.2, bm25s here 1.5) on either backend."""
    if svc.backend.name == "local":
        pytest.skip("compares the neo4j backend with the local one")
    local = SearchService.open(search_settings_for("local", tmp_path_factory.mktemp("agree")),
                               embedder=HashEmbedder(), config=SearchConfig(exact_subset_max=10))
    local.index_documents(synthetic_docs(400) + LINKED)
    for q, f in (("lithium battery cathode", None), ("robot sensor", FILTERS[3]), ("grid cloud data", FILTERS[1])):
        a, b = svc.search(q, f, top=10, mode="dense"), local.search(q, f, top=10, mode="dense")
        assert [h.score for h in a.hits] == pytest.approx([h.score for h in b.hits], abs=1e-3)
        a, b = svc.search(q, f, top=10, mode="bm25"), local.search(q, f, top=10, mode="bm25")
        assert len({h.id for h in a.hits} & {h.id for h in b.hits}) >= 8
    assert svc.stats()["documents"] == local.stats()["documents"]
