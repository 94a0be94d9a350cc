"""Named queries behind ``analyze chains``: chain links, their local IP and their benchmark.

A link's technologies are what it REQUIRES plus every narrower class (``BROADER*0..4``). The
policy group can re-run any of these in the Cypher console and adapt it.
"""

from iplayout.queries.registry import NamedQuery

_LINK_PATENTS = (
    "MATCH (l:ChainLink)-[:REQUIRES]->(r:Technology) "
    "MATCH (t:Technology)-[:BROADER*0..4]->(r) "
    "MATCH (p:Patent)-[:CLASSIFIED_AS]->(t) "
)
_LINK_TECH = "MATCH (l:ChainLink)-[:REQUIRES]->(r:Technology) MATCH (t:Technology)-[:BROADER*0..4]->(r) "
_LOCAL_ORG = "MATCH (o:Organization)-[:APPLIED_FOR]->(p) MATCH (o)-[:LOCATED_IN]->(d:District) "
# Every technology some link reaches, each once: the grouped queries below start from these.
_ANY_LINK_TECH = (
    "MATCH (:ChainLink)-[:REQUIRES]->(r:Technology) MATCH (t:Technology)-[:BROADER*0..4]->(r) WITH DISTINCT t "
)
_PLACE = "coalesce(x.adcode, x.id)"

