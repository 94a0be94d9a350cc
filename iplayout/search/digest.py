"""Content digest of one search-index document: ``build`` records it in the ledger, ``check --deep``
and ``build --resync`` compare it with what the index holds (an index older than the graph)."""

from __future__ import annotations

import hashlib
import json
from typing import Any


def index_digest(doc: Any) -> str:
    """``doc``: an ``IndexDoc`` (as built, or as loaded back from ``docs.parquet``)."""
    fields = doc.model_dump(mode="json")
    body = json.dumps(fields, sort_keys=True, ensure_ascii=False)
    return hashlib.sha256(body.encode("utf-8")).hexdigest()[:32]
