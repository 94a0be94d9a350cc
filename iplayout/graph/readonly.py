"""Refuse writing Cypher before it reaches an engine.

This is the first of two guards: engines also run user Cypher in read transactions (Neo4j) or
on a read-only database (LadybugDB). Literals and comments are stripped first so that a string
such as ``'CREATE'`` is not a false alarm, and property names after ``.`` are ignored.
"""

from __future__ import annotations

import re

from iplayout.errors import ReadOnlyViolation

WRITE_KEYWORDS = frozenset(
    {
        "CREATE",
        "MERGE",
        "SET",
        "DELETE",
        "DETACH",
        "REMOVE",
        "DROP",
        "LOAD",
        "COPY",
        "FOREACH",
        "INSTALL",
        "UNINSTALL",
        "ALTER",
        "IMPORT",
        "EXPORT",
        "ATTACH",
        "CHECKPOINT",
        "GRANT",
        "REVOKE",
        "DENY",
        "TERMINATE",
        "START",
        "STOP",
        "ENABLE",
        "RENAME",
        "BEGIN",
        "COMMIT",
        "ROLLBACK",
        "USE",
    }
)

# Procedures known not to write. Anything else after CALL is refused (apoc.create.*, db.create*, …).
READ_PROCEDURES = frozenset(
    {
        "db.labels",
        "db.relationshiptypes",
        "db.propertykeys",
        "db.schema.visualization",
        "db.schema.nodetypeproperties",
        "db.schema.reltypeproperties",
        "db.indexes",
        "db.constraints",
        "db.info",
        "dbms.components",
        "apoc.meta.schema",
        "apoc.meta.stats",
        "apoc.version",
        "show_tables",
        "table_info",
        "show_connection",
        "current_setting",
        "db_version",
    }
)

_STRIP = re.compile(
    r"//[^\n]*|/\*.*?\*/|'(?:[^'\\]|\\.)*'|\"(?:[^\"\\]|\\.)*\"|`[^`]*`",
    re.DOTALL,
)
_TOKEN = re.compile(r"\.?\s*[A-Za-z_][A-Za-z0-9_.]*|\{")


def _strip(text: str) -> str:
    return _STRIP.sub(" ", text)


def check_read_only(text: str) -> None:
    """Raise ReadOnlyViolation if ``text`` contains a write clause or a non-read procedure call."""
    body = _strip(text)
    tokens = [t for t in _TOKEN.findall(body) if not t.startswith(".")]
    for i, tok in enumerate(tokens):
        word = tok.strip().upper()
        if word in WRITE_KEYWORDS:
            raise ReadOnlyViolation(f"read-only: {word} is a write clause; this entry point only reads")
        if word == "CALL":
            nxt = tokens[i + 1].strip() if i + 1 < len(tokens) else ""
            if nxt == "{":
                continue  # subquery: its clauses are checked as tokens above
            if nxt.lower() not in READ_PROCEDURES:
                raise ReadOnlyViolation(
                    f"read-only: procedure {nxt or '?'} is not on the read-only allow list"
                )
