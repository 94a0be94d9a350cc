"""2020 census resident population by county-level unit: the fallback denominator of density.

When the graph holds no population observation for a district, ``analyze density`` divides by
the 7th national census figure (2020-11-01) of its adcode, and says so per row
(``population_source``) and in the result's parameters.
"""

from __future__ import annotations

import csv
from functools import lru_cache
from pathlib import Path
from typing import Any

import pandas as pd

from iplayout.errors import AnalysisError
from iplayout.refdata import describe, open_text, resolve

GRAPH_SOURCE = "graph observations"


@lru_cache(maxsize=4)
def _load(path: Path, stamp: tuple[int, int]) -> dict[str, int]:
    with open_text(path) as fh:
        reader = csv.DictReader(fh)
        if not reader.fieldnames or not {"adcode", "population"} <= set(reader.fieldnames):
            raise AnalysisError(f"census table {path} needs columns adcode and population (persons)")
        out: dict[str, int] = {}
        for row in reader:
            code, value = (row.get("adcode") or "").strip(), (row.get("population") or "").strip()
            if code and value:
                try:
                    out[code] = int(float(value))
                except ValueError as exc:
                    raise AnalysisError(f"census table {path}: population {value!r} of {code} is not a number") \
                        from exc
    return out


def census_persons(reference_dir: Path | None) -> tuple[dict[str, int], str]:
    """adcode → persons, and a one-line name of the table they come from."""
    path = resolve("census2020", reference_dir)
    st = path.stat()
    info = describe("census2020", path)
    label = f"census2020 ({info['origin']}: {info['version']}; {info.get('source', info['file'])})"
    return _load(path, (st.st_mtime_ns, st.st_size)), label


def fill_population(dist: pd.DataFrame, reference_dir: Path | None) -> tuple[pd.DataFrame, dict[str, Any]]:
    """``population_10k`` kept where the graph gave one, else the census figure; per-row source.

    Returns the frame and a summary for the result parameters (which table, how many units used it).
    """
    persons, label = census_persons(reference_dir)
    from_graph = dist["population_10k"].notna()
    census = dist["adcode"].astype(str).map(lambda a: persons.get(a, float("nan")) / 10_000)
    out = dist.assign(population_10k=dist["population_10k"].where(from_graph, census))
    out["population_source"] = [GRAPH_SOURCE if g else (label if pd.notna(c) else None)
                                for g, c in zip(from_graph, census, strict=True)]
    used = int((~from_graph & census.notna()).sum())
    return out, {"census_units": used, "census_table": label if used else None}
