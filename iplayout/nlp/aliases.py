"""The user's organisation alias table: names of one organisation across languages and sources.

``$IPLAYOUT_HOME/reference/org_aliases*.csv`` (UTF-8, header ``name,canonical``, one alias a row)::

    name,canonical
    "Huawei Technologies Co., Ltd.",华为技术有限公司      <- quote a name that contains commas
    HUAWEI TECH CO LTD,华为技术有限公司

Every name is reduced to its resolution key, so one row covers all spellings that already meet
(``HUAWEI TECH CO LTD`` also covers ``Huawei Tech. Co., Ltd.``). A mention whose key is listed
resolves to the canonical name's key: one ``Organization`` whose ``aliases`` lists the canonical
name and every name of the table. Chains (A → B, B → C) resolve to the end; a cycle, a name given
two canonicals, a missing column or an empty cell stops the build with ``file:line: reason``.

Names are never merged across languages without this table: the duplicates review list
(``iplayout export duplicates``) only proposes rows for it.
"""

from __future__ import annotations

import csv
import hashlib
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path

from iplayout.errors import ExtractionError
from iplayout.nlp.organisations import OrgName, clean_name, resolution_key
from iplayout.nlp.versions import KIND_EXTRACTORS, extractor_version

PATTERN = "org_aliases*.csv"
_COLUMNS = ("name", "canonical")


@dataclass(frozen=True)
class AliasTable:
    """Resolution key of a listed name → canonical key; canonical key → its display name and names."""

    canonical: Mapping[str, str] = field(default_factory=dict)
    display: Mapping[str, str] = field(default_factory=dict)
    names: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    digest: str = ""

    def __bool__(self) -> bool:
        return bool(self.canonical)

    def apply(self, org: OrgName) -> OrgName:
        """The mention as its canonical organisation (unchanged when the table does not list it)."""
        parent = self.apply(org.parent) if org.parent is not None else None
        target = self.canonical.get(org.key)
        if target is None:
            target = org.key if org.key in self.names else None
        if target is None:
            return org if parent is org.parent else replace(org, parent=parent)
        return replace(org, name=self.display[target], key=target, aliases=self.names[target], parent=parent)

    def version(self) -> str:
        """Part of the ledger version of record kinds with organisations: a changed table rebuilds them."""
        return f"aliases:{self.digest[:12]}" if self else ""


def ledger_version(kind: str, table: AliasTable | None) -> str:
    """``extractor_version(kind)``, plus the table's digest for kinds whose rows name organisations."""
    base = extractor_version(kind)
    return f"{base}|{table.version()}" if table and "orgs" in KIND_EXTRACTORS[kind] else base


def discover(folder: Path) -> tuple[Path, ...]:
    return tuple(sorted(folder.glob(PATTERN))) if folder.is_dir() else ()


def load_aliases(paths: tuple[Path, ...] | list[Path]) -> AliasTable:
    """Read and check every alias file (see the module docstring); raises ExtractionError(file:line: …)."""
    edges: dict[str, tuple[str, Path, int]] = {}  # name key → (canonical key, file, line)
    display: dict[str, str] = {}
    names: dict[str, list[str]] = {}
    digest = hashlib.sha256()
    for path in paths:
        for line, name, canonical in _rows(path):
            digest.update(f"{name}\0{canonical}\n".encode())
            nkey, ckey = resolution_key(name), resolution_key(canonical)
            display.setdefault(ckey, clean_name(canonical))
            display.setdefault(nkey, clean_name(name))
            for key, text in ((ckey, canonical), (ckey, name)):
                bucket = names.setdefault(key, [])
                if clean_name(text) not in bucket:
                    bucket.append(clean_name(text))
            if nkey == ckey:
                continue  # spellings that already meet: kept as aliases, nothing to redirect
            known = edges.get(nkey)
            if known is not None and known[0] != ckey:
                raise ExtractionError(f"{path}:{line}: {name!r} already has canonical {display[known[0]]!r} "
                                      f"({known[1].name}:{known[2]})")
            edges[nkey] = (ckey, path, line)
            _check_cycle(edges, nkey, path, line, display)
    resolved = {k: _end(edges, k) for k in edges}
    merged: dict[str, list[str]] = {}
    # the canonical's own names first, then the others in file order
    for key, bucket in sorted(names.items(), key=lambda kv: resolved.get(kv[0], kv[0]) != kv[0]):
        target = resolved.get(key, key)
        out = merged.setdefault(target, [])
        out.extend(n for n in bucket if n not in out)
    return AliasTable(canonical=resolved, display={k: display[k] for k in merged},
                      names={k: tuple(v) for k, v in merged.items()}, digest=digest.hexdigest())


def load_folder(folder: Path) -> AliasTable:
    return load_aliases(discover(folder))


def _rows(path: Path) -> list[tuple[int, str, str]]:
    try:
        text = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        raise ExtractionError(f"{path}:1: cannot read the alias file ({exc})") from exc
    reader = csv.reader(text.splitlines())
    header = [h.strip().lower() for h in next(reader, [])]
    missing = [c for c in _COLUMNS if c not in header]
    if missing:
        raise ExtractionError(f"{path}:1: missing column {missing[0]!r} (the header must be name,canonical)")
    iname, icanon = header.index("name"), header.index("canonical")
    out = []
    for row in reader:
        line = reader.line_num
        if not any(cell.strip() for cell in row):
            continue
        cells = [row[i].strip() if i < len(row) else "" for i in (iname, icanon)]
        for col, cell in zip(_COLUMNS, cells, strict=True):
            if not cell:
                raise ExtractionError(f"{path}:{line}: no {col} in this row")
        out.append((line, cells[0], cells[1]))
    return out


def _end(edges: Mapping[str, tuple[str, Path, int]], key: str) -> str:
    seen = {key}
    while key in edges:
        key = edges[key][0]
        if key in seen:  # cannot happen after _check_cycle; guards the loop
            break
        seen.add(key)
    return key


def _check_cycle(edges: Mapping[str, tuple[str, Path, int]], start: str, path: Path, line: int,
                 display: Mapping[str, str]) -> None:
    chain, key = [start], edges[start][0]
    while key in edges:
        chain.append(key)
        if key == start:
            names = " → ".join(display.get(k, k) for k in chain)
            raise ExtractionError(f"{path}:{line}: alias cycle {names}")
        key = edges[key][0]
        if len(chain) > len(edges) + 1:
            break
