"""Keyphrases ("technology terms") from titles and abstracts, Chinese and English.

Chinese: jieba's dictionary and HMM segment each clause (a faster, token-identical port of
``jieba.lcut``, see _segment); runs of content tokens between function words give n-gram
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
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from functools import lru_cache
from itertools import chain
from operator import itemgetter
from pathlib import Path
from typing import Any, Literal, NamedTuple

from iplayout.errors import ExtractionError
from iplayout.nlp.normalize import normalize_text
from iplayout.nlp.stopwords import BAD_EDGE_ZH, DOMAIN_STOP_PHRASES, EN_STOP, FUNCTION_ZH

Reranker = Callable[[str, list[str]], list[float]]
Granularity = Literal["phrase", "word"]

_CLAUSE = re.compile(r"[，。；：！？、,.;:!?()（）\[\]【】“”\"'《》\s]+|\d+[)）]")
_CJK = re.compile(r"[\u4e00-\u9fff]")
_CJK_RUN = re.compile(r"[\u4e00-\u9fff]+")
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
    return [Term(t, w) for t, w in extract_weighted(title, abstract, top_k=top_k, reranker=reranker,
                                                     granularity=granularity)]


def extract_weighted(title: str | None, abstract: str | None = None, *, top_k: int = 5,
                     reranker: Reranker | None = None, granularity: Granularity = "phrase") -> list[tuple[str, float]]:
    """``extract`` as (text, weight) pairs, for callers that need no Term objects."""
    title_n, body_n = normalize_text(title), normalize_text(abstract)
    text = f"{title_n}。{body_n}" if body_n else title_n
    if not text:
        return []
    # Han characters counted as the lengths of their runs: no string per character.
    chinese = sum(map(len, _CJK_RUN.findall(text))) >= max(4, len(text) // 10)
    max_n = 1 if granularity == "word" else 4
    scored = _score_zh(text, title_n, max_n) if chinese else _score_en(text, title_n, max_n)
    # Score descending, ties by phrase: the sort is stable, so sorting by phrase first decides ties.
    order = sorted(scored)
    order.sort(key=scored.__getitem__, reverse=True)
    ranked = _prune_ranked(order, scored, top_k * 3)
    if reranker is not None and ranked:
        sims = reranker(text, [t for t, _ in ranked])
        ranked = sorted(((t, s * (0.5 + max(sim, 0.0))) for (t, s), sim in zip(ranked, sims, strict=True)),
                        key=lambda kv: -kv[1])
    top = ranked[:top_k]
    best = top[0][1] if top else 1.0
    return [(t, round(s / best, 4)) for t, s in top]


# ---- segmentation: jieba.lcut(text) (accurate mode, HMM on), token for token, ~1.7× faster ----------
# Segmentation is most of the cost of a Chinese document. This is jieba 0.42.1's own algorithm over its
# own dictionary and HMM; only the word graph (get_DAG) and the best route through it (calc) are
# computed in one pass instead of two, with no intermediate dicts and generators. The float
# expressions and the tie-break (the longer word wins on equal probability) are jieba's, so the
# route is identical; tests/unit/nlp/test_nlp_terms_targets.py holds it to jieba.lcut.

@lru_cache(maxsize=1)
def _prefix_dict() -> tuple[dict[str, int], float]:
    """jieba's prefix dictionary (a word, or a prefix of one with frequency 0) and log(total)."""
    tokenizer = _jieba().dt
    return tokenizer.FREQ, math.log(tokenizer.total)


def _segment(text: str) -> list[str]:
    """The tokens of ``jieba.lcut(text)``."""
    jieba = _jieba()
    tokens: list[str] = []
    for block in jieba.re_han_default.split(text):
        if not block:
            continue
        if jieba.re_han_default.match(block):
            _segment_block(block, tokens)
            continue
        for part in jieba.re_skip_default.split(block):
            if jieba.re_skip_default.match(part):
                tokens.append(part)  # whitespace
            else:
                tokens.extend(part)  # other characters one by one
    return tokens


def _best_word_ends(block: str) -> list[int]:
    """For each start position, where the best-route word starting there ends (jieba's calc)."""
    freq, log_total = _prefix_dict()
    n = len(block)
    route_logp = [0.0] * (n + 1)
    ends = [0] * n
    for start in range(n - 1, -1, -1):
        best: float | None = None
        best_last = start
        last, frag = start, block[start]
        count = freq.get(frag)
        while count is not None:  # frag is a word or a prefix of one
            if count:
                logp = math.log(count) - log_total + route_logp[last + 1]
                if best is None or logp >= best:
                    best, best_last = logp, last
            last += 1
            if last >= n:
                break
            frag = block[start:last + 1]
            count = freq.get(frag)
        if best is None:  # no dictionary word starts here: the character alone
            best = math.log(freq.get(block[start]) or 1) - log_total + route_logp[start + 1]
        route_logp[start] = best
        ends[start] = best_last + 1
    return ends


def _segment_block(block: str, tokens: list[str]) -> None:
    """jieba's __cut_DAG: single characters off the route are buffered; an unknown run goes to the HMM."""
    ends = _best_word_ends(block)
    pos, singles = 0, ""
    while pos < len(block):
        end = ends[pos]
        if end - pos == 1:
            singles += block[pos]
        else:
            _flush_singles(singles, tokens)
            singles = ""
            tokens.append(block[pos:end])
        pos = end
    _flush_singles(singles, tokens)


def _flush_singles(singles: str, tokens: list[str]) -> None:
    if len(singles) == 1:
        tokens.append(singles)
    elif len(singles) > 1:
        if _prefix_dict()[0].get(singles):
            tokens.extend(singles)
        else:
            tokens.extend(_jieba().finalseg.cut(singles))


