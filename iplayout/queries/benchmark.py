"""Benchmark populations: what the analysed scope is compared with (density LQ/RTA, chains, catalogue).

Kinds (``--benchmark``):

- ``outside`` (default): patents of the graph whose located holders are all outside the scope;
- ``graph``: every patent of the graph, the scope included (a national export that contains the region);
- ``peer:PREFIX``: patents with a holder whose adcode starts with PREFIX (``peer:5101`` Chengdu,
  ``peer:51`` Sichuan), when the graph holds such data;
- a CSV/XLSX file with columns ``<key>,patents`` (key = link or industry): counts the user supplies.

A benchmark that is empty, or holds nothing but the scope's own patents, is ``none``: the result says
so in ``params.benchmark`` and ``params.benchmark_note``, and no benchmark ratio is computed (ratio 1 by
construction would look like an answer). Patents count once per population (full counting: a patent
with holders inside and outside the scope is a scope patent, and also a peer patent of its peer).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import Any, Literal

import pandas as pd

from iplayout.errors import AnalysisError
from iplayout.queries import ip_types
from iplayout.queries.runner import QueryRun
from iplayout.queries.table_io import read_table

Membership = Literal["scope", "unknown", "outside", "unlocated"]
NONE = "none"
HINT = "load patents of other regions or pass --benchmark FILE (docs/analytics.md, 'Benchmark populations')"
_PEER = re.compile(r"^(?:peer:)?(\d{2,6})$")


@dataclass(frozen=True)
class BenchmarkSpec:
    kind: Literal["outside", "graph", "peer", "table"]
    prefix: str = ""
    path: Path | None = None

    @property
    def label(self) -> str:
        return {"outside": "outside", "graph": "graph", "peer": f"peer:{self.prefix}"}.get(
            self.kind, f"table:{self.path}")


def parse_benchmark(value: str | Path | None) -> BenchmarkSpec:
    """``None``/``outside``, ``graph``, ``peer:5101`` (or a bare adcode prefix), or a table file."""
    if value is None or str(value) in ("", "outside"):
        return BenchmarkSpec("outside")
    text = str(value).strip()
    if text == "graph":
        return BenchmarkSpec("graph")
    m = _PEER.match(text)
    if m:
        return BenchmarkSpec("peer", prefix=m.group(1))
    if text.startswith("peer:"):
        raise AnalysisError(f"benchmark {text!r}: a peer region is an adcode prefix of 2-6 digits, e.g. peer:5101")
    path = Path(text)
    if not path.is_file():
        raise AnalysisError(f"benchmark {text!r} is neither outside, graph, peer:ADCODE nor an existing table file")
    return BenchmarkSpec("table", path=path)


def _prefix(code: str) -> str:
    """The adcode prefix a place stands for: 500000 -> 50, 510100 -> 5101, 500106 -> 500106."""
    if len(code) == 6 and code.isdigit():
        return code[:2] if code.endswith("0000") else code[:4] if code.endswith("00") else code
    return code


@dataclass(frozen=True)
class Scope:
    """The analysed population's places: adcodes of districts, and of a city/province when whole."""

    codes: frozenset[str]
    label: str

    @cached_property
    def _area_prefixes(self) -> tuple[str, ...]:
        """Prefixes of the scope's cities/provinces (a district's own code is matched exactly)."""
        return tuple(p for p in (_prefix(s) for s in self.codes) if len(p) < 6)

    def member(self, places: Iterable[Any]) -> Membership:
        codes = [str(c) for c in places if c is not None and str(c) != ""]
        if not codes:
            return "unlocated"
        prefixes = self._area_prefixes
        if any(c in self.codes or c.startswith(prefixes) for c in codes):
            return "scope"
        if any(s.startswith(_prefix(c)) for c in codes for s in self.codes):
            return "unknown"  # a holder placed only at a city/province that contains the scope
        return "outside"


