"""Named queries behind benchmark populations: patents grouped by the set of places of their holders.

A patent's ``places`` is the list of adcodes (District) or ids (City, Province) its applicants are
LOCATED_IN; an applicant without a location adds nothing. Grouping by that list keeps the rows few
(one per distinct combination of places) while letting Python split the same rows into the analysed
scope, the graph outside it or a peer region, with every patent counted once in each population.
A query may instead group by the set of applicant ids (``orgs``); Python then maps each organisation
to its place with ``benchmark_org_places``.
"""

from iplayout.queries.registry import NamedQuery

# One unlabelled hop: LOCATED_IN ends at a District (adcode), City or Province (id); one lookup per
# applicant instead of three keeps the link query within seconds on 200k patents.
_PLACES = "MATCH (o:Organization)-[:APPLIED_FOR]->(p) OPTIONAL MATCH (o)-[:LOCATED_IN]->(x) "
_PLACE = "coalesce(x.adcode, x.id)"
_LINK_PATENTS = (
    "MATCH (l:ChainLink)-[:REQUIRES]->(r:Technology) MATCH (t:Technology)-[:BROADER*0..4]->(r) "
    "MATCH (p:Patent)-[:CLASSIFIED_AS]->(t) "
)
_INDUSTRY_PATENTS = (
    "MATCH (p:Patent)-[:CLASSIFIED_AS]->(t:Technology) MATCH (t)-[:BROADER*0..4]->(b:Technology) "
    "MATCH (b)-[:MAPS_TO]->(i:Industry) WHERE i.scheme = $scheme "
)

QUERIES = [
    NamedQuery(
        "benchmark_org_places",
        "MATCH (o:Organization) OPTIONAL MATCH (o)-[:LOCATED_IN]->(x) "
        f"RETURN o.id AS org, {_PLACE} AS place",
        "The place (District adcode, else City or Province id) of every organisation; null when unlocated.",
    ),
    NamedQuery(
        "benchmark_patent_places",
        # collect without DISTINCT (a third cheaper on LadybugDB): readers take the list as a set
        "MATCH (p:Patent) " + _PLACES +
        f"WITH p, collect({_PLACE}) AS places RETURN places, count(p) AS patents",
        "Every patent with an applicant, grouped by the places of its applicants (population sizes; a place "
        "repeats once per applicant there).",
    ),
    NamedQuery(
        "benchmark_link_places",
        _LINK_PATENTS + "WITH DISTINCT l, p " + _PLACES +
        f"WITH l, p, collect(DISTINCT {_PLACE}) AS places RETURN l.id AS link, places, count(p) AS patents",
        "Patents under each chain link, grouped by the places of their applicants.",
    ),
    NamedQuery(
        "benchmark_chain_places",
        _LINK_PATENTS + "MATCH (l)-[:PART_OF]->(ch:IndustryChain) WITH DISTINCT ch, p " + _PLACES +
        f"WITH ch, p, collect(DISTINCT {_PLACE}) AS places RETURN ch.id AS chain, places, count(p) AS patents",
        "Distinct patents under any link of each chain, grouped by places (chain coverage).",
    ),
    NamedQuery(
        "benchmark_covered_places",
        _LINK_PATENTS + "WITH DISTINCT p " + _PLACES +
        f"WITH p, collect(DISTINCT {_PLACE}) AS places RETURN places, count(p) AS patents",
        "Distinct patents under any chain link at all, grouped by places (overall coverage).",
    ),
    NamedQuery(
        "benchmark_subclass_places",
        "MATCH (p:Patent)-[:CLASSIFIED_AS]->(t:Technology) MATCH (t)-[:BROADER*0..4]->(s:Technology) "
        "WHERE s.level = 'subclass' WITH DISTINCT s, p " + _PLACES +
        f"WITH s, p, collect(DISTINCT {_PLACE}) AS places RETURN s.code AS subclass, places, count(p) AS patents",
        "Patents per IPC subclass, grouped by places.",
    ),
    NamedQuery(
        "benchmark_covered_subclass_places",
        _LINK_PATENTS + "WITH DISTINCT p MATCH (p)-[:CLASSIFIED_AS]->(t2:Technology) "
        "MATCH (t2)-[:BROADER*0..4]->(s:Technology) WHERE s.level = 'subclass' WITH DISTINCT s, p " + _PLACES +
        f"WITH s, p, collect(DISTINCT {_PLACE}) AS places RETURN s.code AS subclass, places, count(p) AS patents",
        "Patents under some chain link per IPC subclass, grouped by places (subtracted for coverage gaps).",
    ),
    NamedQuery(
        "benchmark_industry_places",
        _INDUSTRY_PATENTS + "WITH DISTINCT i, p " + _PLACES +
        f"WITH i, p, collect(DISTINCT {_PLACE}) AS places "
        "RETURN i.id AS industry, p.year AS year, places, count(p) AS patents",
        "Patents per industry (scheme $scheme) and application year, grouped by places.",
        ("scheme",),
    ),
    NamedQuery(
        "chain_link_evidence",
        _LINK_PATENTS + "WHERE l.id = $link WITH DISTINCT l, p "
        + _PLACES + "RETURN p.id AS patent, p.title AS title, p.year AS year, o.id AS org, o.name AS org_name, "
        f"o.kind AS kind, {_PLACE} AS place ORDER BY patent, org",
        "Evidence of a chain link: every patent under link $link with each applicant, its kind and place.",
        ("link",),
    ),
    NamedQuery(
        "chain_link_evidence_orgs",
        _LINK_PATENTS + "WHERE l.id = $link WITH DISTINCT l, p "
        + _PLACES + f"RETURN o.id AS org, o.name AS org_name, o.kind AS kind, {_PLACE} AS place, "
        "count(DISTINCT p) AS patents ORDER BY patents DESC, org",
        "Evidence of a chain link: the organisations holding patents under link $link, with kind and place.",
        ("link",),
    ),
]
