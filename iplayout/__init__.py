"""iplayout: knowledge graph and semantic search for regional IP layout analysis."""

__version__ = "0.1.0"
