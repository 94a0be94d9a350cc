"""People: inventors and authors keyed conservatively.

A person id is the normalised name *plus* the resolution key of the organisation they appear
with. Two "王伟" at different organisations stay two people; the same 王伟 who moves stays two
nodes too. That under-merges on purpose: a false merge invents co-inventor links that do not
exist, an under-merge only splits a career, and co-inventor networks survive either way.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from iplayout.nlp.normalize import normalize_text

_SEP = re.compile(r"[;；\n、]+|;;")
_CJK_NAME = re.compile(r"^[\u4e00-\u9fff·•]+$")


@dataclass(frozen=True)
class PersonName:
    name: str
    affiliation_key: str

    @property
    def id(self) -> str:
        return person_id(self.name, self.affiliation_key)


def clean_person(raw: str) -> str:
    """Simplified, half-width; spaces dropped inside Chinese names, case-folded spacing for Latin ones."""
    return _clean_person_short(raw) if len(raw) <= _SHORT else _clean_person(raw)


def _clean_person(raw: str) -> str:
    text = normalize_text(raw).strip(" .;,")
    if _CJK_NAME.match(text.replace(" ", "")):
        return text.replace(" ", "")
    return " ".join(text.split())


def name_key(name: str) -> str:
    """Latin names compare case-insensitively and ignore the comma in "Smith, John"."""
    return _name_key_short(name) if len(name) <= _SHORT else _name_key(name)


def _name_key(name: str) -> str:
    text = clean_person(name)
    if _CJK_NAME.match(text):
        return text
    if "," in text:
        last, _, first = text.partition(",")
        text = f"{first.strip()} {last.strip()}"
    return re.sub(r"[^a-z0-9 ]+", "", text.lower()).strip()


# An inventor recurs on many patents and each mention is cleaned twice (display name, then id):
# short names are remembered (bounded; a malformed cell may be long).
_SHORT = 64
_clean_person_short = lru_cache(maxsize=32_768)(_clean_person)
_name_key_short = lru_cache(maxsize=32_768)(_name_key)


def person_id(name: str, affiliation_key: str) -> str:
    return f"person:{name_key(name)}@{affiliation_key or '-'}"


def split_people(field: str | None) -> list[str]:
    """Split an inventor/author list (`;`, `；`, `、`, `;;`, line breaks); empty items dropped."""
    if not field:
        return []
    names = [clean_person(p) for p in _SEP.split(field)]
    return [n for n in names if n]


def person(name: str, affiliation_key: str | None) -> PersonName:
    return PersonName(name=clean_person(name), affiliation_key=affiliation_key or "")
