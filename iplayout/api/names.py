"""Names where a person reads: ids of a page of rows resolved in one query per kind of id.

Adds ``district`` (adcode), ``org_name`` (org), ``industry_name`` (industry) and ``tech_name``
(tech / technology) next to the id columns, and ``<col>_named`` next to lists of ``"ID (n)"``
(cluster summaries). The ids stay in the rows: the workbench shows them as tooltips and links.
Technologies: IPC code + Chinese title (the graph's ``name_zh``, else the packaged IPC title table).
"""

from __future__ import annotations

import logging
import re
from functools import lru_cache
from pathlib import Path
from typing import Any

from iplayout.api.deps import Services
from iplayout.errors import ExtractionError

log = logging.getLogger(__name__)
_COUNTED = re.compile(r"^(?P<id>.+?) \((?P<n>[^()]*)\)$")  # "ORG:000072 (15)"
_TECH_COLS = ("tech", "technology")
_LISTS = {"top_members": "org", "top_technologies": "tech", "top_districts": "district"}


@lru_cache(maxsize=2)
def _ipc_titles(folder: str | None) -> dict[str, str]:
    from iplayout.nlp.ipc import load_titles_zh
    from iplayout.refdata import resolve

    try:
        return load_titles_zh(resolve("ipc_titles_zh", Path(folder) if folder else None))
    except ExtractionError as exc:  # technologies then show their codes only: say why, once
        log.warning("IPC Chinese titles unavailable, technologies are shown by code: %s", exc)
        return {}


def _split(value: Any) -> tuple[str, str | None]:
    m = _COUNTED.match(str(value))
    return (m["id"], m["n"]) if m else (str(value), None)


class NameResolver:
    """Collects the ids of a page, resolves each kind with one named query, then fills the rows."""

    def __init__(self, services: Services) -> None:
        self.services = services

    def _query(self, name: str, ids: set[str]) -> list[dict[str, Any]]:
        if not ids:
            return []
        return self.services.store.run_named(name, {"ids": sorted(ids)})

    def orgs(self, ids: set[str]) -> dict[str, str]:
        return {str(r["id"]): str(r["name"]) for r in self._query("names_organizations", ids) if r.get("name")}

    def industries(self, ids: set[str]) -> dict[str, str]:
        return {str(r["id"]): str(r["name"] or r["code"] or r["id"]) for r in self._query("names_industries", ids)}

    def technologies(self, ids: set[str]) -> dict[str, str]:
        home = self.services.settings.home
        titles = _ipc_titles(str(home / "reference") if home else None)
        out: dict[str, str] = {}
        for r in self._query("names_technologies", ids):
            code = str(r.get("code") or r["id"])
            title = r.get("name_zh") or titles.get(code.replace(" ", "")) or r.get("name_en")
            out[str(r["id"])] = f"{code} {title}" if title else code
        return out

    def rows(self, rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
        wanted = _wanted(rows)
        lookup = {"org": self.orgs(wanted["org"]), "industry": self.industries(wanted["industry"]),
                  "tech": self.technologies(wanted["tech"]), "district": self.services.district_names()}
        return [_fill(dict(r), lookup) for r in rows]

    def holders(self, cards: list[Any]) -> None:
        """Search cards: organisation ids among the holders become names (ids kept in ``holder_ids``)."""
        ids = {h for c in cards for h in c.holders}
        names = self.orgs(ids)
        for c in cards:
            c.holder_ids = [h for h in c.holders if h in names]
            resolved = [names.get(h, h) for h in c.holders]
            c.holders = list(dict.fromkeys(resolved))


def _named(value: Any, names: dict[str, str]) -> str:
    key, n = _split(value)
    name = names.get(key, key)
    return f"{name} ({n})" if n is not None else name


def _wanted(rows: list[dict[str, Any]]) -> dict[str, set[str]]:
    """The ids of each kind in a page of rows."""
    wanted: dict[str, set[str]] = {"org": set(), "industry": set(), "tech": set()}
    for r in rows:
        if r.get("org") and not (r.get("org_name") or r.get("name")):
            wanted["org"].add(str(r["org"]))
        if r.get("industry") and not r.get("name"):
            wanted["industry"].add(str(r["industry"]))
        wanted["tech"].update(str(r[c]) for c in _TECH_COLS if r.get(c))
        if isinstance(r.get("node"), str) and r["node"].startswith("ORG"):
            wanted["org"].add(r["node"])
        for col, kind in _LISTS.items():
            if isinstance(r.get(col), list) and kind != "district":
                wanted[kind].update(_split(v)[0] for v in r[col])
    return wanted


def _fill(row: dict[str, Any], lookup: dict[str, dict[str, str]]) -> dict[str, Any]:
    orgs, districts = lookup["org"], lookup["district"]
    if "adcode" in row and "district" not in row:
        row["district"] = districts.get(str(row["adcode"]), row["adcode"])
    if row.get("org") in orgs and "org_name" not in row and "name" not in row:
        row["org_name"] = orgs[row["org"]]
    if isinstance(row.get("node"), str) and row["node"] in orgs:
        row["node_name"] = orgs[row["node"]]
    if row.get("industry") in lookup["industry"] and "industry_name" not in row:
        row["industry_name"] = lookup["industry"][row["industry"]]
    for c in _TECH_COLS:
        if row.get(c) in lookup["tech"]:
            row[f"{c}_name"] = lookup["tech"][row[c]]
    for col, kind in _LISTS.items():
        if isinstance(row.get(col), list):
            row[f"{col}_named"] = [_named(v, lookup[kind]) for v in row[col]]
    return row
