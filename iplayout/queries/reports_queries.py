"""Named queries behind ``iplayout report`` and ``iplayout map`` (plain MATCH, no APOC: both engines)."""

from iplayout.queries.registry import NamedQuery

_IN_DISTRICT = "MATCH (d:District {adcode: $adcode})<-[:LOCATED_IN]-(o:Organization)-[:APPLIED_FOR]->(p:Patent) "
_IN_INDUSTRY = (
    "MATCH (i:Industry {id: $industry}) MATCH (j:Industry)-[:BROADER*0..3]->(i) MATCH (b:Technology)-[:MAPS_TO]->(j) "
    "MATCH (t:Technology)-[:BROADER*0..4]->(b) MATCH (p:Patent)-[:CLASSIFIED_AS]->(t) "
)

QUERIES = [
    NamedQuery(
        "report_districts",
        "MATCH (d:District) RETURN d.adcode AS adcode, d.name AS name, d.type AS type, "
        "d.source AS source, d.synthetic AS synthetic ORDER BY adcode",
        "Every district with its name and provenance (district lookup by code or name).",
    ),
    NamedQuery(
        "report_district_zones",
        "MATCH (d:District {adcode: $adcode})-[:IN_ZONE]->(z:Zone) "
        "RETURN z.id AS zone, z.scheme AS scheme, z.name AS name ORDER BY scheme, zone",
        "The functional zones a district belongs to.",
        ("adcode",),
    ),
    NamedQuery(
        "report_district_top_orgs",
        _IN_DISTRICT + "RETURN o.id AS id, o.name AS name, o.kind AS kind, count(DISTINCT p) AS patents "
        "ORDER BY patents DESC, id LIMIT $limit",
        "Organisations located in a district with the most patent applications.",
        ("adcode", "limit"),
    ),
    NamedQuery(
        "report_district_top_technologies",
        _IN_DISTRICT + "MATCH (p)-[:CLASSIFIED_AS]->(t:Technology) "
        "RETURN t.id AS id, t.code AS code, t.name_zh AS name, count(DISTINCT p) AS patents "
        "ORDER BY patents DESC, id LIMIT $limit",
        "Technology classes with the most patents of a district's organisations.",
        ("adcode", "limit"),
    ),
    NamedQuery(
        "report_industry",
        "MATCH (i:Industry {id: $industry}) RETURN i.id AS id, i.name AS name, i.code AS code, "
        "i.scheme AS scheme, i.source AS source, i.synthetic AS synthetic",
        "One industry by id.",
        ("industry",),
    ),
    NamedQuery(
        "report_industry_top_orgs",
        _IN_INDUSTRY + "MATCH (o:Organization)-[:APPLIED_FOR]->(p) MATCH (o)-[:LOCATED_IN]->(d:District) "
        "RETURN o.id AS id, o.name AS name, o.kind AS kind, d.name AS district, count(DISTINCT p) AS patents "
        "ORDER BY patents DESC, id LIMIT $limit",
        "Local organisations with the most patents in an industry or a narrower one (via IPC -> MAPS_TO).",
        ("industry", "limit"),
    ),
    NamedQuery(
        "report_industry_top_technologies",
        _IN_INDUSTRY + "MATCH (o:Organization)-[:APPLIED_FOR]->(p) MATCH (o)-[:LOCATED_IN]->(:District) "
        "RETURN t.id AS id, t.code AS code, t.name_zh AS name, count(DISTINCT p) AS patents "
        "ORDER BY patents DESC, id LIMIT $limit",
        "Technology classes carrying the most local patents of an industry.",
        ("industry", "limit"),
    ),
    NamedQuery(
        "report_industry_district_year",
        _IN_INDUSTRY + "MATCH (o:Organization)-[:APPLIED_FOR]->(p) MATCH (o)-[:LOCATED_IN]->(d:District) "
        "RETURN d.adcode AS adcode, p.year AS year, count(DISTINCT p) AS patents ORDER BY adcode, year",
        "Patents of an industry (or a narrower one) per district and year.",
        ("industry",),
    ),
    NamedQuery(
        "report_patent_sources",
        "MATCH (p:Patent) RETURN p.source AS source, p.synthetic AS synthetic, count(p) AS records "
        "ORDER BY records DESC, source LIMIT $limit",
        "Where the patents in the graph come from (provenance section of reports).",
        ("limit",),
    ),
    NamedQuery(
        "report_observation_sources",
        "MATCH (ob:Observation) RETURN ob.source AS source, ob.synthetic AS synthetic, count(ob) AS records "
        "ORDER BY records DESC, source LIMIT $limit",
        "Where the statistics in the graph come from (provenance section of reports).",
        ("limit",),
    ),
]
