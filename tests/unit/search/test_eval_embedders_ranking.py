"""benchmarks/eval_embedders ranks a joined vector as the search service does (its table picks the default)."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from benchmarks.eval_embedders import Ranker
from iplayout.config import Settings
from iplayout.nlp.embeddings import CombinedEmbedder
from iplayout.search.config import SearchConfig
from iplayout.search.documents import IndexDoc
from iplayout.search.service import SearchService
from tests.unit.search.conftest import HashEmbedder, synthetic_docs

ZH_WORDS = "电池 锂电 正极 车辆 发动机 传感器 机器人 芯片 聚合物 钢铁 云计算 数据 电网".split()  # noqa: SIM905
QUERIES = ["battery lithium cathode", "robot sensor chip data", "电池 正极 车辆", "steel polymer grid"]


def chinese_docs(n: int) -> list[IndexDoc]:
    rng = np.random.default_rng(3)
    return [IndexDoc(id=f"Z{i:04d}", type="Paper", title="".join(rng.choice(ZH_WORDS, 3)),
                     text="".join(rng.choice(ZH_WORDS, 10)), lang="zh") for i in range(n)]


def test_the_eval_ranks_a_joined_vector_part_by_part_exactly_as_the_service(tmp_path: Path) -> None:
    embedder = CombinedEmbedder([(HashEmbedder(48, "test:en-48"), 2.0, "en"), (HashEmbedder(64, "test:all-64"), 1.0, None)])
    svc = SearchService.open(Settings(home=tmp_path), embedder=embedder, config=SearchConfig())
    svc.index_documents(synthetic_docs(120) + chinese_docs(40))
    vectors = svc.backend.vectors  # type: ignore[attr-defined]  # the local backend's VectorIndex
    owner = svc.backend.chunk_rows()  # type: ignore[attr-defined]
    n_docs = len(svc.docs)
    parts = Ranker(vectors.vectors, owner, n_docs, embedder.layout())
    plain = Ranker(vectors.vectors, owner, n_docs, None)
    qv = svc.embed_queries(QUERIES)
    k = 10
    differs = 0
    for q in qv:
        service_rows, _ = svc.dense_rows(q, k, None)
        [eval_rows] = parts.ranked(q[None], [None], k)
        assert eval_rows.tolist() == service_rows.tolist()
        [inner] = plain.ranked(q[None], [None], k)
        differs += inner.tolist() != service_rows.tolist()
    assert differs  # the comparison can tell part-by-part ranking from one inner product
