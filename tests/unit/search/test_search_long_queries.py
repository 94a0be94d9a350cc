"""Long queries (a pasted abstract): BM25 weights a term by its count in the query, and the dense
side embeds the query sentence by sentence."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np

from iplayout.config import Settings
from iplayout.nlp.embeddings import l2_normalise
from iplayout.search.lexical_index import LexicalIndex
from iplayout.search.service import SearchService


def test_bm25_weights_a_term_by_its_count_in_the_query() -> None:
    lex = LexicalIndex()
    lex.add(["alpha gamma", "beta gamma"])  # same length, same document frequencies
    assert lex.search("alpha beta beta", 2)[0].tolist() == [1, 0]
    assert lex.search("beta alpha alpha", 2)[0].tolist() == [0, 1]
    assert lex.query_tokens("Beta, alpha and alpha") == ["beta", "alpha", "alpha"]


def test_query_of_several_sentences_is_the_mean_of_its_sentence_vectors(home: Path, hash_embedder: Any) -> None:
    svc = SearchService.open(Settings(home=home), embedder=hash_embedder)
    one, two = "Lithium battery cathode", "Lithium battery cathode. Solid   electrolyte for vehicles!"
    vectors = svc.embed_queries([one, two, one])
    assert np.allclose(vectors[0], hash_embedder.embed([one])[0]) and np.allclose(vectors[2], vectors[0])
    sentences = hash_embedder.embed(["Lithium battery cathode.", "Solid electrolyte for vehicles!"])
    assert np.allclose(vectors[1], l2_normalise(sentences.sum(axis=0))[0])
    assert svc.embed_queries([]).shape == (0, hash_embedder.dim)


def test_a_paragraph_query_leans_on_dense_and_says_so(home: Path, hash_embedder: Any) -> None:
    from iplayout.search.config import SearchConfig
    from iplayout.search.documents import IndexDoc

    cfg = SearchConfig(long_query_tokens=5, weight_bm25=2.0, weight_bm25_long=0.25)
    assert (cfg.bm25_weight(5), cfg.bm25_weight(6)) == (2.0, 0.25)
    svc = SearchService.open(Settings(home=home), embedder=hash_embedder, config=cfg)
    svc.index_documents([IndexDoc(id=f"D{i}", type="Paper", title=f"battery cathode {w}", text="lithium electrolyte")
                         for i, w in enumerate(("alpha", "beta", "gamma"))])
    short = svc.search("battery cathode alpha")
    long = svc.search("battery cathode alpha lithium electrolyte battery cathode")
    assert not any("long query" in n for n in short.notes)
    assert any(n.startswith("long query (7 terms): BM25 counts 0.25") for n in long.notes)
    # the fused score is the weighted RRF of the hit's own ranks under the weight the note names
    for result, w in ((short, 2.0), (long, 0.25)):
        h = result.hits[0]
        expected = cfg.weight_dense / (cfg.rrf_k + h.ranks["dense"]) + w / (cfg.rrf_k + h.ranks["bm25"])
        assert abs(h.score - expected) < 1e-5
