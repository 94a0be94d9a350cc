"""Search-index documents for the synthetic demo graph (the demo loads rows, not ledger records)."""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from iplayout.demo.generator import GraphRows

_DOCS = {"Patent": ("abstract", ("APPLIED_FOR", "Organization", "Patent")),
         "Paper": ("abstract", ("PUBLISHED", "Organization", "Paper")),
         "Standard": ("scope", ("DRAFTED", "Organization", "Standard")),
         "Policy": ("text", ("ISSUED", "Organization", "Policy"))}


def _pairs(rows: GraphRows, key: tuple[str, str, str], reverse: bool = False) -> dict[Any, list[Any]]:
    out: dict[Any, list[Any]] = defaultdict(list)
    for r in rows.rels.get(key, []):
        a, b = (r["to"], r["from"]) if reverse else (r["from"], r["to"])
        out[a].append(b)
    return out


def demo_index_docs(rows: GraphRows) -> list[Any]:
    from iplayout.search.documents import IndexDoc

    org_name = {o["id"]: o["name"] for o in rows.nodes["Organization"]}
    located = {r["from"]: r["to"] for r in rows.rels.get(("LOCATED_IN", "Organization", "District"), [])}
    zones = _pairs(rows, ("IN_ZONE", "District", "Zone"))
    code = {t["id"]: t["code"] for t in rows.nodes["Technology"] if t.get("scheme") == "IPC"}
    maps = _pairs(rows, ("MAPS_TO", "Technology", "Industry"))
    docs = []
    for label, (text_field, holder_key) in _DOCS.items():
        holders = _pairs(rows, holder_key, reverse=True)
        techs = _pairs(rows, ("CLASSIFIED_AS", label, "Technology")) if label != "Policy" else {}
        targets = _pairs(rows, ("TARGETS", "Policy", "District")) if label == "Policy" else {}
        for node in rows.nodes[label]:
            orgs = holders.get(node["id"], [])
            districts = {located[o] for o in orgs if o in located} | set(targets.get(node["id"], []))
            ipcs = [t for t in techs.get(node["id"], []) if t in code]
            docs.append(IndexDoc(
                id=node["id"], type=label, title=node["title"], text=node.get(text_field) or "",
                year=node.get("year"), lang=node.get("lang"), districts=tuple(sorted(districts)),
                zones=tuple(sorted({z for d in districts for z in zones.get(d, [])})),
                industries=tuple(sorted({i for t in ipcs for i in maps.get(t, [])})),
                organizations=tuple(sorted(set(orgs) | {org_name[o] for o in orgs if o in org_name})),
                ipc=tuple(code[t] for t in ipcs),
            ))
    return docs


def index_demo(settings: Any, rows: GraphRows, *, embedder: Any = None, fresh: bool = False) -> int:
    """Put the demo documents into the search index under ``settings.index_dir``; returns how many."""
    from iplayout.search.service import SearchService

    service = SearchService.open(settings, embedder=embedder)
    if fresh and service.ids():
        service.remove(service.ids())
    docs = demo_index_docs(rows)
    service.index_documents(docs)
    service.save()
    return len(docs)
