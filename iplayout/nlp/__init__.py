"""Text normalisation, segmentation and entity extraction for Chinese and English IP documents."""

from __future__ import annotations

from typing import Any


def load(lang: str = "zh", regions: tuple[str, ...] = ("chongqing",)) -> Any:
    """A spaCy pipeline whose ``doc.ents`` carry ORG, DISTRICT, IPC, INDUSTRY and TECH (spaCy imported lazily)."""
    from iplayout.nlp.spacy_pipeline import load as _load

    return _load(lang, regions)
