"""Bounded loopback load test of ``iplayout serve``: search and density under concurrent clients.

    python -m benchmarks.bench_api --out docs/bench_api.md [--size medium] [--clients 20] [--seconds 30]

Builds the SYNTHETIC demo graph of ``--size`` (embedded engine) and a search index over its
documents in a temporary home, starts ``iplayout serve`` on a free loopback port, warms it up,
then runs ``--clients`` concurrent keep-alive clients for ``--seconds`` per endpoint and reports
requests/s, p50/p95/p99 latency and errors. Goal: p95 <= 200 ms for search at 20 clients.

``prepare_home`` and ``ServerProcess`` are reused by the browser test (tests/browser).
"""

from __future__ import annotations

import argparse
import os
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from iplayout.config import Settings

ROOT = Path(__file__).resolve().parents[1]
GOAL_P95_MS = {"search": 200.0}
QUERIES = ["锂电池 正极材料", "新能源汽车 电机控制", "集成电路 封装", "生物医药 原料药", "智能网联汽车",
           "液晶显示面板", "signal acquisition wearable", "工业机器人 减速器", "数控机床", "大数据 云计算"]

def prepare_home(home: Path, size: str = "small", seed: int = 7) -> Settings:
    """A home with the embedded demo graph of ``size`` and its search index (built once per home)."""
    from iplayout.demo import generate, load_into
    from iplayout.demo.search_docs import index_demo
    from iplayout.graph.factory import open_store

    settings = Settings(store="embedded", home=home)
    marker = home / f".demo-{size}-{seed}"
    if marker.exists():
        return settings
    store = open_store(settings)
    try:
        store.clear()
        rows = generate(size, seed)
        load_into(store, rows)
        index_demo(settings, rows)
    finally:
        store.close()
    marker.touch()
    return settings


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class ServerProcess:
    """``iplayout serve`` in a subprocess on a free loopback port, stopped on exit."""

    def __init__(self, home: Path, env: dict[str, str] | None = None, log: Path | None = None) -> None:
        self.home = home
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.env = {**os.environ, "IPLAYOUT_STORE": "embedded", "IPLAYOUT_HOME": str(home), **(env or {})}
        self.log = log or home / "serve.log"
        self.proc: subprocess.Popen[bytes] | None = None

    def __enter__(self) -> ServerProcess:
        import httpx

        cmd = [sys.executable, "-m", "iplayout", "serve", "--host", "127.0.0.1", "--port", str(self.port),
               "--log-level", "warning", "--no-access-log"]
        with self.log.open("wb") as fh:
            self.proc = subprocess.Popen(cmd, cwd=ROOT, env=self.env, stdout=fh, stderr=subprocess.STDOUT)
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"iplayout serve exited: {self.log.read_text(errors='replace')[-2000:]}")
            try:
                if httpx.get(self.url + "/health", timeout=2).status_code == 200:
                    return self
            except httpx.TransportError:
                pass
            time.sleep(0.3)
        self.__exit__(None, None, None)
        raise RuntimeError("iplayout serve did not answer within 120 s")

    def __exit__(self, *exc: object) -> None:
        if self.proc is not None and self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()


# ---- load test --------------------------------------------------------------------------------


_WRK_SCRIPT = """
local paths = {%(paths)s}
local i = 0
request = function()
  i = i + 1
  return wrk.format("GET", paths[(i %% #paths) + 1])
end
done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format('\\nWRK-JSON {"requests": %%d, "duration_us": %%d, "p50": %%.3f, "p95": %%.3f, ' ..
    '"p99": %%.3f, "socket_errors": %%d, "non_2xx": %%d}\\n', summary.requests, summary.duration,
    latency:percentile(50) / 1000, latency:percentile(95) / 1000, latency:percentile(99) / 1000,
    e.connect + e.read + e.write + e.timeout, e.status))
end
"""


