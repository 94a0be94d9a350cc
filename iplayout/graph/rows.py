"""Row preparation shared by both adapters: names checked against the ontology, values typed.

Typing values here (not in the engines) is what makes the two engines store identical values:
``"2020"`` and ``2020`` both become the INT64 the ontology declares.
"""

from __future__ import annotations

import logging
from collections import defaultdict
from collections.abc import Iterable, Iterator, Mapping, Sequence
from typing import Any, TypeVar

from iplayout.errors import OntologyError
from iplayout.ontology.model import NodeType, Prop, PropType, RelType, check_properties

T = TypeVar("T")
log = logging.getLogger(__name__)


def _coerce(value: Any, ptype: PropType, where: str) -> Any:
    if value is None:
        return None
    try:
        if ptype == "STRING":
            return value if isinstance(value, str) else str(value)
        if ptype == "INT64":
            if isinstance(value, bool):
                raise TypeError("bool is not an integer")
            return int(value)
        if ptype == "DOUBLE":
            return float(value)
        if ptype == "BOOLEAN":
            if isinstance(value, str):
                return value.strip().lower() in {"true", "1", "yes", "y"}
            return bool(value)
        if isinstance(value, str | bytes):
            raise TypeError("a list is expected")
        return [str(v) for v in value]
    except (TypeError, ValueError) as exc:
        raise OntologyError(f"{where}: value {value!r} is not {ptype}") from exc


# Values already of the declared type pass through without a call (the common case, and hot).
_FAST: dict[str, tuple[type, ...]] = {"STRING": (str,), "INT64": (int,), "DOUBLE": (float,), "BOOLEAN": (bool,)}


def prepare_rows(
    owner: NodeType | RelType, rows: Iterable[Mapping[str, Any]], extra: Sequence[str] = ()
) -> list[dict[str, Any]]:
    """Check property names and coerce values; ``extra`` names non-property keys (``from``/``to``).

    Checked column by column: when every value of a column already has the declared type (rows
    built by the extractors always do), the rows are returned as they are, without copies.
    """
    props: dict[str, Prop] = {p.name: p for p in owner.all_props}
    name = owner.label if isinstance(owner, NodeType) else owner.type
    extras = frozenset(extra)
    given: list[dict[str, Any]] = [r if isinstance(r, dict) else dict(r) for r in rows]
    seen: set[str] = set(extras)
    for row in given:
        if not row.keys() <= seen:
            check_properties(owner, set(row) - extras)
            seen.update(row)
    to_coerce = [k for k in seen - extras if not _typed(given, k, props[k].type)]
    if not to_coerce:
        return given
    out: list[dict[str, Any]] = []
    for row in given:
        clean = dict(row)
        for k in to_coerce:
            if clean.get(k) is not None:
                clean[k] = _coerce(clean[k], props[k].type, f"{name}.{k}")
        out.append(clean)
    return out


def _typed(rows: list[dict[str, Any]], key: str, ptype: PropType) -> bool:
    """Every value of column ``key`` is None or already of type ``ptype`` (exactly: a bool is no INT64)."""
    ok = _FAST.get(ptype)
    types = {type(r.get(key)) for r in rows}  # a set comprehension: the cheapest full scan
    if ok is None:  # STRING[]: a list of str
        return types <= {list, type(None)} and all(
            type(x) is str for r in rows if (v := r.get(key)) is not None for x in v)
    return types <= {*ok, type(None)}


def dedupe_by(rows: list[dict[str, Any]], key: str | tuple[str, ...]) -> list[dict[str, Any]]:
    """Last row wins for a repeated key, as repeated upserts would."""
    keys = (key,) if isinstance(key, str) else key
    last: dict[Any, dict[str, Any]] = {}
    if isinstance(key, str):
        for r in rows:
            last[r.get(key)] = r
    elif len(keys) == 2:  # (from, to): the hot case
        first, second = keys
        for r in rows:
            last[(r.get(first), r.get(second))] = r
    else:
        for r in rows:
            last[tuple(r.get(x) for x in keys)] = r
    if None in last or any(None in k for k in last if isinstance(k, tuple)):
        bad = next(r for r in rows if any(r.get(x) is None for x in keys))
        raise OntologyError(f"row without {'/'.join(keys)}: {dict(list(bad.items())[:4])}")
    return list(last.values())


def group_by_columns(rows: list[dict[str, Any]]) -> Iterator[tuple[tuple[str, ...], list[dict[str, Any]]]]:
    """Rows grouped by the set of keys they carry, so an absent property is never overwritten."""
    groups: dict[tuple[str, ...], list[dict[str, Any]]] = defaultdict(list)
    for r in rows:
        groups[tuple(sorted(r))].append(r)
    yield from groups.items()


def chunks(items: Sequence[T], size: int) -> Iterator[Sequence[T]]:
    for i in range(0, len(items), size):
        yield items[i : i + size]


def warn_skipped(rel_type: str, written: int, total: int) -> None:
    """Relationships whose endpoints do not exist are not invented; say how many were skipped."""
    if written < total:
        log.warning("%s: %d of %d rows skipped (endpoint missing)", rel_type, total - written, total)
