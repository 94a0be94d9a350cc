"""Tokens, passages, document types, filters and fusion: the small pure pieces."""

from __future__ import annotations

import pytest

from iplayout.errors import SearchError
from iplayout.search.documents import IndexDoc, chunk_text, doc_type, index_doc_from_record, passages
from iplayout.search.filters import SearchFilters
from iplayout.search.fusion import rrf
from iplayout.search.tokenize import tokenize


def test_tokenize_mixed_traditional_and_english() -> None:
    toks = tokenize("鋰離子電池正極材料 for Lithium-ion batteries, H01M 10/0525")
    assert {"锂离子", "电池", "正极", "材料"} <= set(toks)  # Traditional folded to Simplified, segmented
    assert {"lithium", "ion", "battery", "h01m", "10/0525"} <= set(toks)
    assert "for" not in toks


def test_chunk_text_keeps_sentences_and_limits() -> None:
    text = "第一句话很长。" * 40 + "Second part. " * 30
    chunks = chunk_text(text, 100, 64)
    assert all(len(c) <= 100 for c in chunks)
    assert "".join(chunks).replace(" ", "") == text.replace(" ", "")
    assert len(chunk_text(text, 100, 3)) == 3
    assert chunk_text("short", 100, 5) == ["short"]


def test_passages_prefix_title_per_chunk() -> None:
    doc = IndexDoc(id="P1", type="policy", title="重庆市知识产权规划", text="措施一。" * 400)
    ps = passages(doc, 120, 10)
    assert len(ps) == 10 and all(p.startswith("重庆市知识产权规划") for p in ps)
    assert passages(IndexDoc(id="X", type="Paper", title="Only a title"), 100, 5) == ["Only a title"]


def test_doc_type_aliases_and_errors() -> None:
    assert doc_type("patents") == doc_type("专利") == "Patent"
    with pytest.raises(SearchError, match="unknown document type"):
        doc_type("tweet")


def test_index_doc_from_canonical_records() -> None:
    from iplayout.ingestion.records import PatentRecord, StandardRecord

    pat = PatentRecord(id="CN1", title="一种电池", abstract="摘要", ipc=["H01M 10/0525"],
                       application_date="2019-03-01", applicants=[{"name": "重庆某公司"}])
    d = index_doc_from_record(pat, districts=("500112",))
    assert (d.type, d.text, d.year, d.ipc, d.organizations, d.districts) == (
        "Patent", "摘要", 2019, ("H01M 10/0525",), ("重庆某公司",), ("500112",))
    std = index_doc_from_record(StandardRecord(id="GB/T 1", title="标准", scope="适用范围", issued="2020-01-02"))
    assert (std.type, std.text, std.year) == ("Standard", "适用范围", 2020)


def test_filters_match_semantics() -> None:
    meta = {"type": "Patent", "year": 2019, "districts": ("500112",), "zones": (), "industries": ("IND1",),
            "organizations": ("Chongqing Univ",), "ipc": ("H01M 10/0525",)}
    assert SearchFilters(types="patent", ipc="H01M10", organizations="chongqing univ").matches(meta)
    assert SearchFilters(districts=["500103", "500112"], year_from=2019, year_to=2019).matches(meta)
    assert not SearchFilters(zones="Z1").matches(meta)
    assert not SearchFilters(year_from=2020).matches(meta)
    assert not SearchFilters(year_to=2000).matches(meta | {"year": None})
    f = SearchFilters.from_mapping({"type": "paper", "district": "500112", "org": "X", "qid": "ignored"})
    assert (f.types, f.districts, f.organizations) == (("Paper",), ("500112",), ("X",))


def test_rrf_weights_and_ties() -> None:
    fused = rrf({"dense": [1, 2, 3], "bm25": [3, 4]}, {"dense": 1.0, "bm25": 1.0}, 60)
    assert fused[0][0] == 3  # in both lists
    assert fused[0][2] == {"dense": 3, "bm25": 1}
    heavy = rrf({"dense": [1, 2], "bm25": [2, 1]}, {"dense": 2.0, "bm25": 1.0}, 60)
    assert heavy[0][0] == 1
    assert [r for r, _, _ in rrf({"dense": [5, 6]}, {}, 60)] == [5, 6]
