"""WIPO IPC–Technology concordance (Schmoch 2008, 35 fields in 5 sectors).

Input layout (PATSTAT ``tls901`` style, as in ipc_wipo_35_fields/ipc_technology.csv)::

    field_nr,sector,field_name,ipc
    2,Electrical engineering,Audio-visual technology,H04N   3%

``ipc`` is a SQL LIKE pattern: ``H01M%`` is a whole subclass; ``A61K   8%`` is subclass + main group
right-aligned in four characters (PATSTAT padding), i.e. main group A61K 8/. The most specific
pattern wins, so a main-group rule beats its subclass rule.

Graph decision: a WIPO field is a ``Technology`` (scheme ``WIPO35``), not an ``Industry`` — it
classifies technology, not economic activity. So an IPC node links to its field with ``BROADER``
(SKOS broadMatch semantics, a second parent beside the IPC hierarchy), never ``MAPS_TO``.
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass, field
from pathlib import Path

from iplayout.errors import ExtractionError
from iplayout.nlp.ipc import IpcCode
from iplayout.refdata import open_text

_PATTERN = re.compile(r"^(?P<sub>[A-HY]\d{2}[A-Z])(?P<mg>[ \d]{4})?%?$")


@dataclass(frozen=True)
class Field:
    nr: int
    name: str
    sector: str

    @property
    def id(self) -> str:
        return f"WIPO35:{self.nr}"


@dataclass
class Wipo35:
    fields: dict[int, Field] = field(default_factory=dict)
    by_subclass: dict[str, int] = field(default_factory=dict)
    by_main_group: dict[tuple[str, str], int] = field(default_factory=dict)

    def field_for(self, code: IpcCode) -> Field | None:
        if code.subclass is None:
            return None
        nr = None
        if code.main_group is not None:
            nr = self.by_main_group.get((code.subclass, code.main_group))
        if nr is None:
            nr = self.by_subclass.get(code.subclass)
        return self.fields.get(nr) if nr is not None else None

    def anchor(self, code: IpcCode) -> IpcCode | None:
        """The IPC node that carries the BROADER edge to the field (the level the rule names)."""
        if code.subclass is None or self.field_for(code) is None:
            return None
        if code.main_group is not None and (code.subclass, code.main_group) in self.by_main_group:
            return IpcCode(code.subclass, code.main_group, "00")
        return IpcCode(code.subclass)


def load_wipo35(path: str | Path) -> Wipo35:
    p = Path(path)
    if not p.is_file():
        raise ExtractionError(f"WIPO 35-field concordance {p} not found")
    out = Wipo35()
    with open_text(p) as fh:
        for row in csv.DictReader(fh):
            _add(out, row, p)
    return out


def _add(out: Wipo35, row: dict[str, str], path: Path) -> None:
    m = _PATTERN.match(row["ipc"].rstrip("%").ljust(4) if len(row["ipc"]) <= 5 else row["ipc"].rstrip("%"))
    if not m:
        raise ExtractionError(f"{path}: cannot read IPC pattern {row['ipc']!r}")
    nr = int(row["field_nr"])
    out.fields.setdefault(nr, Field(nr, row["field_name"], row["sector"]))
    mg = (m.group("mg") or "").strip()
    if mg:
        out.by_main_group[(m.group("sub"), str(int(mg)))] = nr
    else:
        out.by_subclass[m.group("sub")] = nr