# ---- candidates and scores ----------------------------------------------------------------------------

class _TokenFacts(NamedTuple):
    length: int
    idf: float
    content: bool  # function words and numbers end a run of content tokens: n-grams never cross them
    starts_ok: bool  # may start a phrase
    ends_ok: bool  # may end a phrase (not a bad edge, not a lone Han character)
    has_han: bool
    latin: bool  # a Latin word such as "OLED"


@lru_cache(maxsize=32_768)
def _token_facts(tok: str) -> _TokenFacts:
    """What judging an n-gram needs to know about each of its tokens, computed once per token."""
    idf, median = _idf()
    content = tok not in FUNCTION_ZH and not tok.isdigit()
    starts_ok = content and tok not in BAD_EDGE_ZH
    one_han = len(tok) == 1 and _CJK.match(tok) is not None
    return _TokenFacts(len(tok), idf.get(tok, median), content, starts_ok, starts_ok and not one_han,
                       _CJK.search(tok) is not None, _LATIN_TOKEN.match(tok) is not None)


# Clauses recur across documents ("降低了成本", "涉及…技术领域", boilerplate of one applicant), and
# segmentation is most of the cost, so a clause's candidates are remembered. Bounded (~11 MB when
# full): a worker sees hundreds of thousands of distinct clauses in a large build. Long clauses (a text
# without punctuation) are not remembered, so one entry stays small.
_CACHED_CLAUSE_CHARS = 200


@lru_cache(maxsize=8_192)
def _clause_candidates(clause: str, max_n: int) -> tuple[tuple[str, ...], Mapping[str, float]]:
    """A clause's acceptable n-grams of content tokens in order (repeats kept), and each one's mean IDF.

    Acceptable: 2–16 characters, not a domain stop-phrase, no bad edge token, not a lone
    one-character token nor ending in a one-character Han token, and Chinese or all-Latin.
    Clauses hold no whitespace (the clause pattern splits on it), so tokens need no stripping.
    """
    tokens = _segment(clause)
    facts = [_token_facts(t) for t in tokens]
    idfs = [f.idf for f in facts]
    last = len(tokens) - 1
    phrases: list[str] = []
    mean_idf: dict[str, float] = {}
    for i, (first_len, _, _, starts_ok, _, _, _) in enumerate(facts):
        if not starts_ok:
            continue
        phrase, chars, any_han, all_latin = "", 0, False, True
        for end in range(i, min(i + max_n - 1, last) + 1):
            length, _, content, _, ends_ok, has_han, latin = facts[end]
            chars += length
            if not content or chars > 16:
                break
            phrase += tokens[end]
            any_han, all_latin = any_han or has_han, all_latin and latin
            if (chars < 2 or not ends_ok or (end == i and first_len == 1) or not (any_han or all_latin)
                    or phrase in DOMAIN_STOP_PHRASES):
                continue
            phrases.append(phrase)
            if phrase not in mean_idf:  # the tokens of the phrase's first occurrence decide
                mean_idf[phrase] = sum(idfs[i:end + 1]) / (end + 1 - i)
    return tuple(phrases), mean_idf  # a dict of str → float is not tracked by the garbage collector


def _score_zh(text: str, title: str, max_n: int) -> dict[str, float]:
    candidates = _clause_candidates
    per_clause = [candidates(clause, max_n) if len(clause) <= _CACHED_CLAUSE_CHARS
                  else candidates.__wrapped__(clause, max_n) for clause in _CLAUSE.split(text)]
    tf = Counter(chain.from_iterable(map(itemgetter(0), per_clause)))
    # A phrase keeps the IDF of its first occurrence (its tokens may differ elsewhere): earlier
    # clauses are applied last so they win.
    idf_of: dict[str, float] = {}
    for _, mean_idf in reversed(per_clause):
        idf_of.update(mean_idf)
    if max_n == 1:
        return {p: math.sqrt(c) * idf_of[p] for p, c in tf.items()}
    tf_factor, length_factor = _TF_FACTOR, _LENGTH_FACTOR
    return {p: (tf_factor[c] if c < _TF_FACTORS else 1 + math.log(c)) * idf_of[p] * length_factor[len(p)]
            * (1.6 if p in title else 1.0) for p, c in tf.items()}


_TF_FACTORS = 64
_TF_FACTOR = [0.0] + [1 + math.log(c) for c in range(1, _TF_FACTORS)]  # the same floats, looked up


def _length_factor(chars: int) -> float:
    # Author keywords are mostly 3–8 characters; single two-character words are usually too generic.
    if chars <= 2:
        return 0.55
    if chars <= 8:
        return 1.0 + 0.08 * (chars - 2)
    return max(0.6, 1.48 - 0.1 * (chars - 8))


_LENGTH_FACTOR = [_length_factor(chars) for chars in range(17)]  # candidates have at most 16 characters


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


def _prune_ranked(order: list[str], scores: Mapping[str, float], limit: int) -> list[tuple[str, float]]:
    """Drop a phrase when a kept phrase contains it or it contains a kept one (keep the first); ``order``
    is best first. Returns the kept phrases with their scores."""
    kept: list[str] = []
    joined = ""  # the kept phrases separated by a newline, which no phrase contains (whitespace is collapsed)
    for phrase in order:
        if phrase in joined:
            continue
        for other in kept:  # a plain loop: cheaper than any(map(...)) over a dozen phrases
            if other in phrase:
                break
        else:
            kept.append(phrase)
            joined += "\n" + phrase
            if len(kept) >= limit:
                break
    return [(p, scores[p]) for p in kept]
