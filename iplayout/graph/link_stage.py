"""Links of a first load, kept aside on disk and loaded into LadybugDB with one COPY per table.

Measured on LadybugDB 0.22 (docs/benchmarks.md, issue 3): ``COPY`` into an empty relationship
table loads ~195k links/s against ~75k/s for ``LOAD FROM … CREATE``, but ``COPY`` into a
non-empty table costs ~4 s whatever it adds, and one missing endpoint fails the whole ``COPY``.
Hence:

- only relationship types with no links when staging starts are staged, and then *every* row of
  them is (a pair cannot be checked against rows not yet in the graph);
- a pair staged more than once is merged as successive upserts would merge it: a later row
  sets the properties it carries, the others keep their earlier value (the ``_present`` column
  records which properties a row carried);
- rows whose endpoint is not in the graph are dropped, with the warning the row path gives.

Rows are appended to one Parquet file per (type, from label, to label), so memory stays flat
while a large build runs, and the engine reads the file itself; only the key columns are read back
here, to check them, and a file is rewritten only when a check finds something to fix.
"""

from __future__ import annotations

import shutil
from collections.abc import Callable, Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from iplayout.ontology.model import NodeType, Prop, RelType

RelKey = tuple[str, str, str]


class LinkStage:
    def __init__(self, directory: Path, rel_types: set[str], arrow_types: Mapping[str, pa.DataType]) -> None:
        self.directory = directory
        self.rel_types = frozenset(rel_types)
        self._arrow_types = arrow_types
        # Node keys written while staging: endpoints known to exist without asking the engine.
        self.written_keys: dict[str, set[Any]] = {}
        self._files: dict[RelKey, _Staged] = {}
        shutil.rmtree(directory, ignore_errors=True)  # what a killed run left is not ours to load
        directory.mkdir(parents=True, exist_ok=True)

    def note_nodes(self, label: str, keys: Sequence[Any]) -> None:
        self.written_keys.setdefault(label, set()).update(keys)

    def add(self, rt: RelType, a: NodeType, b: NodeType, rows: Sequence[Mapping[str, Any]]) -> None:
        key = (rt.type, a.label, b.label)
        if key not in self._files:
            schema = pa.schema([("from", self._arrow_types[a.prop(a.key).type]),
                                ("to", self._arrow_types[b.prop(b.key).type]),
                                *[(p.name, self._arrow_types[p.type]) for p in rt.all_props]])
            self._files[key] = _Staged(self.directory / f"{rt.type}.{a.label}.{b.label}.parquet", schema, rt.all_props)
        self._files[key].append(rows)

    def files(self) -> Iterator[tuple[RelKey, Path, Callable[[Callable[[str, pa.Array], pa.Array]], int]]]:
        """Each staged (type, from, to): its Parquet file, and ``fix(keep)`` to run before loading it.

        ``fix(keep)`` merges repeated pairs and drops rows whose ``keep(column, keys)`` mask is
        false (it is asked for the "from" and "to" columns); it returns the rows left.
        """
        for key, staged in list(self._files.items()):
            staged.close()
            yield key, staged.path, staged.fix

    def discard(self) -> None:
        for staged in self._files.values():
            staged.close()
        self._files.clear()
        shutil.rmtree(self.directory, ignore_errors=True)


class _Staged:
    """One Parquet file of links; which properties each row carried is kept beside it, in memory."""

    def __init__(self, path: Path, schema: pa.Schema, props: tuple[Prop, ...]) -> None:
        self.path, self.schema, self.props = path, schema, props
        self._writer: pq.ParquetWriter | None = pq.ParquetWriter(str(path), schema, compression="snappy")
        self._bits = {p.name: 1 << i for i, p in enumerate(props)}
        self._present: list[pa.Array] = []

    def append(self, rows: Sequence[Mapping[str, Any]]) -> None:
        assert self._writer is not None, "staged file already closed"
        columns = [pa.array([r.get(f.name) for r in rows], f.type) for f in self.schema]
        self._writer.write_table(pa.Table.from_arrays(columns, schema=self.schema))
        bits = self._bits
        self._present.append(pa.array([sum(bits[c] for c in r if c in bits) for r in rows], pa.int64()))

    def close(self) -> None:
        if self._writer is not None:
            self._writer.close()
            self._writer = None

    def fix(self, keep: Callable[[str, pa.Array], pa.Array]) -> int:
        ends = pq.read_table(str(self.path), columns=["from", "to"])
        mask = pc.and_(keep("from", ends["from"]), keep("to", ends["to"]))
        pair = pc.binary_join_element_wise(pc.cast(ends["from"], pa.string()), pc.cast(ends["to"], pa.string()),
                                           "\x1f")
        repeats = len(pc.unique(pair)) < ends.num_rows
        dropped = not pc.all(mask).as_py()
        if not (repeats or dropped):
            return int(ends.num_rows)
        table = pq.read_table(str(self.path)).append_column("_present", pa.chunked_array(self._present, pa.int64()))
        table = _merge_repeats(table.filter(mask), self.props).drop_columns(["_present"])
        pq.write_table(table, str(self.path), compression="snappy")
        return int(table.num_rows)


def _merge_repeats(table: pa.Table, props: Sequence[Prop]) -> pa.Table:
    pair = pc.binary_join_element_wise(pc.cast(table["from"], pa.string()), pc.cast(table["to"], pa.string()),
                                       "\x1f")
    counts = pc.value_counts(pair)
    repeated = pc.filter(counts.field("values"), pc.greater(counts.field("counts"), 1))
    if not len(repeated):
        return table
    is_repeat = pc.is_in(pair, value_set=repeated)
    merged: dict[tuple[Any, Any], dict[str, Any]] = {}
    for row in table.filter(is_repeat).to_pylist():  # in staging order: later rows win
        into = merged.setdefault((row["from"], row["to"]), {"from": row["from"], "to": row["to"], "_present": 0})
        for i, p in enumerate(props):
            if row["_present"] >> i & 1:
                into[p.name] = row[p.name]
    rest = table.filter(pc.invert(is_repeat))
    return pa.concat_tables([rest, pa.Table.from_pylist(list(merged.values()), schema=rest.schema)])
