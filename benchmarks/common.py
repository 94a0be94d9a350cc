"""Shared helpers for the benchmark scripts: machine description, timing, Markdown tables."""

from __future__ import annotations

import os
import platform
import re
import resource
import time
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from iplayout.config import Settings


def machine() -> str:
    cpu = "?"
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as fh:
            cpu = next((ln.split(":", 1)[1].strip() for ln in fh if ln.startswith("model name")), "?")
    except OSError:
        pass
    mem_gb = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 1e9
    return (
        f"{platform.node()}: {cpu}, {os.cpu_count()} cores, {mem_gb:.0f} GB RAM, "
        f"Python {platform.python_version()}, {platform.system()} {platform.release()}"
    )


def timed(fn: Callable[[], Any]) -> tuple[float, Any]:
    t0 = time.perf_counter()
    out = fn()
    return time.perf_counter() - t0, out


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def table(headers: Sequence[str], rows: Iterable[Sequence[Any]]) -> str:
    def fmt(v: Any) -> str:
        if isinstance(v, float):
            return f"{v:,.2f}" if abs(v) < 100 else f"{v:,.0f}"
        if isinstance(v, int):
            return f"{v:,}"
        return str(v)

    out = ["| " + " | ".join(headers) + " |", "|" + "---|" * len(headers)]
    out += ["| " + " | ".join(fmt(v) for v in r) + " |" for r in rows]
    return "\n".join(out)


def write_section(path: Path, name: str, text: str) -> None:
    """Replace (or append) the ``<!-- section:NAME -->`` block of ``path`` with ``text``.

    The same markers as ``benchmarks.run_all``, so a script run on its own updates its section of
    docs/benchmarks.md in place and leaves the others alone.
    """
    block = f"<!-- section:{name} -->\n{text.strip()}\n<!-- /section:{name} -->"
    old = path.read_text(encoding="utf-8") if path.is_file() else ""
    pattern = re.compile(rf"<!-- section:{re.escape(name)} -->.*?<!-- /section:{re.escape(name)} -->", re.S)
    new = pattern.sub(lambda _m: block, old) if pattern.search(old) else (old.rstrip() + "\n\n" + block).lstrip()
    path.write_text(new + "\n", encoding="utf-8")


def search_settings(backend: str, home: Path, started_by: str = "make bench") -> Settings:
    """The local search backend under ``home``; the neo4j one on IPLAYOUT_NEO4J_URI (``started_by`` starts it)."""
    from iplayout.config import Settings

    if backend == "neo4j":
        uri = os.environ.get("IPLAYOUT_NEO4J_URI")
        if not uri:
            raise SystemExit(f"the neo4j search backend needs IPLAYOUT_NEO4J_URI ({started_by} starts a server)")
        return Settings(home=home, store="neo4j", neo4j_uri=uri, search_backend="neo4j")
    return Settings(home=home)
