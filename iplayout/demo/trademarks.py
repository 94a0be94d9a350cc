"""Synthetic trademarks for the demo: real Nice classes, similar-goods groups and concordance, invented
marks; held by the demo's invented organisations.

Drawn from their own random stream, so adding them leaves every other demo row as it was.
"""

from __future__ import annotations

import random
from typing import TYPE_CHECKING, Any

from iplayout.ingestion.records import TrademarkRecord
from iplayout.nlp import nice
from iplayout.nlp.record_rows import trademark_status

if TYPE_CHECKING:
    from iplayout.demo.generator import _Gen

AS_OF = "2025-12-31"  # the demo's "today" for status from dates (keeps the demo deterministic)
_SYLLABLES = list("瑞恒达泰华融源智联丰宏博远鑫晟拓锐启航星辰云海峰川宇巴渝嘉陵山城")
# Nice classes a firm of a demo industry files in besides its consumer- and service-facing ones.
_TECH_CLASSES = {"GBT4754:C36": ("12",), "GBT4754:C38": ("09", "11"), "GBT4754:C39": ("09", "42"),
                 "GBT4754:C27": ("05", "10"), "GBT4754:C35": ("10", "07")}
_CONSUMER = ("29", "30", "32", "33", "35", "41", "43", "44", "25", "03", "20")


def trademarks(gen: _Gen, seed: int) -> None:
    rnd = random.Random(f"trademarks:{seed}")
    holders = [o for o in gen.orgs if o["kind"] in ("enterprise", "individual")]
    groups_of: dict[str, list[str]] = {}
    for code, (cls, _name) in nice.tables().groups.items():
        groups_of.setdefault(cls, []).append(code)
    used: set[str] = set()
    for i in range(max(200, gen.n // 2)):
        org = rnd.choice(holders)
        industry = gen.topics["topics"][rnd.choice(org["topics"])]["industry"]
        pool = _TECH_CLASSES.get(industry, ()) + _CONSUMER
        classes = list(dict.fromkeys(rnd.choice(pool) for _ in range(rnd.choice((1, 1, 1, 2)))))
        groups = [rnd.choice(groups_of[c]) for c in classes if groups_of.get(c)]
        _mark(gen, rnd, i, org, classes, groups)
        used.update(classes)
        used.update(groups)
    _taxonomy(gen, used)


def _mark(gen: _Gen, rnd: random.Random, i: int, org: dict[str, Any], classes: list[str], groups: list[str]) -> None:
    year = int(rnd.choices(range(2014, 2026), weights=[1 + k * 0.3 for k in range(12)])[0])
    applied = f"{year}-{rnd.randint(1, 12):02d}-{rnd.randint(1, 28):02d}"
    registered = f"{year + 1}-{applied[5:]}" if year < 2025 and rnd.random() < 0.85 else None
    expiry = f"{year + 11}-{applied[5:]}" if registered else None
    if registered and rnd.random() < 0.1:  # a few lapsed early (not renewed after a cancellation)
        expiry = f"{year + 3}-{applied[5:]}"
    record = TrademarkRecord(id=f"TM:CN:DEMO{i:07d}", office="CN", registration_number=f"DEMO{i:07d}",
                             name="".join(rnd.sample(_SYLLABLES, 2)) + "（示例）", classes=classes, groups=groups,
                             application_date=applied, registration_date=registered, expiry_date=expiry)
    status, in_force = trademark_status(record, AS_OF)
    prov = gen.p("trademark", i)
    gen.g.node("Trademark", id=record.id, name=record.name, lang="zh", year=year, office="CN",
               registration_number=record.registration_number, mark_type="普通商标", classes=classes,
               groups=groups or None, application_date=applied, registration_date=registered, expiry_date=expiry,
               status=status, in_force=in_force, **prov)
    gen.g.rel("APPLIED_FOR", "Organization", "Trademark", org["id"], record.id, role="holder", seq=1, **prov)
    for j, code in enumerate(classes):
        gen.g.rel("CLASSIFIED_AS", "Trademark", "Technology", record.id, nice.nice_id(code), main=j == 0, **prov)
    for code in groups:
        gen.g.rel("CLASSIFIED_AS", "Trademark", "Technology", record.id, nice.nice_id(code), main=False, **prov)


def _taxonomy(gen: _Gen, used: set[str]) -> None:
    """The Nice nodes the marks use, BROADER group -> class, and the shipped concordance into demo
    industries (added where the demo lacks them, under its ``GBT4754:<section><division>`` ids)."""
    g = gen.g
    prov = gen.p("nice", 0)
    for code in sorted(used):
        row = nice.class_row(code) if len(code) == 2 else nice.group_row(code)
        g.node("Technology", **row, **prov)
        if len(code) == 4:
            g.rel("BROADER", "Technology", "Technology", nice.nice_id(code), nice.nice_id(code[:2]), **prov)
    known = {row["id"] for row in g.nodes["Industry"]}
    for m in nice.load_concordance():
        if not m.mapped or m.nice not in used:
            continue
        iid = f"GBT4754:{m.section}{m.division}"
        if iid not in known:
            known.add(iid)
            g.node("Industry", id=iid, scheme="GBT4754-2017", code=f"{m.section}{m.division}", name=m.industry_name,
                   level="大类", **prov)
            if f"GBT4754:{m.section}" in known:
                g.rel("BROADER", "Industry", "Industry", iid, f"GBT4754:{m.section}", **prov)
        g.rel("MAPS_TO", "Technology", "Industry", nice.nice_id(m.nice), iid, origin=m.origin, **prov)
