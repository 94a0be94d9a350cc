"""The Nice classification as Technology nodes (scheme ``NICE``) and its concordance to GB/T 4754-2017.

Classes (``NICE:09``) and China's similar-goods groups (``NICE:0901``, ``BROADER`` its class) come
from the packaged reference tables ``nice_classes`` and ``nice_groups`` (``iplayout.refdata``: CNIPA
类似商品和服务区分表, a 2017 snapshot of the Nice 10th edition: newer group codes are accepted but carry
no name). The concordance (packaged table ``nice_concordance``) maps a class or a group to GB/T
4754-2017 大类 industries, one reasoned row each; a user file replaces it
(``$IPLAYOUT_HOME/reference/nice_concordance*.csv``, same columns, see docs/extraction.md).
"""

from __future__ import annotations

import csv
import re
from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from iplayout import refdata
from iplayout.errors import ExtractionError
from iplayout.nlp.rows import GraphRows

SCHEME = "NICE"
EDITION = "CNIPA 类似商品和服务区分表, Nice 10th edition (2017 snapshot)"
_CLASS = re.compile(r"^(0[1-9]|[1-3]\d|4[0-5])$")
_GROUP = re.compile(r"^(0[1-9]|[1-3]\d|4[0-5])\d{2}$")
_DIVISION = re.compile(r"^\d{2}$")
_SECTION = re.compile(r"^[A-T]$")
_COLUMNS = ("nice", "section", "division", "industry_name", "reasoning")


@dataclass(frozen=True)
class NiceTables:
    classes: dict[str, tuple[str, str]]  # "09" -> (goods|services, heading)
    groups: dict[str, tuple[str, str]]  # "0901" -> (class, name)


@lru_cache(maxsize=1)
def tables() -> NiceTables:
    with refdata.open_text(refdata.packaged("nice_classes")) as fh:
        classes = {r["class"]: (r["type"], r["title_zh"]) for r in csv.DictReader(fh)}
    with refdata.open_text(refdata.packaged("nice_groups")) as fh:
        groups = {r["group"]: (r["class"], r["name_zh"]) for r in csv.DictReader(fh)}
    return NiceTables(classes, groups)


def nice_id(code: str) -> str:
    return f"{SCHEME}:{code}"


def class_row(code: str) -> dict[str, Any]:
    return _row(code, "class", tables().classes)


def group_row(code: str) -> dict[str, Any]:
    return _row(code, "group", tables().groups)


def _row(code: str, level: str, table: Mapping[str, Any]) -> dict[str, Any]:
    row: dict[str, Any] = {"id": nice_id(code), "scheme": SCHEME, "code": code, "level": level}
    if found := table.get(code):
        row["name_zh"] = found[1]
    return row


def add_nice(rows: GraphRows, classes: list[str], groups: list[str], props: dict[str, Any]) -> list[tuple[str, bool]]:
    """Technology nodes for a mark's classes and groups (groups BROADER their class); returns
    (node id, main) for CLASSIFIED_AS: every class (the first is main) and every group."""
    out: list[tuple[str, bool]] = []
    seen: set[str] = set()
    for i, code in enumerate(classes):
        rows.node("Technology", {**class_row(code), **props})
        out.append((nice_id(code), i == 0))
        seen.add(code)
    for code in groups:
        cls = code[:2]
        rows.node("Technology", {**group_row(code), **props})
        if cls not in seen:  # a group without its class listed: the class still exists
            rows.node("Technology", {**class_row(cls), **props})
            seen.add(cls)
        rows.rel("BROADER", "Technology", "Technology", nice_id(code), nice_id(cls), props)
        out.append((nice_id(code), False))
    return out


def taxonomy_rows(props: dict[str, Any]) -> GraphRows:
    """Every shipped class and group, with BROADER group -> class."""
    rows = GraphRows()
    t = tables()
    for code in t.classes:
        rows.node("Technology", {**class_row(code), **props})
    for code, (cls, _name) in t.groups.items():
        rows.node("Technology", {**group_row(code), **props})
        rows.rel("BROADER", "Technology", "Technology", nice_id(code), nice_id(cls), props)
    return rows


@dataclass(frozen=True)
class NiceMapping:
    nice: str  # class "09" or group "0901"
    section: str  # GB/T 4754 门类 letter; "" when explicitly unmapped
    division: str  # GB/T 4754 大类 two digits; "" when explicitly unmapped
    industry_name: str
    reasoning: str
    origin: str

    @property
    def mapped(self) -> bool:
        return bool(self.division)


def load_concordance(path: Path | None = None) -> list[NiceMapping]:
    """The concordance (packaged unless ``path``), validated: known codes, reasons on every row, and
    every one of the 45 classes mapped or explicitly unmapped (a row with empty section/division)."""
    p = path or refdata.packaged("nice_concordance")
    if not p.is_file():
        raise ExtractionError(f"Nice concordance {p} not found")
    out: list[NiceMapping] = []
    with refdata.open_text(p) as fh:
        reader = csv.reader(fh)
        header = [h.strip() for h in next(reader, [])]
        if tuple(header) != _COLUMNS:
            raise ExtractionError(f"{p}: header must be {','.join(_COLUMNS)} (got {','.join(header) or 'nothing'})")
        for line, cells in enumerate(reader, start=2):
            if not any(c.strip() for c in cells):
                continue
            out.append(_mapping(p, line, cells))
    missing = sorted({f"{i:02d}" for i in range(1, 46)} - {m.nice[:2] for m in out if len(m.nice) == 2})
    if missing:
        raise ExtractionError(f"{p}: Nice classes {', '.join(missing)} have no row (map them, or add a row with "
                              "empty section and division and the reason they stay unmapped)")
    return out


def _mapping(p: Path, line: int, cells: list[str]) -> NiceMapping:
    if len(cells) != len(_COLUMNS):
        raise ExtractionError(f"{p}:{line}: {len(cells)} cells, expected {len(_COLUMNS)} (quote commas in reasoning)")
    nice, section, division, name, reasoning = (c.strip() for c in cells)
    if not (_CLASS.match(nice) or _GROUP.match(nice)):
        raise ExtractionError(f"{p}:{line}: {nice!r} is not a Nice class (01-45) or similar-goods group (4 digits)")
    if not reasoning:
        raise ExtractionError(f"{p}:{line}: every row needs its reasoning")
    if (section or division) and not (_SECTION.match(section) and _DIVISION.match(division)):
        raise ExtractionError(f"{p}:{line}: section must be a GB/T 4754 门类 letter and division a 2-digit 大类 "
                              f"(got {section!r}, {division!r}); leave both empty for an unmapped class")
    return NiceMapping(nice, section, division, name, reasoning, p.name)


def concordance_rows(mappings: list[NiceMapping], industry_scheme: str, industry_id: Any,
                     props: dict[str, Any]) -> GraphRows:
    """Industry nodes of the mapped 大类 and ``MAPS_TO`` from each class/group node."""
    rows = GraphRows()
    for m in mappings:
        if not m.mapped:
            continue
        iid = industry_id(industry_scheme, m.division)
        rows.node("Industry", {"id": iid, "scheme": industry_scheme, "code": m.division,
                               "name": m.industry_name or None, "level": "大类", **props})
        node = class_row(m.nice) if len(m.nice) == 2 else group_row(m.nice)
        rows.node("Technology", {**node, **props})
        rows.rel("MAPS_TO", "Technology", "Industry", node["id"], iid, {"origin": m.origin, **props})
    return rows
