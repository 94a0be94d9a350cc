"""kill -9 in the middle of ``iplayout ingest``, then a re-run: same ledger as one clean run."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

from iplayout.config import Settings
from iplayout.ingestion.ledger import Ledger

ROWS = 30_000


def _big_csv(path: Path) -> Path:
    lines = ["公开号,申请号,专利名称,申请人,申请人地址,分类号,申请日,专利类型"]
    lines += [
        f"CN{i:09d}A,CN2020{i:08d}.1,一种装置{i},重庆大学,400044重庆市沙坪坝区,H01M10/0525,20200101,发明"
        for i in range(ROWS)
    ]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def _cmd(src: Path, home: Path, *extra: str) -> list[str]:
    code = "from iplayout.cli import main; main()"
    return [sys.executable, "-c", code, "ingest", str(src), "--home", str(home), "--json", *extra]


def _run(src: Path, home: Path, *extra: str) -> None:
    done = subprocess.run(_cmd(src, home, *extra), capture_output=True, timeout=180, check=False)
    assert done.returncode == 0, done.stderr.decode()


def _committed(home: Path) -> int:
    try:
        db = sqlite3.connect(Settings(home=home).ledger_path, timeout=1)
        try:
            return int(db.execute("SELECT count(*) FROM records").fetchone()[0])
        finally:
            db.close()
    except sqlite3.Error:
        return 0


def _checksum(home: Path) -> str:
    with Ledger(Settings(home=home).ledger_path) as ledger:
        return ledger.checksum()


def test_kill_9_then_rerun_equals_clean_run(tmp_path: Path) -> None:
    src = _big_csv(tmp_path / "big.csv")
    clean, crashed = tmp_path / "clean", tmp_path / "crashed"
    _run(src, clean)

    proc = subprocess.Popen(_cmd(src, crashed), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 60
    while _committed(crashed) < 4000 and time.monotonic() < deadline and proc.poll() is None:
        time.sleep(0.05)
    assert proc.poll() is None, "the run finished before it could be killed; raise ROWS"
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait(timeout=10)
    partial = _committed(crashed)
    assert 0 < partial < ROWS

    _run(src, crashed, "--replace-source")
    assert _checksum(crashed) == _checksum(clean)
    with Ledger(Settings(home=crashed).ledger_path) as ledger:
        assert ledger.counts() == {"active": ROWS}
