"""Encoding detection and streaming line decoding for text sources.

Chinese exports arrive as UTF-8 (with or without BOM), UTF-16 (Excel "Unicode text"),
GB18030/GBK (older Windows tools) or Big5 (Taiwan, Hong Kong). Detection looks at a bounded
sample only, so memory stays flat; decoding is done per physical line so that a single line in
another encoding ("mixed encodings") is recovered or reported instead of aborting the file.
"""

from __future__ import annotations

import codecs
import io
import logging
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from iplayout.errors import IngestionError

log = logging.getLogger(__name__)

SAMPLE_BYTES = 64 * 1024
_BOMS: tuple[tuple[bytes, str], ...] = (
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
# Frequent characters in both scripts: the decoding that yields more of them wins GB18030 vs Big5,
# because GB18030 decodes almost any byte string without error.
_COMMON = set(
    "的一是在不了有和人这中大为上个国我以要他时来用们生到作地于出就分对成会可主发年动同工也能下过子说产种面"
    "而方后多定行学法所民得经十三之进着等部度家电力里如水化高自二理起小物现实加量都两体制机当使点从业本去把性"
    "好应开它合还因由其些然前外天政四日那社义事平形相全表间样与关各重新线内数正心反你明看原又么利比或但质气第"
    "向道命此变条只没结解问意建月公无系军很情者最立代想已通并提直题党程展五果料象员革位入常文总次品式活设及管"
    "特件长求老头基资边流路级少图山统接知较将组见计别她手角期根论运农指几九区强放决西被干做必战先回则任取据处"
    "國們來時會這說對發經學過動產麼實現點進體長開關間種當與於從後樣機義電稱場車區"
    "公司专利申请发明技术有限责任研究院大学重庆省市县镇街道路号"
)


@dataclass
class DecodeReport:
    """What decoding had to do: which encoding, and lines that needed a fallback or were damaged."""

    encoding: str
    fallback_lines: dict[int, str] = field(default_factory=dict)  # line number -> encoding used
    bad_lines: set[int] = field(default_factory=set)  # undecodable even with fallbacks


def _utf16_without_bom(sample: bytes) -> str | None:
    if len(sample) < 4:
        return None
    even_zero = sample[0::2].count(0)
    odd_zero = sample[1::2].count(0)
    half = len(sample) // 2
    if odd_zero > half * 0.3 and even_zero < half * 0.05:
        return "utf-16-le"
    if even_zero > half * 0.3 and odd_zero < half * 0.05:
        return "utf-16-be"
    return None


def _strict_ok(sample: bytes, encoding: str) -> str | None:
    """Decode ``sample`` strictly, tolerating a character cut at the sample's end."""
    decoder = codecs.getincrementaldecoder(encoding)("strict")
    try:
        return str(decoder.decode(sample, final=False))
    except UnicodeDecodeError:
        return None


def _score(text: str) -> int:
    return sum(1 for ch in text if ch in _COMMON)


def _mostly_utf8(sample: bytes) -> bool:
    """Most non-ASCII lines are UTF-8: a UTF-8 file with a few lines from another tool.

    Those lines are then recovered one by one by the line decoder's fallbacks.
    """
    lines = [ln for ln in sample.splitlines()[:-1] if not ln.isascii()]
    if not lines:
        return False
    ok = sum(1 for ln in lines if _strict_ok(ln, "utf-8") is not None)
    return ok * 2 > len(lines)


def detect_encoding(sample: bytes) -> str:
    """Best encoding for ``sample`` (a file's first bytes)."""
    for bom, name in _BOMS:
        if sample.startswith(bom):
            return name
    utf16 = _utf16_without_bom(sample)
    if utf16:
        return utf16
    if _strict_ok(sample, "utf-8") is not None or _mostly_utf8(sample):
        return "utf-8"
    candidates = {enc: _strict_ok(sample, enc) for enc in ("gb18030", "big5")}
    decoded = {enc: text for enc, text in candidates.items() if text is not None}
    if not decoded:
        return "gb18030"  # the widest table: the line decoder will report what it cannot read
    return max(decoded, key=lambda enc: _score(decoded[enc]))


def sniff(path: Path) -> tuple[bytes, str]:
    """The first bytes of ``path`` and their detected encoding."""
    try:
        with path.open("rb") as fh:
            sample = fh.read(SAMPLE_BYTES)
    except OSError as exc:
        raise IngestionError(f"{path}: cannot open ({exc.strerror or exc})") from exc
    return sample, detect_encoding(sample)


def _fallbacks(primary: str) -> tuple[str, ...]:
    if primary.startswith("utf-8"):
        return ("gb18030", "big5")
    return ("utf-8", "big5") if primary == "gb18030" else ("utf-8", "gb18030")


def _decode_line(raw: bytes, lineno: int, encoding: str, report: DecodeReport) -> str:
    try:
        return raw.decode(encoding)
    except UnicodeDecodeError:
        pass
    for alt in _fallbacks(encoding):
        try:
            text = raw.decode(alt)
        except UnicodeDecodeError:
            continue
        report.fallback_lines[lineno] = alt
        return text
    report.bad_lines.add(lineno)
    return raw.decode(encoding, errors="replace")


def iter_lines(path: Path, report: DecodeReport) -> Iterator[str]:
    """Decoded lines (newline kept) of ``path``, streamed; line numbers are 1-based."""
    encoding = report.encoding
    if encoding.startswith(("utf-16", "utf-32")):
        # Not ASCII-compatible: a byte-level line split would cut code units in half.
        with path.open("r", encoding=encoding, errors="replace", newline="") as fh:
            for lineno, line in enumerate(fh, start=1):
                if "\ufffd" in line:
                    report.bad_lines.add(lineno)
                yield line
        return
    per_line = "utf-8" if encoding == "utf-8-sig" else encoding
    with path.open("rb") as fh:
        for lineno, raw in enumerate(_split_lines(fh), start=1):
            if lineno == 1 and raw.startswith(codecs.BOM_UTF8):
                raw = raw[len(codecs.BOM_UTF8) :]
            yield _decode_line(raw, lineno, per_line, report)


def _split_lines(fh: io.BufferedReader) -> Iterator[bytes]:
    """Physical lines ending in LF, CRLF or a lone CR (old Mac exports such as NoteExpress files)."""
    parts: list[bytes] = []  # pieces of a line longer than one chunk; joined once (no quadratic copies)
    while chunk := fh.read(1 << 16):
        if b"\n" not in chunk and b"\r" not in chunk:
            parts.append(chunk)
            continue
        parts.append(chunk)
        lines = b"".join(parts).splitlines(keepends=True)
        # The last piece may be incomplete (or a CR whose LF is in the next chunk): keep it.
        parts = [lines.pop()] if lines else []
        yield from lines
    if parts:
        yield b"".join(parts)


def read_text(path: Path, limit: int) -> tuple[str, DecodeReport]:
    """A whole small text document (policies), refused above ``limit`` bytes."""
    size = path.stat().st_size
    if size > limit:
        raise IngestionError(f"{path}: {size} bytes is larger than the {limit} byte limit for one document")
    _, encoding = sniff(path)
    report = DecodeReport(encoding)
    return "".join(iter_lines(path, report)), report
