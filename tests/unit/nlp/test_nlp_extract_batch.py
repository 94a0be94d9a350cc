"""extract_batch writes records straight into the batch rows: the rows (and their orders) must be exactly
those of merging each record's own rows, and the fast paths of GraphRows must equal node/rel/merge."""

from __future__ import annotations

import gc
import random
import re
from typing import Any

import pytest

from iplayout.errors import OntologyError
from iplayout.ingestion.records import (
    Author,
    PaperRecord,
    Party,
    PatentRecord,
    PolicyRecord,
    StandardRecord,
    StatRecord,
)
from iplayout.nlp import ipc, policy_targets, terms
from iplayout.nlp.entities import ExtractionContext
from iplayout.nlp.index_docs import DOC_KINDS, FacetMaps, index_doc
from iplayout.nlp.normalize import collapse_whitespace
from iplayout.nlp.parallel import extract_batch
from iplayout.nlp.record_rows import record_to_rows
from iplayout.nlp.rows import GraphRows


class S:
    def __init__(self, rec: Any, kind: str, row: int) -> None:
        self.kind, self.id, self.source, self.locator, self.hash, self.record = kind, rec.id, "f.csv", f"row={row}", "h", rec


def _batch() -> list[S]:
    """Records whose rows overlap: a shared applicant (two spellings, two addresses), an IPC code in
    both lists, a sub-unit with its parent, repeated inventors, a district named twice."""
    p1 = PatentRecord(
        id="CN1", title="一种锂离子电池的热管理系统", abstract="本发明公开了一种锂离子电池热管理系统，降低了成本。",
        applicants=[Party(name="重庆长安汽车股份有限公司", address="重庆市江北区建新东路260号"),
                    Party(name="重庆大学机械与运载工程学院", address="重庆市沙坪坝区沙正街174号")],
        inventors=["王伟", "李娜"], ipc=["H01M 10/0525", "H01M 10/613"], cpc=["H01M 10/0525", "Y02E 60/10"],
        application_date="2021-03-01", legal_status="有权", cites=["CN2", "CN1", " CN9 "],
        raw={"申请人类型": "企业"}, original={"title": "一種鋰離子電池"})
    p2 = PatentRecord(
        id="CN2", title="锂离子电池模组", abstract="A battery module with a cooling plate.",
        applicants=[Party(name="重庆长安汽车有限公司", address="重庆市两江新区"),
                    Party(name="SMITH, John", country="US")],
        inventors=["王伟", "Smith, John"], ipc=["H01M0010052500"], publication_date="2019-05-05")
    paper = PaperRecord(id="doi:10/x", title="基于平方和优化的飞行器控制", year=2020, keywords=["平方和优化", "平方和优化 "],
                        authors=[Author(name="王伟", affiliation="重庆邮电大学通信与信息工程学院;重庆大学"),
                                 Author(name="Li Na", affiliation="Chongqing University", address="Chongqing, China")],
                        cites=["doi:10/y"])
    standard = StandardRecord(id="GB/T 1-2020", title="锂离子电池安全要求", scope="规定了锂离子电池的安全要求。",
                              drafters=["重庆长安汽车股份有限公司", "国家市场监督管理总局"], issued="2020-01-01")
    policy = PolicyRecord(id="pol", title="政府工作报告", issuer="重庆市人民政府、重庆市经济和信息化委员会", year=2024,
                          text="加快发展集成电路、新型显示产业。支持沙坪坝区建设科学城。支持沙坪坝区发展锂离子电池。")
    stats = [StatRecord(id="obs1", district="沙坪坝区", year=2022, metric="GDP", value=1.5),
             StatRecord(id="obs2", district="沙坪坝", adcode="500106", year=2023, metric="GDP", value=2.0)]
    records = [("patents", p1), ("patents", p2), ("papers", paper), ("standards", standard), ("policies", policy),
               *[("stats", s) for s in stats]]
    batch = [S(rec, kind, i) for i, (kind, rec) in enumerate(records, 1)]
    batch.append(S(p1, "patents", 99))  # the same record again, from another row
    batch[-1].record = p1.model_dump()  # as a dict (index_doc takes models only)
    return batch


def _shape(rows: GraphRows) -> Any:
    """What == compares, plus every insertion order."""
    return ([(label, [(k, list(r.items())) for k, r in bucket.items()]) for label, bucket in rows.nodes.items()],
            [(rk, [(k, list(r.items())) for k, r in bucket.items()]) for rk, bucket in rows.rels.items()],
            rows.cites)


