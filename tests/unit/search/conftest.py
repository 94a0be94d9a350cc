"""Fixtures for the search tests: a tiny deterministic embedder, real documents, a built index."""

from __future__ import annotations

import hashlib
from pathlib import Path

import numpy as np
import pytest

from iplayout.config import Settings
from iplayout.nlp.embeddings import USEEmbedder, l2_normalise
from iplayout.search.config import SearchConfig
from iplayout.search.documents import IndexDoc
from iplayout.search.evaldata import read_csl_kg, read_wos_bib
from iplayout.search.service import SearchService
from iplayout.search.tokenize import tokenize


class HashEmbedder:
    """Bag of hashed tokens: fast and deterministic; shares no space across languages."""

    def __init__(self, dim: int = 64, model_id: str = "test:hash-64") -> None:
        self._dim = dim
        self._model_id = model_id

    @property
    def model_id(self) -> str:
        return self._model_id

    @property
    def dim(self) -> int:
        return self._dim

    @property
    def multilingual(self) -> bool:
        return False

    def embed(self, texts: list[str]) -> np.ndarray:
        out = np.zeros((len(texts), self._dim), dtype=np.float32)
        for i, t in enumerate(texts):
            for tok in tokenize(t) or [t]:
                h = int.from_bytes(hashlib.blake2b(tok.encode(), digest_size=8).digest(), "little")
                out[i, h % self._dim] += 1.0 if (h >> 32) & 1 else -1.0
        return l2_normalise(out)


@pytest.fixture
def hash_embedder() -> HashEmbedder:
    return HashEmbedder()


def synthetic_docs(n: int, seed: int = 0) -> list[IndexDoc]:
    """Documents with varied facets, for filter tests (texts are word salads over a small vocabulary)."""
    rng = np.random.default_rng(seed)
    words = "battery lithium cathode vehicle engine sensor robot chip polymer steel cloud data grid".split()  # noqa: SIM905
    types, districts = ("Patent", "Paper", "Standard", "Policy"), ("500103", "500106", "500112", "500151")
    out = []
    for i in range(n):
        out.append(IndexDoc(
            id=f"D{i:05d}", type=types[i % 4], title=" ".join(rng.choice(words, 3)),
            text=" ".join(rng.choice(words, 12)), year=None if i % 17 == 0 else 2005 + i % 18,
            districts=(districts[i % 4],) + ((districts[(i + 1) % 4],) if i % 5 == 0 else ()),
            zones=("Z-main" if i % 3 else "Z-north",), industries=(f"IND{i % 6}",),
            organizations=(f"Org {i % 9}",), ipc=(f"H01M {i % 12}/0{i % 7}",) if i % 4 == 0 else (),
        ))
    return out


@pytest.fixture(scope="session")
def real_docs(shared_dir: Path) -> dict[str, list[IndexDoc]]:
    """100 English WoS targets, 20 WoS citing records and 120 Chinese CSL papers."""
    wos = shared_dir / "corpus" / "literature_wos_innovation_dev"
    targets = read_wos_bib(wos / "wos_targets_500.bib")[:100]
    citing = read_wos_bib(wos / "wos_dev_citing_250.bib")[:20]
    csl = read_csl_kg(shared_dir / "corpus" / "literature_csl_zh_keywords_dev" / "kg_dev.tsv")[:120]
    en = [IndexDoc(id=d.id, type="Paper", title=d.title, text=d.text, year=d.year, lang="en") for d in targets + citing]
    zh = [IndexDoc(id=d.id, type="Paper", title=d.title, text=d.text, lang="zh") for d in csl]
    return {"en": en, "zh": zh}


@pytest.fixture(scope="session")
def use_embedder() -> USEEmbedder:
    return USEEmbedder()


@pytest.fixture(scope="session")
def real_service(real_docs: dict[str, list[IndexDoc]], use_embedder: USEEmbedder,
                 tmp_path_factory: pytest.TempPathFactory) -> SearchService:
    """The real documents indexed once with the offline multilingual default (read-only in tests)."""
    home = tmp_path_factory.mktemp("real-home")
    svc = SearchService.open(Settings(home=home), embedder=use_embedder, config=SearchConfig())
    svc.index_documents(real_docs["en"] + real_docs["zh"])
    return svc


@pytest.fixture
def make_docs():  # type: ignore[no-untyped-def]
    """``make_docs(n, seed=0)``: synthetic documents with varied facets."""
    return synthetic_docs


@pytest.fixture
def make_embedder():  # type: ignore[no-untyped-def]
    """``make_embedder(dim, model_id)``: another deterministic test embedder."""
    return HashEmbedder
