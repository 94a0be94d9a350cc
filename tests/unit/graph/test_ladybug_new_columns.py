"""A graph made before the ontology gained a property (Organization.aliases) still takes upserts."""

from __future__ import annotations

from pathlib import Path

import ladybug

from iplayout.config import Settings
from iplayout.graph.factory import open_store


def test_ensure_schema_adds_properties_an_older_graph_lacks(tmp_path: Path) -> None:
    settings = Settings(store="embedded", home=tmp_path)
    tmp_path.mkdir(exist_ok=True)
    db = ladybug.Database(str(settings.embedded_path))
    conn = ladybug.Connection(db)
    conn.execute("CREATE NODE TABLE Organization(id STRING, name STRING, PRIMARY KEY(id))")
    conn.execute("CREATE (:Organization {id: 'org:a', name: 'A'})")
    conn.close()
    db.close()
    store = open_store(settings)
    try:
        store.ensure_schema()
        store.upsert_nodes("Organization", [{"id": "org:b", "name": "B", "aliases": ["B", "B Co"], "source": "t"}])
        rows = store.cypher_read("MATCH (o:Organization) RETURN o.id AS id, o.aliases AS aliases ORDER BY id")
    finally:
        store.close()
    assert rows == [{"id": "org:a", "aliases": None}, {"id": "org:b", "aliases": ["B", "B Co"]}]
