"""The Cypher of the neo4j search backend: schema, writes, retrieval, and filters as predicates.

Nodes (beside the graph's own document nodes, keyed by the same id):

* ``(:SearchDoc {id, type, title, text, year, …, f_<facet>, tokens})``: the document table's row,
  ``f_<facet>`` the facet values in canonical form (``filters.norm_value``) and ``tokens`` the BM25
  tokens of title + text (``tokenize.tokenize``: jieba words for Chinese, lowercase stemmed words
  for English) joined by spaces, under a ``FULLTEXT INDEX`` with the ``whitespace`` analyzer: the
  same terms as the local BM25, so both backends rank alike, and Chinese is cut into words;
* ``(:SearchPassage {doc_id, seq, embedding})-[:PASSAGE_OF]->(:SearchDoc)``: one per embedded
  passage, the float32 vector under a cosine ``VECTOR INDEX``;
* ``(:SearchIndexMeta {name: 'search', model_id, dim})``: the embedder the vectors belong to.
"""

from __future__ import annotations

from typing import Any

from iplayout.search.filters import FACETS, SearchFilters, norm_value

VECTOR_INDEX = "search_passage_embedding"
FULLTEXT_INDEX = "search_doc_tokens"

SCHEMA = (
    "CREATE CONSTRAINT search_doc_id IF NOT EXISTS FOR (d:SearchDoc) REQUIRE d.id IS UNIQUE",
    "CREATE INDEX search_passage_doc IF NOT EXISTS FOR (p:SearchPassage) ON (p.doc_id)",
    "CREATE INDEX search_doc_type IF NOT EXISTS FOR (d:SearchDoc) ON (d.type)",
    "CREATE INDEX search_doc_year IF NOT EXISTS FOR (d:SearchDoc) ON (d.year)",
    f"CREATE FULLTEXT INDEX {FULLTEXT_INDEX} IF NOT EXISTS FOR (d:SearchDoc) ON EACH [d.tokens] "
    "OPTIONS {indexConfig: {`fulltext.analyzer`: 'whitespace'}}",
)


def vector_index_ddl(dim: int) -> str:
    return (f"CREATE VECTOR INDEX {VECTOR_INDEX} IF NOT EXISTS FOR (p:SearchPassage) ON p.embedding "
            f"OPTIONS {{indexConfig: {{`vector.dimensions`: {int(dim)}, `vector.similarity_function`: 'cosine', "
            "`vector.quantization.enabled`: false}}")


DROP_VECTOR_INDEX = f"DROP INDEX {VECTOR_INDEX} IF EXISTS"
INDEX_STATES = ("SHOW INDEXES YIELD name, state, populationPercent, options "
                "WHERE name IN [$vector, $fulltext] RETURN name, state, populationPercent, options")

META = "MATCH (m:SearchIndexMeta {name: 'search'}) RETURN m.model_id AS model_id, m.dim AS dim"
SET_META = "MERGE (m:SearchIndexMeta {name: 'search'}) SET m.model_id = $model_id, m.dim = $dim"
CLEAR_META = "MATCH (m:SearchIndexMeta {name: 'search'}) DELETE m"

EXISTING = "UNWIND $ids AS id MATCH (d:SearchDoc {id: id}) RETURN d.id AS id"
DELETE_DOCS = """
UNWIND $ids AS id
MATCH (d:SearchDoc {id: id})
OPTIONAL MATCH (p:SearchPassage)-[:PASSAGE_OF]->(d)
WITH d, collect(p) AS ps
FOREACH (p IN ps | DETACH DELETE p)
DETACH DELETE d
RETURN count(*) AS n
"""
DELETE_SLICE = ("MATCH (n) WHERE n:SearchPassage OR n:SearchDoc WITH n LIMIT 20000 "
                "DETACH DELETE n RETURN count(*) AS n")
WRITE_DOCS = "UNWIND $docs AS doc CREATE (d:SearchDoc) SET d = doc"
WRITE_PASSAGES = """
UNWIND $rows AS row
MATCH (d:SearchDoc {id: row.doc_id})
CREATE (p:SearchPassage {doc_id: row.doc_id, seq: row.seq})-[:PASSAGE_OF]->(d)
WITH p, row
CALL db.create.setNodeVectorProperty(p, 'embedding', row.vector)
"""
LOAD_DOCS = "MATCH (d:SearchDoc) RETURN d {.*} AS d"
COUNTS = ("CALL () { MATCH (d:SearchDoc) RETURN count(d) AS documents } "
          "CALL () { MATCH (p:SearchPassage) RETURN count(p) AS passages } RETURN documents, passages")
ORPHANS = """
CALL () { MATCH (d:SearchDoc) WHERE NOT (d)<-[:PASSAGE_OF]-() RETURN collect(d.id)[..1000] AS bare }
CALL () { MATCH (p:SearchPassage) WHERE NOT (p)-[:PASSAGE_OF]->() RETURN collect(DISTINCT p.doc_id)[..1000] AS loose }
CALL () { MATCH (p:SearchPassage) WHERE p.embedding IS NULL RETURN collect(DISTINCT p.doc_id)[..1000] AS unembedded }
RETURN bare, loose, unembedded
"""

