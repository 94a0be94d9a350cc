"""Make a standalone matplotlib SVG embeddable in an HTML page next to other SVGs."""

from __future__ import annotations

import re

_PROLOG = re.compile(r"\A\s*(<\?xml[^>]*\?>\s*)?(<!DOCTYPE[^>]*>\s*)?", re.S)
_ID = re.compile(r'\bid="([^"]+)"')
_URL = re.compile(r"url\(#([^)]+)\)")
_HREF = re.compile(r'href="#([^"]+)"')


def inline_svg(svg: str, prefix: str) -> str:
    """Drop the XML prolog and prefix every id (and reference to it) so two maps on one page don't clash."""
    body = _PROLOG.sub("", svg, count=1)
    body = _ID.sub(lambda m: f'id="{prefix}{m.group(1)}"', body)
    body = _URL.sub(lambda m: f"url(#{prefix}{m.group(1)})", body)
    return _HREF.sub(lambda m: f'href="#{prefix}{m.group(1)}"', body)
