"""From a reader's field dict to a validated canonical record, or to rejects.

One place does, for every reader: the oversized-field guard, text normalisation (width,
whitespace, Traditional → Simplified keeping the original), per-kind coercion and pydantic
validation, so every format gets the same rules and the same reject reasons.
"""

from __future__ import annotations

import re
from typing import Any

from pydantic import ValidationError

from iplayout.ingestion.coerce import FieldIssue, coerce
from iplayout.ingestion.fields import shorten
from iplayout.ingestion.records import RECORD_TYPES, AnyRecord, Locator, Reject
from iplayout.nlp.normalize import collapse_whitespace, t2s, to_halfwidth

MAX_FIELD_CHARS = 1_000_000  # one text field above this is refused (a reject reason), never stored
_CJK = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")
_FULLWIDTH = re.compile(r"[\uff01-\uff5e\u3000]")
_BLANK_LINES = re.compile(r"\n\s*\n(\s*\n)+")
# Identifiers and links are compared byte for byte downstream: only width is normalised there.
_VERBATIM = frozenset({"id", "doi", "application_number", "url", "adcode", "lang", "province_code"})
_MULTILINE = frozenset({"text", "scope"})


def _clean(text: str, multiline: bool) -> tuple[str, str | None]:
    """Normalised text and, when Traditional → Simplified changed it, the text before conversion."""
    if _FULLWIDTH.search(text):  # translate() is slow per call; most values have no full-width chars
        text = to_halfwidth(text)
    if multiline:
        lines = (collapse_whitespace(line) for line in text.replace("\r\n", "\n").split("\n"))
        text = _BLANK_LINES.sub("\n\n", "\n".join(lines)).strip()
    else:
        text = collapse_whitespace(text)
    if not _CJK.search(text):
        return text, None
    simplified = t2s(text)
    return simplified, (text if simplified != text else None)


def _clean_value(value: Any, path: str, originals: dict[str, str], multiline: bool) -> Any:
    if isinstance(value, str):
        cleaned, before = _clean(value, multiline)
        if before is not None:
            originals[path] = before
        return cleaned
    if isinstance(value, list):
        return [_clean_value(v, f"{path}.{i}", originals, multiline) for i, v in enumerate(value)]
    if isinstance(value, dict):
        return {k: _clean_value(v, f"{path}.{k}", originals, multiline) for k, v in value.items()}
    return value


def normalize_fields(data: dict[str, Any]) -> dict[str, str]:
    """Normalise every text value of ``data`` in place; return the originals changed by t2s."""
    originals: dict[str, str] = {}
    for key, value in data.items():
        if key in ("raw", "original", "locator"):
            continue
        if key in _VERBATIM:
            data[key] = to_halfwidth(value).strip() if isinstance(value, str) else value
            continue
        data[key] = _clean_value(value, key, originals, key in _MULTILINE)
    return originals


def _oversized(data: dict[str, Any]) -> tuple[str, str] | None:
    for key, value in data.items():
        items = value if isinstance(value, list) else [value]
        for item in items:
            if isinstance(item, str) and len(item) > MAX_FIELD_CHARS:
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
    where = str(locator)
    big = _oversized(data)
    if big:
        reason = f"field larger than {MAX_FIELD_CHARS // 1_000_000} MB ({len(big[1])} characters)"
        return None, [Reject(locator=where, field=big[0], reason=reason, raw_value=shorten(big[1], 80))]
    originals = normalize_fields(data)
    data, issues = coerce(kind, data, seps or {})
    data["original"] = {**dict(data.get("original") or {}), **originals}
    data["locator"] = locator
    model = RECORD_TYPES[kind]
    try:
        record = model.model_validate(data)
    except ValidationError as exc:
        dropped = _droppable(exc, model.model_fields)
        if dropped is None:
            rid = str(data.get("id")) if data.get("id") else None
            return None, _issue_rejects(issues, where, "record", rid) + _validation_rejects(exc, data, where)
        # Only optional fields were bad: drop them, report them, keep the record.
        issues += [FieldIssue(name, f"{msg}; value dropped", data.pop(name, None)) for name, msg in dropped]
        return build_validated(model, data, issues, where)
    return record, _issue_rejects(issues, where, "field", record.id)  # type: ignore[return-value]


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
