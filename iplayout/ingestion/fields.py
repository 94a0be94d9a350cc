"""Value normalisers shared by every reader: dates, IPC/CPC codes, standard numbers, lists.

Each function takes the raw value as the source gave it and returns the canonical form, or
raises ``ValueError`` with a short reason that ends up in the rejects file.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from functools import lru_cache

from iplayout.nlp.normalize import to_halfwidth

# Sentinels that exports put in empty date/number cells (incoPat writes "0" for "no date").
EMPTY_VALUES = frozenset({"", "0", "-", "--", "—", "无", "null", "none", "nan", "n/a", "na"})

_DATE_PATTERNS = (
    re.compile(r"^(\d{4})(\d{2})(\d{2})$"),  # 20221202
    re.compile(r"^(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})(?:[ T]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?$"),
    re.compile(r"^(\d{4})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日?$"),
)


# The caches below hold short cells only: a cell may legally be up to 1 MB (draft.MAX_FIELD_CHARS),
# and 8,192 of those would not keep memory flat.
_CACHED_CHARS = 256


def is_empty(value: object) -> bool:
    if value is None:
        return True
    if isinstance(value, str):
        return value.strip().lower() in EMPTY_VALUES
    return False


def iso_date(value: object) -> str | None:
    """ISO ``YYYY-MM-DD`` from the usual export spellings; ``None`` for empty cells."""
    if isinstance(value, str):
        if is_empty(value):
            return None
        return _iso_date_text(value) if len(value) <= _CACHED_CHARS else _iso_date_text.__wrapped__(value)
    if value is None:
        return None
    if isinstance(value, dt.datetime):
        return value.date().isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    return _iso_date_text(str(value))


@lru_cache(maxsize=8192)
def _iso_date_text(value: str) -> str:
    """Parse a date spelling; cached because an export repeats a few thousand dates over and over."""
    text = to_halfwidth(value).strip()
    for pattern in _DATE_PATTERNS:
        match = pattern.match(text)
        if match:
            year, month, day = (int(g) for g in match.groups())
            try:
                return dt.date(year, month, day).isoformat()
            except ValueError as exc:
                raise ValueError(f"not a calendar date: {exc}") from exc
    raise ValueError("unrecognised date format")


def year_of(value: object) -> int | None:
    """A year from ``2019``, ``2019.0``, ``2019-03-01`` or ``2019年``."""
    if is_empty(value):
        return None
    if isinstance(value, int) and not isinstance(value, bool):
        return value
    if isinstance(value, float) and value.is_integer():
        return int(value)
    match = re.match(r"^\s*(\d{4})(?:\.0)?(?:\D.*)?$", to_halfwidth(str(value)))
    if not match:
        raise ValueError("no 4-digit year")
    return int(match.group(1))


_IPC_VERSION = re.compile(r"\(\s*\d{4}\.\d{2}\s*\)|\s+\d{8}$")
_IPC_SLASH = re.compile(r"^([A-HY])(\d{2})([A-Z])\s*0*(\d{1,4})\s*/\s*(\d{1,6})$")
_IPC_FIXED = re.compile(r"^([A-HY])(\d{2})([A-Z])(\d{4})(\d{6})$")  # H01M0010052500 (EPO/PATSTAT)
_IPC_SUBCLASS = re.compile(r"^([A-HY])(\d{2})([A-Z])$")


def ipc_code(value: str, *, allow_y: bool = False) -> str:
    """``H01M 10/0525`` from ``H01M10/0525``, ``H01M0010052500``, ``G06F017/60``, ``B64U 20/80 (2023.01)``."""
    return _ipc_code(value, allow_y) if len(value) <= _CACHED_CHARS else _ipc_code.__wrapped__(value, allow_y)


@lru_cache(maxsize=8192)
def _ipc_code(value: str, allow_y: bool) -> str:
    """Cached: a patent export uses a few thousand distinct classification codes."""
    text = _IPC_VERSION.sub("", to_halfwidth(value).upper()).strip()
    section_ok = "ABCDEFGHY" if allow_y else "ABCDEFGH"
    fixed = _IPC_FIXED.match(text)
    if fixed:
        sec, cls, sub, main, group = fixed.groups()
        group = group.rstrip("0").ljust(2, "0")
        main = str(int(main))
    else:
        slash = _IPC_SLASH.match(text)
        if not slash:
            only = _IPC_SUBCLASS.match(text)
            if only and only.group(1) in section_ok:
                return text
            raise ValueError("not an IPC/CPC code")
        sec, cls, sub, main, group = slash.groups()
        group = group.ljust(2, "0")
    if sec not in section_ok or main == "0" and group == "00":
        raise ValueError("not an IPC/CPC code")
    return f"{sec}{cls}{sub} {int(main)}/{group}"


@lru_cache(maxsize=64)
def _splitter(separators: str) -> re.Pattern[str]:
    return re.compile("|".join(re.escape(sep) for sep in separators))


def split_list(value: object, separators: str = ";；") -> list[str]:
    """Items of a delimited cell (or an already-split list), stripped, empties dropped."""
    if value.__class__ is str:  # the usual cell, checked first
        text: str = value
    elif value is None:
        return []
    elif isinstance(value, (list, tuple)):
        return _kept([str(item) if item is not None else "" for item in value])
    else:
        text = str(value)
    if not separators or _splitter(separators).search(text) is None:
        # One item (most cells): no split and no cache entry, which would only evict list cells.
        item = text.strip()
        return [item] if item and item.lower() not in EMPTY_VALUES else []
    split = _split_cell if len(text) <= _CACHED_CHARS else _split_cell.__wrapped__
    return list(split(text, separators))


@lru_cache(maxsize=8192)
def _split_cell(text: str, separators: str) -> tuple[str, ...]:
    """Cached: list cells (applicants, classification codes, patent types) recur across rows."""
    return tuple(_kept(_splitter(separators).split(text) if separators else [text]))


_LONGEST_EMPTY = max(map(len, EMPTY_VALUES))  # lower() never shortens a text: longer ones are not empty


def _kept(items: list[str]) -> list[str]:
    return [text for item in items
            if (text := item.strip()) and (len(text) > _LONGEST_EMPTY or text.lower() not in EMPTY_VALUES)]


def dedupe(items: Iterable[str]) -> list[str]:
    """The items without repeats, in first-seen order."""
    return list(dict.fromkeys(items))


_STD_DASH = re.compile(r"\s*[-‐‑‒–—―－~]+\s*")
_STD_NUMBER = re.compile(r"^([A-Z]+\d*(?:/[A-Z]+)?)\s*([A-Z]?[\d.]+(?:\.\d+)*)(?:-(\d{2,4}))?$")


def standard_number(value: str) -> str:
    """``GB/T 4754-2017`` from ``GB／T4754—2017``, ``gb/t 4754 - 2017``, ``DB50/T1234-2022``."""
    text = to_halfwidth(value).upper().strip()
    text = re.sub(r"\s*/\s*", "/", text)
    text = _STD_DASH.sub("-", text)
    text = re.sub(r"\s+", " ", text)
    if text.startswith(("ISO", "IEC")):
        return text  # international numbers keep their own ``ISO 9001:2015`` spelling
    match = _STD_NUMBER.match(text)
    if not match:
        raise ValueError("not a standard number like GB/T 4754-2017")
    prefix, number, year = match.groups()
    return f"{prefix} {number}-{year}" if year else f"{prefix} {number}"


_POSTCODE = re.compile(r"^\s*(\d{6})\s*(?=\D)")


def split_postcode(address: str) -> tuple[str | None, str]:
    """``("450000", "河南省郑州市...")`` from ``450000河南省郑州市...``."""
    match = _POSTCODE.match(address)
    if not match:
        return None, address.strip()
    return match.group(1), address[match.end() :].strip()


def shorten(value: object, limit: int = 500) -> str:
    text = value if isinstance(value, str) else repr(value)
    return text if len(text) <= limit else f"{text[:limit]}…(+{len(text) - limit} chars)"


PATENT_KINDS = {
    "发明": "invention",
    "发明公开": "invention",
    "发明申请": "invention",
    "发明授权": "invention",
    "invention": "invention",
    "utility": "invention",  # a US "utility" patent is an invention patent, not a utility model
    "实用新型": "utility",
    "utility model": "utility",
    "utility_model": "utility",
    "外观设计": "design",
    "design": "design",
}


def patent_kind(value: object) -> str | None:
    """``invention|utility|design`` from 专利类型 (``发明公开;发明授权`` → invention)."""
    if is_empty(value):
        return None
    if isinstance(value, str) and len(value) <= _CACHED_CHARS:
        return _patent_kind_text(value)
    return _patent_kind_of(value)


@lru_cache(maxsize=256)
def _patent_kind_text(value: str) -> str:
    """Cached: an export spells the patent type in a handful of ways."""
    return _patent_kind_of(value)


def _patent_kind_of(value: object) -> str:
    for part in split_list(value, ";；,"):
        found = PATENT_KINDS.get(part.lower())
        if found:
            return found
    raise ValueError("unknown patent type")
