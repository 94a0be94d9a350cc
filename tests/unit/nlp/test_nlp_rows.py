"""GraphRows merging rules and the text normalisation that every extractor starts from."""

from __future__ import annotations

import pytest

from iplayout.errors import OntologyError
from iplayout.nlp.normalize import normalize_text, to_halfwidth
from iplayout.nlp.rows import GraphRows


def test_none_never_erases_and_later_values_win() -> None:
    rows = GraphRows()
    assert rows.node("Organization", {"id": "org:a", "name": "A", "kind": "enterprise"}) == "org:a"
    rows.node("Organization", {"id": "org:a", "name": None, "kind": "university"})
    assert rows.nodes["Organization"]["org:a"] == {"id": "org:a", "name": "A", "kind": "university"}
    rows.rel("PART_OF", "Organization", "Organization", "org:a", "org:b", {"source": "x", "run_id": None})
    rows.rel("PART_OF", "Organization", "Organization", "org:a", "org:b", {"run_id": "r"})
    assert rows.rels[("PART_OF", "Organization", "Organization")][("org:a", "org:b")] == {
        "from": "org:a", "to": "org:b", "source": "x", "run_id": "r"}


def test_rows_never_share_dicts_with_callers_or_merged_batches() -> None:
    props = {"source": "x"}
    row = {"id": "org:a", "name": "A", **props}
    one = GraphRows()
    one.node("Organization", row)
    one.rel("PART_OF", "Organization", "Organization", "org:a", "org:b", props)
    batch = GraphRows()
    batch.merge(one)
    batch.nodes["Organization"]["org:a"]["name"] = "changed"
    batch.rels[("PART_OF", "Organization", "Organization")][("org:a", "org:b")]["source"] = "changed"
    assert row["name"] == "A" and props == {"source": "x"}
    assert one.nodes["Organization"]["org:a"]["name"] == "A"
    assert one.rels[("PART_OF", "Organization", "Organization")][("org:a", "org:b")]["source"] == "x"


def test_merge_equals_adding_the_rows_directly() -> None:
    def add(rows: GraphRows, name: str | None, seq: int) -> None:
        rows.node("Organization", {"id": "org:a", "name": name, "kind": "enterprise"})
        rows.node("Patent", {"id": f"CN{seq}", "title": "t"})
        rows.rel("APPLIED_FOR", "Organization", "Patent", "org:a", f"CN{seq}", {"seq": seq, "role": None})

    direct, merged = GraphRows(), GraphRows()
    for seq, name in enumerate(["A", None, "B"]):
        add(direct, name, seq)
        own = GraphRows()
        add(own, name, seq)
        merged.merge(own)
    assert merged.nodes == direct.nodes and merged.rels == direct.rels
    assert list(merged.nodes) == list(direct.nodes) and list(merged.rels) == list(direct.rels)


def test_unknown_endpoints_are_refused_every_time() -> None:
    for _ in range(2):  # the check is remembered for valid triples only
        with pytest.raises(OntologyError):
            GraphRows().rel("APPLIED_FOR", "Patent", "Organization", "CN1", "org:a")


def test_halfwidth_maps_exactly_the_fullwidth_block_and_ideographic_space() -> None:
    table = {cp: cp - 0xFEE0 for cp in range(0xFF01, 0xFF5F)} | {0x3000: 0x20}
    every_bmp_char = "".join(chr(cp) for cp in range(0x20, 0x10000) if not 0xD800 <= cp <= 0xDFFF)
    assert to_halfwidth(every_bmp_char) == every_bmp_char.translate(table)
    assert to_halfwidth("ＣＮ　１２３，重庆（渝）") == "CN 123,重庆(渝)"


def test_normalize_text_is_the_same_for_short_and_long_texts() -> None:
    name = "重慶長安汽車股份有限公司　（ＣＮ）"
    assert normalize_text(name) == normalize_text(name) == "重庆长安汽车股份有限公司 (CN)"
    assert normalize_text(name, simplify=False) == "重慶長安汽車股份有限公司 (CN)"
    long_text = "  ".join([name] * 10)
    assert normalize_text(long_text) == " ".join(["重庆长安汽车股份有限公司 (CN)"] * 10)
    assert normalize_text(None) == normalize_text("") == ""