# The index and vector.similarity.cosine both score cosine as (1 + cos) / 2. The index keeps float32
# vectors unquantised: Neo4j's default int8 quantisation (5.23+) put its scores up to 0.04 off the
# cosine on the test vectors and reordered the head; exact scores keep both backends' rankings alike.
VECTOR_ANN = (f"CALL db.index.vector.queryNodes('{VECTOR_INDEX}', $fetch, $q) YIELD node, score "
              "RETURN node.doc_id AS id, score")


def vector_ann_filtered(where: str) -> str:
    """Approximate nearest passages, the filter applied to their documents inside the query."""
    return (f"CALL db.index.vector.queryNodes('{VECTOR_INDEX}', $fetch, $q) YIELD node, score "
            f"MATCH (node)-[:PASSAGE_OF]->(d:SearchDoc) WHERE {where} RETURN d.id AS id, score")


def vector_exact(where: str) -> str:
    """Every passage of the documents in scope scored exactly (a small scope)."""
    return (f"MATCH (d:SearchDoc) WHERE {where} MATCH (p:SearchPassage)-[:PASSAGE_OF]->(d) "
            "WITH d, max(vector.similarity.cosine(p.embedding, $q)) AS score "
            "RETURN d.id AS id, score ORDER BY score DESC, id LIMIT $k")


# Cosines with the whole query and with each query part, computed where the vectors are: a few numbers
# per passage cross Bolt instead of its vector (100 candidate documents: ~7x faster, 1,000: ~15x).
# A part the passage lacks is all zeros (cosine undefined: null); its first non-zero value ends `any`.
PASSAGE_COSINES = """
UNWIND range(0, size($ids) - 1) AS i
MATCH (p:SearchPassage {doc_id: $ids[i]})
WITH i, p.embedding AS v
RETURN i, vector.similarity.cosine(v, $q) AS whole,
       [s IN $parts | CASE WHEN any(x IN v[s.start..s.stop] WHERE x <> 0.0)
                           THEN vector.similarity.cosine(v[s.start..s.stop], s.q) END] AS parts
"""
# every n-th passage (node references only are collected; the vectors of the pick are returned)
SAMPLE_VECTORS = ("MATCH (p:SearchPassage) WITH collect(p) AS ps "
                  "WITH ps, toInteger(ceil(toFloat(size(ps)) / $n)) AS step "
                  "UNWIND range(0, size(ps) - 1, CASE WHEN step < 1 THEN 1 ELSE step END) AS i "
                  "RETURN ps[i].embedding AS v")
BEST_SCORES = ("UNWIND $ids AS id MATCH (p:SearchPassage {doc_id: id}) "
               "RETURN id, max(vector.similarity.cosine(p.embedding, $q)) AS score")
DOC_VECTORS = "MATCH (p:SearchPassage {doc_id: $id}) RETURN p.embedding AS v ORDER BY p.seq"

FULLTEXT = (f"CALL db.index.fulltext.queryNodes('{FULLTEXT_INDEX}', $q, {{limit: $k}}) YIELD node, score "
            "RETURN node.id AS id, score")


def fulltext_filtered(where: str) -> str:
    """BM25 hits in score order, the filter applied inside the query before the limit."""
    return (f"CALL db.index.fulltext.queryNodes('{FULLTEXT_INDEX}', $q) YIELD node AS d, score "
            f"WHERE {where} RETURN d.id AS id, score LIMIT $k")


def lucene_query(tokens: list[str], max_clauses: int = 1024) -> str:
    """A Lucene query OR-ing the tokens, a token repeated in the query boosted by its count (as the
    local BM25 counts it once per occurrence); tokens are quoted (they hold no quote or backslash)."""
    counts: dict[str, int] = {}
    for t in tokens:
        counts[t] = counts.get(t, 0) + 1
    clauses = [f'"{t}"' if n == 1 else f'"{t}"^{n}' for t, n in list(counts.items())[:max_clauses]
               if '"' not in t and "\\" not in t]
    return " OR ".join(clauses)


def where(filters: SearchFilters, exclude: frozenset[str] = frozenset(),
          ids: list[str] | None = None) -> tuple[str, dict[str, Any]]:
    """The filters as a predicate on ``d`` (a ``SearchDoc``) and its parameters: AND across fields,
    OR among the values of one field, IPC codes by prefix, a missing year failing a year bound."""
    parts: list[str] = []
    params: dict[str, Any] = {}
    if filters.types:
        parts.append("d.type IN $f_types")
        params["f_types"] = list(filters.types)
    if filters.year_from is not None:
        parts.append("d.year >= $f_year_from")
        params["f_year_from"] = filters.year_from
    if filters.year_to is not None:
        parts.append("d.year <= $f_year_to")
        params["f_year_to"] = filters.year_to
    for field in FACETS:
        wanted = getattr(filters, field)
        if not wanted:
            continue
        params[f"f_{field}"] = sorted({norm_value(field, w) for w in wanted})
        if field == "ipc":
            parts.append("any(v IN d.f_ipc WHERE any(w IN $f_ipc WHERE v STARTS WITH w))")
        else:
            parts.append(f"any(v IN d.f_{field} WHERE v IN $f_{field})")
    if exclude:
        parts.append("NOT d.id IN $f_exclude")
        params["f_exclude"] = sorted(exclude)
    if ids is not None:
        parts.append("d.id IN $f_ids")
        params["f_ids"] = ids
    return " AND ".join(parts) or "true", params