def _merged(batch: list[S], ctx: ExtractionContext) -> GraphRows:
    rows = GraphRows()
    for stored in batch:
        rows.merge(record_to_rows(stored, ctx))
    return rows


def test_batch_rows_equal_merging_each_records_rows() -> None:
    ctx = ExtractionContext()
    batch = _batch()
    rows, docs = extract_batch(batch, ctx, None)
    assert docs == []
    assert _shape(rows) == _shape(_merged(batch, ctx))
    changan = rows.nodes["Organization"]["org:重庆长安汽车"]
    assert changan["locator"] == "row=99" and changan["name"] == "重庆长安汽车股份有限公司"  # later rows win
    direct = GraphRows()
    for stored in batch:
        assert record_to_rows(stored, ctx, direct) is direct
    assert _shape(direct) == _shape(rows)


def test_batch_with_facet_maps_gives_the_same_rows_and_documents() -> None:
    ctx = ExtractionContext()
    batch = _batch()[:-1]
    maps = FacetMaps(GraphRows())
    rows, docs = extract_batch(batch, ctx, maps)
    assert _shape(rows) == _shape(_merged(batch, ctx))
    assert docs == [index_doc(s, record_to_rows(s, ctx), maps) for s in batch if s.kind in DOC_KINDS]
    assert len(docs) == 5


def test_the_collector_is_left_as_it_was() -> None:
    assert gc.isenabled()
    extract_batch(_batch()[:2], ExtractionContext(), None)
    assert gc.isenabled()
    broken = S(PatentRecord(id="CN3", title="t"), "patents", 1)
    broken.kind, broken.record = "no such kind", {"id": "CN3", "title": "t"}
    with pytest.raises(KeyError):
        extract_batch([broken], ExtractionContext(), None)
    assert gc.isenabled()
    gc.disable()
    try:
        extract_batch(_batch()[:1], ExtractionContext(), None)
        assert not gc.isenabled()
    finally:
        gc.enable()


def test_fast_paths_equal_node_rel_and_merge() -> None:
    props = {"source": "s", "run_id": "r"}

    def slow(rows: GraphRows, n: int) -> None:
        rows.node("Organization", {"id": "org:a", "name": f"A{n}", "kind": "enterprise", **props})
        rows.node("District", {"adcode": "500106", "name": "沙坪坝区", "locator": f"row={n}"})
        rows.rel("PART_OF", "District", "City", "500106", "500100", {"locator": f"row={n}"})
        rows.rel("LOCATED_IN", "Organization", "District", "org:a", "500106", {"method": "m", **props})
        rows.rel("APPLIED_FOR", "Organization", "Patent", "org:a", f"CN{n % 2}", {"seq": n, **props})

    def fast(rows: GraphRows, n: int) -> None:
        rows.put("Organization", "org:a", {"id": "org:a", "name": f"A{n}", "kind": "enterprise", **props})
        rows.put_parts("District", "500106", {"adcode": "500106", "name": "沙坪坝区"}, {"locator": f"row={n}"})
        rows.link(("PART_OF", "District", "City"), "500106", "500100", {"locator": f"row={n}"})
        rows.link_parts(("LOCATED_IN", "Organization", "District"), "org:a", "500106", {"method": "m"}, props)
        rows.put_rel(("APPLIED_FOR", "Organization", "Patent"), "org:a", f"CN{n % 2}",
                     {"from": "org:a", "to": f"CN{n % 2}", "seq": n, **props})

    one, two, merged, absorbed = GraphRows(), GraphRows(), GraphRows(), GraphRows()
    for n in range(4):
        slow(one, n)
        fast(two, n)
        own, own_fast = GraphRows(), GraphRows()
        slow(own, n)
        fast(own_fast, n)
        merged.merge(own)
        absorbed.absorb(own_fast)
    assert _shape(one) == _shape(two) == _shape(merged) == _shape(absorbed)
    with pytest.raises(OntologyError):
        GraphRows().put("Nonsense", "k", {"id": "k"})
    with pytest.raises(OntologyError):
        GraphRows().link(("APPLIED_FOR", "Patent", "Organization"), "CN1", "org:a", {})


