"""统一社会信用代码 (GB 32100-2015): 18 characters, checksum-protected.

Position 1 is the registering authority, 2 the organisation category, 3–8 the administrative
division code of the registering authority (so a firm registered in 沙坪坝区 carries 500106),
9–17 the organisation code and 18 a check character. A code whose checksum fails is still
reported (exports contain typos) but marked invalid, and places.py does not trust its division.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"  # no I, O, S, V, Z
_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)
_PATTERN = re.compile(r"(?<![0-9A-Z])([0-9A-HJ-NPQRTUWXY]{2}\d{6}[0-9A-HJ-NPQRTUWXY]{10})(?![0-9A-Z])")

_AUTHORITIES = {
    "1": "机构编制", "5": "民政", "9": "工商/市场监管", "Y": "其他",
    "2": "外交", "3": "司法行政", "4": "文化", "6": "旅游", "7": "宗教", "8": "工会", "A": "中央军委改革和编制办公室",
    "N": "农业", "G": "税务",
}


@dataclass(frozen=True)
class CreditCode:
    code: str
    division: str  # positions 3–8: 行政区划码 of the registering authority
    authority: str  # position 1, described
    category: str  # position 2 (meaning depends on the authority)
    valid: bool  # checksum holds

    @property
    def province_code(self) -> str:
        return self.division[:2] + "0000"


def check_char(first17: str) -> str:
    total = sum(_ALPHABET.index(c) * w for c, w in zip(first17, _WEIGHTS, strict=True))
    return _ALPHABET[(31 - total % 31) % 31]


def parse_credit_code(text: str) -> CreditCode | None:
    """Parse an 18-character code (spaces and case ignored); None when it does not have the shape."""
    code = re.sub(r"\s+", "", text).upper()
    if not _PATTERN.fullmatch(code):
        return None
    return CreditCode(
        code=code,
        division=code[2:8],
        authority=_AUTHORITIES.get(code[0], code[0]),
        category=code[1],
        valid=check_char(code[:17]) == code[17],
    )


def find_credit_code(text: str) -> CreditCode | None:
    """The first code-shaped token inside free text, or None."""
    m = _PATTERN.search(text.upper())
    return parse_credit_code(m.group(1)) if m else None