def make_scope(districts: Iterable[str], region_codes: Iterable[str] = (), selected: Iterable[str] = (),
               label: str = "region") -> Scope:
    """``selected`` districts when given; else the region's codes; else every district of the graph."""
    chosen = tuple(selected)
    if chosen:
        return Scope(frozenset(chosen), ",".join(chosen))
    codes = frozenset(region_codes) or frozenset(districts)
    return Scope(codes, label)


def region_codes(region: str | None) -> tuple[str, ...]:
    """The configured region's district, city and province adcodes (empty when no region is named)."""
    if not region:
        return ()
    from iplayout.regions import load_region

    r = load_region(region)
    return (r.province_adcode, r.city_adcode, *(d.adcode for d in r.districts))


@dataclass(frozen=True)
class Populations:
    """Counts per key (link, industry ...) in the scope and in the benchmark (None = no benchmark)."""

    scope: pd.Series
    benchmark: pd.Series | None
    info: dict[str, Any]


def org_places(run: QueryRun) -> dict[str, str]:
    """Organisation id -> its place code (located organisations only)."""
    rows = run.rows("benchmark_org_places")
    return {str(r["org"]): str(r["place"]) for r in rows if r.get("place") is not None}


def place_sets(frame: pd.DataFrame, places_of: dict[str, str] | None = None) -> pd.Series:
    """Sorted place tuples of each row, from a ``places`` column or an ``orgs`` column mapped to places."""
    if "orgs" in frame.columns:
        assert places_of is not None
        return pd.Series([tuple(sorted({places_of[o] for o in (orgs or []) if o in places_of}))
                          for orgs in frame["orgs"]], index=frame.index, dtype=object)
    return pd.Series([tuple(sorted({str(c) for c in (p or []) if c is not None})) for p in frame["places"]],
                     index=frame.index, dtype=object)


def _split(frame: pd.DataFrame, scope: Scope, key: str | None, places_of: dict[str, str] | None = None
           ) -> pd.DataFrame:
    if frame.empty:
        return pd.DataFrame(columns=[*([key] if key else []), "places", "member", "patents"])
    f = frame.copy()
    f["places"] = place_sets(f, places_of)
    cache = {p: scope.member(p) for p in set(f["places"])}
    f["member"] = f["places"].map(cache)
    f["patents"] = pd.to_numeric(f["patents"], errors="coerce").fillna(0.0)
    return f


def _by_key(f: pd.DataFrame, mask: pd.Series, key: str) -> pd.Series:
    sub = f[mask]
    if sub.empty:
        return pd.Series(dtype=float)
    return sub.groupby(key)["patents"].sum().astype(float)


def _peer_mask(f: pd.DataFrame, prefix: str) -> pd.Series:
    return f["places"].map(lambda ps: any(str(c).startswith(prefix) for c in ps)) if not f.empty \
        else pd.Series(dtype=bool)


def _table(spec: BenchmarkSpec, key: str, count: str = "patents") -> pd.Series:
    assert spec.path is not None
    frame = read_table(spec.path)
    if not {key, count} <= set(frame.columns):
        raise AnalysisError(f"benchmark table {spec.path} needs columns {key} and {count}")
    values = pd.to_numeric(frame[count], errors="coerce")
    if values.isna().any():
        raise AnalysisError(f"benchmark table {spec.path}: column {count} holds a non-number")
    return pd.Series(values.to_numpy(dtype=float), index=frame[key].astype(str).to_numpy()).groupby(level=0).sum()


def populations(run: QueryRun, spec: BenchmarkSpec, scope: Scope, query: str, key: str,
                params: Mapping[str, Any] | None = None, keep: Any = None, ip_type: str = "patents") -> Populations:
    """Scope and benchmark counts per ``key`` from ``query`` rows (``key``, places, patents).

    ``keep`` optionally filters the query rows (e.g. a year window) before counting. ``ip_type``
    (ip_types.py) counts trademarks, or patents and trademarks, through the trademark counterparts of
    ``query`` and of the population sizes; a benchmark table then holds ``<key>,trademarks`` or
    ``<key>,ip_items``.
    """
    rows = ip_types.stack(run, query, ip_type, params, [key, "places", "patents"])
    if keep is not None:
        rows = keep(rows)
    return count_populations(run, spec, scope, rows, key, ip_type)


