"""Guards that run before a third-party parser touches a file: zip bombs, XML entities, binaries.

openpyxl and zipfile would happily inflate a 1 KB xlsx into gigabytes, and an XML part with a
DOCTYPE can define expanding entities; both are refused here, from the zip directory and the
first bytes of each XML part, before any real parsing starts.
"""

from __future__ import annotations

import zipfile
from pathlib import Path

from iplayout.errors import IngestionError
from iplayout.ingestion.readers.base import Limits

_XML_HEAD = 4096


def check_zip(path: Path, limits: Limits) -> None:
    """Refuse archives whose declared sizes or compression ratios look like a bomb."""
    try:
        with zipfile.ZipFile(path) as archive:
            members = archive.infolist()
            if len(members) > limits.max_zip_members:
                raise IngestionError(f"{path}: {len(members)} archive members (zip bomb?)")
            total = 0
            for info in members:
                total += info.file_size
                ratio = info.file_size / max(info.compress_size, 1)
                if info.file_size > 1_000_000 and ratio > limits.max_compression_ratio:
                    raise IngestionError(
                        f"{path}: member {info.filename} expands {ratio:.0f}x (zip bomb refused)"
                    )
            if total > limits.max_uncompressed_bytes:
                raise IngestionError(f"{path}: expands to {total} bytes (zip bomb refused)")
            _check_xml_members(path, archive, members)
    except zipfile.BadZipFile as exc:
        raise IngestionError(f"{path}: not a valid xlsx/docx (zip) file ({exc})") from exc


def _check_xml_members(path: Path, archive: zipfile.ZipFile, members: list[zipfile.ZipInfo]) -> None:
    for info in members:
        if not info.filename.endswith((".xml", ".rels")):
            continue
        with archive.open(info) as fh:
            head = fh.read(_XML_HEAD)
        if b"<!ENTITY" in head or b"<!DOCTYPE" in head:
            raise IngestionError(f"{path}: {info.filename} declares a DOCTYPE/entities (refused)")


def looks_binary(sample: bytes, encoding: str) -> bool:
    """NUL bytes in a file that is not UTF-16/32 mean it is not text at all."""
    if encoding.startswith(("utf-16", "utf-32")):
        return False
    return b"\x00" in sample
