"""Named queries of the workbench: id -> name resolution for a page of rows, and drill-downs.

Names: one query per page of ids (``$ids``), never one per card or cell.
Drill-downs: the documents and organisations behind a count of the analytics tables. Each counts
exactly as the analysis does (``density_queries``: a patent counts once in every district where one
of its applicants is located), so a drill-down of a count lists as many rows as the count says.
"""

from iplayout.queries.registry import NamedQuery

_LOCAL = "MATCH (d:District {adcode: $adcode})<-[:LOCATED_IN]-(o:Organization)"
_PATENT_ROW = ("RETURN p.id AS patent, p.title AS title, p.year AS year, p.kind AS kind, "
               "p.legal_status AS legal_status ORDER BY year DESC, patent")


def _docs(rel: str, label: str, what: str) -> NamedQuery:
    return NamedQuery(
        f"drill_district_{what}",
        _LOCAL + f"-[:{rel}]->(x:{label}) WITH DISTINCT x "
        "RETURN x.id AS id, x.title AS title, x.year AS year ORDER BY year DESC, id",
        f"Drill-down: the {what} of organisations located in district $adcode (the count of density `{what}`).",
        ("adcode",),
    )


QUERIES = [
    NamedQuery(
        "graph_node_count",
        "MATCH (n) RETURN count(n) AS n",
        "Every node in the graph: 0 on a first start, when the workbench shows the first-run steps.",
    ),
    NamedQuery(
        "names_organizations",
        "MATCH (o:Organization) WHERE o.id IN $ids RETURN o.id AS id, o.name AS name, o.kind AS kind",
        "Names of the organisations with ids in $ids (one query per page of rows).",
        ("ids",),
    ),
    NamedQuery(
        "names_technologies",
        "MATCH (t:Technology) WHERE t.id IN $ids "
        "RETURN t.id AS id, t.code AS code, t.name_zh AS name_zh, t.name_en AS name_en",
        "Codes and Chinese / English titles of the technologies (IPC/CPC classes) with ids in $ids.",
        ("ids",),
    ),
    NamedQuery(
        "names_industries",
        "MATCH (i:Industry) WHERE i.id IN $ids RETURN i.id AS id, i.code AS code, i.name AS name",
        "Codes and names of the industries with ids in $ids.",
        ("ids",),
    ),
    NamedQuery(
        "drill_district_patents",
        _LOCAL + "-[:APPLIED_FOR]->(p:Patent) WITH DISTINCT p " + _PATENT_ROW,
        "Drill-down: the patents with an applicant located in district $adcode (the density `patents` count).",
        ("adcode",),
    ),
    NamedQuery(
        "drill_district_patents_year",
        _LOCAL + "-[:APPLIED_FOR]->(p:Patent) WHERE p.year = $year WITH DISTINCT p " + _PATENT_ROW,
        "Drill-down: the patents of district $adcode applied for in year $year (the monitor `patents` count).",
        ("adcode", "year"),
    ),
    NamedQuery(
        "drill_district_holders",
        _LOCAL + "-[:APPLIED_FOR]->(p:Patent) "
        "RETURN o.id AS org, o.name AS org_name, o.kind AS kind, count(DISTINCT p) AS patents "
        "ORDER BY patents DESC, org",
        "Drill-down: the patent holders located in district $adcode with their patents (the `holders` count).",
        ("adcode",),
    ),
    _docs("PUBLISHED", "Paper", "papers"),
    _docs("DRAFTED", "Standard", "standards"),
    _docs("ISSUED", "Policy", "policies"),
]
