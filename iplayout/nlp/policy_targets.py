"""Policy targets: sentences that name an industry, a technology or a district *and* a measure.

"加快发展集成电路、新型显示产业" names two targets and the measure 发展; "2025年战略性新兴产业增加值
占比达到20%" is a numeric target. Each (policy, target) pair becomes ``TARGETS {evidence, measure}``
with the first such sentence as evidence. A sentence without a measure word is description, not
policy, and yields nothing.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Literal

from iplayout.ingestion.records import PolicyRecord
from iplayout.nlp.chains import load_chains
from iplayout.nlp.normalize import normalize_text
from iplayout.nlp.region_layer import region_layer
from iplayout.nlp.rows import GraphRows, Provenance
from iplayout.nlp.terms import term_id
from iplayout.nlp.versions import tag

TargetKind = Literal["Industry", "Technology", "District"]

MEASURES = ("支持", "培育", "布局", "建设", "突破", "发展", "壮大", "推动", "加快", "打造", "实施", "推进",
            "提升", "攻关", "扶持", "引进", "建成", "做大做强", "集聚", "部署", "鼓励")
_NUMERIC = re.compile(r"\d+(\.\d+)?\s*(%|％|亿元|万亿元|万元|亿|万辆|万台|万吨|个|家|项|倍|所|座)")
_SENTENCE = re.compile(r"(?<=[。；！？!?;\n])")

# Industry names used in Chinese plans (SEI 2018 top level and common key industries).
INDUSTRIES = (
    "战略性新兴产业", "新一代信息技术产业", "高端装备制造产业", "新材料产业", "生物产业", "新能源汽车产业",
    "新能源产业", "节能环保产业", "数字创意产业", "集成电路产业", "新型显示产业", "生物医药产业",
    "电子信息产业", "汽车产业", "软件和信息服务业", "数字经济", "先进制造业", "现代服务业", "装备制造业",
    "医药产业", "智能网联新能源汽车", "新能源汽车", "智能网联汽车", "低空经济", "人工智能产业",
)
TECHNOLOGIES = (
    "集成电路", "芯片", "半导体", "新型显示", "人工智能", "大数据", "云计算", "物联网", "区块链", "5G",
    "6G", "工业互联网", "量子信息", "量子计算", "生物医药", "生物制造", "基因", "疫苗", "创新药", "医疗器械",
    "动力电池", "储能", "氢能", "燃料电池", "光伏", "风电", "新材料", "机器人", "工业机器人", "智能制造",
    "自动驾驶", "车联网", "传感器", "北斗", "卫星互联网", "商业航天", "算力", "大模型", "操作系统",
    "工业软件", "高端装备", "数控机床", "航空发动机", "碳纤维", "石墨烯", "锂电池", "功率半导体",
)


@dataclass(frozen=True)
class Target:
    kind: TargetKind
    key: str  # Industry id, Technology id or District adcode
    name: str
    measure: str
    evidence: str


def industry_id(name: str) -> str:
    return f"KEYIND:{name}"


@lru_cache(maxsize=8)
def _vocabulary(regions: tuple[str, ...]) -> tuple[tuple[str, TargetKind, str], ...]:
    """(surface, kind, key), longest surfaces first so 新能源汽车产业 wins over 新能源汽车."""
    vocab: dict[str, tuple[TargetKind, str]] = {}
    for name in INDUSTRIES:
        vocab[name] = ("Industry", industry_id(name))
    for name in TECHNOLOGIES:
        vocab.setdefault(name, ("Technology", term_id(name)))
    for region in regions:
        for chain in load_chains(region):
            vocab.setdefault(chain.name, ("Industry", industry_id(chain.name)))
            for link in chain.links:
                for term in link.terms:
                    vocab.setdefault(term, ("Technology", term_id(term)))
        layer = region_layer(region)
        for surface, (kind, codes) in layer.names.items():
            if kind in ("district", "alias", "historical"):
                vocab.setdefault(surface, ("District", codes[0]))
    return tuple((s, k, key) for s, (k, key) in sorted(vocab.items(), key=lambda kv: -len(kv[0])))


def _measure(sentence: str) -> str | None:
    for word in MEASURES:
        if word in sentence:
            return word
    return "numeric_target" if _NUMERIC.search(sentence) else None


@lru_cache(maxsize=8)
def _by_first_char(regions: tuple[str, ...]) -> dict[str, tuple[int, ...]]:
    """Positions in ``_vocabulary(regions)`` of the surfaces that start with each character ("": empty ones)."""
    index: dict[str, list[int]] = {}
    for i, (surface, _, _) in enumerate(_vocabulary(regions)):
        index.setdefault(surface[:1], []).append(i)
    return {char: tuple(positions) for char, positions in index.items()}


def find_targets(text: str, regions: tuple[str, ...] = ("chongqing",), max_evidence: int = 500) -> list[Target]:
    """Targets in ``text``, first evidence sentence per target, in order of appearance."""
    vocab = _vocabulary(regions)
    by_first_char = _by_first_char(regions)
    found: dict[str, Target] = {}
    for raw in _SENTENCE.split(normalize_text(text, simplify=True).replace(" ", "")):
        sentence = raw.strip()
        measure = _measure(sentence) if len(sentence) >= 6 else None
        if measure is None:
            continue
        covered = [False] * len(sentence)
        # A surface whose first character is not in the sentence cannot be found in it: only the others
        # are searched for, in vocabulary order (most of the vocabulary is skipped).
        chars = set(sentence)
        chars.add("")
        present = sorted(i for char in by_first_char.keys() & chars for i in by_first_char[char])
        for surface, kind, key in map(vocab.__getitem__, present):
            start = sentence.find(surface)
            while start >= 0:
                if not any(covered[start:start + len(surface)]):
                    covered[start:start + len(surface)] = [True] * len(surface)
                    found.setdefault(key, Target(kind, key, surface, measure, sentence[:max_evidence]))
                start = sentence.find(surface, start + 1)
    return list(found.values())


def _district_name(adcode: str, regions: tuple[str, ...]) -> str | None:
    for region in regions:
        d = region_layer(region).region.district(adcode)
        if d is not None:
            return d.name
    return None


def add_policy_targets(rows: GraphRows, rec: PolicyRecord, regions: tuple[str, ...], prov: Provenance) -> None:
    """TARGETS rows for one policy."""
    props = prov.props(tag("policy_targets"))
    derived = {**props, "source": "derived:policy_targets"}
    for t in find_targets(f"{rec.title}。{rec.text}", regions):
        if t.kind == "Industry":
            rows.node("Industry", {"id": t.key, "scheme": "key_industry", "code": t.name, "name": t.name,
                                   **derived})
        elif t.kind == "Technology":
            rows.node("Technology", {"id": t.key, "scheme": "TERM", "code": t.name.lower(), "name_zh": t.name,
                                     "level": "term", **derived})
        else:
            rows.node("District", {"adcode": t.key, "name": _district_name(t.key, regions), **derived})
        rows.rel("TARGETS", "Policy", t.kind, rec.id, t.key, {"evidence": t.evidence, "measure": t.measure, **props})
