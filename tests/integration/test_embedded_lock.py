"""LadybugDB allows one writer per database: a second writer gets a clear message, readers still work."""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

import pytest

from iplayout.config import Settings
from iplayout.errors import GraphLockedError
from iplayout.graph.factory import open_store

HOLDER = """
import sys, time
from iplayout.config import Settings
from iplayout.graph.factory import open_store
s = open_store(Settings(store="embedded", home=sys.argv[1]))
s.upsert_nodes("District", [{"adcode": "500101", "name": "万州区"}])
print("ready", flush=True)
time.sleep(60)
"""


def test_second_writer_is_told_who_holds_the_lock(tmp_path: Path) -> None:
    holder = subprocess.Popen([sys.executable, "-c", HOLDER, str(tmp_path)], stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "ready"
        with pytest.raises(GraphLockedError) as info:
            open_store(Settings(store="embedded", home=tmp_path))
        message = str(info.value)
        assert str(holder.pid) in message
        assert "POST /ingest" in message
        reader = open_store(Settings(store="embedded", home=tmp_path), read_only=True)
        deadline = time.time() + 10
        rows: list[dict[str, object]] = []
        while time.time() < deadline and not rows:
            rows = reader.cypher_read("MATCH (d:District) RETURN d.name AS name")
        assert rows == [{"name": "万州区"}]
        reader.close()
    finally:
        holder.kill()
        holder.wait()
        if holder.stdout is not None:
            holder.stdout.close()
