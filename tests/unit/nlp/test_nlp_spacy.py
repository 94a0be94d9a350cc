"""The optional spaCy pipeline: rule entities on Chinese and English text."""

from __future__ import annotations

import pytest

import iplayout.nlp
from iplayout.errors import ExtractionError

spacy = pytest.importorskip("spacy")


def test_zh_entities() -> None:
    nlp = iplayout.nlp.load("zh")
    doc = nlp("重庆长安汽车股份有限公司位于重庆市江北区，申请了H01M 10/0525锂离子电池专利，支持集成电路产业。")
    ents = {(e.text, e.label_) for e in doc.ents}
    assert ("重庆长安汽车股份有限公司", "ORG") in ents
    assert ("江北区", "DISTRICT") in ents
    assert ("H01M 10/0525", "IPC") in ents
    assert ("集成电路产业", "INDUSTRY") in ents
    assert any(label == "TECH" for _, label in ents)


def test_en_entities() -> None:
    doc = iplayout.nlp.load("en")("Chongqing Changan Automobile Co., Ltd. filed H01M10/0525 on autonomous driving.")
    labels = {e.label_ for e in doc.ents}
    assert {"ORG", "IPC"} <= labels


def test_unknown_language() -> None:
    with pytest.raises(ExtractionError):
        iplayout.nlp.load("fr")
