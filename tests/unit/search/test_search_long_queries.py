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
