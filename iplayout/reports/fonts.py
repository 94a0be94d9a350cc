"""A font with Chinese glyphs for matplotlib maps and PDF reports.

Order: a CJK family matplotlib already knows (system fonts such as Debian ``fonts-noto-cjk``), then
Noto Sans CJK SC shipped inside the PyPI package ``mplfonts`` (SIL OFL), found without importing it.
"""

from __future__ import annotations

import importlib.util
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from iplayout.errors import ReportError

KNOWN_FAMILIES = (
    "Noto Sans CJK SC", "Noto Sans SC", "Source Han Sans SC", "Source Han Sans CN",
    "WenQuanYi Zen Hei", "WenQuanYi Micro Hei", "Microsoft YaHei", "PingFang SC",
)
BUNDLED = ("mplfonts", "fonts/NotoSansCJKsc-Regular.otf")
INSTALL_HINT = "install a Chinese font: `pip install mplfonts` (ships Noto Sans CJK SC) or `apt-get install fonts-noto-cjk`"


@dataclass(frozen=True)
class CjkFont:
    family: str
    path: Path


def _installed() -> CjkFont | None:
    from matplotlib import font_manager

    by_name = {f.name: Path(f.fname) for f in font_manager.fontManager.ttflist}
    for family in KNOWN_FAMILIES:
        if family in by_name:
            return CjkFont(family, by_name[family])
    return None


def _bundled() -> Path | None:
    package, relative = BUNDLED
    spec = importlib.util.find_spec(package)
    if spec is None or not spec.submodule_search_locations:
        return None
    for folder in spec.submodule_search_locations:
        candidate = Path(folder) / relative
        if candidate.is_file():
            return candidate
    return None


@lru_cache(maxsize=1)
def cjk_font() -> CjkFont:
    """The Chinese font to use, registered with matplotlib; ReportError when there is none."""
    found = _installed()
    if found is not None:
        return found
    path = _bundled()
    if path is None:
        raise ReportError(f"no font with Chinese glyphs found; {INSTALL_HINT}")
    from matplotlib import font_manager

    font_manager.fontManager.addfont(str(path))
    return CjkFont(font_manager.FontProperties(fname=str(path)).get_name(), path)
