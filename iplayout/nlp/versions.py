"""Extractor versions.

Each extractor has its own version; a record kind is built by a fixed set of extractors and its
ledger version is the concatenation of theirs. Bumping ``terms`` therefore re-processes patents,
papers, standards and policies but not statistics; bumping ``places`` leaves standards and
policies alone. Bump a version whenever an extractor's output for the same input changes.
"""

from __future__ import annotations

EXTRACTORS: dict[str, int] = {
    "records": 1,  # document / observation nodes and their properties
    "orgs": 2,  # organisations.py + latin_names.py + credit_code.py (2: Latin kinds, English key)
    "people": 1,  # people.py
    "places": 1,  # places.py + gazetteer.py + region files
    "ipc": 1,  # ipc.py + wipo35.py
    "terms": 1,  # terms.py
    "policy_targets": 1,  # policy_targets.py
    "nice": 1,  # nice.py + the shipped Nice tables
}

KIND_EXTRACTORS: dict[str, tuple[str, ...]] = {
    "patents": ("records", "orgs", "people", "places", "ipc", "terms"),
    "papers": ("records", "orgs", "people", "places", "terms"),
    "standards": ("records", "orgs", "terms"),
    "policies": ("records", "orgs", "terms", "policy_targets", "places"),
    "stats": ("records", "places"),
    "trademarks": ("records", "orgs", "places", "nice"),
}

#: Version of the pipeline as a whole (row layout, provenance); part of every kind's version.
EXTRACTOR_VERSION = "nlp-1"


def tag(extractor: str) -> str:
    """The ``extractor`` provenance value written on rows, e.g. ``orgs@1``."""
    return f"{extractor}@{EXTRACTORS[extractor]}"


def extractor_version(kind: str) -> str:
    """Ledger version for one record kind, e.g. ``nlp-1|records@1+orgs@1+…``."""
    return EXTRACTOR_VERSION + "|" + "+".join(tag(e) for e in KIND_EXTRACTORS[kind])
