"""Related resources: the nearest documents of every type to one document, and why.

The document's own passage vectors are averaged into one query vector; for each document type the
nearest documents (the document itself excluded) come from the dense index, each with its cosine,
the rare words both share (BM25 vocabulary, rarest first) and, when a graph store is given, the
graph facts of ``queries/related_queries.py``: shared organisation, citation either way, shared
classification, shared industry-chain link.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from iplayout.errors import SearchError
from iplayout.nlp.embeddings import l2_normalise
from iplayout.queries.related_queries import RELATED_EVIDENCE
from iplayout.search.documents import DOC_TYPES
from iplayout.search.filters import SearchFilters
from iplayout.search.results import Evidence, Hit, RelatedResult

if TYPE_CHECKING:
    from iplayout.graph.store import GraphStore
    from iplayout.search.service import SearchService

_EVIDENCE_KIND = {
    "related_shared_organization": "shared_organization",
    "related_citation": "citation",
    "related_shared_classification": "shared_classification",
    "related_shared_chain_link": "shared_chain_link",
}


def related(svc: SearchService, doc_id: str, top: int, store: GraphStore | None) -> RelatedResult:
    row = svc.docs.pos.get(doc_id)
    if row is None:
        raise SearchError(f"document {doc_id!r} is not in the search index")
    svc._check_model()
    if svc._vectors is None:
        raise SearchError("the search index has no vectors yet; run `iplayout build`")
    doc = svc.docs.docs[row]
    qv = l2_normalise(svc._vectors.vectors_of(int(svc.docs.keys[row])).mean(axis=0))[0]
    own = _token_set(svc, row)
    hits: dict[str, list[Hit]] = {}
    for t in DOC_TYPES:
        mask = svc.docs.mask(SearchFilters(types=(t,)))
        if mask is None:
            continue
        mask[row] = False
        if not mask.any():
            continue
        rows, scores = svc.dense_rows(qv, top, mask)
        hits[t] = [_hit(svc, int(r), float(s), rank, own) for rank, (r, s) in enumerate(zip(rows, scores, strict=True), 1)]
    if store is not None:
        _add_graph_evidence(store, doc_id, [h for hs in hits.values() for h in hs])
    return RelatedResult(id=doc.id, type=doc.type, title=doc.title, model_id=svc._vectors.model_id,
                         cross_lingual=svc.embedder.multilingual, notes=svc.notes("dense"), hits=hits)


def _token_set(svc: SearchService, row: int) -> set[int]:
    return set(svc.lexical.doc_token_ids(row).tolist())


def _hit(svc: SearchService, row: int, score: float, rank: int, own: set[int]) -> Hit:
    d = svc.docs.docs[row]
    shared = own & _token_set(svc, row)
    df = svc.lexical.document_frequencies()
    names = svc.lexical.id_to_token()
    rare = sorted(shared, key=lambda t: (df[t] if t < len(df) else 0, names[t]))[:8]
    ev = Evidence(dense_similarity=round(score, 4), shared_terms=[names[t] for t in rare])
    return Hit(id=d.id, type=d.type, title=d.title, year=d.year, score=round(score, 6),
               ranks={"dense": rank}, evidence=ev)


def _add_graph_evidence(store: GraphStore, doc_id: str, hits: list[Hit]) -> None:
    if not hits:
        return
    by_id: dict[str, list[Hit]] = {}
    for h in hits:
        by_id.setdefault(h.id, []).append(h)
    params: dict[str, Any] = {"id": doc_id, "others": sorted(by_id)}
    for name in RELATED_EVIDENCE:
        seen: set[tuple[str, str]] = set()
        for rec in store.run_named(name, params):
            other, via = str(rec["other"]), str(rec["via"])
            if (other, via) in seen or other not in by_id:
                continue
            seen.add((other, via))
            fact = {"kind": _EVIDENCE_KIND[name], "via": via, "name": rec.get("name")}
            for h in by_id[other]:
                h.evidence.graph.append(fact)

