"""Related resources: the documents around one document, from several kinds of evidence fused.

For each document type, every signal below ranks candidates (the document itself excluded); the
ranked lists are fused by weighted reciprocal-rank fusion (``fusion.rrf``) with the weights of
``SearchConfig.related_weights``, which ``benchmarks/eval_search.py`` chooses by repeated 2-fold
cross-validation on the WoS dev citations (never on a test set):

* ``dense``: nearest by the document's own passage vectors (mean, unit length);
* ``prior``: the same, among documents of the same year or earlier: what the document can build
  on (a paper cites, a patent is examined against, only earlier work). On the WoS dev citations
  it is the strongest single signal; ``--when`` restricts the whole list instead;
* ``lexical``: BM25 "more like this": the document's own title + text as the query;
* ``coupling``: documents citing the same references (bibliographic coupling), rarer references
  counting more; references that resolve to no indexed document count too;
* ``citation``: citation either way, and co-citation (a third document cites both);
* ``people``, ``organizations``, ``venue``: shared authors/inventors, shared applicants or
  affiliations, the same journal; ties broken by dense similarity;
* ``ipc_groups``: patents sharing IPC main groups (``H01M 10/00``), rarer groups counting more.

Every hit keeps its evidence: its rank in each signal (``ranks``), the dense similarity, the rare
words both documents share, the shared people/organisations/references, and, when a graph store
is given, the graph facts of ``queries/related_queries.py``.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

import numpy as np

from iplayout.errors import SearchError
from iplayout.queries.related_queries import RELATED_EVIDENCE
from iplayout.search.backends import Scope
from iplayout.search.documents import DOC_TYPES, IndexDoc, lexical_text
from iplayout.search.filters import SearchFilters
from iplayout.search.fusion import rrf
from iplayout.search.results import Evidence, Hit, RelatedResult

if TYPE_CHECKING:
    from iplayout.graph.store import GraphStore
    from iplayout.search.service import SearchService

SIGNALS = ("dense", "prior", "lexical", "coupling", "citation", "people", "organizations", "venue", "ipc_groups")
WHEN = ("any", "before", "after")

_EVIDENCE_KIND = {
    "related_shared_organization": "shared_organization",
    "related_citation": "citation",
    "related_shared_classification": "shared_classification",
    "related_shared_chain_link": "shared_chain_link",
}


def related(svc: SearchService, doc_id: str, top: int, store: GraphStore | None,
            when: str = "any", types: Sequence[str] | None = None) -> RelatedResult:
    row = svc.docs.pos.get(doc_id)
    if row is None:
        raise SearchError(f"document {doc_id!r} is not in the search index")
    if when not in WHEN:
        raise SearchError(f"unknown --when {when!r}; one of {', '.join(WHEN)}")
    qv = svc.document_vector(row)
    doc = svc.docs.docs[row]
    signals = Signals(svc, row, qv)
    hits: dict[str, list[Hit]] = {}
    for t in types or DOC_TYPES:
        mask = svc.docs.mask(SearchFilters(types=(t,)))
        if mask is None:
            continue
        mask[row] = False
        filters = SearchFilters(types=(t,))
        if when != "any" and doc.year is not None:
            years = svc.docs.years()
            mask &= years <= doc.year if when == "before" else years >= doc.year
            filters = filters.model_copy(update={"year_to": doc.year} if when == "before" else {"year_from": doc.year})
        if not mask.any():
            continue
        scope = Scope(filters, frozenset([doc_id]), mask)
        rankings = signals.rank(mask, max(top, svc.config.candidates), need=max(3 * top, 30), scope=scope)
        fused = rrf(rankings, svc.config.related_weights, svc.config.related_rrf_k)[:top]
        signals._fill_sims([r for r, _, _ in fused])  # the hits' similarities in one lookup
        hits[t] = [signals.hit(r, score, ranks) for r, score, ranks in fused]
    if store is not None:
        _add_graph_evidence(store, doc_id, [h for hs in hits.values() for h in hs])
    notes = svc.notes("dense")
    if when != "any" and doc.year is None:
        notes.append(f"the document has no year: --when {when} not applied")
    return RelatedResult(id=doc.id, type=doc.type, title=doc.title, model_id=svc.index_model_id,
                         cross_lingual=svc.embedder.multilingual, notes=notes, hits=hits)


class Signals:
    """The ranked lists of one source document, computed per candidate mask (public: the eval fuses them
    under other weights, benchmarks/eval_related.py)."""

    def __init__(self, svc: SearchService, row: int, qv: np.ndarray) -> None:
        self.svc, self.row, self.qv = svc, row, qv
        self.doc: IndexDoc = svc.docs.docs[row]
        self.weights = svc.config.related_weights
        self._sims: dict[int, float] = {}
        self._own_tokens = set(svc.lexical.doc_token_ids(row).tolist())
        self._shared: dict[str, dict[int, list[str]]] = {}
        self._lexical_scores: np.ndarray | None = None
        self._wide: np.ndarray | None = None
        self._linked_scores: dict[str, dict[int, float]] = {}

    def _on(self, name: str) -> bool:
        return self.weights.get(name, 0.0) > 0

    def _dense(self, mask: np.ndarray, k: int, need: int, scope: Scope) -> list[int]:
        """Top rows by similarity among ``mask``: up to ``k`` from one wide unfiltered search shared
        by every type and signal when it holds at least ``need`` of them (enough for the fused top),
        else ``k`` from a filtered search."""
        svc = self.svc
        if self._wide is None:
            rows, scores = svc.dense_rows(self.qv, max(8 * k, 1000), None)
            self._wide = rows
            self._sims.update(zip(rows.tolist(), scores.tolist(), strict=True))
        inside = self._wide[mask[self._wide]]
        if len(inside) >= need or len(self._wide) >= len(svc.docs):
            return [int(r) for r in inside[:k]]
        rows, scores = svc.dense_rows(self.qv, k, scope)
        self._sims.update(zip(rows.tolist(), scores.tolist(), strict=True))
        return [int(r) for r in rows]

    def rank(self, mask: np.ndarray, k: int, need: int | None = None,
             scope: Scope | None = None) -> dict[str, list[int]]:
        """Each signal's ranked rows among ``mask`` (at most ``k``; dense lists at least ``need``).

        ``scope`` says the same as ``mask`` in filters, for a backend that filters in its own query
        language (the neo4j backend needs it; without it the mask's rows are the filter)."""
        svc, out = self.svc, {}
        need = k if need is None else need
        scope = scope or Scope(mask=mask)
        if self._on("dense"):
            out["dense"] = self._dense(mask, k, need, scope)
        if self._on("prior") and self.doc.year is not None:
            earlier = mask & (svc.docs.years() <= self.doc.year)
            if earlier.any():
                year_to = min(self.doc.year, scope.filters.year_to or self.doc.year)
                prior = Scope(scope.filters.model_copy(update={"year_to": year_to}), scope.exclude, earlier)
                out["prior"] = self._dense(earlier, k, need, prior)
        if self._on("lexical"):
            text = lexical_text(self.doc)
            if self._lexical_scores is None:  # scored once, shared by every document type
                self._lexical_scores = svc.lexical.scores(text)
            if self._lexical_scores is not None:
                rows, _ = svc.lexical.search(text, k, np.flatnonzero(mask), scores=self._lexical_scores)
                out["lexical"] = rows.tolist()
        linked = [name for name in ("coupling", "citation", "people", "organizations", "venue", "ipc_groups") if self._on(name)]
        if any(name not in self._linked_scores for name in linked):  # once per document, every type
            for name in linked:
                self._linked_scores[name] = self._linked(name)
            # their tie-breaking similarities in one lookup (one query on the neo4j backend)
            self._fill_sims(sorted({r for name in linked for r in self._linked_scores[name]}))
        for name in linked:
            scored = self._linked_scores[name]
            ranked = sorted((r for r in scored if mask[r]), key=lambda r: (-scored[r], -self._sim(r), r))
            if ranked:
                out[name] = ranked[:k]
        return out

    def _linked(self, name: str) -> dict[int, float]:
        """Candidate rows of one linked-evidence signal with their strength (higher is stronger)."""
        table, doc = self.svc.docs, self.doc
        scored: defaultdict[int, float] = defaultdict(float)
        shared: dict[int, list[str]] = self._shared.setdefault(name, {})
        if name in ("coupling", "ipc_groups"):  # a rare reference or main group says more
            n = max(len(table), 2)
            for ref in doc.cites if name == "coupling" else table.values(doc, name):
                rows = table.rows_with("cites" if name == "coupling" else name, ref)
                weight = math.log(n / len(rows)) if len(rows) else 0.0
                for r in rows.tolist():
                    scored[r] += weight
                    shared.setdefault(r, []).append(ref)
        elif name == "citation":
            for ref in doc.cites:  # the document cites r
                r = table.row_of_ref(ref)
                if r is not None:
                    scored[r] += 2.0
                    shared.setdefault(r, []).append("cites")
            for citer in table.rows_with("cites", doc.id).tolist():  # r cites the document …
                scored[citer] += 2.0
                shared.setdefault(citer, []).append("cited_by")
                for ref in table.docs[citer].cites:  # … and what else r cites is co-cited with it
                    r2 = table.row_of_ref(ref)
                    if r2 is not None and r2 != self.row:
                        scored[r2] += 1.0
                        shared.setdefault(r2, []).append(f"co_cited_by:{table.docs[citer].id}")
        else:
            field = name
            for value in table.values(doc, field):
                for r in table.rows_with(field, value).tolist():
                    scored[r] += 1.0
                    shared.setdefault(r, []).append(value)
        scored.pop(self.row, None)
        return scored

    def _fill_sims(self, rows: list[int]) -> None:
        todo = [r for r in rows if r not in self._sims]
        if todo:
            self._sims.update(zip(todo, self.svc.passage_similarities(np.asarray(todo), self.qv).tolist(),
                                  strict=True))

    def _sim(self, row: int) -> float:
        if row not in self._sims:
            self._sims[row] = self.svc.passage_similarity(row, self.qv)
        return self._sims[row]

    def hit(self, row: int, score: float, ranks: dict[str, int | None]) -> Hit:
        svc = self.svc
        d = svc.docs.docs[row]
        shared = self._own_tokens & set(svc.lexical.doc_token_ids(row).tolist())
        df = svc.lexical.document_frequencies()
        names = svc.lexical.id_to_token()
        rare = sorted(shared, key=lambda t: (df[t] if t < len(df) else 0, names[t]))[:8]
        links = {name: sorted(set(v))[:8] for name, by_row in self._shared.items() if (v := by_row.get(row))}
        ev = Evidence(dense_similarity=round(self._sim(row), 4), shared_terms=[names[t] for t in rare],
                      links=links)
        return Hit(id=d.id, type=d.type, title=d.title, year=d.year, score=round(score, 6),
                   ranks={k: v for k, v in ranks.items() if v is not None}, evidence=ev)


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
