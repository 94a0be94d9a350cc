"""Chain templates, GB/T 4754-2017, concordances and the region's key-industry scope."""

from __future__ import annotations

from pathlib import Path

import pytest

from iplayout.errors import ConfigError, ExtractionError
from iplayout.nlp import ipc
from iplayout.nlp.chains import chain_rows, load_chain, load_chains, matches, pattern_node
from iplayout.nlp.industries import load_concordance, load_gbt4754, load_region_scope, mapping_rows


def test_three_chongqing_chains_cite_sources() -> None:
    chains = {c.id: c for c in load_chains("chongqing")}
    assert {"cq-nev-icv", "cq-electronics", "cq-biomedicine"} <= set(chains)
    for chain in chains.values():
        assert chain.references
        assert {link.position for link in chain.links} == {"upstream", "midstream", "downstream"}
        assert chain.order()
    rows = chain_rows(tuple(chains.values()), {"source": "reference"})
    assert ("cq-nev-icv:battery", "cq-nev-icv:edrive") in rows.rels[("UPSTREAM_OF", "ChainLink", "ChainLink")]
    assert ("cq-nev-icv:battery", "IPC:H01M10/00") in rows.rels[("REQUIRES", "ChainLink", "Technology")]


def test_patterns() -> None:
    code = ipc.parse("H01M 10/0525")
    assert code is not None
    assert matches("H01M 10/05%", code) and matches("H01M", code) and not matches("H01M 4/%", code)
    assert pattern_node("H01M 10/05%") == ipc.IpcCode("H01M", "10", "00")


def test_bad_template_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "x.yaml"
    path.write_text("id: x\nname: x\nregion: r\nlinks:\n  - {id: a, name: a, position: upstream}\n", "utf-8")
    with pytest.raises(ConfigError, match="cite"):
        load_chain(path)


def test_gbt4754(shared_dir: Path) -> None:
    items = load_gbt4754(shared_dir / "reference/gbt4754_2017/gbt4754_2017_with_notes.json")
    by_code = {i.code: i for i in items}
    assert by_code["C"].level == "门类" and by_code["39"].parent == "C" and by_code["3971"].parent == "397"


def test_region_scope(shared_dir: Path) -> None:
    maps = load_region_scope(shared_dir / "reference/chongqing_ip_prefiling_scope/cq_ipc_prefiling_subclasses_2024.csv",
                             "chongqing")
    assert len(maps) == 111 and {m.industry.name for m in maps} == {"新一代信息技术", "生物"}
    rows = mapping_rows(maps, {})
    assert ("IPC:B60W", "CHONGQINGKEYINDUSTRY:新一代信息技术") in rows.rels[("MAPS_TO", "Technology", "Industry")]


def test_concordance_format(tmp_path: Path) -> None:
    path = tmp_path / "sei.csv"
    path.write_text("industry_code,industry_name,ipc\n1.2.1,集成电路制造,H01L 21/%;H01L 27/%\n", "utf-8")
    maps = load_concordance(path, "SEI-2021")
    assert [m.ipc_pattern for m in maps] == ["H01L 21/%", "H01L 27/%"]
    (tmp_path / "bad.csv").write_text("a,b\n1,2\n", "utf-8")
    with pytest.raises(ExtractionError):
        load_concordance(tmp_path / "bad.csv", "x")
