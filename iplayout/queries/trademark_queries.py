"""Named queries counting trademarks (``--ip-type trademarks|all``), the counterparts of the patent
queries in density_queries.py with the same columns.

Counting rule as for patents: a mark counts once for every district where one of its holders is
located; it reaches industries through its Nice class or group, ``BROADER``, and ``MAPS_TO``.
"""

from iplayout.queries.registry import NamedQuery

_LOCAL = "MATCH (d:District)<-[:LOCATED_IN]-(o:Organization)-[:APPLIED_FOR]->(p:Trademark) "
_INDUSTRY = (
    "MATCH (p)-[:CLASSIFIED_AS]->(t:Technology) "
    "MATCH (t)-[:BROADER*0..4]->(b:Technology) "
    "MATCH (b)-[:MAPS_TO]->(i:Industry) WHERE i.scheme = $scheme "
)

QUERIES = [
    NamedQuery(
        "density_trademarks_district_year",
        _LOCAL + "RETURN d.adcode AS adcode, p.year AS year, count(DISTINCT p) AS trademarks, "
        "count(DISTINCT CASE WHEN p.in_force = true THEN p.id END) AS trademarks_in_force ORDER BY adcode, year",
        "Trademarks held by organisations located in each district, per application year (and those in force).",
    ),
    NamedQuery(
        "density_trademarks_district_industry_year",
        _LOCAL + _INDUSTRY +
        "RETURN d.adcode AS adcode, i.id AS industry, p.year AS year, 'trademark' AS kind, "
        "count(DISTINCT p) AS trademarks ORDER BY adcode, industry, year",
        "Trademarks per district x industry (scheme $scheme, via Nice class/group -> MAPS_TO) x year.",
        ("scheme",),
    ),
    NamedQuery(
        "density_trademarks_region_industry_year",
        _LOCAL + _INDUSTRY +
        "RETURN i.id AS industry, p.year AS year, 'trademark' AS kind, count(DISTINCT p) AS trademarks "
        "ORDER BY industry, year",
        "Distinct trademarks with a local holder per industry x year (the region as one unit).",
        ("scheme",),
    ),
    NamedQuery(
        "density_trademarks_industry_all",
        "MATCH (p:Trademark) " + _INDUSTRY +
        "RETURN i.id AS industry, count(DISTINCT p) AS trademarks ORDER BY industry",
        "Benchmark: every trademark in the graph per industry, wherever its holders are.",
        ("scheme",),
    ),
    NamedQuery(
        "monitor_trademarks_holders_district_year",
        _LOCAL + "RETURN d.adcode AS adcode, o.id AS org, o.name AS name, p.year AS year, "
        "count(DISTINCT p) AS trademarks ORDER BY adcode, org, year",
        "Trademarks per local holder per district and year (entrants, yearly concentration).",
    ),
    NamedQuery(
        "monitor_trademarks_tech_district_year",
        _LOCAL + "MATCH (p)-[:CLASSIFIED_AS]->(t:Technology) MATCH (t)-[:BROADER*0..4]->(g:Technology) "
        "WHERE g.scheme = 'NICE' AND g.level = CASE WHEN $level = 'subclass' THEN 'class' ELSE 'group' END "
        "RETURN d.adcode AS adcode, g.id AS tech, p.year AS year, count(DISTINCT p) AS trademarks "
        "ORDER BY adcode, tech, year",
        "Trademarks per district x Nice class (IPC level subclass) or similar-goods group (finer levels) x year.",
        ("level",),
    ),
    NamedQuery(
        "density_trademarks_holders_industry",
        _LOCAL + _INDUSTRY +
        "RETURN i.id AS industry, o.id AS org, o.kind AS kind, count(DISTINCT p) AS trademarks "
        "ORDER BY industry, org",
        "Trademarks per local holder (with its kind) in each industry: input of the industry HHI.",
        ("scheme",),
    ),
]
