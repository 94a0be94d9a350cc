"""From a reader's field dict to a validated canonical record, or to rejects.

One place does, for every reader: the oversized-field guard, text normalisation (width,
whitespace, Traditional → Simplified keeping the original), per-kind coercion and pydantic
validation, so every format gets the same rules and the same reject reasons.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import lru_cache
from typing import Any, NamedTuple

from pydantic import ValidationError

from iplayout.ingestion.coerce import FieldIssue, coerce
from iplayout.ingestion.fields import shorten
from iplayout.ingestion.records import RECORD_TYPES, AnyRecord, Locator, Reject
from iplayout.nlp.normalize import t2s, to_halfwidth

MAX_FIELD_CHARS = 1_000_000  # one text field above this is refused (a reject reason), never stored
_CJK = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")
_BLANK_LINES = re.compile(r"\n\s*\n(\s*\n)+")
# Identifiers and links are compared byte for byte downstream: only width is normalised there.
_VERBATIM = frozenset({"id", "doi", "application_number", "url", "adcode", "lang", "province_code",
                       "registration_number"})
_MULTILINE = frozenset({"text", "scope"})
_NOT_TEXT = frozenset({"raw", "original", "locator"})  # kept exactly as the reader gave them
_SHORT_VALUE = 64  # characters; longer one-line values (titles, abstracts) seldom repeat
_NOT_PLAIN = _VERBATIM | _MULTILINE | _NOT_TEXT


# Set in ingest worker processes only (``ingestion.parallel``): called once per ``build_record``
# call, False when another worker builds that record. ``None``: this process builds every record.
_turn: Callable[[], bool] | None = None


def set_turns(turn: Callable[[], bool] | None) -> None:
    global _turn
    _turn = turn


def current_turns() -> Callable[[], bool] | None:
    return _turn


def _clean(text: str, multiline: bool) -> tuple[str, str | None]:
    """Normalised text and, when Traditional → Simplified changed it, the text before conversion."""
    if not multiline and len(text) <= _SHORT_VALUE:
        return _clean_short(text)  # ASCII too: a cache hit costs less than even the whitespace pass
    if text.isascii():  # no full-width and no Han character: only the whitespace can change
        return (_tidy_lines(text) if multiline else _single_spaced(text)), None
    return _clean_text(text, multiline)


@lru_cache(maxsize=16384)
def _clean_short(text: str) -> tuple[str, str | None]:
    """``_clean_text`` of a short one-line value: names, places, codes and statuses repeat across rows."""
    return _clean_text(text, False)


def _clean_text(text: str, multiline: bool) -> tuple[str, str | None]:
    text = to_halfwidth(text)
    text = _tidy_lines(text) if multiline else _single_spaced(text)
    if not _CJK.search(text):
        return text, None
    simplified = t2s(text)
    return simplified, (text if simplified != text else None)


def _single_spaced(text: str) -> str:
    """``nlp.normalize.collapse_whitespace`` without its regex pass, which dominates on long texts:
    ``str.split()`` breaks at exactly the Unicode whitespace ``\\s`` matches and drops the ends."""
    return " ".join(text.split())


def _tidy_lines(text: str) -> str:
    """Whitespace collapsed within each line, runs of blank lines reduced to one."""
    lines = (_single_spaced(line) for line in text.replace("\r\n", "\n").split("\n"))
    return _BLANK_LINES.sub("\n\n", "\n".join(lines)).strip()


def _clean_value(value: Any, path: str, originals: dict[str, str], multiline: bool) -> Any:
    if isinstance(value, str):
        cleaned, before = _clean(value, multiline)
        if before is not None:
            originals[path] = before
        return cleaned
    if isinstance(value, list):
        if not multiline:
            return _clean_items(value, path, originals)
        return [_clean_value(v, f"{path}.{i}", originals, multiline) for i, v in enumerate(value)]
    if isinstance(value, dict):
        if not multiline:
            return _clean_members(value, path, originals)
        return {k: _clean_value(v, f"{path}.{k}", originals, multiline) for k, v in value.items()}
    return value


def _clean_items(items: list[Any], path: str, originals: dict[str, str]) -> list[Any]:
    """``_clean_value`` of a one-line list (codes, goods, parties): a short text goes straight to the
    cache and its path is formatted only when t2s changed it (lists hold many short values)."""
    out: list[Any] = []
    for i, item in enumerate(items):
        if item.__class__ is str and len(item) <= _SHORT_VALUE:
            cleaned, before = _clean_short(item)
            if before is not None:
                originals[f"{path}.{i}"] = before
            out.append(cleaned)
        elif item.__class__ is dict:
            out.append(_clean_members(item, f"{path}.{i}", originals))
        else:
            out.append(_clean_value(item, f"{path}.{i}", originals, False))
    return out


def _clean_members(members: dict[Any, Any], path: str, originals: dict[str, str]) -> dict[Any, Any]:
    """``_clean_value`` of a one-line object (a party: name, address), as ``_clean_items``."""
    out = {}
    for key, item in members.items():
        if item.__class__ is str and len(item) <= _SHORT_VALUE:
            out[key], before = _clean_short(item)
            if before is not None:
                originals[f"{path}.{key}"] = before
        else:
            out[key] = _clean_value(item, f"{path}.{key}", originals, False)
    return out


def normalize_fields(data: dict[str, Any]) -> dict[str, str]:
    """Normalise every text value of ``data`` in place; return the originals changed by t2s."""
    originals: dict[str, str] = {}
    for key, value in data.items():
        if value.__class__ is str and key not in _NOT_PLAIN:
            # The usual value, a one-line text field: ``_clean`` inlined (one call less per field).
            if len(value) <= _SHORT_VALUE:
                data[key], before = _clean_short(value)
            elif value.isascii():
                data[key], before = _single_spaced(value), None
            else:
                data[key], before = _clean_text(value, False)
            if before is not None:
                originals[key] = before
            continue
        if key in _NOT_TEXT:
            continue
        if not isinstance(value, str):  # lists and objects (JSON sources) are walked by _clean_value
            if key not in _VERBATIM:
                data[key] = _clean_value(value, key, originals, key in _MULTILINE)
            continue
        if key in _VERBATIM:
            data[key] = to_halfwidth(value).strip()
            continue
        data[key], before = _clean(value, key in _MULTILINE)
        if before is not None:
            originals[key] = before
    return originals


def _oversized(data: dict[str, Any]) -> tuple[str, str] | None:
    for key, value in data.items():
        cls = value.__class__
        if cls is str or (cls is not list and isinstance(value, str)):
            if len(value) > MAX_FIELD_CHARS:
                return key, value
        elif cls is list or isinstance(value, list):
            for item in value:
                if len(item) > MAX_FIELD_CHARS if item.__class__ is str else (
                        isinstance(item, str) and len(item) > MAX_FIELD_CHARS):
                    return key, item
    return None


def _issue_rejects(issues: list[FieldIssue], where: str, action: str, rid: str | None) -> list[Reject]:
    return [
        Reject(
            locator=where,
            field=i.field,
            reason=i.reason,
            raw_value=shorten(i.value),
            action="record" if action == "record" else "field",
            record_id=rid,
        )
        for i in issues
    ]


def _validation_rejects(exc: ValidationError, data: dict[str, Any], where: str) -> list[Reject]:
    out = []
    for err in exc.errors():
        field = ".".join(str(p) for p in err["loc"]) or None
        value = err.get("input")
        out.append(
            Reject(
                locator=where,
                field=field,
                reason=str(err["msg"]),
                raw_value=None if value is None or isinstance(value, dict) else shorten(value),
                record_id=str(data.get("id")) if data.get("id") else None,
            )
        )
    return out


def build_record(
    kind: str, data: dict[str, Any], locator: Locator, seps: dict[str, str] | None = None
) -> tuple[AnyRecord | None, list[Reject]]:
    """A validated record (plus field-level rejects) or ``None`` and the record's rejects."""
    if _turn is not None and not _turn():
        return None, []  # another ingest worker builds this one
    big = _oversized(data)
    if big:
        reason = f"field larger than {MAX_FIELD_CHARS // 1_000_000} MB ({len(big[1])} characters)"
        return None, [Reject(locator=str(locator), field=big[0], reason=reason, raw_value=shorten(big[1], 80))]
    originals = normalize_fields(data)
    data, issues = coerce(kind, data, seps or {})
    data["original"] = {**dict(data.get("original") or {}), **originals}
    data["locator"] = locator
    model = RECORD_TYPES[kind]
    try:
        record = model.model_validate(data)
    except ValidationError as exc:
        where = str(locator)
        dropped = _droppable(exc, model.model_fields)
        if dropped is None:
            rid = str(data.get("id")) if data.get("id") else None
            return None, _issue_rejects(issues, where, "record", rid) + _validation_rejects(exc, data, where)
        # Only optional fields were bad: drop them, report them, keep the record.
        issues += [FieldIssue(name, f"{msg}; value dropped", data.pop(name, None)) for name, msg in dropped]
        return build_validated(model, data, issues, where)
    if not issues:  # the usual case: no locator text to format
        return record, []  # type: ignore[return-value]
    return record, _issue_rejects(issues, str(locator), "field", record.id)  # type: ignore[return-value]


