"""ingest → build on both engines: idempotent, crash-safe (kill -9 mid-build), updates replace links,
and records a source no longer has are removed from the graph."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from iplayout.config import Settings
from iplayout.demo import generate
from iplayout.demo.export import write_cn_patent_csv
from iplayout.graph.factory import open_store
from iplayout.graph.store import GraphStore
from iplayout.ingestion.ledger import Ledger
from iplayout.ingestion.run import ingest_paths
from iplayout.nlp.pipeline import build

from ..conftest import settings_for
from .fingerprint import fingerprint


@pytest.fixture(scope="module")
def export_csv(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("export") / "demo_patents_SYNTHETIC.csv"
    write_cn_patent_csv(generate("medium", seed=11), path, limit=3_000)
    return path


def _empty_graph(settings: Settings) -> None:
    """Start from an empty graph (the Neo4j server is shared by every test)."""
    store = open_store(settings)
    store.clear()
    store.close()


def _ingest_and_build(settings: Settings, csv: Path) -> GraphStore:
    ingest_paths([csv], settings)
    store = open_store(settings)
    build(settings, store, Ledger(settings.ledger_path))
    return store


def test_build_twice_changes_nothing(engine: str, tmp_path: Path, export_csv: Path) -> None:
    settings = settings_for(engine, tmp_path / "home")
    _empty_graph(settings)
    store = _ingest_and_build(settings, export_csv)
    first = fingerprint(store)
    again = ingest_paths([export_csv], settings)
    assert again.unchanged == 3_000 and again.accepted == 0 and again.updated == 0
    result = build(settings, store, Ledger(settings.ledger_path))
    assert sum(result.records.values()) == 0
    assert fingerprint(store) == first
    assert first["counts"]["nodes"]["Patent"] == 3_000
    store.close()


@pytest.mark.parametrize("kill_after", [1.5, 4.0])
def test_killed_build_then_rerun_equals_clean_run(engine: str, tmp_path: Path, export_csv: Path,
                                                   kill_after: float) -> None:
    clean_settings = settings_for(engine, tmp_path / "clean")
    _empty_graph(clean_settings)
    store = _ingest_and_build(clean_settings, export_csv)
    clean = fingerprint(store)
    store.clear()
    store.close()

    crash_settings = settings_for(engine, tmp_path / "crash")
    ingest_paths([export_csv], crash_settings)
    env = dict(os.environ, IPLAYOUT_HOME=str(crash_settings.home), IPLAYOUT_STORE=engine,
               IPLAYOUT_NEO4J_URI=crash_settings.neo4j_uri)
    log = tmp_path / "build.log"
    with log.open("wb") as err:  # a file, not a pipe: orphaned workers must not keep us waiting
        proc = subprocess.Popen([sys.executable, "-m", "iplayout", "build", "--json"], env=env,
                                stdout=subprocess.DEVNULL, stderr=err)
        time.sleep(kill_after)
        proc.send_signal(signal.SIGKILL)
        proc.wait(timeout=60)
    assert proc.returncode == -signal.SIGKILL, f"build finished before the kill: {log.read_text()[-300:]}"

    store = open_store(crash_settings)
    build(crash_settings, store, Ledger(crash_settings.ledger_path))
    assert fingerprint(store) == clean
    store.close()


def test_changed_record_replaces_its_links_and_removed_record_is_deleted(engine: str, tmp_path: Path,
                                                                        export_csv: Path) -> None:
    settings = settings_for(engine, tmp_path / "home")
    _empty_graph(settings)
    lines = export_csv.read_text(encoding="utf-8-sig").splitlines()
    small = tmp_path / "patents.csv"
    small.write_text("\n".join(lines[:51]) + "\n", encoding="utf-8")
    store = _ingest_and_build(settings, small)
    target = lines[1].split(",")[0]
    before = store.cypher_read("MATCH (p:Patent {id: $id})-[:CLASSIFIED_AS]->(t:Technology) RETURN t.code AS c",
                               {"id": target})
    assert before

    header = lines[0].split(",")
    ipc_col, main_col = header.index("IPC分类号"), header.index("主分类号")
    row = lines[1].split(",")
    row[ipc_col] = row[main_col] = "G06N 3/08"
    small.write_text("\n".join([lines[0], ",".join(row), *lines[3:51]]) + "\n", encoding="utf-8")
    result = ingest_paths([small], settings, replace_source=True)
    assert result.updated == 1 and result.deleted == 1
    rebuilt = build(settings, store, Ledger(settings.ledger_path))
    print("DEBUG", rebuilt.as_dict(), target, row[ipc_col])
    after = store.cypher_read("MATCH (p:Patent {id: $id})-[:CLASSIFIED_AS]->(t:Technology) RETURN t.code AS c",
                              {"id": target})
    assert [r["c"] for r in after] == ["G06N 3/08"]
    removed = lines[2].split(",")[0]
    assert store.cypher_read("MATCH (p:Patent {id: $id}) RETURN p.id AS id", {"id": removed}) == []
    assert store.counts().nodes["Patent"] == 49
    store.close()


def test_check_reports_graph_and_ledger_disagreement(engine: str, tmp_path: Path, export_csv: Path) -> None:
    from iplayout.consistency import check

    settings = settings_for(engine, tmp_path / "home")
    _empty_graph(settings)
    lines = export_csv.read_text(encoding="utf-8-sig").splitlines()
    small = tmp_path / "patents.csv"
    small.write_text("\n".join(lines[:21]) + "\n", encoding="utf-8")
    store = _ingest_and_build(settings, small)
    report = check(settings, store)
    assert report.ok, report.problems
    assert report.ledger["Patent"] == report.graph["Patent"] == 20
    gone = lines[5].split(",")[0]
    store.run_write_named("delete_patent", {"id": gone})
    report = check(settings, store)
    assert not report.ok
    assert report.problems["Patent: built in the ledger but missing from the graph"] == {"count": 1, "sample": [gone]}
    store.close()
