"""Named queries behind ``analyze evaluate`` (resource matching district x industry)."""

from iplayout.queries.registry import NamedQuery

_MAP = ("MATCH (t)-[:BROADER*0..4]->(b:Technology) MATCH (b)-[:MAPS_TO]->(i:Industry) "
        "WHERE i.scheme = $scheme ")

QUERIES = [
    NamedQuery(
        "eval_papers_district_industry",
        "MATCH (d:District)<-[:LOCATED_IN]-(o:Organization)-[:PUBLISHED]->(x:Paper) "
        "MATCH (x)-[:CLASSIFIED_AS]->(t:Technology) " + _MAP +
        "RETURN d.adcode AS adcode, i.id AS industry, count(DISTINCT x) AS papers ORDER BY adcode, industry",
        "Papers of local organisations per district x industry (innovation resource).",
        ("scheme",),
    ),
    NamedQuery(
        "eval_enterprises_district_industry",
        "MATCH (d:District)<-[:LOCATED_IN]-(o:Organization)-[:APPLIED_FOR]->(p:Patent) "
        "MATCH (p)-[:CLASSIFIED_AS]->(t:Technology) " + _MAP + "AND o.kind = 'enterprise' "
        "RETURN d.adcode AS adcode, i.id AS industry, count(DISTINCT o) AS enterprises ORDER BY adcode, industry",
        "Local enterprises holding patents per district x industry (industry resource).",
        ("scheme",),
    ),
]
