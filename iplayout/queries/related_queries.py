"""Graph evidence for related documents: why document ``$id`` and each of ``$others`` belong together.

Each query returns one row per fact: ``other`` (the other document's id), ``via`` (the id of the
shared node, or the direction of a citation) and ``name`` (a readable label). Plain MATCH patterns,
no APOC, no label on the document nodes (the relationship types restrict them): the same text runs on
Neo4j 5 and on LadybugDB.
"""

from iplayout.queries.registry import NamedQuery

_ORG_RELS = "APPLIED_FOR|PUBLISHED|DRAFTED|ISSUED"

RELATED_EVIDENCE = (
    "related_shared_organization",
    "related_citation",
    "related_shared_classification",
    "related_shared_chain_link",
)

QUERIES = [
    NamedQuery(
        "related_shared_organization",
        f"MATCH (a)<-[:{_ORG_RELS}]-(o:Organization)-[:{_ORG_RELS}]->(b) "
        "WHERE a.id = $id AND b.id IN $others "
        "RETURN b.id AS other, o.id AS via, o.name AS name ORDER BY other, via",
        "Organisations that applied for / published / drafted / issued both documents (shared applicant).",
        ("id", "others"),
    ),
    NamedQuery(
        "related_citation",
        "MATCH (a)-[:CITES]->(b) WHERE a.id = $id AND b.id IN $others "
        "RETURN b.id AS other, 'cites' AS via, b.title AS name "
        "UNION ALL "
        "MATCH (b)-[:CITES]->(a) WHERE a.id = $id AND b.id IN $others "
        "RETURN b.id AS other, 'cited_by' AS via, b.title AS name",
        "Citations in either direction between the document and each candidate.",
        ("id", "others"),
    ),
    NamedQuery(
        "related_shared_classification",
        "MATCH (a)-[:CLASSIFIED_AS]->(t:Technology)<-[:CLASSIFIED_AS]-(b) "
        "WHERE a.id = $id AND b.id IN $others "
        "RETURN b.id AS other, t.id AS via, t.code AS name ORDER BY other, via",
        "Classes (IPC subgroups for patents, as classified) both documents are classified in.",
        ("id", "others"),
    ),
    NamedQuery(
        "related_shared_chain_link",
        "MATCH (a)-[:CLASSIFIED_AS|MENTIONS]->(:Technology)-[:BROADER*0..3]->(:Technology)"
        "<-[:REQUIRES]-(l:ChainLink) "
        "WHERE a.id = $id "
        "WITH DISTINCT l "
        "MATCH (l)-[:REQUIRES]->(:Technology)<-[:BROADER*0..3]-(:Technology)<-[:CLASSIFIED_AS|MENTIONS]-(b) "
        "WHERE b.id IN $others "
        "RETURN DISTINCT b.id AS other, l.id AS via, l.name AS name ORDER BY other, via",
        "Industry-chain links whose required technologies (or narrower ones) both documents touch.",
        ("id", "others"),
    ),
]