def count_populations(run: QueryRun, spec: BenchmarkSpec, scope: Scope, rows: pd.DataFrame, key: str,
                      ip_type: str = "patents") -> Populations:
    """Scope and benchmark counts per ``key`` from rows already read (``key``, places or orgs, patents),
    with the population sizes of ``ip_type``."""
    items = ip_types.unit(ip_type)
    sized = ip_types.stack(run, "benchmark_patent_places", ip_type, None, ["places", "patents"])
    places_of = org_places(run) if "orgs" in rows.columns or "orgs" in sized.columns else None
    f = _split(rows, scope, key, places_of)
    sizes = _split(sized, scope, None, places_of)
    scope_counts = _by_key(f, f["member"] == "scope", key) if not f.empty else pd.Series(dtype=float)
    scope_size = float(sizes.loc[sizes["member"] == "scope", "patents"].sum()) if not sizes.empty else 0.0
    info: dict[str, Any] = {"scope": scope.label, "scope_size": scope_size, "benchmark": spec.label,
                            "benchmark_size": None, "benchmark_note": None}
    if items != "patents":
        info["benchmark_items"] = items
    bench: pd.Series | None
    if spec.kind == "table":
        bench = _table(spec, key, items)
        size = float(bench.sum())
        note = f"the table {spec.path} counts no {items}" if size <= 0 else None
    else:
        if spec.kind == "outside":
            mask, size_mask = f["member"] == "outside", sizes["member"] == "outside"
            empty = f"the graph holds no {items} whose holders are located outside the scope"
        elif spec.kind == "graph":
            mask, size_mask = pd.Series(True, index=f.index), pd.Series(True, index=sizes.index)
            empty = f"the graph holds no {items} outside the scope, so the graph equals the scope"
        else:
            mask, size_mask = _peer_mask(f, spec.prefix), _peer_mask(sizes, spec.prefix)
            empty = f"the graph holds no {items} with holders in {spec.prefix}"
        bench = _by_key(f, mask, key) if not f.empty else pd.Series(dtype=float)
        size = float(sizes.loc[size_mask, "patents"].sum()) if not sizes.empty else 0.0
        beyond = float(sizes.loc[size_mask & (sizes["member"] != "scope"), "patents"].sum()) \
            if not sizes.empty else 0.0
        if spec.kind == "graph":
            beyond = float(sizes.loc[sizes["member"] == "outside", "patents"].sum()) if not sizes.empty else 0.0
        note = empty if size <= 0 or beyond <= 0 else None
        if note is None and float(bench.sum()) <= 0:
            note = f"the {spec.label} population has no {items} under the analysed {key}s (or in the year window)"
    if note is not None:
        info.update(benchmark=NONE, benchmark_requested=spec.label, benchmark_note=f"benchmark: none ({note}); "
                    f"no benchmark ratio is computed; {HINT}")
        return Populations(scope_counts, None, info)
    info["benchmark_size"] = size
    return Populations(scope_counts, bench, info)


def ratio(local_share: pd.Series, bench: pd.Series | None, keys: pd.Series) -> pd.Series:
    """``local_share / benchmark share`` per key (NaN where the benchmark is none or has no patents)."""
    if bench is None:
        return pd.Series(float("nan"), index=keys.index)
    total = float(bench.sum())
    share = keys.map(bench / total if total > 0 else bench * float("nan")).astype(float)
    return local_share / share.where(share > 0)


def summary_line(info: Mapping[str, Any]) -> str:
    """One line for the terminal: which benchmark, its size, or why there is none."""
    if info.get("benchmark") == NONE:
        return str(info.get("benchmark_note"))
    size, items = info.get("benchmark_size"), info.get("benchmark_items", "patents")
    return (f"benchmark: {info.get('benchmark')} ({size:,.0f} {items}) vs scope {info.get('scope')} "
            f"({float(info.get('scope_size') or 0):,.0f} {items})")
