"""Neo4j Cypher habits on the embedded engine (LadybugDB), rewritten or refused with one line.

Users learn Cypher from Neo4j's documentation. On LadybugDB: ``type(r)`` becomes ``label(r)``,
``labels(n)`` ``[label(n)]``, ``elementId(x)`` ``string(id(x))`` (an unaliased projection keeps
Neo4j's column name), and ``CALL db.labels()`` / ``db.relationshipTypes()`` / ``db.propertyKeys()``
read LadybugDB's catalog (``show_tables``, ``table_info``). ``id``, ``keys`` and ``properties``
run natively. Neo4j-only procedures fail before execution with the embedded equivalent.
docs/cli.md has the table; tests/integration/test_cypher_dialect.py runs every row on both engines.
"""

from __future__ import annotations

import re

from iplayout.errors import GraphError
from iplayout.ontology import NODES, RELATIONSHIPS

_LITERAL = re.compile(r"//[^\n]*|/\*.*?\*/|'(?:[^'\\]|\\.)*'|\"(?:[^\"\\]|\\.)*\"|`[^`]*`", re.DOTALL)
_FUNCS = {"type": "label({0})", "labels": "[label({0})]", "elementid": "string(id({0}))", "id": "id({0})"}
_CALL = re.compile(r"(?P<name>type|labels|elementId|id)\s*\(\s*(?P<arg>[A-Za-z_][A-Za-z0-9_]*)\s*\)", re.IGNORECASE)
# an unaliased projection item: after RETURN/WITH/DISTINCT or a comma, before a comma or the clause's end
_BEFORE = re.compile(r"(?:\bRETURN|\bWITH|\bDISTINCT|,)\s*$", re.IGNORECASE)
_AFTER = re.compile(r"^\s*(?:,|$|\bORDER\b|\bSKIP\b|\bLIMIT\b|\bUNION\b|\bWHERE\b)", re.IGNORECASE)

_PROC = re.compile(r"^\s*CALL\s+(?P<name>db\.labels|db\.relationshipTypes|db\.propertyKeys)\s*\(\s*\)"
                   r"(?:\s+YIELD\s+(?P<yield>\w+))?(?P<rest>.*?)\s*;?\s*$", re.IGNORECASE | re.DOTALL)
_COLUMNS = {"db.labels": "label", "db.relationshiptypes": "relationshipType", "db.propertykeys": "propertyKey"}
_NEO4J_ONLY = {
    "db.schema.visualization": "CALL show_tables() RETURN * and CALL table_info('Patent') RETURN *",
    "db.schema.nodetypeproperties": "CALL table_info('Patent') RETURN *",
    "db.schema.reltypeproperties": "CALL table_info('CLASSIFIED_AS') RETURN *",
    "db.indexes": "CALL show_tables() RETURN * (LadybugDB indexes its primary keys)",
    "db.constraints": "CALL table_info('Patent') RETURN * (the primary key column)",
    "db.info": "CALL db_version() RETURN *",
    "dbms.components": "CALL db_version() RETURN *",
    "apoc.": "plain Cypher, or CALL show_tables() RETURN * for the schema",
}
_CALLED = re.compile(r"\bCALL\s+([A-Za-z_][\w.]*)", re.IGNORECASE)


def to_embedded(text: str) -> str:
    """``text`` with Neo4j-only functions and catalog procedures rewritten for LadybugDB.

    Raises GraphError (one line, naming the embedded equivalent) for a Neo4j-only procedure.
    """
    code = _LITERAL.sub(lambda m: " " * len(m.group(0)), text)  # positions kept, literals blanked
    for m in _CALLED.finditer(code):
        name = m.group(1).lower()
        for neo4j, instead in _NEO4J_ONLY.items():
            if name == neo4j or (neo4j.endswith(".") and name.startswith(neo4j)):
                raise GraphError(f"{m.group(1)}() is Neo4j-only; on the embedded engine use {instead}")
    proc = _PROC.match(code)
    if proc:
        return _procedure(proc, text)
    out, last = [], 0
    for m in _CALL.finditer(code):
        if m.start() > 0 and (code[m.start() - 1].isalnum() or code[m.start() - 1] in "_.$"):
            continue  # part of a longer name (``mytype(x)``), a property or a parameter
        out.append(text[last:m.start()])
        call = _FUNCS[m.group("name").lower()].format(m.group("arg"))
        if _BEFORE.search(code[:m.start()]) and _AFTER.match(code[m.end():]):
            call += f" AS `{text[m.start():m.end()]}`"  # Neo4j's column name for an unaliased item
        out.append(call)
        last = m.end()
    out.append(text[last:])
    return "".join(out)


def _procedure(m: re.Match[str], text: str) -> str:
    name = m.group("name").lower()
    column = _COLUMNS[name]
    if m.group("yield") and m.group("yield") != column:
        raise GraphError(f"{m.group('name')}() yields {column} on the embedded engine, not {m.group('yield')}")
    rest = text[m.start("rest"):m.end("rest")].strip()
    if name == "db.propertykeys":
        if rest:
            raise GraphError("CALL db.propertyKeys() is answered only on its own on the embedded engine; "
                             "use CALL table_info('Patent') RETURN name for one label")
        tables = [n.label for n in NODES] + [r.type for r in RELATIONSHIPS]
        return " UNION ".join(f"CALL table_info('{t}') RETURN name AS propertyKey" for t in tables)
    kind = "NODE" if name == "db.labels" else "REL"
    head = f"CALL show_tables() WHERE type = '{kind}'"
    return f"{head} WITH name AS {column} {rest}" if rest else f"{head} RETURN name AS {column}"
