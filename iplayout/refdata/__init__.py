"""Reference tables shipped with the package, the user's overrides, and which version each build used.

Packaged tables (``data/``, written by scripts/build-reference-data.py from public sources; source,
version and licence in ``data/manifest.json`` and docs/extraction.md) are used when
``$IPLAYOUT_HOME/reference/`` holds no file of that table. A user file always wins.
"""

from __future__ import annotations

import gzip
import hashlib
import json
from functools import lru_cache
from pathlib import Path
from typing import IO, Any

DATA = Path(__file__).with_name("data")
VERSIONS_FILE = "reference-versions.json"  # in $IPLAYOUT_HOME: the tables the last build read

# table -> the user file names that override it inside $IPLAYOUT_HOME/reference/
USER_PATTERNS: dict[str, tuple[str, ...]] = {
    "wipo35": ("ipc_technology*.csv", "ipc_technology*.csv.gz"),
    "ipc_titles_zh": ("ipc_zh*.tsv", "ipc_zh*.tsv.gz"),
    "gbt4754": ("gbt4754*.json", "gbt4754*.json.gz"),
    "census2020": ("census*.csv", "census*.csv.gz"),
    "nice_concordance": ("nice_concordance*.csv", "nice_concordance*.csv.gz"),
}


@lru_cache(maxsize=1)
def manifest() -> dict[str, dict[str, Any]]:
    data: dict[str, dict[str, Any]] = json.loads((DATA / "manifest.json").read_text(encoding="utf-8"))
    return data


def packaged(table: str) -> Path:
    return DATA / str(manifest()[table]["file"])


def user_file(table: str, folder: Path | None) -> Path | None:
    """The user's override of ``table`` in ``folder`` (first by name), if any."""
    if folder is None or not folder.is_dir():
        return None
    for pattern in USER_PATTERNS[table]:
        found = sorted(folder.glob(pattern))
        if found:
            return found[0]
    return None


def resolve(table: str, folder: Path | None) -> Path:
    """The file ``table`` is read from: the user's override, else the packaged one."""
    return user_file(table, folder) or packaged(table)


def open_text(path: Path) -> IO[str]:
    """A text handle on ``path``, gunzipped when its name ends in ``.gz``."""
    if path.suffix == ".gz":
        return gzip.open(path, "rt", encoding="utf-8-sig", newline="")
    return path.open(encoding="utf-8-sig", newline="")


def describe(table: str, path: Path) -> dict[str, Any]:
    """What a report says about the table read from ``path``: origin, version, file, digest."""
    if path.parent.resolve() == DATA.resolve():
        entry = manifest()[table]
        return {"origin": "packaged", "version": entry["version"], "file": entry["file"],
                "source": entry["source"], "licence": entry["licence"], "sha256": str(entry["sha256"])[:12]}
    digest = hashlib.sha256(path.read_bytes()).hexdigest()[:12]
    return {"origin": "user", "version": f"user file {path.name}", "file": str(path), "sha256": digest}


def record_versions(home: Path, tables: dict[str, Path | None]) -> dict[str, Any]:
    """Remember which file of each table this build read (``None``: the table was not used)."""
    versions = {t: (describe(t, p) if p is not None else None) for t, p in sorted(tables.items())}
    home.mkdir(parents=True, exist_ok=True)
    (home / VERSIONS_FILE).write_text(json.dumps(versions, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    return versions


def built_versions(home: Path) -> dict[str, Any] | None:
    """The tables the last build read, or ``None`` when no build recorded them."""
    path = home / VERSIONS_FILE
    if not path.is_file():
        return None
    data: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    return data
