"""The command line on both engines: demo summary, read-only cypher, RDF schema export."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from rdflib import OWL, RDF, Graph

from iplayout.ontology import NODES, RELATIONSHIPS

from .conftest import neo4j_uri


def run(*args: str, home: Path, engine: str) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ, IPLAYOUT_HOME=str(home), IPLAYOUT_STORE=engine)
    if engine == "neo4j":
        env["IPLAYOUT_NEO4J_URI"] = neo4j_uri() or ""
    return subprocess.run([sys.executable, "-m", "iplayout", *args], capture_output=True,
                          text=True, env=env, check=False, timeout=600)


def test_demo_then_cypher(engine: str, tmp_path: Path) -> None:
    demo = run("demo", "--fresh", "--yes", "--no-index", "--json", home=tmp_path, engine=engine)
    assert demo.returncode == 0, demo.stderr
    summary = json.loads(demo.stdout)
    assert summary["synthetic"] is True
    assert {n.label for n in NODES} == {k for k, v in summary["counts"]["nodes"].items() if v > 0}
    assert {r.type for r in RELATIONSHIPS} == {k for k, v in summary["counts"]["relationships"].items() if v > 0}

    count = run("cypher", "MATCH (d:District) RETURN count(d) AS n", "--json", home=tmp_path, engine=engine)
    assert count.returncode == 0, count.stderr
    assert json.loads(count.stdout)["rows"] == [{"n": 38}]

    write = run("cypher", "CREATE (n:Patent {id:'x'})", home=tmp_path, engine=engine)
    assert write.returncode != 0
    assert "read-only" in write.stderr
    assert len(write.stderr.strip().splitlines()) == 1
    after = run("cypher", "MATCH (p:Patent) RETURN count(p) AS n", "--json", home=tmp_path, engine=engine)
    assert json.loads(after.stdout)["rows"] == [{"n": summary["counts"]["nodes"]["Patent"]}]

    marks = summary["counts"]["nodes"]["Trademark"]
    for ip_type, counted in (("trademarks", ["trademarks"]), ("all", ["patents", "trademarks"])):
        dens = run("analyze", "density", "--ip-type", ip_type, "--json", home=tmp_path, engine=engine)
        assert dens.returncode == 0, dens.stderr
        res = json.loads(dens.stdout)
        assert res["params"]["ip_types_counted"] == counted
        assert 0 < sum(r["trademarks"] for r in res["rows"]) <= marks  # every demo holder is in one district
        assert all(r["ip_items"] >= r["trademarks"] for r in res["rows"])
        assert res["tables"]["cells"] and "ip_items" in res["tables"]["cells"][0]
    bad = run("analyze", "density", "--ip-type", "designs", home=tmp_path, engine=engine)
    assert bad.returncode != 0 and "--ip-type must be one of" in bad.stderr


def test_export_rdf_schema_parses(tmp_path: Path) -> None:
    out = subprocess.run([sys.executable, "-m", "iplayout", "export", "rdf", "--schema"], capture_output=True,
                         text=True, check=True)
    g = Graph().parse(data=out.stdout, format="turtle")
    classes = {str(s).rsplit("#", 1)[1] for s in g.subjects(RDF.type, OWL.Class)}
    props = {str(s).rsplit("#", 1)[1] for s in g.subjects(RDF.type, OWL.ObjectProperty)}
    assert {n.label for n in NODES} <= classes
    assert {r.type for r in RELATIONSHIPS} <= props


def test_demo_builds_a_search_index_with_facets(tmp_path: Path) -> None:
    """Embedded only: the demo's index answers a filtered, cross-lingual query and `check` agrees."""
    demo = run("demo", "--json", home=tmp_path, engine="embedded")
    assert demo.returncode == 0, demo.stderr
    assert json.loads(demo.stdout)["indexed_documents"] == 1_570  # 1,320 regional + 250 benchmark patents
    out = run("search", "battery thermal management", "--district", "500106", "--top", "5", "--json",
              home=tmp_path, engine="embedded")
    assert out.returncode == 0, out.stderr
    result = json.loads(out.stdout)
    assert result["cross_lingual"] is True
    assert len(result["hits"]) == 5
    check = run("check", "--json", home=tmp_path, engine="embedded")
    assert check.returncode == 0, check.stdout
    assert json.loads(check.stdout)["index"] == {"documents": 1_570}


def test_cypher_with_an_unknown_label_prints_at_most_one_line_about_it(engine: str, tmp_path: Path) -> None:
    out = run("cypher", "MATCH (n:NoSuchLabelHere) RETURN n.nothing AS x", home=tmp_path, engine=engine)
    console = (out.stdout + out.stderr).splitlines()
    about = [line for line in console if "NoSuchLabelHere" in line]
    assert len(about) <= 1, console
    assert not any("Received notification" in line or "GqlStatusObject" in line for line in console), console
    if engine == "neo4j":  # a warning, not an error: the query runs and the warning is summarised
        assert out.returncode == 0, out.stderr
        assert about and about[0].startswith("INFO iplayout.queries.notes: Neo4j: label does not exist")