def build_validated(
    model: Any, data: dict[str, Any], issues: list[FieldIssue], where: str
) -> tuple[AnyRecord | None, list[Reject]]:
    try:
        record = model.model_validate(data)
    except ValidationError as exc:
        rid = str(data.get("id")) if data.get("id") else None
        return None, _issue_rejects(issues, where, "record", rid) + _validation_rejects(exc, data, where)
    return record, _issue_rejects(issues, where, "field", record.id)


def _droppable(exc: ValidationError, model_fields: dict[str, Any]) -> list[tuple[str, str]] | None:
    """(field, message) for each error when every error sits in a field that is not required."""
    out = []
    for err in exc.errors():
        name = str(err["loc"][0]) if err["loc"] else ""
        info = model_fields.get(name)
        if info is None or info.is_required() or name in ("raw", "original", "locator"):
            return None
        out.append((name, str(err["msg"])))
    return out


class Draft(NamedTuple):
    """A record a reader has gathered but not built: ``make(*args)`` gives what ``build_record``
    takes (fields, locator) and the field-level rejects reported after the record when it is kept
    (their ``record_id`` is filled in then). A reader that yields drafts lets ingest gather in one
    process and build in worker processes (``ingestion.parallel``); ``make`` is a module-level
    function and ``args`` plain data, so a draft pickles small (objects shared by many drafts, such
    as a header, go once per message)."""

    kind: str
    make: Callable[..., tuple[dict[str, Any], Locator, tuple[Reject, ...]]]
    args: tuple[Any, ...]


def build_draft(draft: Draft) -> list[AnyRecord | Reject]:
    """The draft's rejects, then its record and the rejects that go with a kept record."""
    data, locator, if_kept = draft.make(*draft.args)
    record, rejects = build_record(draft.kind, data, locator)
    out: list[AnyRecord | Reject] = list(rejects)
    if record is not None:
        out.append(record)
        out += [r.model_copy(update={"record_id": record.id}) for r in if_kept]
    return out
