"""Something for the demo's chain analysis to find: planted weaknesses and a SYNTHETIC benchmark population.

The region's organisations get their specialities reshaped so that, against a benchmark population
of organisations in other provinces' real cities (spread evenly over every topic):

- ``icd:wafer`` has no local patents (and sits upstream of the strong ``icd:chip``);
- ``bio:api`` and ``nev:materials`` are weak (``nev:materials`` under the strong ``nev:battery``);
- ``bio:device`` has local patents but no local enterprise holds any.

The planting uses its own random streams, so the rest of the demo keeps its seed-for-seed shape.
"""

from __future__ import annotations

import random
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from iplayout.demo.generator import _Gen

ABSENT = {"icd:wafer": "icd:chip"}  # link -> where its local work goes instead
WEAK = {"bio:api": "bio:drug", "nev:materials": "nev:battery"}
KEEP_WEAK = 0.1  # share of the local specialities in a weak link that stay
MIN_WEAK_HOLDERS = 3
NO_FIRMS = ("bio:device",)
STRONG = ("nev:battery", "icd:chip")  # receive the work moved away from the planted gaps
# The flags each planted gap must raise (and the planted strong links must raise none of).
EXPECTED = {
    ("icd:wafer", "no_local_ip"), ("icd:wafer", "upstream_missing"),
    ("nev:materials", "weak_local_ip"), ("nev:materials", "upstream_missing"),
    ("bio:api", "weak_local_ip"),
    ("bio:device", "ip_no_local_firms"),
}
# Real cities (GB/T 2260) in other provinces: the benchmark holders' places; names are invented.
CITIES = [
    ("510100", "成都市", "510000", "四川省"), ("420100", "武汉市", "420000", "湖北省"),
    ("610100", "西安市", "610000", "陕西省"), ("440300", "深圳市", "440000", "广东省"),
    ("320500", "苏州市", "320000", "江苏省"), ("330100", "杭州市", "330000", "浙江省"),
]
BENCHMARK_SHARE = 0.25  # benchmark patents per regional patent


def _links(gen: _Gen) -> list[str]:
    return [str(tp["link"]) for tp in gen.topics["topics"]]


def plant_gaps(gen: _Gen, seed: int) -> None:
    """Reshape each regional organisation's specialities (before any document is drawn)."""
    rnd = random.Random(seed * 7919 + 1)
    link_of = _links(gen)
    by_link: dict[str, list[int]] = {}
    for t, link in enumerate(link_of):
        by_link.setdefault(link, []).append(t)
    planted = set(ABSENT) | set(WEAK) | set(NO_FIRMS)
    plain = [t for t, link in enumerate(link_of) if link not in planted]
    for org in gen.orgs:
        out: list[int] = []
        for t in org["topics"]:
            link = link_of[t]
            moved = ABSENT.get(link) or (WEAK.get(link) if rnd.random() >= KEEP_WEAK else None)
            if link in NO_FIRMS and org["kind"] == "enterprise":
                moved = rnd.choice([lk for lk in by_link if lk.split(":")[0] == link.split(":")[0]
                                    and lk not in planted])
            out.append(rnd.choice(by_link[moved]) if moved else t)
        org["topics"] = list(dict.fromkeys(out)) or [rnd.choice(plain)]
    # A weak link keeps a few local holders (weak, not absent) ...
    firms = [o for o in gen.orgs if o["kind"] == "enterprise"]
    for link in WEAK:
        holders = [o for o in gen.orgs if any(link_of[t] == link for t in o["topics"])]
        for org in rnd.sample(firms, k=max(0, MIN_WEAK_HOLDERS - len(holders))):
            org["topics"].append(rnd.choice(by_link[link]))
    # ... and a no-firm link still needs local (academic) holders to be "IP without local firms".
    academic = [o for o in gen.orgs if o["kind"] in ("university", "institute")]
    for link in NO_FIRMS:
        for t in by_link[link]:
            if academic and not any(t in o["topics"] for o in academic):
                rnd.choice(academic)["topics"].append(t)
    # A holder of a no-firm topic works on nothing else: otherwise an enterprise picked as co-applicant
    # for its other topics would share a patent that is also classified in the no-firm link.
    no_firm = {t for link in NO_FIRMS for t in by_link[link]}
    for org in gen.orgs:
        if org["kind"] != "enterprise" and no_firm & set(org["topics"]):
            org["topics"] = [t for t in org["topics"] if t in no_firm]


def benchmark_population(gen: _Gen, seed: int) -> None:
    """Organisations in other provinces' cities and their patents, even over every topic."""
    g, rnd, topics = gen.g, random.Random(seed * 7919 + 2), gen.topics["topics"]
    for code, name, prov_code, prov_name in CITIES:
        g.node("Province", id=prov_code, name=prov_name, **gen.p("bench-province", prov_code))
        g.node("City", id=code, name=name, **gen.p("bench-city", code))
        g.rel("PART_OF", "City", "Province", code, prov_code, **gen.p("bench-city", code))
    n_orgs = max(40, gen.n // 50)
    orgs: list[str] = []
    for i in range(n_orgs):
        city = CITIES[i % len(CITIES)]
        oid = f"ORGB:{i:06d}"
        kind = "enterprise" if rnd.random() < 0.8 else "university"
        oname = f"{city[1].rstrip('市')}示例{'科技有限公司' if kind == 'enterprise' else '大学'}{i:04d}（外地基准）"
        g.node("Organization", id=oid, name=oname, kind=kind, resolution_key=oname, country="CN",
               **gen.p("bench-org", i))
        g.rel("LOCATED_IN", "Organization", "City", oid, city[0], method="demo", confidence=1.0,
              **gen.p("bench-org", i))
        orgs.append(oid)
    for i in range(int(gen.n * BENCHMARK_SHARE)):
        tp = topics[i % len(topics)]  # even over topics: every link's benchmark share is its topic share
        year = rnd.choice(range(2014, 2026))
        kind = rnd.choice(["invention", "utility"])
        pid = f"CN{210000000 + i}{'A' if kind == 'invention' else 'U'}"
        prov = gen.p("bench-patent", i)
        row: dict[str, Any] = {"id": pid, "title": f"一种{tp['zh'][0]}装置（外地基准示例）", "lang": "zh",
                               "abstract": f"本发明公开了一种{tp['zh'][0]}，涉及{tp['zh'][1]}。", "year": year,
                               "application_number": f"CN{year}2{i:07d}.X", "application_date": f"{year}-06-15",
                               "kind": kind, "legal_status": "有效", "in_force": True, "family_size": 1,
                               "claims_count": 5, **prov}
        g.node("Patent", **row)
        g.rel("APPLIED_FOR", "Organization", "Patent", orgs[i % n_orgs], pid, role="applicant", seq=0, **prov)
        g.rel("CLASSIFIED_AS", "Patent", "Technology", pid, tp["tech"], main=True, **prov)
