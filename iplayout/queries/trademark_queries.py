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

# As benchmark_queries._PLACES: a mark's places are those of its holders (unlabelled hop, District adcode or City/Province id).
_PLACES = "MATCH (o:Organization)-[:APPLIED_FOR]->(p) OPTIONAL MATCH (o)-[:LOCATED_IN]->(x) "
_PLACE = "coalesce(x.adcode, x.id)"

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
    NamedQuery(
        "benchmark_trademark_places",
        "MATCH (p:Trademark) " + _PLACES +
        f"WITH p, collect(DISTINCT {_PLACE}) AS places RETURN places, count(p) AS trademarks",
        "Every trademark with a holder, grouped by the places of its holders (benchmark population sizes).",
    ),
    NamedQuery(
        "benchmark_trademark_industry_places",
        "MATCH (p:Trademark) " + _INDUSTRY + "WITH DISTINCT i, p " + _PLACES +
        f"WITH i, p, collect(DISTINCT {_PLACE}) AS places "
        "RETURN i.id AS industry, p.year AS year, places, count(p) AS trademarks",
        "Trademarks per industry (scheme $scheme, via Nice -> MAPS_TO) and application year, grouped by places.",
        ("scheme",),
    ),
]
