"""The one place that chooses a graph engine, from Settings only."""

from __future__ import annotations

from iplayout.config import Settings
from iplayout.graph.store import GraphStore


def open_store(settings: Settings, *, read_only: bool = False) -> GraphStore:
    """Open the configured store; writers get the schema ensured."""
    store: GraphStore
    if settings.store == "neo4j":
        from iplayout.graph.neo4j_store import Neo4jStore

        store = Neo4jStore(
            settings.neo4j_uri,
            user=settings.neo4j_user,
            password=settings.neo4j_password.get_secret_value(),
            database=settings.neo4j_database,
            batch_size=settings.write_batch_size,
            max_retry_time=settings.neo4j_max_retry_time,
            write_concurrency=settings.neo4j_write_concurrency,
            read_only=read_only,
        )
    else:
        from iplayout.graph.first_load import CopyLimits
        from iplayout.graph.ladybug_store import LadybugStore

        store = LadybugStore(
            settings.embedded_path, read_only=read_only, batch_size=settings.write_batch_size,
            copy_limits=CopyLimits(settings.bulk_copy_base_s, settings.bulk_copy_rows_per_s),
        )
    if not read_only:
        store.ensure_schema()
    return store
