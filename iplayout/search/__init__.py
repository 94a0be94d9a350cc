"""Semantic + lexical search over patents, papers, standards and policies (see docs/search.md).

Importing this package is cheap: faiss, bm25s, jieba and the embedding models load on first use.
"""

from iplayout.search.documents import IndexDoc, index_doc_from_record
from iplayout.search.filters import SearchFilters
from iplayout.search.results import Evidence, Hit, RelatedResult, SearchResult
from iplayout.search.service import SearchService

__all__ = [
    "Evidence", "Hit", "IndexDoc", "RelatedResult", "SearchFilters", "SearchResult", "SearchService",
    "index_doc_from_record",
]
