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
    """Check property names and coerce values; ``extra`` names non-property keys (``from``/``to``)."""
    props: dict[str, Prop] = {p.name: p for p in owner.all_props}
    name = owner.label if isinstance(owner, NodeType) else owner.type
    fast = {k: _FAST.get(p.type, ()) for k, p in props.items()}
    extras = frozenset(extra)
    seen: set[str] = set()
    out: list[dict[str, Any]] = []
    for row in rows:
        if not row.keys() - extras <= seen:
            keys = set(row) - extras
            check_properties(owner, keys)
            seen |= keys
        clean: dict[str, Any] = {}
        for k, v in row.items():
            if k in extras or v is None or (type(v) in fast[k] and not (type(v) is bool and fast[k] == (int,))):
                clean[k] = v
            else:
                clean[k] = _coerce(v, props[k].type, f"{name}.{k}")
        out.append(clean)
    return out


def dedupe_by(rows: list[dict[str, Any]], key: str | tuple[str, ...]) -> list[dict[str, Any]]:
    """Last row wins for a repeated key, as repeated upserts would."""
    keys = (key,) if isinstance(key, str) else key
    last: dict[tuple[Any, ...], dict[str, Any]] = {}
    for r in rows:
        k = tuple(r.get(x) for x in keys)
        if any(v is None for v in k):
            raise OntologyError(f"row without {'/'.join(keys)}: {dict(list(r.items())[:4])}")
        last[k] = r
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