def load(base: str, paths: list[str], clients: int, seconds: float, workdir: Path) -> dict[str, Any]:
    """``clients`` keep-alive connections from one wrk thread for ``seconds``; latencies in ms.

    wrk (C, epoll) rather than a Python client: on 2 shared cores a Python load generator takes
    about a core of its own and the measurement becomes one of the client.
    """
    import json
    import shutil

    wrk = shutil.which("wrk")
    if wrk is None:
        raise SystemExit("wrk is not installed: run `bash scripts/ensure-wrk.sh` (make bench does)")
    script = workdir / "paths.lua"
    script.write_text(_WRK_SCRIPT % {"paths": ", ".join(json.dumps(p) for p in paths)}, encoding="utf-8")
    cmd = [wrk, "-t1", f"-c{clients}", f"-d{seconds:.0f}s", "--timeout", "30s", "-s", str(script), base]
    done = subprocess.run(cmd, capture_output=True, text=True, check=False)
    line = next((x for x in done.stdout.splitlines() if x.startswith("WRK-JSON ")), None)
    if done.returncode != 0 or line is None:
        raise RuntimeError(f"wrk failed ({done.returncode}): {done.stdout[-1000:]} {done.stderr[-1000:]}")
    res: dict[str, Any] = json.loads(line.removeprefix("WRK-JSON "))
    res["rps"] = res["requests"] / (res["duration_us"] / 1e6)
    res["errors"] = res["socket_errors"] + res["non_2xx"]
    return res


def scenarios() -> dict[str, list[str]]:
    from urllib.parse import quote

    return {
        "search": [f"/search?q={quote(q)}&limit=10" for q in QUERIES],
        "density": ["/analytics/density?limit=50", "/analytics/density?table=cells&limit=100",
                    "/maps/values?metric=density"],
    }


def run(size: str, clients: int, seconds: float, home: Path | None) -> tuple[str, bool]:
    import httpx

    from benchmarks.common import machine, table

    with tempfile.TemporaryDirectory(prefix="iplayout-bench-api-") as tmp:
        folder = home or Path(tmp)
        t0 = time.perf_counter()
        prepare_home(folder, size)
        prep = time.perf_counter() - t0
        rows = []
        ok = True
        with ServerProcess(folder) as server:
            for name, paths in scenarios().items():
                for p in paths:  # warm-up: model load, caches
                    httpx.get(server.url + p, timeout=300).raise_for_status()
                res = load(server.url, paths, clients, seconds, folder)
                goal = GOAL_P95_MS.get(name)
                met = "" if goal is None else ("yes" if res["p95"] <= goal else "NO")
                ok &= res["errors"] == 0 and met != "NO"
                rows.append([name, clients, seconds, res["requests"], res["rps"], res["p50"], res["p95"],
                             res["p99"], res["errors"], f"<= {goal:.0f} ms: {met}" if goal else "-"])
    headers = ["endpoint", "clients", "seconds", "requests", "req/s", "p50 ms", "p95 ms", "p99 ms", "errors", "p95 goal"]
    text = "\n".join([
        "# API load test (`python -m benchmarks.bench_api`)",
        "",
        f"SYNTHETIC demo graph `{size}`, embedded engine (LadybugDB), `iplayout serve` on loopback, "
        f"{clients} concurrent keep-alive connections (wrk, one thread, on the same 2 cores as the server) "
        f"for {seconds:.0f} s per endpoint group, after warm-up. "
        f"search = `GET /search` over {len(QUERIES)} queries (hybrid: USE-m3 + BM25); density = "
        "`GET /analytics/density` (main rows and cells) and `GET /maps/values?metric=density` "
        "(analytics results cached per parameters for 60 s).",
        "",
        f"Machine: {machine()}. Graph + index build: {prep:.0f} s (not part of the timings).",
        "",
        table(headers, rows),
        "",
    ])
    return text, ok


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--out", type=Path, help="write the Markdown report here (default: stdout)")
    ap.add_argument("--size", default="medium", choices=["small", "medium", "large"])
    ap.add_argument("--clients", type=int, default=20)
    ap.add_argument("--seconds", type=float, default=30.0)
    ap.add_argument("--home", type=Path, help="reuse this home (graph + index built once)")
    args = ap.parse_args(argv)
    text, ok = run(args.size, args.clients, args.seconds, args.home)
    if args.out:
        args.out.write_text(text, encoding="utf-8")
    print(text)
    return 0 if ok else 1




if __name__ == "__main__":
    raise SystemExit(main())
