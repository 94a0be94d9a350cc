"""An injected hang in LadybugDB's bulk COPY: the build fails within its watchdog, the records stay
unbuilt, and the next build loads them row by row; `iplayout check` is consistent afterwards."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from iplayout.errors import BulkLoadAborted
from iplayout.graph.first_load import CopyLimits, watched

CN_EXPORT = "corpus/patents_cn_full_record_samples/incopat_style_10_records.csv"
# Every COPY blocks forever and ignores the interrupt: the worst case, a hang inside the engine.
HANG = """
import threading
from iplayout.graph import ladybug_store
ladybug_store.LadybugStore._run_copy = lambda self, statement, conn: threading.Event().wait()
from iplayout.cli import main
main()
"""


def test_watched_copy_interrupts_and_reports() -> None:
    limits = CopyLimits(base_s=0.2, rows_per_s=1e9)
    assert watched(lambda: None, 10, limits, lambda: None, "Patent") is True
    with pytest.raises(ValueError, match="engine error"):
        watched(lambda: (_ for _ in ()).throw(ValueError("engine error")), 10, limits, lambda: None, "Patent")
    stop = threading.Event()
    with pytest.raises(BulkLoadAborted, match=r"COPY Patent \(10 rows\) ran past its 0 s watchdog") as caught:
        watched(stop.wait, 10, limits, stop.set, "Patent")  # stops when interrupted
    assert caught.value.stuck is False


def test_injected_copy_hang_aborts_then_the_next_build_completes(shared_dir: Path, tmp_path: Path) -> None:
    home = tmp_path / "home"
    env = dict(os.environ, IPLAYOUT_HOME=str(home), IPLAYOUT_STORE="embedded", IPLAYOUT_BULK_COPY_BASE_S="3",
               IPLAYOUT_BULK_COPY_ROWS_PER_S="1000000")

    def cli(*args: str, script: str | None = None) -> subprocess.CompletedProcess[str]:
        head = ["-c", script] if script else ["-m", "iplayout"]
        return subprocess.run([sys.executable, *head, *args], capture_output=True, text=True, env=env,
                              check=False, timeout=600)

    assert cli("ingest", str(shared_dir / CN_EXPORT)).returncode == 0
    t0 = time.monotonic()
    hung = cli("build", "--no-index", script=HANG)
    elapsed = time.monotonic() - t0
    assert hung.returncode != 0
    errors = [line for line in hung.stderr.splitlines() if line.startswith("error:")]
    assert len(errors) == 1 and "bulk load aborted: COPY" in errors[0] and "watchdog" in errors[0], hung.stderr
    assert elapsed < 120, elapsed  # 3 s watchdog + 10 s grace + start-up and extraction
    assert (home / "bulk-load.aborted").exists()

    again = cli("build", "--no-index", "--json")
    assert again.returncode == 0, again.stderr
    assert json.loads(again.stdout)["records"] == {"patents": 10}
    assert "loading row by row" in again.stderr
    assert not (home / "bulk-load.aborted").exists()
    check = cli("check", "--json")
    assert check.returncode == 0, check.stdout + check.stderr
    report = json.loads(check.stdout)
    assert report["ok"] is True and report["graph"]["Patent"] == 10 and report["pending_build"] == 0
