"""Ingestion benchmark: records/s for parse + validate + ledger of a CN-style patent CSV.

Each measurement runs in its own subprocess so its peak RSS is its own: ``VmHWM`` of the child
(``ru_maxrss`` would not do: Linux carries the parent's peak across fork + exec).
"""

from __future__ import annotations

import json
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

from iplayout.config import Settings
from iplayout.errors import IngestionError

_INGEST = """
import json, sys, time
from pathlib import Path
from iplayout.config import Settings
from iplayout.ingestion.run import ingest_paths
t = time.perf_counter()
r = ingest_paths([Path(sys.argv[1])], Settings(home=Path(sys.argv[2])))
dt = time.perf_counter() - t
print(json.dumps({"seconds": dt, "records": r.accepted + r.updated + r.unchanged, "rejected": r.rejected,
                  "peak_rss_mb": int(next(x for x in open("/proc/self/status") if x.startswith("VmHWM")).split()[1]) / 1024}))
"""
_PANDAS = """
import json, sys, time
import pandas as pd
t = time.perf_counter()
n = 0
for chunk in pd.read_csv(sys.argv[1], dtype=str, chunksize=100_000, encoding_errors="replace"):
    n += len(chunk)
dt = time.perf_counter() - t
print(json.dumps({"seconds": dt, "records": n,
                  "peak_rss_mb": int(next(x for x in open("/proc/self/status") if x.startswith("VmHWM")).split()[1]) / 1024}))
"""


def _child(code: str, *args: str) -> dict[str, Any]:
    done = subprocess.run([sys.executable, "-c", code, *args], capture_output=True, text=True, check=False)
    if done.returncode != 0:
        last = (done.stderr.strip().splitlines() or ["no output"])[-1]
        raise IngestionError(f"benchmark child failed: {last}")
    result: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


def bench_ingest(csv_path: Path, settings: Settings) -> dict[str, Any]:
    """Measure ingest vs. plain ``pandas.read_csv`` on ``csv_path``; the ledger goes to a scratch home.

    ``settings`` only locates the scratch area (its ``home``); the user's ledger is never touched.
    """
    csv_path = Path(csv_path)
    if not csv_path.is_file():
        raise IngestionError(f"{csv_path}: no such file")
    settings.home.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=settings.home, prefix="bench-") as scratch:
        ours = _child(_INGEST, str(csv_path), scratch)
    pandas = _child(_PANDAS, str(csv_path))
    rate = ours["records"] / ours["seconds"] if ours["seconds"] else 0.0
    pandas_rate = pandas["records"] / pandas["seconds"] if pandas["seconds"] else 0.0
    return {
        "file": str(csv_path),
        "records": ours["records"],
        "rejected": ours["rejected"],
        "seconds": round(ours["seconds"], 3),
        "records_per_s": round(rate, 1),
        "pandas_records_per_s": round(pandas_rate, 1),
        "overhead_factor": round(pandas_rate / rate, 2) if rate else None,
        "peak_rss_mb": round(ours["peak_rss_mb"], 1),
        "pandas_peak_rss_mb": round(pandas["peak_rss_mb"], 1),
    }
