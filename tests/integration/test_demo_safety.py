"""`iplayout demo` never mixes synthetic data into real records, on both engines."""

from __future__ import annotations

import json
import os
import subprocess
import sys

from iplayout.config import Settings
from iplayout.demo.safety import real_records
from iplayout.graph.factory import open_store
from iplayout.graph.store import GraphStore

PROV = {"source": "export.csv", "locator": "row=1", "run_id": "r1", "extractor": "records@1", "synthetic": False}
REAL = [{"id": "CN218751475U", "title": "一种无人机机载多功能盒", **PROV},
        {"id": "CN116245100A", "title": "一种基于知识图谱的检索方法", **PROV},
        {"id": "CN115883397A", "title": "一种远程监控系统", **PROV}]


def _demo(settings: Settings, *args: str) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ, IPLAYOUT_HOME=str(settings.home), IPLAYOUT_STORE=settings.store,
               IPLAYOUT_NEO4J_URI=settings.neo4j_uri)
    return subprocess.run([sys.executable, "-m", "iplayout", "demo", "--no-index", *args], capture_output=True,
                          text=True, env=env, check=False, timeout=900, stdin=subprocess.DEVNULL)


def _patents(settings: Settings) -> int:
    s = open_store(settings, read_only=True)
    try:
        return int(s.cypher_read("MATCH (p:Patent) RETURN count(p) AS n")[0]["n"])
    finally:
        s.close()


def test_demo_refuses_a_store_with_real_records(settings: Settings, store: GraphStore) -> None:
    store.upsert_nodes("Patent", REAL)
    assert real_records(store) == {"Patent": 3}
    store.close()

    added = _demo(settings)
    assert added.returncode == 1
    assert added.stderr.strip().splitlines() == [
        "error: the store holds 3 real records (Patent 3); the demo would mix synthetic data into them. "
        "Use another --home (or store), or --fresh --yes to delete everything first"]
    assert _patents(settings) == 3

    unconfirmed = _demo(settings, "--fresh")  # stdin is not a terminal: no prompt, a refusal
    assert unconfirmed.returncode == 1
    assert unconfirmed.stderr.strip() == "error: --fresh would delete 3 real records (Patent 3); pass --yes to confirm"
    assert _patents(settings) == 3

    confirmed = _demo(settings, "--fresh", "--yes", "--json")
    assert confirmed.returncode == 0, confirmed.stderr
    assert json.loads(confirmed.stdout)["synthetic"] is True
    after = open_store(settings, read_only=True)
    try:
        assert real_records(after) == {}
        assert int(after.cypher_read("MATCH (p:Patent) RETURN count(p) AS n")[0]["n"]) > 100
    finally:
        after.close()
