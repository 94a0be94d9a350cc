"""Readers for each source format, producing validated canonical records with provenance."""
