"""Named queries behind ``analyze monitor`` and ``analyze policies``."""

from iplayout.queries.registry import NamedQuery

_LOCAL = "MATCH (d:District)<-[:LOCATED_IN]-(o:Organization)-[:APPLIED_FOR]->(p:Patent) "
_DOWN = "MATCH (t:Technology)-[:BROADER*0..4]->(b) MATCH (p:Patent)-[:CLASSIFIED_AS]->(t) " \
        "MATCH (o:Organization)-[:APPLIED_FOR]->(p) MATCH (o)-[:LOCATED_IN]->(d:District) "

QUERIES = [
    NamedQuery(
        "monitor_holders_district_year",
        _LOCAL + "RETURN d.adcode AS adcode, o.id AS org, o.name AS name, p.year AS year, "
        "count(DISTINCT p) AS patents ORDER BY adcode, org, year",
        "Patents per local applicant per district and year (entrants, yearly concentration).",
    ),
    NamedQuery(
        "monitor_tech_district_year",
        _LOCAL + "MATCH (p)-[:CLASSIFIED_AS]->(t:Technology) MATCH (t)-[:BROADER*0..4]->(g:Technology) "
        "WHERE g.level = $level RETURN d.adcode AS adcode, g.id AS tech, p.year AS year, "
        "count(DISTINCT p) AS patents ORDER BY adcode, tech, year",
        "Patents per district x IPC class at $level x year (fastest-growing technologies).",
        ("level",),
    ),
    NamedQuery(
        "policy_targets_industry",
        "MATCH (x:Policy)-[r:TARGETS]->(i:Industry) RETURN x.id AS policy, x.year AS year, x.level AS level, "
        "x.region AS region, x.issuer AS issuer, i.id AS target, i.name AS target_name, i.scheme AS scheme, "
        "r.evidence AS evidence ORDER BY target, policy",
        "Industries targeted by each policy, with the issuing level, region and year.",
    ),
    NamedQuery(
        "policy_targets_technology",
        "MATCH (x:Policy)-[r:TARGETS]->(t:Technology) RETURN x.id AS policy, x.year AS year, x.level AS level, "
        "x.region AS region, x.issuer AS issuer, t.id AS target, t.code AS target_name, t.scheme AS scheme, "
        "r.evidence AS evidence ORDER BY target, policy",
        "Technologies targeted by each policy, with the issuing level, region and year.",
    ),
    NamedQuery(
        "policy_industry_local_patents",
        "MATCH (x:Policy)-[:TARGETS]->(i:Industry) MATCH (b:Technology)-[:MAPS_TO]->(i) " + _DOWN +
        "RETURN i.id AS target, count(DISTINCT p) AS local_patents ORDER BY target",
        "Local patents behind each targeted industry (technologies mapped to it and narrower classes).",
    ),
    NamedQuery(
        "policy_technology_local_patents",
        "MATCH (x:Policy)-[:TARGETS]->(b:Technology) " + _DOWN +
        "RETURN b.id AS target, count(DISTINCT p) AS local_patents ORDER BY target",
        "Local patents behind each targeted technology (and its narrower classes).",
    ),
]
