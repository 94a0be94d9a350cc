"""Review list of likely duplicate organisations, for the analyst to turn into alias-table rows.

Nothing here merges anything: resolution keys merge only what is certainly one legal entity, and
names in different languages meet only through the user's alias table (aliases.py). This module
ranks the pairs worth a look, strongest reason first:

=================================  =====  ===================================================
reason                             score  example
=================================  =====  ===================================================
same credit code                   1.00   two names with one 统一社会信用代码
same resolution key                0.95   nodes written under one key by different versions
same English key                   0.90   华为技术有限公司 (Huawei Technologies Co., Ltd.) ↔ HUAWEI TECH CO LTD
same letters without spaces        0.85   ACADEMYOF SCIENCES ↔ ACADEMY OF SCIENCES
pinyin of the Chinese name         0.80   华为技术有限公司 ↔ HUAWEI TECH CO LTD (华为=huawei, 技术=tech)
one or two letters apart           0.60   TSINGHUA UNIVERISTY ↔ TSINGHUA UNIVERSITY
same name without brackets         0.50   长安福特(重庆)汽车 ↔ 长安福特汽车 (often a different firm)
=================================  =====  ===================================================

Persons (kind ``individual``) are left out: two people may share a name.
"""

from __future__ import annotations

import csv
import io
import json
import re
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from iplayout.nlp.latin_names import edits, is_place, tokens
from iplayout.nlp.organisations import resolution_key

REASONS: dict[str, float] = {
    "same credit code": 1.0,
    "same resolution key": 0.95,
    "same English key": 0.9,
    "same letters without spaces": 0.85,
    "pinyin of the Chinese name": 0.8,
    "one or two letters apart": 0.6,
    "same name without brackets": 0.5,
}
_HAN = re.compile("[\u4e00-\u9fff]")
_BRACKETED = re.compile(r"\s*\([^)]*\)\s*")
# Chinese words a romanised (HAN/USPTO) name usually translates rather than transliterates.
_TRANSLATED = {"技术": "tech", "科技": "tech", "电子": "elect", "电气": "elect", "通信": "comms", "集团": "group",
               "医药": "pharmaceutical", "制药": "pharmaceutical", "汽车": "automobile", "大学": "univ",
               "研究院": "research inst", "研究所": "research inst", "中国": "china", "国际": "int",
               "工业": "ind", "实业": "ind", "能源": "energy", "材料": "materials", "生物": "bio", "终端": "device",
               "软件": "software", "网络": "networks", "光电": "optoelect", "机械": "machinery", "股份": ""}
_ADMIN_SUFFIX = re.compile("^(.{2,3}?)[市省]")  # 深圳市华为 → 深圳华为 (romanised names rarely keep SHI)


@dataclass(frozen=True)
class OrgEntry:
    """One organisation as the graph holds it."""

    id: str
    name: str
    kind: str = "enterprise"
    key: str = ""
    name_en: str | None = None
    credit_code: str | None = None
    patents: int = 0


@dataclass
class DuplicatePair:
    a: OrgEntry
    b: OrgEntry
    reasons: list[str] = field(default_factory=list)
    edits: int = 0  # for "one or two letters apart": one edit ranks before two

    @property
    def score(self) -> float:
        return max(REASONS[r] for r in self.reasons)

    @property
    def reason(self) -> str:
        return max(self.reasons, key=lambda r: REASONS[r])

    def row(self, rank: int) -> dict[str, object]:
        """A CSV/JSON row; ``alias_row`` is the line to paste into org_aliases.csv if the pair is right."""
        # the Chinese (registered) name is the better canonical; else the one with more patents
        keep, other = (self.a, self.b) if (_HAN.search(self.a.name) is not None, self.a.patents) >= (
            _HAN.search(self.b.name) is not None, self.b.patents) else (self.b, self.a)
        return {"rank": rank, "score": self.score, "reason": self.reason, "reasons": "; ".join(self.reasons),
                "id_a": self.a.id, "name_a": self.a.name, "patents_a": self.a.patents,
                "id_b": self.b.id, "name_b": self.b.name, "patents_b": self.b.patents,
                "alias_row": f"{_csv_cell(other.name)},{_csv_cell(keep.name)}"}


COLUMNS = ("rank", "score", "reason", "reasons", "id_a", "name_a", "patents_a", "id_b", "name_b", "patents_b",
           "alias_row")


