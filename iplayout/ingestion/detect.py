"""Which reader handles a file: by extension first, then by a look at its first bytes."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from pathlib import Path

from iplayout.errors import IngestionError
from iplayout.ingestion.readers.base import Item, ReadContext
from iplayout.ingestion.readers.bibtex import read_bibtex
from iplayout.ingestion.readers.brs import read_brs
from iplayout.ingestion.readers.cnipa_trademarks import is_package_dir, read_cnipa_package
from iplayout.ingestion.readers.documents import read_document
from iplayout.ingestion.readers.jsonl import read_jsonl
from iplayout.ingestion.readers.tables import read_csv, read_xlsx
from iplayout.ingestion.readers.tagged import read_noteexpress, read_ris
from iplayout.ingestion.readers.uspto import read_uspto
from iplayout.ingestion.readers.uspto_trademarks import is_tdxf, read_uspto_trademarks

Reader = Callable[[ReadContext], Iterator[Item]]

_BY_SUFFIX: dict[str, Reader] = {
    ".csv": read_csv,
    ".tsv": read_csv,
    ".tab": read_csv,
    ".xlsx": read_xlsx,
    ".xlsm": read_xlsx,
    ".xml": read_uspto,
    ".net": read_noteexpress,
    ".ris": read_ris,
    ".bib": read_bibtex,
    ".jsonl": read_jsonl,
    ".ndjson": read_jsonl,
    ".json": read_jsonl,
    ".txt": read_document,
    ".md": read_document,
    ".markdown": read_document,
    ".html": read_document,
    ".htm": read_document,
    ".pdf": read_document,
    ".docx": read_document,
    ".zip": read_cnipa_package,
}
_DOCUMENTS = frozenset({".txt", ".md", ".markdown", ".html", ".htm"})
# Files that sit beside data in exports and corpora and are never records.
_SKIP_NAMES = ("readme", "license", "licence", "provenance", "changelog")


def _head(path: Path) -> bytes:
    try:
        with path.open("rb") as fh:
            return fh.read(4096)
    except OSError as exc:
        raise IngestionError(f"{path}: cannot open ({exc.strerror or exc})") from exc


def _is_brs(path: Path) -> bool:
    return path.suffix.lower() == ".txt" and b"BRS DOCUMENT BOUNDARY" in _head(path)


def reader_for(path: Path, kind: str | None) -> Reader:
    if is_package_dir(path):
        return read_cnipa_package
    suffix = path.suffix.lower()
    if suffix == ".xls":
        raise IngestionError(f"{path}: legacy .xls workbooks are not read; save it as .xlsx or CSV")
    reader = _BY_SUFFIX.get(suffix)
    if reader is None:
        raise IngestionError(f"{path}: unsupported file type {suffix or '(no extension)'}")
    head = _head(path)
    if suffix == ".txt" and b"BRS DOCUMENT BOUNDARY" in head:
        return read_brs
    if suffix == ".xml" and is_tdxf(head):
        return read_uspto_trademarks
    if suffix == ".json" and head.lstrip(b"\xef\xbb\xbf \t\r\n").startswith(b"["):
        raise IngestionError(f"{path}: JSON arrays are not streamed; convert to JSON Lines (one object per line)")
    if suffix in _DOCUMENTS and kind not in (None, "policies"):
        return read_csv  # e.g. a tab-separated .txt table ingested with --kind stats
    return reader


def expand(paths: Iterable[Path], kind: str | None) -> list[Path]:
    """Files named directly, plus the data files inside named folders (recursively, sorted).

    Inside folders, text/Markdown/HTML files are taken only with ``--kind policies``: corpora
    carry READMEs and notes that are not policy documents.
    """
    out: list[Path] = []
    for path in paths:
        if not path.is_dir() or is_package_dir(path):
            out.append(path)
            continue
        packages: set[Path] = set()
        for child in sorted(p for p in path.rglob("*") if p.is_file()):
            suffix = child.suffix.lower()
            package = _package_of(child, path, packages)
            if package is not None:  # a CNIPA package folder is one source, read as a whole
                if package not in packages:
                    packages.add(package)
                    out.append(package)
                continue
            if child.name.lower().startswith(_SKIP_NAMES) or suffix not in _BY_SUFFIX:
                continue
            if suffix in _DOCUMENTS and kind != "policies" and not _is_brs(child):
                continue
            out.append(child)
    return out


def _package_of(child: Path, root: Path, known: set[Path]) -> Path | None:
    """The CNIPA package folder (inside ``root``) that holds ``child``, if any."""
    for folder in child.parents:
        if folder in known or is_package_dir(folder):
            return folder
        if folder == root:
            return None
    return None
