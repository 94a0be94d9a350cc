"""Text normalisation shared by ingestion, extraction and search.

Full-width ASCII becomes half-width (NFKC would also fold CJK punctuation we want to keep, so
only the FF01–FF5E block and the ideographic space are mapped); whitespace is collapsed;
Traditional Chinese is converted to Simplified with OpenCC at phrase level.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Any

_WS = re.compile(r"\s+")
_FULLWIDTH = {cp: cp - 0xFEE0 for cp in range(0xFF01, 0xFF5F)}
_FULLWIDTH[0x3000] = 0x20


def to_halfwidth(text: str) -> str:
    """Map full-width ASCII letters, digits, punctuation and the ideographic space to half-width."""
    return text.translate(_FULLWIDTH)


def collapse_whitespace(text: str) -> str:
    return _WS.sub(" ", text).strip()


@lru_cache(maxsize=4)
def _converter(config: str) -> Any:
    import opencc  # imported lazily: the C++ dictionaries take ~50 ms to load

    return opencc.OpenCC(config)


def t2s(text: str, config: str = "t2s") -> str:
    """Traditional → Simplified Chinese (``t2s``; ``tw2sp`` for Taiwan phrasing)."""
    if not text:
        return text
    return str(_converter(config).convert(text))


def has_traditional(text: str) -> bool:
    """True when converting to Simplified changes the text."""
    return bool(text) and t2s(text) != text


def normalize_text(text: str | None, *, simplify: bool = True) -> str:
    """Half-width, single-spaced and (by default) Simplified text; ``None`` becomes ``""``."""
    if not text:
        return ""
    out = collapse_whitespace(to_halfwidth(text))
    return t2s(out) if simplify else out
