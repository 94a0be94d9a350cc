"""Tokens for BM25: jieba search-mode words for Chinese (after t2s), lowercased words for the rest.

Chinese runs are segmented with ``jieba.cut_for_search`` (long words also yield their sub-words,
so ``锂离子电池`` also yields ``离子``, ``电池``, ``锂离子``); Latin runs become
lowercase alphanumeric words with a light English suffix stripping (plural ``-s``, ``-ies``) and
stop words removed. Documents and queries go through the same function.
"""

from __future__ import annotations

import logging
import re
from functools import lru_cache
from typing import Any

from iplayout.nlp.normalize import normalize_text

log = logging.getLogger(__name__)

_RUNS = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff]+|[A-Za-z0-9][A-Za-z0-9\-_/.]*[A-Za-z0-9]|[A-Za-z0-9]")
_LATIN_SPLIT = re.compile(r"[\-_/.]")
_CJK = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff]")

EN_STOP = frozenset("""
a about above after again against all also am an and any are as at be because been before being below
between both but by can could did do does doing down during each few for from further had has have having
he her here hers herself him himself his how i if in into is it its itself just me more most my myself no
nor not now of off on once only or other our ours ourselves out over own same she should so some such than
that the their theirs them themselves then there these they this those through to too under until up very
was we were what when where which while who whom why will with would you your yours yourself yourselves
however thus within without via using use used based paper study article results show shows shown find
findings also et al c elsevier rights reserved ltd b.v bv inc
""".split())  # noqa: SIM905
ZH_STOP = frozenset("""
的 了 和 与 及 或 在 是 对 为 以 等 中 上 下 其 并 将 从 由 于 被 把 这 那 该 各 个 之 而 也 都 就 又 到 则 所 能 可 可以
进行 通过 采用 利用 研究 方法 分析 结果 表明 提出 基于 一种 本文 我们 具有 以及 及其 进一步 同时 针对 目的 结论 方法
""".split())  # noqa: SIM905


@lru_cache(maxsize=1)
def _jieba() -> Any:
    import jieba  # imported lazily: building the prefix dictionary takes ~1 s

    jieba.setLogLevel(logging.WARNING)
    jieba.initialize()
    return jieba


def _stem(word: str) -> str:
    if len(word) > 4 and word.endswith("ies"):
        return word[:-3] + "y"
    if len(word) > 3 and word.endswith("s") and not word.endswith(("ss", "us", "is")):
        return word[:-1]
    return word


def _latin_tokens(run: str) -> list[str]:
    low = run.lower()
    parts = [p for p in _LATIN_SPLIT.split(low) if p]
    words = [low] if len(parts) > 1 and any(c.isdigit() for c in low) else []  # keep codes like h01m10/0525
    words += parts
    return [_stem(w) for w in words if w not in EN_STOP and len(w) > 1 or w.isdigit()]


def tokenize(text: str) -> list[str]:
    """BM25 tokens of ``text`` (Traditional Chinese is folded to Simplified first)."""
    norm = normalize_text(text)
    out: list[str] = []
    for m in _RUNS.finditer(norm):
        run = m.group(0)
        if _CJK.match(run):
            out.extend(w for w in _jieba().cut_for_search(run, HMM=True) if w not in ZH_STOP)
        else:
            out.extend(_latin_tokens(run))
    return out
