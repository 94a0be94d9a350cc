"""``iplayout analyze density|clusters|chains|evaluate|monitor|policies|catalog`` (filled below)."""

from __future__ import annotations

import typer


def register(analyze: typer.Typer) -> None:
    return None
