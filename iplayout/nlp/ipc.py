"""IPC / CPC codes: parsing every common spelling, the five-level hierarchy, Chinese titles, WIPO 35 fields.

Spellings accepted: ``H01M 10/0525``, ``H01M10/0525``, ``h01m 10/0525``, full-width, with an edition
suffix ``(2010.01)``, PATSTAT-padded ``H01M  10/0525``, the 14-character DOCDB form
``H01M0010052500`` and lists separated by ``;`` ``,`` ``；`` or line breaks.

Node ids: ``IPC:H``, ``IPC:H01``, ``IPC:H01M``, ``IPC:H01M10/00``, ``IPC:H01M10/0525`` (``CPC:`` for
codes only CPC has, i.e. section Y). The parent of every subgroup is its main group: the dot
indentation between subgroups is not in our sources, so we do not invent it.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Literal

from iplayout.errors import ExtractionError
from iplayout.nlp.normalize import to_halfwidth
from iplayout.refdata import open_text

Level = Literal["section", "class", "subclass", "main_group", "subgroup"]

_CODE = re.compile(
    r"(?<![A-Z0-9])(?P<sub>[A-HY]\d{2}[A-Z])"
    r"(?:(?P<docdb>\d{4})(?P<docdb_sg>\d{6})(?!\d)"
    r"|[\s\-]*(?P<mg>\d{1,4})\s*/\s*(?P<sg>\d{1,6})(?!\d))?"
)
CODE_PATTERN = _CODE  # public: the spaCy component finds codes in running text with it
_SHORT = re.compile(r"^(?P<sec>[A-HY])(?P<cls>\d{2})?$")


@dataclass(frozen=True, order=True)
class IpcCode:
    subclass: str | None  # "H01M"; None for section/class-only codes
    main_group: str | None = None  # "10"
    subgroup: str | None = None  # "0525"; "00" for a main group
    prefix: str = ""  # "H" or "H01" when the code stops above subclass

    @property
    def scheme(self) -> str:
        return "CPC" if (self.subclass or self.prefix).startswith("Y") else "IPC"

    @property
    def level(self) -> Level:
        if self.subclass is None:
            return "section" if len(self.prefix) == 1 else "class"
        if self.main_group is None:
            return "subclass"
        return "main_group" if self.subgroup == "00" else "subgroup"

    @property
    def compact(self) -> str:
        """``H01M10/0525`` (also the key used in the title tables)."""
        if self.subclass is None:
            return self.prefix
        if self.main_group is None:
            return self.subclass
        return f"{self.subclass}{self.main_group}/{self.subgroup}"

    @property
    def normalized(self) -> str:
        """``H01M 10/0525``: the form canonical records use."""
        if self.subclass is None or self.main_group is None:
            return self.compact
        return f"{self.subclass} {self.main_group}/{self.subgroup}"

    @property
    def id(self) -> str:
        return f"{self.scheme}:{self.compact}"

    def parent(self) -> IpcCode | None:
        level = self.level
        if level == "section":
            return None
        if level == "class":
            return IpcCode(None, prefix=self.prefix[0])
        assert self.subclass is not None
        if level == "subclass":
            return IpcCode(None, prefix=self.subclass[:3])
        if level == "main_group":
            return IpcCode(self.subclass)
        return IpcCode(self.subclass, self.main_group, "00")

    def lineage(self) -> list[IpcCode]:
        """This code and every ancestor, most specific first."""
        out: list[IpcCode] = []
        node: IpcCode | None = self
        while node is not None:
            out.append(node)
            node = node.parent()
        return out


def _strip_subgroup(sg: str) -> str:
    # DOCDB pads the subgroup to 6 digits on the right ("052500" → "0525"); keep at least two digits.
    return sg.rstrip("0").ljust(2, "0")


def iter_codes(text: str | None) -> Iterator[IpcCode]:
    """Every IPC/CPC code inside ``text`` (lists, edition suffixes and padding tolerated)."""
    if not text:
        return
    clean = to_halfwidth(text).upper()
    for m in _CODE.finditer(clean):
        sub = m.group("sub")
        if m.group("docdb"):
            yield IpcCode(sub, str(int(m.group("docdb"))), _strip_subgroup(m.group("docdb_sg")))
        elif m.group("mg"):
            yield IpcCode(sub, str(int(m.group("mg"))), m.group("sg").ljust(2, "0"))
        else:
            yield IpcCode(sub)


def parse(code: str) -> IpcCode | None:
    """One code (any spelling, including section ``H`` and class ``H01``); None if it is not one."""
    stripped = to_halfwidth(code).strip().upper()
    short = _SHORT.match(stripped)
    if short:
        return IpcCode(None, prefix=stripped)
    return next(iter_codes(stripped), None)


def parse_list(text: str | Iterable[str] | None) -> list[IpcCode]:
    """Codes of a field or list of fields, de-duplicated, order kept (the first is the main one)."""
    items = (text,) if isinstance(text, str) or text is None else tuple(text)
    if len(items) <= 16 and all(item is None or len(item) <= 64 for item in items):
        return list(_parse_items(items))
    return list(_parse_items.__wrapped__(items))


# A record's code list recurs across records: short lists are remembered (a malformed cell may be long).
@lru_cache(maxsize=16_384)
def _parse_items(items: tuple[str | None, ...]) -> tuple[IpcCode, ...]:
    out: list[IpcCode] = []
    for item in items:
        for code in iter_codes(item):
            if code not in out:
                out.append(code)
    return tuple(out)


def normalize(code: str) -> str | None:
    parsed = parse(code)
    return parsed.normalized if parsed else None


# ---- reference tables ------------------------------------------------------------------------

_PDF_SPACE = re.compile(r"(?<=[\u4e00-\u9fff，；、（）])\s+(?=[\u4e00-\u9fff，；、（）])")


def load_titles_zh(path: str | Path) -> dict[str, str]:
    """Chinese titles from a TSV (or .tsv.gz) with columns ``code`` and ``title_zh`` (ipc_zh_2026 layout).

    Keys are compact codes (``H01M10/0525``); PDF line-break spaces inside Chinese text are removed.
    """
    p = Path(path)
    if not p.is_file():
        raise ExtractionError(f"IPC title file {p} not found")
    st = p.stat()
    return _titles(p.resolve(), st.st_mtime_ns, st.st_size)


# Every build reads the table (77k rows packaged): read each file version once per process.
@lru_cache(maxsize=2)
def _titles(p: Path, _mtime_ns: int, _size: int) -> dict[str, str]:
    titles: dict[str, str] = {}
    with open_text(p) as fh:
        for row in csv.DictReader(fh, delimiter="\t"):
            parsed = parse(row["code"])
            if parsed is not None and row.get("title_zh"):
                titles[parsed.compact] = _PDF_SPACE.sub("", row["title_zh"].strip())
    return titles
