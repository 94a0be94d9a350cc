"""Acceptance (b) of `build --resync`: the engine dies in the middle of a build and comes back empty;
`build` then reports nothing to do for what was built before, and `build --resync` ends equal to a
clean build. Embedded: the build process is killed (the engine lives in it) and the graph file is
gone. Neo4j: a server of this test's own is killed mid-build and started again, empty."""

from __future__ import annotations

import os
import signal
import socket
import sqlite3
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from iplayout.config import Settings
from iplayout.demo import generate
from iplayout.demo.export import write_cn_patent_csv
from iplayout.graph.factory import open_store
from iplayout.ingestion.ledger import Ledger
from iplayout.ingestion.run import ingest_paths
from iplayout.nlp.pipeline import build
from iplayout.resync import drift_hint, resync

from ..conftest import neo4j_uri, settings_for
from .fingerprint import fingerprint

ROOT = Path(__file__).resolve().parents[3]
NEO4J_SH = ROOT / "tests" / "neo4j" / "neo4j.sh"
ROWS, FIRST = 600, 300

pytestmark = [pytest.mark.slow, pytest.mark.timeout(1800)]  # two starts of its own Neo4j server


class OwnNeo4j:
    """A Neo4j server this test may kill: its own state folder and a fixed port, so that it comes
    back at the same address (and empty: the harness starts every server on a fresh database)."""

    def __init__(self) -> None:
        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            port = s.getsockname()[1]
        self.env = dict(os.environ, IPLAYOUT_NEO4J_STATE_DIR=str(ROOT / ".cache" / "neo4j-resync-test"),
                        IPLAYOUT_NEO4J_PORT=str(port), IPLAYOUT_NEO4J_HEAP="512m",
                        IPLAYOUT_NEO4J_START_TIMEOUT=os.environ.get("IPLAYOUT_NEO4J_START_TIMEOUT", "600"))
        self.uri = ""

    def start(self) -> str:
        done = subprocess.run(["bash", str(NEO4J_SH), "start"], env=self.env, capture_output=True, text=True,
                              timeout=600, check=False)
        assert done.returncode == 0, done.stderr[-2000:]
        self.uri = done.stdout.strip()
        return self.uri

    def kill(self) -> None:
        pid = int((Path(self.env["IPLAYOUT_NEO4J_STATE_DIR"]) / "pid").read_text().strip())
        os.kill(pid, signal.SIGKILL)
        self.stop()  # clears the state files (the database goes with the process)

    def stop(self) -> None:
        subprocess.run(["bash", str(NEO4J_SH), "stop"], env=self.env, capture_output=True, timeout=120, check=False)


@pytest.fixture
def own_neo4j(engine: str) -> Iterator[OwnNeo4j | None]:
    if engine != "neo4j":
        yield None
        return
    neo4j_uri()  # skips without a Neo4j set up, like every other Neo4j case
    server = OwnNeo4j()
    server.start()
    yield server
    server.stop()


def _built(settings: Settings) -> int:
    with sqlite3.connect(settings.ledger_path) as db:
        return int(db.execute("SELECT count(*) FROM built").fetchone()[0])


def _writing(settings: Settings, pid: int) -> bool:
    """The build is extracting and writing its second part: batches marked built (Neo4j writes and
    marks batch by batch), or extraction worker processes running (LadybugDB marks a load that began
    with an empty table only once it is complete, so the ledger shows nothing until then)."""
    import psutil

    return _built(settings) >= FIRST + 50 or (settings.store == "embedded" and bool(psutil.Process(pid).children()))


def _kill_tree(pid: int) -> None:
    import psutil

    for child in psutil.Process(pid).children(recursive=True):
        child.kill()
    os.kill(pid, signal.SIGKILL)


def test_engine_lost_mid_build_then_build_and_resync_equal_a_clean_build(
        engine: str, tmp_path: Path, own_neo4j: OwnNeo4j | None) -> None:
    csv = tmp_path / "export" / "demo_patents_SYNTHETIC.csv"
    csv.parent.mkdir()
    write_cn_patent_csv(generate("medium", seed=11), csv, limit=ROWS)
    lines = csv.read_text(encoding="utf-8-sig").splitlines()

    clean_settings = settings_for(engine, tmp_path / "clean")
    ingest_paths([csv], clean_settings)
    clean_store = open_store(clean_settings)
    clean_store.clear()
    build(clean_settings, clean_store, Ledger(clean_settings.ledger_path))
    clean = fingerprint(clean_store)
    clean_store.clear()
    clean_store.close()

    settings = settings_for(engine, tmp_path / "crash")
    if own_neo4j is not None:
        settings = Settings(store="neo4j", home=tmp_path / "crash", neo4j_uri=own_neo4j.uri)
    full = csv.read_bytes()
    csv.write_text("\n".join(lines[:FIRST + 1]) + "\n", encoding="utf-8")  # the export as it was first
    ingest_paths([csv], settings)
    store = open_store(settings)
    build(settings, store, Ledger(settings.ledger_path))
    store.close()
    csv.write_bytes(full)
    ingest_paths([csv], settings)

    env = dict(os.environ, IPLAYOUT_HOME=str(settings.home), IPLAYOUT_STORE=engine,
               IPLAYOUT_NEO4J_URI=settings.neo4j_uri, IPLAYOUT_WRITE_BATCH_SIZE="25", IPLAYOUT_BUILD_WORKERS="2")
    log = tmp_path / "build.log"
    with log.open("wb") as err:
        proc = subprocess.Popen([sys.executable, "-m", "iplayout", "build", "--no-index", "--json"], env=env,
                                stdout=subprocess.DEVNULL, stderr=err)
        deadline = time.monotonic() + 300
        while not _writing(settings, proc.pid) and proc.poll() is None and time.monotonic() < deadline:
            time.sleep(0.05)
        assert proc.poll() is None, f"build finished before the engine was lost: {log.read_text()[-300:]}"
        if own_neo4j is not None:
            own_neo4j.kill()
            proc.wait(timeout=300)  # the build fails on the lost server
            assert proc.returncode != 0
            settings = Settings(store="neo4j", home=settings.home, neo4j_uri=own_neo4j.start())
        else:
            _kill_tree(proc.pid)
            proc.wait(timeout=60)
            for path in settings.embedded_path.parent.glob(settings.embedded_path.name + "*"):
                path.unlink()  # the graph file (and its log) is gone: the engine comes back empty
    assert FIRST <= _built(settings) < ROWS

    store = open_store(settings)
    with Ledger(settings.ledger_path) as ledger:
        plain = build(settings, store, ledger)
        assert 0 < sum(plain.records.values()) <= ROWS - FIRST  # only what was never marked built
        hint = drift_hint(store, ledger, None)
        assert hint is not None and "build --resync" in hint
        healed = resync(settings, store, ledger, None)
    assert healed.drift["Patent"]["graph_missing"] >= FIRST
    assert fingerprint(store) == clean
    with Ledger(settings.ledger_path) as ledger:
        again = resync(settings, store, ledger, None)
    assert again.rebuilt == {} and again.build["nodes_written"] == 0
    assert fingerprint(store) == clean
    store.close()
