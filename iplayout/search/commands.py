"""CLI: ``iplayout search``, ``iplayout related`` and ``iplayout index rebuild|stats``."""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from iplayout.cli_support import JSON_HELP, STORE_HELP, emit, fail, make_settings
from iplayout.errors import GraphError, IplayoutError, SearchError
from iplayout.search.documents import doc_type

if TYPE_CHECKING:
    from iplayout.search.results import RelatedResult, SearchResult
    from iplayout.search.service import SearchService

HOME_HELP = "Data folder (default ./.iplayout or IPLAYOUT_HOME)."
Json = Annotated[bool, typer.Option("--json", help=JSON_HELP)]
Home = Annotated[Path | None, typer.Option("--home", help=HOME_HELP)]


@contextmanager
def _errors() -> Iterator[None]:
    try:
        yield
    except IplayoutError as exc:
        fail(str(exc))
    except (OSError, json.JSONDecodeError) as exc:
        fail(f"{type(exc).__name__}: {exc}")


def _service(home: Path | None) -> SearchService:
    from iplayout.search.service import SearchService

    return SearchService.open(make_settings(home=home))


def _human(res: SearchResult) -> str:
    lines = [f"{res.matching_documents} documents match the filters; mode {res.mode}"]
    lines += [f"note: {n}" for n in res.notes]
    for i, h in enumerate(res.hits, 1):
        why = ", ".join(h.evidence.matched_terms[:6])
        sim = "" if h.evidence.dense_similarity is None else f" cos={h.evidence.dense_similarity:.3f}"
        lines.append(f"{i:>3}. [{h.type}] {h.id}  {h.title[:80]} ({h.year or '-'}){sim}{'  terms: ' + why if why else ''}")
    return "\n".join(lines)


def _human_related(res: RelatedResult) -> str:
    lines = [f"related to [{res.type}] {res.id} {res.title[:80]}"] + [f"note: {n}" for n in res.notes]
    for t, hits in res.hits.items():
        lines.append(f"{t}:")
        for h in hits:
            facts = "; ".join(f"{f['kind']} {f.get('name') or f['via']}" for f in h.evidence.graph)
            lines.append(f"  {h.id}  {h.title[:70]}  cos={h.score:.3f}{'  graph: ' + facts if facts else ''}")
    return "\n".join(lines)


def _batch_line(key: str, value: str, hits: list[Any]) -> str:
    return json.dumps({key: value, "hits": [h.model_dump() for h in hits]}, ensure_ascii=False)


def search_command(
    text: Annotated[str | None, typer.Argument(help="Query text (Chinese or English).")] = None,
    type_: Annotated[list[str] | None, typer.Option("--type", help="Patent, Paper, Standard or Policy.")] = None,
    district: Annotated[list[str] | None, typer.Option(help="District adcode, e.g. 500112.")] = None,
    zone: Annotated[list[str] | None, typer.Option(help="Zone id or name.")] = None,
    industry: Annotated[list[str] | None, typer.Option(help="Industry id or name.")] = None,
    org: Annotated[list[str] | None, typer.Option(help="Organisation id or name.")] = None,
    ipc: Annotated[list[str] | None, typer.Option(help="IPC prefix, e.g. H01M10.")] = None,
    year_from: Annotated[int | None, typer.Option(help="First year (inclusive).")] = None,
    year_to: Annotated[int | None, typer.Option(help="Last year (inclusive).")] = None,
    top: Annotated[int, typer.Option(min=1, max=1000, help="Number of hits.")] = 10,
    mode: Annotated[str, typer.Option(help="hybrid, dense or bm25.")] = "hybrid",
    queries: Annotated[Path | None, typer.Option(help="JSONL of {qid, text, filters...}: one JSON line out per query.")] = None,
    json_: Json = False,
    home: Home = None,
) -> None:
    """Search patents, papers, standards and policies (hybrid BM25 + embeddings, with filters).

    Example: iplayout search "锂电池 正极材料" --type patent --district 500112 --year-from 2018 --top 5
    """
    from iplayout.search.filters import SearchFilters

    with _errors():
        if (text is None) == (queries is None):
            fail("give either a query TEXT or --queries FILE.jsonl")
        svc = _service(home)
        if queries is not None:
            for line in queries.read_text(encoding="utf-8").splitlines():
                if not line.strip():
                    continue
                q = json.loads(line)
                res = svc.search(str(q["text"]), SearchFilters.from_mapping(q), top=int(q.get("top", top)),
                                 mode=str(q.get("mode", mode)))
                typer.echo(_batch_line("qid", str(q.get("qid", "")), res.hits))
            return
        filters = SearchFilters.from_mapping({
            "types": type_, "districts": district, "zones": zone, "industries": industry,
            "organizations": org, "ipc": ipc, "year_from": year_from, "year_to": year_to})
        res = svc.search(str(text), filters, top=top, mode=mode)
        emit(res, json_, _human(res))


