"""spaCy integration: ``iplayout.nlp.load("zh" | "en")`` → a pipeline whose ``doc.ents`` carry
ORG, DISTRICT, IPC, INDUSTRY and TECH spans found by the same rules and gazetteers as the build.

spaCy is optional and imported only here, lazily; no statistical model is needed (a blank ``zh``
pipeline with the jieba segmenter, or a blank ``en`` one, plus one rule component).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from iplayout.errors import ExtractionError
from iplayout.nlp import gazetteer as gz
from iplayout.nlp.ipc import CODE_PATTERN as IPC_PATTERN
from iplayout.nlp.policy_targets import INDUSTRIES, TECHNOLOGIES
from iplayout.nlp.region_layer import region_layer

COMPONENT = "iplayout_entities"
_ORG_ZH = re.compile(r"[\u4e00-\u9fff()（）A-Za-z0-9]{2,40}?(股份有限公司|有限责任公司|有限公司|集团|大学|学院|研究院|研究所|"
                     r"医院|实验室|管理委员会|委员会|人民政府|局)")
_ORG_EN = re.compile(r"\b(?:[A-Z][\w&.\-]*\s+){1,6}(?:Co\.,?\s*Ltd\.?|Inc\.?|Corporation|Company|University|"
                     r"Institute|Hospital|Academy)")
_LEADING = re.compile(r"^(?:由|和|与|及|在|位于|是|的|为|对|向|从|经|据|将|把|被|于)+")
Match = tuple[int, int, str]


def load(lang: str = "zh", regions: tuple[str, ...] = ("chongqing",)) -> Any:
    """A spaCy ``Language`` for ``lang`` ("zh" or "en") with the iplayout entity component."""
    spacy = _spacy()
    if lang == "zh":
        nlp = spacy.blank("zh", config={"nlp": {"tokenizer": {"segmenter": "jieba"}}})
    elif lang == "en":
        nlp = spacy.blank("en")
    else:
        raise ExtractionError(f"unsupported language {lang!r}: use 'zh' or 'en'")
    _register(spacy)
    nlp.add_pipe(COMPONENT, config={"regions": list(regions)})
    return nlp


def _spacy() -> Any:
    try:
        import spacy
    except ImportError as exc:
        raise ExtractionError(
            "spaCy is not installed: pip install 'spacy>=3.7,<4' (the zh pipeline also uses jieba)"
        ) from exc
    return spacy


def _register(spacy: Any) -> None:
    from spacy.language import Language

    if Language.has_factory(COMPONENT):
        return

    @Language.factory(COMPONENT, default_config={"regions": ["chongqing"]})
    def make(nlp: Any, name: str, regions: list[str]) -> EntityRules:
        return EntityRules(tuple(regions))


class EntityRules:
    """The rule component: finds matches on the text, then snaps them to token boundaries."""

    def __init__(self, regions: tuple[str, ...]) -> None:
        self.regions = regions
        self.vocab: dict[str, str] = {**dict.fromkeys(TECHNOLOGIES, "TECH"), **dict.fromkeys(INDUSTRIES, "INDUSTRY")}
        for region in regions:
            from iplayout.nlp.chains import load_chains

            for chain in load_chains(region):
                self.vocab.setdefault(chain.name, "INDUSTRY")
                for link in chain.links:
                    self.vocab.update(dict.fromkeys((t for t in link.terms if t not in self.vocab), "TECH"))

    def __call__(self, doc: Any) -> Any:
        from spacy.util import filter_spans

        spans = []
        for start, end, label in self.matches(doc.text):
            span = doc.char_span(start, end, label=label, alignment_mode="expand")
            if span is not None:
                spans.append(span)
        doc.ents = filter_spans(spans)
        return doc

    def matches(self, text: str) -> Iterator[Match]:
        yield from _orgs(text)
        yield from _districts(text, self.regions)
        for m in IPC_PATTERN.finditer(text):
            yield m.start(), m.end(), "IPC"
        for surface, label in self.vocab.items():
            for m in re.finditer(re.escape(surface), text):
                yield m.start(), m.end(), label


def _orgs(text: str) -> Iterator[Match]:
    for m in _ORG_ZH.finditer(text):
        lead = _LEADING.match(m.group())
        yield m.start() + (lead.end() if lead else 0), m.end(), "ORG"
    for m in _ORG_EN.finditer(text):
        yield m.start(), m.end(), "ORG"


def _districts(text: str, regions: tuple[str, ...]) -> Iterator[Match]:
    for region in regions:
        for hit in region_layer(region).scan(text):
            if hit.kind != "area":
                yield hit.start, hit.start + len(hit.name), "DISTRICT"
    for m in gz.year_index(None).scan(text):
        if any(u.rank == 3 for u in m.units) and not m.short:
            yield m.start, m.start + len(m.name), "DISTRICT"
