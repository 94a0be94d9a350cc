"""Search-index documents for built records: the record's text plus the facets extraction resolved.

Facets come from the record's own graph rows (applicant organisations and where they are, policy
targets, IPC codes) and from the reference layer (district → zones, technology → industries), so a
filtered search sees exactly what the graph says.
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from iplayout.nlp.rows import GraphRows

DOC_KINDS = ("patents", "papers", "standards", "policies")
_HOLDERS = {("APPLIED_FOR", "Organization", "Patent"), ("PUBLISHED", "Organization", "Paper"),
            ("DRAFTED", "Organization", "Standard"), ("ISSUED", "Organization", "Policy")}


class FacetMaps:
    """district → zone ids and technology → industry ids, read once from the reference rows."""

    def __init__(self, reference: GraphRows) -> None:
        self.zones: dict[str, set[str]] = defaultdict(set)
        self.industries: dict[str, set[str]] = defaultdict(set)
        for (rtype, a, b), bucket in reference.rels.items():
            for src, dst in bucket:
                if (rtype, a, b) == ("IN_ZONE", "District", "Zone"):
                    self.zones[str(src)].add(str(dst))
                elif (rtype, a, b) == ("MAPS_TO", "Technology", "Industry"):
                    self.industries[str(src)].add(str(dst))


def facets(rows: GraphRows, doc_id: str, maps: FacetMaps) -> dict[str, tuple[str, ...]]:
    """Districts, zones, industries, organisations (ids and names) and IPC codes of one document."""
    orgs = {src for key in _HOLDERS for (src, dst) in rows.rels.get(key, {}) if dst == doc_id}
    org_rows = [rows.nodes.get("Organization", {}).get(o, {}) for o in orgs]
    names = {str(r.get("name") or "") for r in org_rows} - {""}
    names.update(str(a) for r in org_rows for a in r.get("aliases") or ())  # the alias table's names
    districts = {str(dst) for (src, dst) in rows.rels.get(("LOCATED_IN", "Organization", "District"), {})
                 if src in orgs}
    districts |= {str(dst) for (src, dst) in rows.rels.get(("TARGETS", "Policy", "District"), {}) if src == doc_id}
    techs: set[str] = set()
    for (rtype, _a, b), bucket in rows.rels.items():
        if rtype == "CLASSIFIED_AS" and b == "Technology":
            techs |= {str(dst) for (src, dst) in bucket if src == doc_id}
    industries = {i for t in techs for i in maps.industries.get(t, ())}
    industries |= {str(dst) for (src, dst) in rows.rels.get(("TARGETS", "Policy", "Industry"), {}) if src == doc_id}
    ipc = {str(rows.nodes.get("Technology", {}).get(t, {}).get("code") or "") for t in techs} - {""}
    return {
        "districts": tuple(sorted(districts)),
        "zones": tuple(sorted({z for d in districts for z in maps.zones.get(d, ())})),
        "industries": tuple(sorted(industries)),
        "organizations": tuple(sorted({str(o) for o in orgs} | names)),
        "ipc": tuple(sorted(ipc)),
    }


def index_doc(stored: Any, rows: GraphRows, maps: FacetMaps) -> Any:
    """The IndexDoc for a stored document record (imports search lazily: faiss is heavy)."""
    from iplayout.search.documents import index_doc_from_record

    meta = {k: v for k, v in facets(rows, stored.id, maps).items() if v}
    if "organizations" in meta:
        record = stored.record
        named = getattr(record, "applicants", None)
        extra = tuple(p.name for p in named) if named else ()
        meta["organizations"] = tuple(sorted(set(meta["organizations"]) | set(extra)))
    return index_doc_from_record(stored.record, **meta)
