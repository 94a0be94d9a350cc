"""Basic named queries used by the CLI, the demo summary and the contract suite."""

from iplayout.queries.registry import NamedQuery

QUERIES = [
    NamedQuery(
        "district_count",
        "MATCH (d:District) RETURN count(d) AS n",
        "Number of county-level units in the graph.",
    ),
    NamedQuery(
        "patents_by_district",
        "MATCH (d:District)<-[:LOCATED_IN]-(o:Organization)-[:APPLIED_FOR]->(p:Patent) "
        "WHERE $year_from IS NULL OR p.year >= $year_from "
        "RETURN d.adcode AS adcode, d.name AS district, count(DISTINCT p) AS patents "
        "ORDER BY patents DESC, adcode",
        "Distinct patents with at least one applicant located in each district.",
        ("year_from",),
    ),
    NamedQuery(
        "top_applicants",
        "MATCH (o:Organization)-[:APPLIED_FOR]->(p:Patent) "
        "RETURN o.id AS id, o.name AS name, o.kind AS kind, count(p) AS patents "
        "ORDER BY patents DESC, id LIMIT $limit",
        "Organisations with the most patent applications.",
        ("limit",),
    ),
    NamedQuery(
        "technology_subtree",
        "MATCH (t:Technology)-[:BROADER*0..4]->(root:Technology {id: $root}) "
        "RETURN t.id AS id, t.level AS level ORDER BY id",
        "A technology and every narrower class up to four levels down.",
        ("root",),
    ),
    NamedQuery(
        "chain_link_patents",
        "MATCH (c:IndustryChain)<-[:PART_OF]-(l:ChainLink) "
        "OPTIONAL MATCH (l)-[:REQUIRES]->(t:Technology)<-[:CLASSIFIED_AS]-(p:Patent) "
        "RETURN c.id AS chain, l.id AS link, l.position AS position, count(DISTINCT p) AS patents "
        "ORDER BY chain, link",
        "Patents classified under the technologies each chain link requires.",
    ),
    NamedQuery(
        "synthetic_documents",
        "MATCH (p:Patent) WHERE p.synthetic = true RETURN count(p) AS n",
        "Patents marked synthetic (the generated demo corpus): the workbench labels such graphs.",
    ),
]
