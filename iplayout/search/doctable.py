"""The per-document table kept beside the indexes: ids, types, titles, texts and filter facets.

Rows are in ascending ``key`` order (keys are int64 numbers handed out once and never reused), so
appending new documents and deleting rows keep the order; a document that is re-indexed gets a
new key. Filters become boolean masks over the rows through small inverted lists built on demand.
Persisted as one Parquet file.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

import numpy as np

from iplayout.search.documents import IndexDoc
from iplayout.search.filters import FACETS, SearchFilters, norm_value
from iplayout.search.storage import atomic_path

# linked-evidence fields of `related` (lists, except the venue); older index files lack them
LINKS = ("people", "cites")
_COLUMNS = ("key", "id", "type", "title", "text", "year", "lang", *FACETS, *LINKS, "venue")
_LISTS = (*FACETS, *LINKS)


_IPC_GROUP = re.compile(r"^([A-H]\d{2}[A-Z])\s*0*(\d{1,4})")


def ipc_main_groups(codes: tuple[str, ...]) -> tuple[str, ...]:
    """IPC main groups of full codes: ``H01M 10/0525`` -> ``H01M 10/00`` (codes that do not parse are skipped)."""
    out = []
    for code in codes:
        m = _IPC_GROUP.match(code.strip().upper())
        if m:
            out.append(f"{m.group(1)} {m.group(2)}/00")
    return tuple(dict.fromkeys(out))


class DocTable:
    def __init__(self) -> None:
        self.keys = np.zeros(0, dtype=np.int64)
        self.docs: list[IndexDoc] = []
        self.pos: dict[str, int] = {}
        self.next_key = 0
        self._inverted: dict[str, dict[str, np.ndarray]] = {}
        self._years: np.ndarray | None = None
        self._ref_rows: dict[str, int] | None = None

    def __len__(self) -> int:
        return len(self.docs)

    def _changed(self) -> None:
        self.pos = {d.id: i for i, d in enumerate(self.docs)}
        self._inverted = {}
        self._years = None
        self._ref_rows = None

    def add(self, docs: Sequence[IndexDoc]) -> np.ndarray:
        """Append documents (ids must be absent); returns their new keys."""
        keys = np.arange(self.next_key, self.next_key + len(docs), dtype=np.int64)
        self.next_key += len(docs)
        self.keys = np.concatenate([self.keys, keys])
        self.docs.extend(docs)
        self._changed()
        return keys

    def remove(self, ids: Iterable[str]) -> np.ndarray:
        """Drop the rows of ``ids`` that exist; returns the keys removed."""
        rows = sorted({self.pos[i] for i in ids if i in self.pos})
        if not rows:
            return np.zeros(0, dtype=np.int64)
        removed = self.keys[rows]
        keep = np.ones(len(self.docs), dtype=bool)
        keep[rows] = False
        self.keys = self.keys[keep]
        self.docs = [d for d, k in zip(self.docs, keep, strict=True) if k]
        self._changed()
        return removed

    def rows_of_keys(self, keys: np.ndarray) -> np.ndarray:
        return np.searchsorted(self.keys, keys)

    # ---- filters -------------------------------------------------------------------------------

    def _index(self, field: str) -> dict[str, np.ndarray]:
        if field not in self._inverted:
            lists: dict[str, list[int]] = defaultdict(list)
            for row, d in enumerate(self.docs):
                values = (d.type,) if field == "types" else self.values(d, field)
                for v in {norm_value(field, x) for x in values}:
                    lists[v].append(row)
            self._inverted[field] = {v: np.asarray(r, dtype=np.int64) for v, r in lists.items()}
        return self._inverted[field]

    @staticmethod
    def values(doc: IndexDoc, field: str) -> tuple[str, ...]:
        if field == "venue":
            return (doc.venue,) if doc.venue else ()
        if field == "ipc_groups":
            return ipc_main_groups(doc.ipc)
        return tuple(getattr(doc, field))

    def rows_with(self, field: str, value: str) -> np.ndarray:
        """Rows whose ``field`` (a facet, ``people``, ``cites`` or ``venue``) holds ``value``."""
        return self._index(field).get(norm_value(field, value), np.zeros(0, dtype=np.int64))

    def row_of_ref(self, ref: str) -> int | None:
        """The row of a cited identifier: the exact id, else the id compared case-insensitively
        (DOIs are case-insensitive and exports differ in case)."""
        if ref in self.pos:
            return self.pos[ref]
        if self._ref_rows is None:
            self._ref_rows = {norm_value("cites", d.id): i for i, d in enumerate(self.docs)}
        return self._ref_rows.get(norm_value("cites", ref))

    def years(self) -> np.ndarray:
        if self._years is None:
            self._years = np.array([np.nan if d.year is None else d.year for d in self.docs], dtype=np.float64)
        return self._years

    def mask(self, filters: SearchFilters) -> np.ndarray | None:
        """Rows satisfying every filter (``None`` when there are no filters)."""
        if filters.is_empty():
            return None
        mask = np.ones(len(self.docs), dtype=bool)
        if filters.year_from is not None:
            mask &= self.years() >= filters.year_from
        if filters.year_to is not None:
            mask &= self.years() <= filters.year_to
        for field in ("types", *FACETS):
            wanted = getattr(filters, field)
            if wanted:
                mask &= self._facet_mask(field, wanted)
        return mask

    def _facet_mask(self, field: str, wanted: Iterable[str]) -> np.ndarray:
        inv = self._index(field)
        m = np.zeros(len(self.docs), dtype=bool)
        for w in wanted:
            nw = norm_value(field, w)
            if field == "ipc":
                for code, rows in inv.items():
                    if code.startswith(nw):
                        m[rows] = True
            elif nw in inv:
                m[inv[nw]] = True
        return m

    # ---- persistence ---------------------------------------------------------------------------

    def save(self, path: Path) -> None:
        import pyarrow as pa
        import pyarrow.parquet as pq

        cols: dict[str, Any] = {"key": self.keys}
        for c in _COLUMNS[1:]:
            cols[c] = [list(getattr(d, c)) if c in _LISTS else getattr(d, c) for d in self.docs]
        schema = pa.schema([("key", pa.int64()), ("id", pa.string()), ("type", pa.string()),
                            ("title", pa.string()), ("text", pa.string()), ("year", pa.int64()),
                            ("lang", pa.string()), *[(f, pa.list_(pa.string())) for f in _LISTS],
                            ("venue", pa.string())])
        table = pa.table(cols, schema=schema).replace_schema_metadata({"next_key": str(self.next_key)})
        with atomic_path(path) as tmp:
            pq.write_table(table, tmp)

    @classmethod
    def load(cls, path: Path) -> DocTable:
        import pyarrow.parquet as pq

        table = pq.read_table(path)
        out = cls()
        data = table.to_pydict()
        out.keys = np.asarray(data["key"], dtype=np.int64)
        present = [c for c in _COLUMNS[1:] if c in data]  # indexes written before `people` … lack them
        missing = {c: (() if c in _LISTS else None) for c in _COLUMNS[1:] if c not in data}
        out.docs = [IndexDoc.model_construct(None, **missing, **{c: (tuple(data[c][i] or ()) if c in _LISTS
                                                                    else data[c][i]) for c in present})
                    for i in range(table.num_rows)]
        meta = table.schema.metadata or {}
        out.next_key = int(meta.get(b"next_key", b"0"))
        out._changed()
        return out
