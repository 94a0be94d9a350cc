"""Named queries behind ``analyze density`` (and reused by evaluate, monitor and catalog).

Counting rule: a patent counts once for every district where at least one of its applicants is
located (full counting); ``WITH DISTINCT d, p`` removes double counts within a district.
"""

from iplayout.queries.registry import NamedQuery

_LOCAL = "MATCH (d:District)<-[:LOCATED_IN]-(o:Organization)-[:APPLIED_FOR]->(p:Patent) "
_INDUSTRY = (
    "MATCH (p)-[:CLASSIFIED_AS]->(t:Technology) "
    "MATCH (t)-[:BROADER*0..4]->(b:Technology) "
    "MATCH (b)-[:MAPS_TO]->(i:Industry) WHERE i.scheme = $scheme "
)

QUERIES = [
    NamedQuery(
        "density_districts",
        "MATCH (d:District) OPTIONAL MATCH (d)-[:IN_ZONE]->(z:Zone) "
        "RETURN d.adcode AS adcode, d.name AS district, z.id AS zone, z.scheme AS zone_scheme, "
        "z.name AS zone_name ORDER BY adcode, zone",
        "Every district with each functional zone it belongs to (one row per zone scheme).",
    ),
    NamedQuery(
        "density_patents_district_year",
        _LOCAL + "WITH DISTINCT d, p "
        "RETURN d.adcode AS adcode, p.year AS year, p.kind AS kind, p.legal_status AS legal_status, "
        "p.in_force AS in_force, count(p) AS patents, sum(p.family_size) AS family_size_sum, "
        "count(p.family_size) AS family_size_n, sum(p.claims_count) AS claims_sum, "
        "count(p.claims_count) AS claims_n "
        "ORDER BY adcode, year, kind, legal_status",
        "Patents per district x year x kind x legal status x in-force, with family-size and claim sums.",
    ),
    NamedQuery(
        "density_citations_district_year",
        _LOCAL + "WITH DISTINCT d, p MATCH (x:Patent)-[c:CITES]->(p) "
        "RETURN d.adcode AS adcode, p.year AS year, count(c) AS citations ORDER BY adcode, year",
        "Citations received from other patents by the patents of each district, by application year.",
    ),
    NamedQuery(
        "density_patents_district_industry_year",
        _LOCAL + _INDUSTRY +
        "RETURN d.adcode AS adcode, i.id AS industry, p.year AS year, p.kind AS kind, "
        "count(DISTINCT p) AS patents ORDER BY adcode, industry, year, kind",
        "Patents per district x industry (scheme $scheme, via IPC -> MAPS_TO) x year x kind.",
        ("scheme",),
    ),
    NamedQuery(
        "density_patents_region_industry_year",
        _LOCAL + _INDUSTRY +
        "RETURN i.id AS industry, p.year AS year, p.kind AS kind, count(DISTINCT p) AS patents "
        "ORDER BY industry, year, kind",
        "Distinct patents with a local applicant per industry x year x kind (the region as one unit).",
        ("scheme",),
    ),
    NamedQuery(
        "density_patents_industry_all",
        "MATCH (p:Patent) " + _INDUSTRY +
        "RETURN i.id AS industry, count(DISTINCT p) AS patents ORDER BY industry",
        "Benchmark: every patent in the graph per industry, wherever its applicants are.",
        ("scheme",),
    ),
    NamedQuery(
        "density_industries",
        "MATCH (i:Industry) WHERE i.scheme = $scheme "
        "RETURN i.id AS industry, i.code AS code, i.name AS name ORDER BY industry",
        "The industries of one classification scheme.",
        ("scheme",),
    ),
    NamedQuery(
        "density_holders_district",
        _LOCAL + "RETURN d.adcode AS adcode, o.id AS org, min(p.year) AS first_year, count(DISTINCT p) AS patents "
        "ORDER BY adcode, org",
        "Patents per holder (applicant organisation) in each district: input of the HHI.",
    ),
    NamedQuery(
        "density_holders_industry",
        _LOCAL + _INDUSTRY +
        "RETURN i.id AS industry, o.id AS org, o.kind AS kind, count(DISTINCT p) AS patents "
        "ORDER BY industry, org",
        "Patents per local holder (with its kind) in each industry: input of the industry HHI.",
        ("scheme",),
    ),
    NamedQuery(
        "density_papers_district_year",
        "MATCH (d:District)<-[:LOCATED_IN]-(o:Organization)-[:PUBLISHED]->(x:Paper) "
        "RETURN d.adcode AS adcode, x.year AS year, count(DISTINCT x) AS papers ORDER BY adcode, year",
        "Papers published by organisations located in each district, per year.",
    ),
    NamedQuery(
        "density_standards_district_year",
        "MATCH (d:District)<-[:LOCATED_IN]-(o:Organization)-[:DRAFTED]->(x:Standard) "
        "RETURN d.adcode AS adcode, x.year AS year, count(DISTINCT x) AS standards ORDER BY adcode, year",
        "Standards drafted by organisations located in each district, per year.",
    ),
    NamedQuery(
        "density_policies_district_year",
        "MATCH (d:District)<-[:LOCATED_IN]-(o:Organization)-[:ISSUED]->(x:Policy) "
        "RETURN d.adcode AS adcode, x.year AS year, count(DISTINCT x) AS policies ORDER BY adcode, year",
        "Policies issued by bodies located in each district, per year.",
    ),
    NamedQuery(
        "density_observations",
        "MATCH (ob:Observation)-[:OBSERVED_IN]->(d:District) "
        "RETURN d.adcode AS adcode, ob.year AS year, ob.metric AS metric, ob.value AS value, ob.unit AS unit "
        "ORDER BY adcode, year, metric",
        "Statistics (population, GDP, R&D, output ...) per district x year x metric.",
    ),
    NamedQuery(
        "density_orgs_district_kind",
        "MATCH (d:District)<-[:LOCATED_IN]-(o:Organization) "
        "RETURN d.adcode AS adcode, o.kind AS kind, count(DISTINCT o) AS orgs ORDER BY adcode, kind",
        "Organisations located in each district, by kind (enterprise, university, ...).",
    ),
]
