"""Related resources with graph evidence, through the named queries, on the embedded LadybugDB store."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from iplayout.config import Settings
from iplayout.queries.registry import get
from iplayout.queries.related_queries import RELATED_EVIDENCE
from iplayout.search.documents import IndexDoc
from iplayout.search.service import SearchService


def test_related_queries_are_registered_and_portable() -> None:
    for name in RELATED_EVIDENCE:
        q = get(name)
        assert q.params == ("id", "others") and not q.write and not q.dialects
        assert "$id" in q.cypher and "$others" in q.cypher and "apoc" not in q.cypher.lower()
        assert "other" in q.cypher and " AS via" in q.cypher and " AS name" in q.cypher


@pytest.fixture
def store(home: Path) -> Any:
    factory = pytest.importorskip("iplayout.graph.factory")
    st = factory.open_store(Settings(home=home))
    st.upsert_nodes("Patent", [{"id": "A", "title": "锂离子电池正极材料"}, {"id": "B", "title": "电池隔膜"},
                               {"id": "C", "title": "正极材料的制备方法"}])
    st.upsert_nodes("Paper", [{"id": "P", "title": "锂电池正极研究"}])
    st.upsert_nodes("Organization", [{"id": "O1", "name": "重庆某电池公司"}])
    st.upsert_nodes("Technology", [{"id": "IPC:H01M10/0525", "scheme": "IPC", "code": "H01M 10/0525"},
                                   {"id": "IPC:H01M10", "scheme": "IPC", "code": "H01M 10"}])
    st.upsert_nodes("ChainLink", [{"id": "L1", "name": "动力电池"}])
    st.upsert_relationships("APPLIED_FOR", "Organization", "Patent", [{"from": "O1", "to": "A"}, {"from": "O1", "to": "B"}])
    st.upsert_relationships("CITES", "Patent", "Patent", [{"from": "A", "to": "C"}])
    st.upsert_relationships("CITES", "Paper", "Patent", [{"from": "P", "to": "A"}])
    st.upsert_relationships("CLASSIFIED_AS", "Patent", "Technology",
                            [{"from": "A", "to": "IPC:H01M10/0525"}, {"from": "C", "to": "IPC:H01M10/0525"}])
    st.upsert_relationships("MENTIONS", "Paper", "Technology", [{"from": "P", "to": "IPC:H01M10/0525"}])
    st.upsert_relationships("BROADER", "Technology", "Technology", [{"from": "IPC:H01M10/0525", "to": "IPC:H01M10"}])
    st.upsert_relationships("REQUIRES", "ChainLink", "Technology", [{"from": "L1", "to": "IPC:H01M10"}])
    yield st
    st.close()


def test_related_hits_explain_themselves_with_graph_facts(store: Any, home: Path, hash_embedder: Any) -> None:
    svc = SearchService.open(Settings(home=home), embedder=hash_embedder)
    svc.index_documents([
        IndexDoc(id="A", type="Patent", title="锂离子电池正极材料"), IndexDoc(id="B", type="Patent", title="电池隔膜"),
        IndexDoc(id="C", type="Patent", title="正极材料的制备方法"), IndexDoc(id="P", type="Paper", title="锂电池正极研究"),
    ])
    res = svc.related("A", top=5, store=store)
    facts = {h.id: {(f["kind"], f["via"]) for f in h.evidence.graph} for hs in res.hits.values() for h in hs}
    assert facts["B"] == {("shared_organization", "O1")}
    assert facts["C"] == {("citation", "cites"), ("shared_classification", "IPC:H01M10/0525"),
                          ("shared_chain_link", "L1")}
    assert facts["P"] == {("citation", "cited_by"), ("shared_chain_link", "L1")}
    assert "A" not in facts
