"""A first load into empty LadybugDB tables: rows kept aside on disk, then one COPY per table.

Measured on LadybugDB 0.22 (docs/benchmarks.md, issue 3): ``COPY`` into an empty relationship
table loads ~195k links/s against ~75k/s for ``LOAD FROM … CREATE``, and node tables load several
times faster too; but ``COPY`` into a non-empty relationship table costs ~4 s whatever it adds,
and one missing endpoint or repeated key fails the whole ``COPY``. Hence:

- only node labels and relationship types with nothing in the graph when staging starts are
  staged, and then *every* row of them is;
- keys of staged nodes count as existing (``staged_keys``) for the lookups the build makes;
- a key (node) or pair (link) staged more than once is merged as successive upserts would merge
  it: the first row creates, a later row sets only the properties it carries (a bit mask kept
  beside the file records which);
- links whose endpoint is in neither the graph nor the staged nodes are dropped, with the warning
  the row path gives.

A ``COPY`` of LadybugDB 0.22 can hang with no timeout (every thread idle). Each one runs under a
watchdog (``watched``): past ``CopyLimits.seconds(rows)`` it is interrupted and the build fails
with one line; a marker file (``ABORTED``) beside the staging folder sends the next build down the
row-by-row path. Records are marked built only after the whole load, so they stay unbuilt.

Rows are appended to one Parquet file per label or (type, from label, to label), so memory stays
flat while a large build runs, and the engine reads the files itself; only key columns are read
back here, to check them, and a file is rewritten only when a check finds something to fix.
"""

from __future__ import annotations

import contextlib
import shutil
import threading
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from iplayout.errors import BulkLoadAborted
from iplayout.ontology.model import NodeType, Prop, RelType

RelKey = tuple[str, str, str]
Keep = Callable[[str, pa.ChunkedArray], "pa.ChunkedArray | None"]  # None: keep every row
_ALL = -1  # mask of a row that creates its node or link: every property is set, absent ones to null
ABORTED = "bulk-load.aborted"  # beside the staging folder: the last bulk load hung, load row by row
_GRACE_S = 10.0  # after an interrupt, how long the COPY may take to stop before it is abandoned


@dataclass(frozen=True)
class CopyLimits:
    """How long one COPY may run: ``base_s`` plus its rows at ``rows_per_s`` (far below the
    ~100k-200k rows/s measured, so only a hang reaches it)."""

    base_s: float = 120.0
    rows_per_s: float = 2_000.0

    def seconds(self, rows: int) -> float:
        return self.base_s + rows / self.rows_per_s


def watched(run: Callable[[], object], rows: int, limits: CopyLimits, interrupt: Callable[[], object],
            what: str) -> bool:
    """Run ``run`` (one COPY) in a thread; past the time limit interrupt it and raise BulkLoadAborted.

    Returns normally when the COPY finished in time (its own error re-raised). The exception's
    ``stuck`` is true when the COPY did not even stop after the interrupt (its connection must
    not be closed: that would wait for it).
    """
    limit = limits.seconds(rows)
    done = threading.Event()
    failure: list[BaseException] = []

    def target() -> None:
        try:
            run()
        except BaseException as exc:  # noqa: BLE001 - handed to the calling thread
            failure.append(exc)
        finally:
            done.set()

    threading.Thread(target=target, name="ladybug-copy", daemon=True).start()
    if done.wait(limit):
        if failure:
            raise failure[0]
        return True
    with contextlib.suppress(Exception):  # the abort below says what matters
        interrupt()
    stopped = done.wait(_GRACE_S)
    raise BulkLoadAborted(f"bulk load aborted: COPY {what} ({rows:,} rows) ran past its {limit:.0f} s "
                          "watchdog; its records stay unbuilt and the next build loads them row by row",
                          stuck=not stopped)


