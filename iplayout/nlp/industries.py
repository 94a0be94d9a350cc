"""Industry classifications and IPC ↔ industry concordances (formats in docs/extraction.md).

* GB/T 4754-2017 from the JSON layout of ``gbt4754_2017_with_notes.json`` (class1 门类 letter,
  class2 大类, class3 中类, class4 小类, level 1–4, name, remark) → Industry nodes with BROADER.
* A concordance CSV (IPC ↔ GB/T 4754-2017 after CNIPA 2018, IPC ↔ 战略性新兴产业 after CNIPA 2021, or
  any other): header with ``ipc`` and ``industry_code`` (``industry_name`` optional); ``ipc`` may hold
  several patterns separated by ``;`` / ``,`` / ``、``; a pattern is a subclass (``H01M``), main group
  (``H01M 10/00``), subgroup, or a prefix ending in ``%``.
* A region's key-industry scope (``scheme,code,field,…`` as in cq_ipc_prefiling_subclasses_2024.csv):
  IPC rows map the subclass to the region's key industry named in ``field``; other schemes (Locarno)
  are skipped.

Each mapping becomes ``(Technology)-[:MAPS_TO {origin}]->(Industry)`` from the IPC node the pattern
names; documents reach industries through CLASSIFIED_AS and the IPC hierarchy.
"""

from __future__ import annotations

import csv
import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from iplayout.errors import ExtractionError
from iplayout.nlp.chains import pattern_node
from iplayout.nlp.rows import GraphRows
from iplayout.refdata import open_text

GBT_SCHEME = "GB/T 4754-2017"


@dataclass(frozen=True)
class IndustryDef:
    scheme: str
    code: str
    name: str
    level: str
    parent: str | None = None

    @property
    def id(self) -> str:
        return industry_id(self.scheme, self.code)


@dataclass(frozen=True)
class Mapping:
    ipc_pattern: str
    industry: IndustryDef
    origin: str  # file name or table name the mapping comes from


def industry_id(scheme: str, code: str) -> str:
    return f"{re.sub(r'[^A-Za-z0-9]+', '', scheme).upper()}:{code}"


def load_gbt4754(path: str | Path) -> list[IndustryDef]:
    p = _existing(path)
    try:
        with open_text(p) as fh:
            items = json.loads(fh.read())
    except json.JSONDecodeError as exc:
        raise ExtractionError(f"{p} is not JSON: {exc}") from exc
    out: list[IndustryDef] = []
    for it in items:
        level = int(it["level"])
        codes = [it["class1"], it["class2"], it["class3"], it["class4"]]
        code = codes[level - 1]
        parent = codes[level - 2] if level > 1 else None
        if level == 4 and not parent:  # 小类 whose 中类 is implicit: fall back to the 大类
            parent = it["class2"]
        out.append(IndustryDef(GBT_SCHEME, code, it["name"], ("门类", "大类", "中类", "小类")[level - 1], parent))
    return _fill_missing_parents(out)


def _fill_missing_parents(items: list[IndustryDef]) -> list[IndustryDef]:
    """The file lists some 中类 only through their 小类: point those children at the 大类 instead."""
    codes = {i.code for i in items}
    return [i if i.parent is None or i.parent in codes else
            IndustryDef(i.scheme, i.code, i.name, i.level, i.parent[:2]) for i in items]


def load_concordance(path: str | Path, scheme: str) -> list[Mapping]:
    p = _existing(path)
    out: list[Mapping] = []
    with p.open(encoding="utf-8-sig", newline="") as fh:
        reader = csv.DictReader(fh)
        if not reader.fieldnames or not {"ipc", "industry_code"} <= set(reader.fieldnames):
            raise ExtractionError(f"{p}: a concordance needs columns ipc and industry_code")
        for row in reader:
            ind = IndustryDef(scheme, row["industry_code"].strip(), (row.get("industry_name") or "").strip(),
                              "concordance")
            out.extend(Mapping(pat, ind, p.name) for pat in re.split(r"[;,、；，\s]+(?=[A-HY]\d)", row["ipc"])
                       if pat.strip())
    return out


def load_region_scope(path: str | Path, region: str) -> list[Mapping]:
    p = _existing(path)
    out: list[Mapping] = []
    with p.open(encoding="utf-8-sig", newline="") as fh:
        for row in csv.DictReader(fh):
            if row.get("scheme", "IPC").upper() != "IPC":
                continue
            field = row["field"].strip()
            ind = IndustryDef(f"{region} key industry", field, field, "key_industry")
            out.append(Mapping(row["code"].strip(), ind, p.name))
    return out


def industry_rows(defs: list[IndustryDef], props: dict[str, Any]) -> GraphRows:
    rows = GraphRows()
    ids = {d.code: d.id for d in defs}
    for d in defs:
        rows.node("Industry", {"id": d.id, "scheme": d.scheme, "code": d.code, "name": d.name, "level": d.level,
                               **props})
        if d.parent and d.parent in ids:
            rows.rel("BROADER", "Industry", "Industry", d.id, ids[d.parent], props)
    return rows


def mapping_rows(mappings: list[Mapping], props: dict[str, Any]) -> GraphRows:
    rows = GraphRows()
    for m in mappings:
        node = pattern_node(m.ipc_pattern)
        if node is None:
            continue
        ind = m.industry
        rows.node("Industry", {"id": ind.id, "scheme": ind.scheme, "code": ind.code, "name": ind.name or None,
                               "level": ind.level, **props})
        rows.node("Technology", {"id": node.id, "scheme": node.scheme, "code": node.normalized,
                                 "level": node.level, **props})
        rows.rel("MAPS_TO", "Technology", "Industry", node.id, ind.id, {"origin": m.origin, **props})
    return rows


def _existing(path: str | Path) -> Path:
    p = Path(path)
    if not p.is_file():
        raise ExtractionError(f"reference file {p} not found")
    return p
