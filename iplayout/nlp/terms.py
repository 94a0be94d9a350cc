"""Keyphrases ("technology terms") from titles and abstracts, Chinese and English.

Chinese: jieba segments each clause; runs of content tokens between function words give n-gram
candidates (1–4 tokens). A candidate scores by frequency, jieba's IDF table (mean over its tokens),
length and presence in the title; phrases that another kept phrase contains with the same evidence
are dropped so "锂离子" does not crowd out "锂离子电池". Domain stop-phrases (一种, 方法, 装置, 系统 …)
are never terms on their own. Part-of-speech tagging is not used: jieba.posseg is ~15× slower and
throughput matters more than the last point of precision here.

An optional ``reranker`` (e.g. embedding similarity to the document) can reorder the top candidates;
none is required.
"""

from __future__ import annotations

import importlib.util
import logging
import math
import re
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any, Literal

from iplayout.errors import ExtractionError
from iplayout.nlp.normalize import normalize_text
from iplayout.nlp.stopwords import BAD_EDGE_ZH, DOMAIN_STOP_PHRASES, EN_STOP, FUNCTION_ZH

Reranker = Callable[[str, list[str]], list[float]]
Granularity = Literal["phrase", "word"]

_CLAUSE = re.compile(r"[，。；：！？、,.;:!?()（）\[\]【】“”\"'《》\s]+|\d+[)）]")
_CJK = re.compile(r"[\u4e00-\u9fff]")
_LATIN_TOKEN = re.compile(r"^[A-Za-z][A-Za-z0-9\-]*$")
_EN_WORD = re.compile(r"[A-Za-z][A-Za-z0-9\-]*")


@dataclass(frozen=True)
class Term:
    text: str
    weight: float  # in (0, 1], the best term of a document has 1.0

    @property
    def id(self) -> str:
        return term_id(self.text)


def term_id(text: str) -> str:
    return f"TERM:{text.lower()}"


@lru_cache(maxsize=1)
def _jieba() -> Any:
    import jieba

    jieba.setLogLevel(logging.WARNING)
    jieba.initialize()
    return jieba