QUERIES = [
    NamedQuery(
        "chain_link_technologies",
        _LINK_TECH + "RETURN DISTINCT l.id AS link, t.id AS technology ORDER BY link, technology",
        "The technologies of each chain link: what it REQUIRES and every narrower class (the IPC-pattern matches).",
    ),
    NamedQuery(
        "chain_patent_groups",
        # One aggregation per patent over its classes x applicants (both few): cheaper than collecting
        # the classes first and the places in a second aggregation. The lists may repeat an entry
        # (read them as sets): collect(DISTINCT ...) costs a third more on LadybugDB.
        _ANY_LINK_TECH + "MATCH (p:Patent)-[:CLASSIFIED_AS]->(t) MATCH (o:Organization)-[:APPLIED_FOR]->(p) "
        "OPTIONAL MATCH (o)-[:LOCATED_IN]->(x) "
        f"WITH p, collect(t.id) AS technologies, collect({_PLACE}) AS places, "
        f"collect(CASE WHEN o.kind = 'enterprise' THEN {_PLACE} END) AS enterprise_places "
        "RETURN technologies, places, enterprise_places, count(p) AS patents",
        "Patents under any chain link, grouped by their technologies under some link, the places of their "
        "applicants and the places of their enterprise applicants (lists read as sets; one pass for every "
        "link's counts).",
    ),
    NamedQuery(
        "chain_paper_groups",
        _ANY_LINK_TECH + "MATCH (x:Paper)-[:CLASSIFIED_AS]->(t) MATCH (o:Organization)-[:PUBLISHED]->(x) "
        "MATCH (o)-[:LOCATED_IN]->(d:District) WITH x, collect(t.id) AS technologies, collect(d.adcode) AS districts "
        "RETURN technologies, districts, count(x) AS documents",
        "Papers of located organisations under any chain link, grouped by their technologies under some link and "
        "the districts of their organisations (lists read as sets).",
    ),
    NamedQuery(
        "chain_standard_groups",
        _ANY_LINK_TECH + "MATCH (x:Standard)-[:CLASSIFIED_AS]->(t) MATCH (o:Organization)-[:DRAFTED]->(x) "
        "MATCH (o)-[:LOCATED_IN]->(d:District) WITH x, collect(t.id) AS technologies, collect(d.adcode) AS districts "
        "RETURN technologies, districts, count(x) AS documents",
        "Standards drafted by located organisations under any chain link, grouped by their technologies under "
        "some link and the districts of their drafters (lists read as sets).",
    ),
    NamedQuery(
        "chain_org_groups",
        # (organisation, technology) pairs made distinct before the district join: half the cost of
        # collect(DISTINCT ...) over every patent of an organisation.
        _ANY_LINK_TECH + "MATCH (p:Patent)-[:CLASSIFIED_AS]->(t) MATCH (o:Organization)-[:APPLIED_FOR]->(p) "
        "WITH DISTINCT o, t MATCH (o)-[:LOCATED_IN]->(d:District) WITH d, o, collect(t.id) AS technologies "
        "RETURN d.adcode AS adcode, o.kind AS kind, technologies, count(o) AS orgs",
        "Organisations located in a district, grouped by district, kind and the technologies (under some chain "
        "link) of their patents.",
    ),
    NamedQuery(
        "chain_links",
        "MATCH (l:ChainLink)-[:PART_OF]->(c:IndustryChain) "
        "RETURN c.id AS chain, c.name AS chain_name, l.id AS link, l.name AS link_name, l.position AS position "
        "ORDER BY chain, link",
        "Every chain template and its links with their position.",
    ),
    NamedQuery(
        "chain_order",
        "MATCH (a:ChainLink)-[:UPSTREAM_OF]->(b:ChainLink) RETURN a.id AS upstream, b.id AS downstream "
        "ORDER BY upstream, downstream",
        "Upstream -> downstream pairs of chain links.",
    ),
    NamedQuery(
        "chain_link_region_patents",
        _LINK_PATENTS + _LOCAL_ORG +
        "RETURN l.id AS link, count(DISTINCT p) AS patents, count(DISTINCT o) AS orgs ORDER BY link",
        "Distinct patents (and applicants) of each link with at least one applicant located in the region.",
    ),
    NamedQuery(
        "chain_link_district_patents",
        _LINK_PATENTS + _LOCAL_ORG +
        "RETURN l.id AS link, d.adcode AS adcode, count(DISTINCT p) AS patents, count(DISTINCT o) AS orgs "
        "ORDER BY link, adcode",
        "Patents and applicant organisations of each link per district.",
    ),
    NamedQuery(
        "chain_link_district_enterprises",
        _LINK_PATENTS + _LOCAL_ORG + "WHERE o.kind = 'enterprise' "
        "RETURN l.id AS link, d.adcode AS adcode, count(DISTINCT o) AS enterprises, "
        "count(DISTINCT p) AS enterprise_patents ORDER BY link, adcode",
        "Local enterprises holding patents of each link, per district.",
    ),
    NamedQuery(
        "chain_link_patents_all",
        _LINK_PATENTS + "RETURN l.id AS link, count(DISTINCT p) AS patents ORDER BY link",
        "Benchmark: every patent in the graph under each link, wherever its applicants are.",
    ),
    NamedQuery(
        "chain_link_district_papers",
        _LINK_TECH + "MATCH (x:Paper)-[:CLASSIFIED_AS]->(t) "
        "MATCH (o:Organization)-[:PUBLISHED]->(x) MATCH (o)-[:LOCATED_IN]->(d:District) "
        "RETURN l.id AS link, d.adcode AS adcode, count(DISTINCT x) AS papers ORDER BY link, adcode",
        "Papers of local organisations classified under each link, per district.",
    ),
    NamedQuery(
        "chain_link_district_standards",
        _LINK_TECH + "MATCH (x:Standard)-[:CLASSIFIED_AS]->(t) "
        "MATCH (o:Organization)-[:DRAFTED]->(x) MATCH (o)-[:LOCATED_IN]->(d:District) "
        "RETURN l.id AS link, d.adcode AS adcode, count(DISTINCT x) AS standards ORDER BY link, adcode",
        "Standards drafted by local organisations under each link, per district.",
    ),
    NamedQuery(
        "chain_link_policies",
        _LINK_TECH + "MATCH (x:Policy)-[:TARGETS]->(t) "
        "RETURN l.id AS link, count(DISTINCT x) AS policies ORDER BY link",
        "Policies that target a technology of each link.",
    ),
    NamedQuery(
        "chain_link_district_policies",
        _LINK_TECH + "MATCH (x:Policy)-[:TARGETS]->(t) MATCH (x)-[:TARGETS]->(d:District) "
        "RETURN l.id AS link, d.adcode AS adcode, count(DISTINCT x) AS policies ORDER BY link, adcode",
        "Policies that target a technology of each link and name a district.",
    ),
    NamedQuery(
        "chain_link_org_patents",
        _LINK_PATENTS + _LOCAL_ORG +
        "RETURN l.id AS link, o.id AS org, o.name AS name, o.kind AS kind, d.adcode AS adcode, "
        "count(DISTINCT p) AS patents ORDER BY link, patents DESC, org",
        "Local organisations and their patents in each link (key players).",
    ),
    NamedQuery(
        "chain_link_industries",
        _LINK_TECH + "MATCH (t)-[:BROADER*0..4]->(b:Technology) MATCH (b)-[:MAPS_TO]->(i:Industry) "
        "WHERE i.scheme = $scheme RETURN DISTINCT l.id AS link, i.id AS industry ORDER BY link, industry",
        "Industries (scheme $scheme) that the technologies of each link map to.",
        ("scheme",),
    ),
]
