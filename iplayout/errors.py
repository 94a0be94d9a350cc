"""One root error and one subclass per area.

Third-party errors (driver, LadybugDB, faiss, parsers) are translated at the edge with
``raise ... from exc`` so callers only ever catch ``IplayoutError``; only ``api/`` and ``cli``
turn them into HTTP codes or exit codes.
"""

from __future__ import annotations


class IplayoutError(Exception):
    """Root of every error this package raises on purpose."""


class ConfigError(IplayoutError):
    """Settings are missing or inconsistent."""


class OntologyError(IplayoutError):
    """A label, relationship type or property is not part of the ontology."""


class GraphError(IplayoutError):
    """The graph store failed (connection, query, schema)."""


class BulkLoadAborted(GraphError):
    """A bulk COPY ran past its watchdog: the load was abandoned, its records stay unbuilt."""

    def __init__(self, message: str, stuck: bool = False) -> None:
        super().__init__(message)
        self.stuck = stuck  # the COPY did not stop when interrupted: its connection cannot be closed


class GraphLockedError(GraphError):
    """The embedded database is held read-write by another process."""


class ReadOnlyViolation(GraphError):
    """A query sent to a read-only entry point would write."""


class QueryTimeout(GraphError):
    """A query ran past its time limit and was stopped."""


class IngestionError(IplayoutError):
    """A source file cannot be read at all (bad records go to the rejects file instead)."""


class ExtractionError(IplayoutError):
    """Entity extraction or resolution failed."""


class SearchError(IplayoutError):
    """Embedding, indexing or search failed."""


class AnalysisError(IplayoutError):
    """An analytics computation cannot run on the given data."""


class ReportError(IplayoutError):
    """A map or report cannot be produced."""
