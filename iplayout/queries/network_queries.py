"""Named queries that pull graph projections for clusters and centrality (computed in Python)."""

from iplayout.queries.registry import NamedQuery

_ORG_TECH = ("MATCH (o:Organization)-[:APPLIED_FOR]->(p:Patent) MATCH (p)-[:CLASSIFIED_AS]->(t:Technology) "
             "MATCH (t)-[:BROADER*0..4]->(g:Technology) WHERE g.level = $level ")

QUERIES = [
    NamedQuery(
        "net_org_technology",
        _ORG_TECH + "RETURN o.id AS org, g.id AS tech, count(DISTINCT p) AS weight ORDER BY org, tech",
        "Organisation-technology bipartite projection: patents of each organisation per IPC class at $level.",
        ("level",),
    ),
    NamedQuery(
        "net_coapplicants",
        "MATCH (a:Organization)-[:APPLIED_FOR]->(p:Patent) MATCH (b:Organization)-[:APPLIED_FOR]->(p) "
        "WHERE a.id < b.id RETURN a.id AS source, b.id AS target, count(DISTINCT p) AS weight "
        "ORDER BY source, target",
        "Co-applicant network: joint patents per pair of organisations.",
    ),
    NamedQuery(
        "net_org_citations",
        "MATCH (a:Organization)-[:APPLIED_FOR]->(p:Patent) MATCH (p)-[:CITES]->(q:Patent) "
        "MATCH (b:Organization)-[:APPLIED_FOR]->(q) WHERE a.id <> b.id "
        "RETURN a.id AS source, b.id AS target, count(*) AS weight ORDER BY source, target",
        "Citation network between organisations (citing -> cited patents).",
    ),
    NamedQuery(
        "net_district_technology",
        "MATCH (d:District)<-[:LOCATED_IN]-(o:Organization)-[:APPLIED_FOR]->(p:Patent) "
        "MATCH (p)-[:CLASSIFIED_AS]->(t:Technology) MATCH (t)-[:BROADER*0..4]->(g:Technology) "
        "WHERE g.level = $level RETURN d.adcode AS org, g.id AS tech, count(DISTINCT p) AS weight "
        "ORDER BY org, tech",
        "District-technology projection (patents of local applicants per IPC class at $level).",
        ("level",),
    ),
    NamedQuery(
        "net_orgs",
        "MATCH (o:Organization) OPTIONAL MATCH (o)-[:LOCATED_IN]->(d:District) "
        "RETURN o.id AS org, o.name AS name, o.kind AS kind, d.adcode AS adcode ORDER BY org",
        "Organisations with their district (when located in one).",
    ),
    NamedQuery(
        "net_org_years",
        "MATCH (o:Organization)-[:APPLIED_FOR]->(p:Patent) "
        "RETURN o.id AS org, p.year AS year, count(DISTINCT p) AS patents ORDER BY org, year",
        "Patents per organisation and application year (cluster profiles).",
    ),
]