def test_collapse_whitespace_equals_the_regular_expression() -> None:
    every_char = "".join(map(chr, range(0x110000)))
    assert "".join(c for c in every_char if re.fullmatch(r"\s", c)) == "".join(c for c in every_char if c.isspace())
    rng = random.Random(5)
    alphabet = [" ", "\t", "\n", "\u3000", "\xa0", "\x1c", "\x85", "\u2028", "a", "重", "，", "-"]
    for _ in range(5_000):
        text = "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 10)))
        assert collapse_whitespace(text) == re.sub(r"\s+", " ", text).strip()


def _prune_reference(ranked: list[tuple[str, float]], limit: int) -> list[tuple[str, float]]:
    kept: list[tuple[str, float]] = []
    for phrase, score in ranked:
        if any(phrase in k or k in phrase for k, _ in kept):
            continue
        kept.append((phrase, score))
        if len(kept) >= limit:
            break
    return kept


def test_pruning_keeps_what_the_rule_keeps() -> None:
    rng = random.Random(11)
    for _ in range(2_000):
        words = {"".join(rng.choice("锂离子电池组") for _ in range(rng.randint(1, 5))) for _ in range(30)}
        scores = {w: float(rng.randint(1, 6)) for w in words}
        order = sorted(scores)
        order.sort(key=scores.__getitem__, reverse=True)
        ranked = [(w, scores[w]) for w in order]
        assert terms._prune_ranked(order, scores, 15) == _prune_reference(ranked, 15)


def test_weighted_terms_are_the_terms() -> None:
    title, body = "一种柔性OLED显示面板", "本发明公开了一种柔性OLED显示面板，包括基板和薄膜封装层，降低了水氧渗透率。"
    for kwargs in ({}, {"granularity": "word"}, {"top_k": 2}):
        assert terms.extract_weighted(title, body, **kwargs) == [
            (t.text, t.weight) for t in terms.extract(title, body, **kwargs)]
    assert terms.extract_weighted("A lithium-ion battery", "Thermal management of lithium-ion cells.")


def test_cached_ipc_lists_are_fresh() -> None:
    codes = ipc.parse_list(["H01M 10/0525", "H01M10/0525; G06F 17/60"])
    assert [c.compact for c in codes] == ["H01M10/0525", "G06F17/60"]
    codes.clear()
    assert len(ipc.parse_list(["H01M 10/0525", "H01M10/0525; G06F 17/60"])) == 2
    long_cell = "; ".join(f"H01M {n}/00" for n in range(1, 40))
    assert len(ipc.parse_list(long_cell)) == 39  # not cached, same answer


def _targets_reference(text: str, regions: tuple[str, ...] = ("chongqing",)) -> list[Any]:
    """find_targets' rule with every vocabulary surface searched for."""
    vocab = policy_targets._vocabulary(regions)
    found: dict[str, Any] = {}
    for raw in policy_targets._SENTENCE.split(policy_targets.normalize_text(text).replace(" ", "")):
        sentence = raw.strip()
        measure = policy_targets._measure(sentence) if len(sentence) >= 6 else None
        if measure is None:
            continue
        covered = [False] * len(sentence)
        for surface, kind, key in vocab:
            start = sentence.find(surface)
            while start >= 0:
                if not any(covered[start:start + len(surface)]):
                    covered[start:start + len(surface)] = [True] * len(surface)
                    found.setdefault(key, policy_targets.Target(kind, key, surface, measure, sentence[:500]))
                start = sentence.find(surface, start + 1)
    return list(found.values())


def test_policy_targets_search_only_what_can_occur() -> None:
    vocab = [s for s, _, _ in policy_targets._vocabulary(("chongqing",))]
    rng = random.Random(3)
    texts = ["加快发展集成电路、新型显示产业。支持璧山区建设新型显示基地。", "新能源汽车产量达到100万辆。"]
    for _ in range(500):
        words = [rng.choice([*vocab, "支持", "发展", "，", "。", "100亿元", "重庆"]) for _ in range(rng.randint(1, 10))]
        texts.append("".join(words))
    for text in texts:
        assert policy_targets.find_targets(text) == _targets_reference(text)


def test_batches_make_no_reference_cycles() -> None:
    """What makes pausing the collector during a batch safe: nothing it allocates needs collecting."""
    ctx = ExtractionContext()
    extract_batch(_batch()[:-1], ctx, FacetMaps(GraphRows()))  # imports and caches first
    batches = [_batch()[:-1], _batch()]
    maps = FacetMaps(GraphRows())
    gc.collect()
    gc.disable()
    try:
        extract_batch(batches.pop(), ctx, None)
        extract_batch(batches.pop(), ctx, maps)
        assert gc.collect() == 0
    finally:
        gc.enable()

