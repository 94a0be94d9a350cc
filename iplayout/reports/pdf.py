"""HTML -> PDF with WeasyPrint, embedding the Chinese font found by ``fonts.cjk_font``."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager

from iplayout.errors import ReportError
from iplayout.reports.fonts import cjk_font

# One weight only: WeasyPrint subsets every face it uses, and a CJK face takes seconds to subset.
PDF_CSS = """
@page { size: A4; margin: 14mm 12mm; }
@font-face { font-family: "%(family)s"; src: url("%(url)s"); }
html, body, h1, h2, th, .badge { font-family: "%(family)s", sans-serif; font-weight: normal !important; }
body { margin: 0; max-width: none; font-size: 9.5pt; }
h1 { font-size: 18pt; } h2 { font-size: 12.5pt; color: #1f3b57; }
figure { break-inside: avoid; } figure svg { width: 150mm; height: auto; }
table { table-layout: fixed; } td, th { overflow-wrap: anywhere; } table { break-inside: auto; } tr { break-inside: avoid; }
"""


# Expected noise: WeasyPrint's CSS validator does not know SVG presentation properties (fill, stroke,
# text-anchor) inside the maps' style attributes, though its SVG renderer applies them; and it notes
# once per font that it subsets with fontTools because HarfBuzz-Subset is not installed.
NOISE = ("Ignored `fill", "Ignored `stroke", "Ignored `text-anchor", "HarfBuzz-Subset")


class _DropSvgNoise(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        return not any(n in message for n in NOISE)


@contextmanager
def _quiet_subset_notice() -> Iterator[None]:
    logger = logging.getLogger("weasyprint")
    flt = _DropSvgNoise()
    logger.addFilter(flt)
    try:
        yield
    finally:
        logger.removeFilter(flt)


def html_to_pdf(html: str) -> bytes:
    """PDF bytes of a self-contained HTML page (inline SVG maps included)."""
    try:
        from weasyprint import CSS, HTML
        from weasyprint.text.fonts import FontConfiguration
    except (ImportError, OSError) as exc:
        raise ReportError(f"PDF output needs WeasyPrint (`pip install weasyprint`) and Pango: {exc}") from exc
    font = cjk_font()
    fonts = FontConfiguration()
    css = CSS(string=PDF_CSS % {"family": font.family, "url": font.path.resolve().as_uri()}, font_config=fonts)
    with _quiet_subset_notice():
        pdf = HTML(string=html).write_pdf(stylesheets=[css], font_config=fonts)
    if not pdf:
        raise ReportError("WeasyPrint produced no PDF")
    return bytes(pdf)
