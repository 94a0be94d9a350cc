"""One grouped pass over the patents of every chain link: what makes ``analyze chains`` fast.

Asking per link (``benchmark_link_places``, ``chain_link_district_patents``,
``chain_link_district_enterprises``) walks every (link, patent) pair — on the demo ``large`` graph
83 links reach one million pairs, four per patent — and three queries walk them again. Instead:

- the IPC-pattern matches are computed once: ``chain_link_technologies`` (link -> its technologies,
  narrower classes included);
- the patents are read once: ``chain_patent_groups`` groups them by their technologies under some
  link and the places of their applicants (tens of thousands of rows for 200k patents);
- the located organisations are read once: ``chain_org_groups`` groups them by district, kind and
  the technologies of their patents; papers and standards likewise (``chain_paper_groups``,
  ``chain_standard_groups``: by technologies and districts).

Python maps each group's technologies to its links, so a patent counts once per link however many
of the link's classes it carries. The numbers equal those of the per-link queries, which stay
registered for the console and as the queries a flag names (a contract test checks the equality on
both engines).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection, Iterable
from dataclasses import dataclass

import pandas as pd

from iplayout.queries.runner import QueryRun

LINK_TECHNOLOGIES = "chain_link_technologies"
PATENT_GROUPS = "chain_patent_groups"
ORG_GROUPS = "chain_org_groups"
DOCUMENT_GROUPS = {"papers": "chain_paper_groups", "standards": "chain_standard_groups"}
DISTRICT_COLUMNS = ["patents", "orgs", "enterprises", "enterprise_patents", "papers", "standards"]


@dataclass(frozen=True)
class LinkCounts:
    """``link_places``: link, places, patents (benchmark populations); ``by_district``: link x district."""

    link_places: pd.DataFrame
    by_district: pd.DataFrame


class LinkMap:
    """Technology id -> the links that require it (or a broader class); memoised per technology set."""

    def __init__(self, run: QueryRun) -> None:
        self._links: dict[str, set[str]] = defaultdict(set)
        for r in run.rows(LINK_TECHNOLOGIES):
            self._links[str(r["technology"])].add(str(r["link"]))
        self._memo: dict[tuple[str, ...], tuple[str, ...]] = {}

    def links(self, technologies: Iterable[str] | None) -> tuple[str, ...]:
        key = tuple(technologies or ())  # as the engine listed them: a few hundred distinct lists
        found = self._memo.get(key)
        if found is None:
            found = tuple(sorted(set().union(*(self._links.get(str(t), set()) for t in key))))
            self._memo[key] = found
        return found


def _codes(values: Iterable[str | None] | None) -> set[str]:
    """A list of place codes as a set (the engine's lists may repeat a code and hold nulls)."""
    return {str(v) for v in values or () if v}


def link_counts(run: QueryRun, districts: Collection[str]) -> LinkCounts:
    """Per-link place groups and per-(link, district) counts for ``districts`` from the grouped queries.

    ``patents``: distinct patents with an applicant located in the district; ``orgs`` / ``enterprises``:
    distinct organisations (enterprises) located there holding a patent of the link;
    ``enterprise_patents``: distinct patents with such an enterprise among their applicants;
    ``papers`` / ``standards``: distinct documents published / drafted by an organisation located there.
    """
    links = LinkMap(run)
    wanted = frozenset(districts)
    places: dict[tuple[str, tuple[str, ...]], float] = defaultdict(float)
    cells: dict[tuple[str, str], list[float]] = defaultdict(lambda: [0.0] * len(DISTRICT_COLUMNS))
    for r in run.rows(PATENT_GROUPS):
        group_links = links.links(r["technologies"])
        if not group_links:
            continue
        n = float(r["patents"])
        where = _codes(r["places"])
        located, by_firms = where & wanted, _codes(r["enterprise_places"]) & wanted
        key = tuple(sorted(where))
        for link in group_links:
            places[(link, key)] += n
            for d in located:
                cells[(link, d)][0] += n
            for d in by_firms:
                cells[(link, d)][3] += n
    for r in run.rows(ORG_GROUPS):
        d = str(r["adcode"])
        if d not in wanted:
            continue
        n, firm = float(r["orgs"]), r.get("kind") == "enterprise"
        for link in links.links(r["technologies"]):
            cell = cells[(link, d)]
            cell[1] += n
            if firm:
                cell[2] += n
    for column, query in DOCUMENT_GROUPS.items():
        at = DISTRICT_COLUMNS.index(column)
        for r in run.rows(query):
            n = float(r["documents"])
            located = _codes(r["districts"]) & wanted
            for link in links.links(r["technologies"]):
                for d in located:
                    cells[(link, d)][at] += n
    link_places = pd.DataFrame([(link, list(key), n) for (link, key), n in places.items()],
                               columns=["link", "places", "patents"])
    by_district = pd.DataFrame([(link, d, *v) for (link, d), v in cells.items()],
                               columns=["link", "adcode", *DISTRICT_COLUMNS])
    return LinkCounts(link_places, by_district)