def write_pairs(pairs: list[DuplicatePair], fmt: str, path: Path | None = None) -> str:
    """The pairs as CSV or JSON text (also written to ``path`` when given)."""
    rows = [p.row(i) for i, p in enumerate(pairs, 1)]
    if fmt == "json":
        text = json.dumps(rows, ensure_ascii=False, indent=1) + "\n"
    else:
        buf = io.StringIO()
        writer = csv.DictWriter(buf, fieldnames=COLUMNS, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
        text = buf.getvalue()
    if path is not None:
        path.write_text(text, encoding="utf-8")
    return text


def _csv_cell(text: str) -> str:
    return f'"{text}"' if "," in text or '"' in text else text


class _Pairs(dict[tuple[str, str], DuplicatePair]):
    def add(self, a: OrgEntry, b: OrgEntry, reason: str, edits: int = 0) -> None:
        if a.id == b.id:
            return
        first, second = (a, b) if a.id < b.id else (b, a)
        pair = self.setdefault((first.id, second.id), DuplicatePair(first, second))
        if reason not in pair.reasons:
            pair.reasons.append(reason)
        pair.edits = pair.edits or edits


_GROUPED: tuple[tuple[str, Callable[[OrgEntry], str]], ...] = (
    ("same credit code", lambda o: o.credit_code or ""),
    ("same resolution key", lambda o: o.key),
    ("same letters without spaces", lambda o: _letters(o)),
    ("same name without brackets", lambda o: _BRACKETED.sub("", o.key)),
)


def find_duplicates(orgs: Iterable[OrgEntry], limit: int | None = None) -> list[DuplicatePair]:
    """Candidate pairs, strongest reason first, then by patents of the pair, then by name."""
    entries = [o for o in orgs if o.kind != "individual" and o.name]
    pairs = _Pairs()
    for reason, keyfn in _GROUPED:
        for group in _groups(entries, keyfn):
            for i, a in enumerate(group):
                for b in group[i + 1:]:
                    if reason == "same resolution key" or a.key != b.key:
                        pairs.add(a, b, reason)
    _across_languages(entries, pairs)
    for a, b, n in _near_pairs(entries):
        pairs.add(a, b, "one or two letters apart", n)
    ranked = sorted(pairs.values(), key=lambda p: (-p.score, p.edits, -(p.a.patents + p.b.patents), p.a.name,
                                                   p.b.name))
    return ranked[:limit] if limit is not None else ranked


def _across_languages(entries: list[OrgEntry], pairs: _Pairs) -> None:
    """A Chinese name whose English form or pinyin meets a Latin name's key."""
    by_key: dict[str, list[OrgEntry]] = defaultdict(list)
    letters: dict[str, list[OrgEntry]] = defaultdict(list)
    for o in entries:
        by_key[o.key].append(o)
        if (spelled := _letters(o)):
            letters[spelled].append(o)
    for o in entries:
        if o.name_en:
            for other in by_key.get(resolution_key(o.name_en), ()):
                pairs.add(o, other, "same English key")
        if _HAN.search(o.name):
            for spelled in _romanised(o.key):
                for other in letters.get(spelled, ()):
                    pairs.add(o, other, "pinyin of the Chinese name")


def _letters(o: OrgEntry) -> str:
    return "" if _HAN.search(o.key) else re.sub(r"[^a-z0-9]", "", o.key)


def _groups(entries: list[OrgEntry], keyfn: Callable[[OrgEntry], str]) -> Iterator[list[OrgEntry]]:
    groups: dict[str, list[OrgEntry]] = defaultdict(list)
    for o in entries:
        k = keyfn(o)
        if k:
            groups[k].append(o)
    return (g for g in groups.values() if len(g) > 1)


@lru_cache(maxsize=16_384)
def _romanised(key: str) -> tuple[str, ...]:
    """Letter strings a romanised name of this Chinese key could have: all pinyin, or pinyin with the
    usual words translated (华为技术 → huaweijishu, huaweitech), with and without 市/省 after a place."""
    from pypinyin import lazy_pinyin  # imported here: only the review list needs it

    out: list[str] = []
    for text in {key, _ADMIN_SUFFIX.sub(r"\1", key)}:
        plain = _BRACKETED.sub("", text)
        out.append("".join(lazy_pinyin(plain)))
        parts = re.split("(" + "|".join(sorted(_TRANSLATED, key=len, reverse=True)) + ")", plain)
        out.append("".join(_TRANSLATED[p] if p in _TRANSLATED else "".join(lazy_pinyin(p)) for p in parts))
    return tuple(dict.fromkeys(re.sub(r"[^a-z0-9]", "", s.lower()) for s in out if s))


def _near_pairs(entries: list[OrgEntry]) -> Iterator[tuple[OrgEntry, OrgEntry, int]]:
    """Latin keys one or two edits apart (sorted neighbourhood on the letters, both directions).

    Never a pair: names that differ in digits (NO 3 / NO 9 PEOPLES HOSPITAL) or where each has a place
    the other lacks (HEBEI / HEFEI UNIVERSITY OF TECH): those are two organisations."""
    latin = [(letters, o) for o in entries if len(letters := _letters(o)) >= 10]
    seen: set[tuple[str, str]] = set()
    for order in (lambda t: t[0], lambda t: t[0][::-1]):
        ranked = sorted(latin, key=order)
        for i, (la, a) in enumerate(ranked):
            for lb, b in ranked[i + 1:i + 6]:
                if la == lb or (a.id, b.id) in seen or (b.id, a.id) in seen:
                    continue
                if re.sub(r"\D", "", la) != re.sub(r"\D", "", lb):
                    continue
                n = edits(la, lb)
                if n <= 2 and not _different_places(a.name, b.name):
                    seen.add((a.id, b.id))
                    yield a, b, n


def _different_places(a: str, b: str) -> bool:
    wa, wb = set(tokens(a)), set(tokens(b))
    return any(is_place(w) for w in wa - wb) and any(is_place(w) for w in wb - wa)
