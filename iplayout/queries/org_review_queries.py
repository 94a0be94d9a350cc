"""Organisations as the duplicates review list reads them (``iplayout export duplicates``)."""

from iplayout.queries.registry import NamedQuery

QUERIES = [
    NamedQuery(
        "organisations_for_review",
        "MATCH (o:Organization) OPTIONAL MATCH (o)-[:APPLIED_FOR]->(p:Patent) "
        "RETURN o.id AS id, o.name AS name, o.kind AS kind, o.resolution_key AS resolution_key, "
        "o.name_en AS name_en, o.credit_code AS credit_code, count(p) AS patents ORDER BY id",
        "Every organisation with its name, kind, keys and number of patent applications.",
    ),
]