@lru_cache(maxsize=1)
def _idf() -> tuple[dict[str, float], float]:
    """jieba's IDF table, read directly: importing jieba.analyse leaks an open file handle."""
    spec = importlib.util.find_spec("jieba")
    if spec is None or not spec.submodule_search_locations:
        raise ExtractionError("term extraction needs jieba: pip install jieba==0.42.1")
    path = Path(next(iter(spec.submodule_search_locations))) / "analyse" / "idf.txt"
    idf: dict[str, float] = {}
    with path.open(encoding="utf-8") as fh:
        for line in fh:
            word, _, value = line.strip().rpartition(" ")
            if word:
                idf[word] = float(value)
    values = sorted(idf.values())
    return idf, values[len(values) // 2]


def extract(title: str | None, abstract: str | None = None, *, top_k: int = 5,
            reranker: Reranker | None = None, granularity: Granularity = "phrase") -> list[Term]:
    """The ``top_k`` keyphrases of a document (language decided by the text).

    ``granularity="word"`` returns single words scored by sqrt(tf)·idf: the convention of word-level
    keyword sets such as KPPatent-ZH; the default "phrase" suits author keywords and the graph.
    """
    title_n, body_n = normalize_text(title), normalize_text(abstract)
    text = f"{title_n}。{body_n}" if body_n else title_n
    if not text:
        return []
    chinese = len(_CJK.findall(text)) >= max(4, len(text) // 10)
    max_n = 1 if granularity == "word" else 4
    scored = _score_zh(text, title_n, max_n) if chinese else _score_en(text, title_n, max_n)
    ranked = _prune(sorted(scored.items(), key=lambda kv: (-kv[1], kv[0])), top_k * 3)
    if reranker is not None and ranked:
        sims = reranker(text, [t for t, _ in ranked])
        ranked = sorted(((t, s * (0.5 + max(sim, 0.0))) for (t, s), sim in zip(ranked, sims, strict=True)),
                        key=lambda kv: -kv[1])
    top = ranked[:top_k]
    best = top[0][1] if top else 1.0
    return [Term(t, round(s / best, 4)) for t, s in top]


def _candidates_zh(clause: str) -> list[list[str]]:
    """Runs of content tokens; a function word or punctuation ends a run."""
    runs: list[list[str]] = [[]]
    for tok in _jieba().lcut(clause):
        tok = tok.strip()
        if not tok or tok in FUNCTION_ZH or tok.isdigit():
            if runs[-1]:
                runs.append([])
            continue
        runs[-1].append(tok)
    return [r for r in runs if r]


def _score_zh(text: str, title: str, max_n: int) -> dict[str, float]:
    idf, median = _idf()
    tf: Counter[str] = Counter()
    idf_of: dict[str, float] = {}
    for clause in _CLAUSE.split(text):
        for run in _candidates_zh(clause):
            for i in range(len(run)):
                for n in range(1, min(max_n, len(run) - i) + 1):
                    toks = run[i:i + n]
                    phrase = "".join(toks)
                    if _acceptable_zh(phrase, toks):
                        tf[phrase] += 1
                        idf_of.setdefault(phrase, sum(idf.get(t, median) for t in toks) / n)
    if max_n == 1:
        return {p: math.sqrt(c) * idf_of[p] for p, c in tf.items()}
    return {p: (1 + math.log(c)) * idf_of[p] * _length_factor(len(p)) * (1.6 if p in title else 1.0)
            for p, c in tf.items()}


def _length_factor(chars: int) -> float:
    # Author keywords are mostly 3–8 characters; single two-character words are usually too generic.
    if chars <= 2:
        return 0.55
    if chars <= 8:
        return 1.0 + 0.08 * (chars - 2)
    return max(0.6, 1.48 - 0.1 * (chars - 8))


def _acceptable_zh(phrase: str, toks: Sequence[str]) -> bool:
    if not 2 <= len(phrase) <= 16 or phrase in DOMAIN_STOP_PHRASES:
        return False
    if toks[0] in BAD_EDGE_ZH or toks[-1] in BAD_EDGE_ZH or len(toks[-1]) == 1 and _CJK.match(toks[-1]):
        return False
    if len(toks[0]) == 1 and len(toks) == 1:
        return False
    return bool(_CJK.search(phrase)) or all(_LATIN_TOKEN.match(t) for t in toks)


def _score_en(text: str, title: str, max_n: int) -> dict[str, float]:
    title_l = title.lower()
    tf: Counter[str] = Counter()
    for clause in re.split(r"[,.;:!?()\[\]\"]+", text.lower()):
        words = _EN_WORD.findall(clause)
        run: list[str] = []
        for w in [*words, ""]:
            if w and w not in EN_STOP and len(w) > 1:
                run.append(w)
                continue
            for i in range(len(run)):
                for n in range(1, min(max_n, len(run) - i) + 1):
                    tf[" ".join(run[i:i + n])] += 1
            run = []
    return {p: (1 + math.log(c)) * (1 + 0.6 * (p.count(" ") if p.count(" ") < 3 else 1))
            * (1.6 if p in title_l else 1.0)
            for p, c in tf.items() if p not in DOMAIN_STOP_PHRASES and len(p) > 2}


def _prune(ranked: list[tuple[str, float]], limit: int) -> list[tuple[str, float]]:
    """Drop a phrase when a kept phrase contains it or it contains a kept one (keep the first)."""
    kept: list[tuple[str, float]] = []
    for phrase, score in ranked:
        if any(phrase in k or k in phrase for k, _ in kept):
            continue
        kept.append((phrase, score))
        if len(kept) >= limit:
            break
    return kept