def _open_graph(home: Path | None, store: str | None, enabled: bool) -> tuple[Any, str | None]:
    if not enabled:
        return None, None
    settings = make_settings(store=store, home=home)
    if settings.store == "embedded" and not settings.embedded_path.exists():
        return None, "no graph yet: graph evidence omitted (run `iplayout build`)"
    from iplayout.graph.factory import open_store

    try:
        return open_store(settings, read_only=True), None
    except GraphError as exc:
        return None, f"graph evidence omitted: {str(exc).splitlines()[0]}"


def related_command(
    doc_id: Annotated[str | None, typer.Argument(help="Graph id of a patent, paper, standard or policy.")] = None,
    top: Annotated[int, typer.Option(min=1, max=200, help="Hits per document type.")] = 10,
    ids: Annotated[Path | None, typer.Option(help="Text file with one document id per line: one JSON line out per id.")] = None,
    when: Annotated[str, typer.Option(help="any (default), before (same year or earlier: what it builds on) "
                                           "or after (same year or later: what builds on it).")] = "any",
    type_: Annotated[list[str] | None, typer.Option("--type", help="Only these document types (repeatable).")] = None,
    graph: Annotated[bool, typer.Option("--graph/--no-graph", help="Add graph evidence per hit.")] = True,
    store: Annotated[str | None, typer.Option(help=STORE_HELP)] = None,
    json_: Json = False,
    home: Home = None,
) -> None:
    """Documents around one document, per type, from fused evidence: dense similarity, earlier work,
    shared distinctive words (BM25), shared references, citations, shared authors, organisations and
    journal; each hit says which signals found it and what it shares.

    Example: iplayout related CN101551481B --top 5 --json

    Batch: iplayout related --ids ids.txt --type Paper --top 20  (an unknown id gets an error line,
    the others are still answered; the exit code is 1 if any id failed)
    """
    with _errors():
        if (doc_id is None) == (ids is None):
            fail("give either a DOC_ID or --ids FILE.txt")
        types = tuple(doc_type(t) for t in type_) if type_ else None
        svc = _service(home)
        gstore, note = _open_graph(home, store, graph)
        failed = 0
        try:
            if doc_id is not None:
                res = svc.related(doc_id, top=top, store=gstore, when=when, types=types)
                res.notes.extend([note] if note else [])
                emit(res, json_, _human_related(res))
                return
            wanted = [x.strip() for x in ids.read_text(encoding="utf-8").splitlines() if x.strip()]  # type: ignore[union-attr]
            for one in wanted:
                try:
                    res = svc.related(one, top=top, store=gstore, when=when, types=types)
                except SearchError as exc:  # one bad id must not stop the batch
                    failed += 1
                    typer.echo(json.dumps({"id": one, "error": str(exc).splitlines()[0]}, ensure_ascii=False))
                    continue
                res.notes.extend([note] if note else [])
                typer.echo(_related_line(res))
        finally:
            if gstore is not None:
                gstore.close()
        if failed:
            fail(f"{failed} of {len(wanted)} ids failed (see their error lines)")


def _related_line(res: RelatedResult) -> str:
    """One batch line: exactly the fields of a single `related --json` answer."""
    return json.dumps(res.model_dump(mode="json"), ensure_ascii=False)


index_app = typer.Typer(help="Maintain the search index (vectors + BM25): files under IPLAYOUT_HOME/index, or "
                             "Neo4j's vector and full-text indexes with IPLAYOUT_SEARCH_BACKEND=neo4j.",
                        no_args_is_help=True)


@index_app.command("rebuild")
def rebuild_command(
    kind: Annotated[str | None, typer.Option(help="Vector index kind: flat, hnsw or ivfpq (default: by size).")] = None,
    json_: Json = False,
    home: Home = None,
) -> None:
    """Re-embed every indexed text with the configured embedder and rebuild the vector and BM25 indexes.

    Needed after changing IPLAYOUT_EMBEDDER (the index refuses queries from another model). On the
    neo4j search backend it rewrites the search nodes and recreates the vector index (--kind is local only).

    Example: iplayout index rebuild --kind hnsw --json
    Example: IPLAYOUT_STORE=neo4j IPLAYOUT_SEARCH_BACKEND=neo4j iplayout index rebuild
    """
    with _errors():
        if kind is not None and kind not in ("flat", "hnsw", "ivfpq"):
            fail(f"unknown index kind {kind!r}; one of flat, hnsw, ivfpq")
        stats = _service(home).rebuild(kind)
        emit(stats, json_, f"rebuilt: {stats['documents']} documents, {stats['passages']} passages, "
                           f"{stats['vector_index']} index, model {stats['model_id']}")


@index_app.command("stats")
def stats_command(json_: Json = False, home: Home = None) -> None:
    """Documents, passages, model and memory of the search index (its backend; on neo4j the indexes' state).

    Example: iplayout index stats --json
    Example: IPLAYOUT_STORE=neo4j IPLAYOUT_SEARCH_BACKEND=neo4j iplayout index stats --json
    """
    with _errors():
        emit(_service(home).stats(), json_)


def register(app: typer.Typer) -> None:
    app.command("search")(search_command)
    app.command("related")(related_command)
    app.add_typer(index_app, name="index")
