"""The 12 cluster templates of Chongqing's 33618 system load and validate; bad templates stop with a
one-line error naming the file and the link."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest
import yaml

from iplayout.errors import ConfigError
from iplayout.nlp import ipc
from iplayout.nlp.chains import CHAINS_DIR, load_chain, load_chains, unmatched_patterns

# IPC 2026 moved H01L to H10*; patents filed earlier still carry H01L, so templates keep both.
RETIRED_IN_2026 = ("H01L",)


def _index() -> dict[str, object]:
    data: dict[str, object] = yaml.safe_load((CHAINS_DIR / "clusters" / "chongqing_33618.yaml").read_text("utf-8"))
    return data


def test_twelve_cluster_templates_load_and_are_ordered() -> None:
    chains = {c.id: c for c in load_chains("chongqing")}
    tiers = _index()["tiers"]
    assert isinstance(tiers, list)
    named = [c["template"] for t in tiers[:3] for c in t["clusters"]]
    assert len(named) == 12 and set(named) == set(chains)
    for chain in chains.values():
        assert 3 <= len(chain.links) <= 10 and chain.references, chain.id
        assert {link.position for link in chain.links} == {"upstream", "midstream", "downstream"}, chain.id
        touched = {x for pair in chain.order() for x in pair}
        assert touched == {link.id for link in chain.links}, chain.id  # every link in the chain order


def test_every_ipc_pattern_matches_the_ipc_2026_table(shared_dir: Path) -> None:
    table = shared_dir / "reference/ipc_zh_2026/ipc_zh_2026.01.tsv"
    if not table.is_file():
        pytest.skip(f"IPC 2026 table not found at {table}")
    codes = set()
    with table.open(encoding="utf-8", newline="") as fh:
        for row in csv.DictReader(fh, delimiter="\t"):
            parsed = ipc.parse(row["code"])
            if parsed is not None:
                codes.add(parsed.compact)
    bad = [(c.id, link, p) for c in load_chains("chongqing") for link, p in unmatched_patterns(c, codes)
           if not p.startswith(RETIRED_IN_2026)]
    assert bad == []


def test_unmatched_patterns_reports_a_pattern_the_table_lacks() -> None:
    chain = load_chains("chongqing")[0]
    assert unmatched_patterns(chain, {"A01B1/00"})  # a table without the chain's codes


_BASE = "id: t\nname: t\nregion: r\nreferences: [{title: src}]\nlinks:\n"


@pytest.mark.parametrize(("links", "message"), [
    ("  - {id: a, name: a, position: upstream, upstream_of: [zz]}\n  - {id: b, name: b, position: downstream}\n",
     "link a: upstream_of names unknown link 'zz'"),
    ("  - {id: a, name: a, position: upstream, upstream_of: [b]}\n"
     "  - {id: b, name: b, position: midstream, upstream_of: [c]}\n"
     "  - {id: c, name: c, position: downstream, upstream_of: [a]}\n", "upstream_of forms a cycle"),
    ("  - {id: a, name: a, position: upstream, ipc: [H01M 10/05%, 'X99Z ?']}\n", "link a: invalid IPC pattern 'X99Z ?'"),
    ("  - {id: a, name: a, position: upstream, upstream_of: [b]}\n  - {id: b, name: b, position: downstream}\n"
     "  - {id: c, name: c, position: downstream}\n", "link c: not reachable in the chain order"),
])
def test_bad_template_stops_with_one_line_naming_file_and_link(tmp_path: Path, links: str, message: str) -> None:
    path = tmp_path / "bad_chain.yaml"
    path.write_text(_BASE + links, "utf-8")
    with pytest.raises(ConfigError) as err:
        load_chain(path)
    text = str(err.value)
    assert "\n" not in text and str(path) in text and message in text


def test_bad_user_template_stops_the_reference_load(tmp_path: Path) -> None:
    from iplayout.nlp.reference_rows import References, load_references

    folder = tmp_path / "reference" / "chains"
    folder.mkdir(parents=True)
    (folder / "bad.yaml").write_text(_BASE.replace("region: r", "region: chongqing")
                                     + "  - {id: a, name: a, position: upstream, upstream_of: [a]}\n", "utf-8")
    with pytest.raises(ConfigError, match=r"bad\.yaml: link a: upstream_of forms a cycle a -> a"):
        load_references(References.discover(tmp_path / "reference"), ("chongqing",), {})
