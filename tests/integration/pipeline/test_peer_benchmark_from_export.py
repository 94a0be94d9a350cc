"""End to end: a CN patent export holding Chongqing applicants and applicants of other cities is
ingested and built like any export; `analyze chains --benchmark peer:5101` then compares Chongqing
with its Chengdu holders, and the default benchmark is the graph outside Chongqing."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from iplayout.cli import app
from iplayout.config import Settings
from iplayout.demo import generate
from iplayout.demo.export import write_cn_patent_csv
from iplayout.graph.ladybug_store import LadybugStore
from iplayout.ingestion.ledger import Ledger
from iplayout.ingestion.run import ingest_paths
from iplayout.nlp.pipeline import build


@pytest.fixture(scope="module")
def built_home(tmp_path_factory: pytest.TempPathFactory) -> Path:
    home = tmp_path_factory.mktemp("peer_home")
    csv = home.parent / "cq_and_others_SYNTHETIC.csv"
    rows = generate("small", seed=7)
    n = write_cn_patent_csv(rows, csv)
    assert n == len(rows.nodes["Patent"])
    assert "四川省成都市示例路" in csv.read_text("utf-8-sig")  # benchmark holders carry their city
    settings = Settings(store="embedded", home=home)
    ingest_paths([csv], settings)
    store = LadybugStore(settings.embedded_path)
    try:
        build(settings, store, Ledger(settings.ledger_path))
    finally:
        store.close()
    return home


def _chains(home: Path, *args: str) -> dict[str, object]:
    res = CliRunner().invoke(app, ["analyze", "chains", "--store", "embedded", "--home", str(home), "--json",
                                   "--chain", "cq-nev-icv", *args])
    assert res.exit_code == 0, res.output
    out: dict[str, object] = json.loads(res.output)
    return out


def test_peer_city_and_outside_benchmarks_from_an_export(built_home: Path) -> None:
    peer = _chains(built_home, "--benchmark", "peer:5101")
    params = peer["params"]
    assert isinstance(params, dict) and params["benchmark"] == "peer:5101" and params["benchmark_size"] > 0
    outside = _chains(built_home)
    assert isinstance(outside["params"], dict) and outside["params"]["benchmark"] == "outside"
    assert outside["params"]["benchmark_size"] > params["benchmark_size"]  # six cities, not just Chengdu
    rows = outside["rows"]
    assert isinstance(rows, list) and any(r["ratio_to_benchmark"] is not None for r in rows)