class FirstLoad:
    def __init__(self, directory: Path, labels: set[str], rel_types: set[str],
                 arrow_types: Mapping[str, pa.DataType]) -> None:
        self.directory = directory
        self.labels = frozenset(labels)
        self.rel_types = frozenset(rel_types)
        self._arrow_types = arrow_types
        self.staged_keys: dict[str, set[Any]] = {label: set() for label in labels}
        # Keys of nodes written to the graph while staging: link endpoints known to exist.
        self.written_keys: dict[str, set[Any]] = {}
        self._nodes: dict[str, _Staged] = {}
        self._known: dict[str, pa.Array] = {}
        self._links: dict[RelKey, _Staged] = {}
        shutil.rmtree(directory, ignore_errors=True)  # what a killed run left is not ours to load
        directory.mkdir(parents=True, exist_ok=True)

    def _schema(self, columns: Sequence[tuple[str, str]]) -> pa.Schema:
        return pa.schema([(name, self._arrow_types[ptype]) for name, ptype in columns])

    def add_nodes(self, nt: NodeType, rows: Sequence[Mapping[str, Any]]) -> None:
        """``rows``: one per key (deduplicated by the caller)."""
        if nt.label not in self._nodes:
            schema = self._schema([(p.name, p.type) for p in nt.all_props])
            self._nodes[nt.label] = _Staged(self.directory / f"{nt.label}.parquet", schema, nt.all_props, (nt.key,))
        seen = self.staged_keys[nt.label]
        repeats = [r[nt.key] in seen for r in rows]
        seen.update(r[nt.key] for r in rows)
        self._nodes[nt.label].append(rows, repeats)

    def note_written(self, label: str, keys: Sequence[Any]) -> None:
        self.written_keys.setdefault(label, set()).update(keys)

    def known_keys(self, label: str, arrow_type: pa.DataType) -> pa.Array:
        """Keys of ``label`` written or staged in this load, as an Arrow array (for ``is_in``)."""
        if label not in self._known:
            both = self.written_keys.get(label, set()) | self.staged_keys.get(label, set())
            self._known[label] = pa.array(list(both), arrow_type)
        return self._known[label]

    def stages_links(self, rt: RelType, a: NodeType, b: NodeType) -> bool:
        # A link to a staged node must wait for it, whatever its table holds.
        return rt.type in self.rel_types or a.label in self.labels or b.label in self.labels

    def add_links(self, rt: RelType, a: NodeType, b: NodeType, rows: Sequence[Mapping[str, Any]],
                  known_new: bool) -> None:
        """``known_new``: no earlier row can have named these pairs (an endpoint was just created)."""
        key = (rt.type, a.label, b.label)
        if key not in self._links:
            schema = self._schema([("from", a.prop(a.key).type), ("to", b.prop(b.key).type),
                                   *[(p.name, p.type) for p in rt.all_props]])
            path = self.directory / f"{rt.type}.{a.label}.{b.label}.parquet"
            self._links[key] = _Staged(path, schema, rt.all_props, ("from", "to"))
        self._links[key].append(rows, [not known_new] * len(rows))

    def node_files(self) -> Iterator[tuple[str, Path, Callable[[], int]]]:
        """Each staged label: its file, and ``fix()`` (merge repeated keys) to run before loading it."""
        for label, staged in list(self._nodes.items()):
            staged.close()
            yield label, staged.path, staged.merge

    def link_files(self) -> Iterator[tuple[RelKey, Path, Callable[[Keep], int]]]:
        """Each staged (type, from, to): its file, and ``fix(keep)`` to run before loading it.

        ``fix(keep)`` drops rows whose ``keep(column, keys)`` mask is false (asked for "from" and
        "to") and merges repeated pairs; it returns the rows left.
        """
        for key, staged in list(self._links.items()):
            staged.close()
            yield key, staged.path, staged.fix

    def discard(self) -> None:
        for staged in (*self._nodes.values(), *self._links.values()):
            staged.close()
        self._nodes.clear()
        self._links.clear()
        shutil.rmtree(self.directory, ignore_errors=True)


class _Staged:
    """One Parquet file of rows; which properties each row carried is kept beside it, in memory."""

    def __init__(self, path: Path, schema: pa.Schema, props: tuple[Prop, ...], key: tuple[str, ...]) -> None:
        self.path, self.schema, self.props, self.key = path, schema, props, key
        self._writer: pq.ParquetWriter | None = pq.ParquetWriter(str(path), schema, compression="snappy")
        self._bits = {p.name: 1 << i for i, p in enumerate(props)}
        self._masks: list[pa.Array] = []
        # Only rows that are not known to be first can repeat a key: without any, no merge check.
        self.may_repeat = False

    def append(self, rows: Sequence[Mapping[str, Any]], repeats: Sequence[bool]) -> None:
        assert self._writer is not None, "staged file already closed"
        columns = [_column([r.get(f.name) for r in rows], f.type) for f in self.schema]
        self._writer.write_table(pa.Table.from_arrays(columns, schema=self.schema))
        bits = self._bits
        self._masks.append(pa.array(
            [sum(bits[c] for c in r if c in bits) if again else _ALL for r, again in zip(rows, repeats, strict=True)],
            pa.int64()))
        self.may_repeat = self.may_repeat or any(repeats)

    def close(self) -> None:
        if self._writer is not None:
            self._writer.close()
            self._writer = None

    def merge(self) -> int:
        return self.fix(None)

    def fix(self, keep: Keep | None) -> int:
        keys = pq.read_table(str(self.path), columns=list(self.key))
        mask = None
        if keep is not None:
            masks = [m for m in (keep("from", keys["from"]), keep("to", keys["to"])) if m is not None]
            mask = pc.and_(*masks) if len(masks) == 2 else masks[0] if masks else None
        if mask is None and not (self.may_repeat and len(pc.unique(_joined(keys, self.key))) < keys.num_rows):
            return int(keys.num_rows)
        table = pq.read_table(str(self.path)).append_column("_mask", pa.chunked_array(self._masks, pa.int64()))
        if mask is not None:
            table = table.filter(mask)
        table = _merge_repeats(table, self.props, self.key).drop_columns(["_mask"])
        pq.write_table(table, str(self.path), compression="snappy")
        return int(table.num_rows)


def _column(values: list[Any], arrow_type: pa.DataType) -> pa.Array:
    # Provenance columns (source, run_id, extractor, synthetic) hold one value per batch: decoding
    # one value into a dictionary is ~3x cheaper than converting every Python object.
    first = values[0] if values else None
    if values and values.count(first) == len(values) and not isinstance(first, list):
        if first is None:
            return pa.nulls(len(values), arrow_type)
        indices = pa.array(np.zeros(len(values), dtype=np.int8))
        return pa.DictionaryArray.from_arrays(indices, pa.array([first], arrow_type)).cast(arrow_type)
    return pa.array(values, arrow_type)


def _joined(table: pa.Table, key: tuple[str, ...]) -> Any:
    if len(key) == 1:
        return table[key[0]]
    return pc.binary_join_element_wise(*[pc.cast(table[k], pa.string()) for k in key], "\x1f")


def _merge_repeats(table: pa.Table, props: Sequence[Prop], key: tuple[str, ...]) -> pa.Table:
    joined = _joined(table, key)
    counts = pc.value_counts(joined)
    repeated = pc.filter(counts.field("values"), pc.greater(counts.field("counts"), 1))
    if not len(repeated):
        return table
    is_repeat = pc.is_in(joined, value_set=repeated)
    merged: dict[tuple[Any, ...], dict[str, Any]] = {}
    for row in table.filter(is_repeat).to_pylist():  # in staging order: later rows win
        into = merged.setdefault(tuple(row[k] for k in key), {k: row[k] for k in key})
        for i, p in enumerate(props):
            if row["_mask"] >> i & 1:
                into[p.name] = row[p.name]
    rest = table.filter(pc.invert(is_repeat))
    return pa.concat_tables([rest, pa.Table.from_pylist(list(merged.values()), schema=rest.schema)])
