"""Synthetic patents, papers, standards and policies for the demo graph."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from iplayout.demo.vocab import abstract_en, abstract_zh, paper_title, patent_title

if TYPE_CHECKING:
    from iplayout.demo.generator import _Gen

_STATUS = [
    ("有效", True, 50),
    ("实质审查", None, 20),
    ("失效", False, 15),
    ("驳回", False, 5),
    ("撤回", False, 10),
]
_MEASURES = ["支持", "培育", "布局", "建设", "突破"]


def _year(gen: _Gen) -> int:
    # Filings grow over the years, as Chongqing's did.
    return int(gen.rnd.choices(range(2014, 2026), weights=[1 + k * 0.35 for k in range(12)])[0])


def _topic_for(gen: _Gen, org: dict[str, Any]) -> int:
    return int(gen.rnd.choice(org["topics"]))


def patents(gen: _Gen) -> None:
    g, rnd, topics = gen.g, gen.rnd, gen.topics["topics"]
    status_names, status_force, status_w = zip(*_STATUS, strict=True)
    gen.patent_ids = []
    for i in range(gen.n):
        org = rnd.choice(gen.orgs)
        t = _topic_for(gen, org)
        tp = topics[t]
        year = _year(gen)
        kind = rnd.choices(["invention", "utility", "design"], [55, 40, 5])[0]
        s = rnd.choices(range(len(status_names)), status_w)[0]
        pid = f"CN{110000000 + i}{'A' if kind == 'invention' else 'U' if kind == 'utility' else 'S'}"
        prov = gen.p("patent", i)
        g.node(
            "Patent",
            id=pid,
            title=patent_title(rnd, tp["zh"]),
            abstract=abstract_zh(rnd, tp["zh"], tp["en"]),
            lang="zh",
            year=year,
            application_number=f"CN{year}1{i:07d}.X",
            application_date=f"{year}-{rnd.randint(1, 12):02d}-15",
            kind=kind,
            legal_status=status_names[s],
            in_force=status_force[s],
            family_size=rnd.randint(1, 5),
            claims_count=1 if kind == "design" else rnd.randint(3, 20),
            **prov,
        )
        applicants = [org]
        if rnd.random() < 0.2:
            applicants.append(gen.pick_org(t, ("university", "institute", "enterprise")))
        for seq, a in enumerate({o["id"]: o for o in applicants}.values()):
            g.rel("APPLIED_FOR", "Organization", "Patent", a["id"], pid, role="applicant", seq=seq, **prov)
        inventors = dict.fromkeys(gen.person(org, "patent", i) for _ in range(rnd.randint(1, 4)))
        for seq, person in enumerate(inventors):
            g.rel("INVENTED", "Person", "Patent", person, pid, seq=seq, **prov)
        g.rel("CLASSIFIED_AS", "Patent", "Technology", pid, tp["tech"], main=True, **prov)
        if rnd.random() < 0.3:
            other = topics[rnd.choice(org["topics"])]["tech"]
            if other != tp["tech"]:
                g.rel("CLASSIFIED_AS", "Patent", "Technology", pid, other, main=False, **prov)
        for term in rnd.sample(tp["terms"][:3], 2):
            g.rel(
                "MENTIONS", "Patent", "Technology", pid, term, weight=round(rnd.uniform(0.3, 1.0), 3), **prov
            )
        if i > 20 and rnd.random() < 0.3:
            for j in {rnd.randrange(i) for _ in range(rnd.randint(1, 3))}:
                g.rel("CITES", "Patent", "Patent", pid, gen.patent_ids[j], **prov)
        gen.patent_ids.append(pid)


def papers(gen: _Gen) -> None:
    g, rnd, topics = gen.g, gen.rnd, gen.topics["topics"]
    academic = [o for o in gen.orgs if o["kind"] in ("university", "institute", "hospital")] or gen.orgs
    ids: list[str] = []
    for i in range(max(100, gen.n // 4)):
        org = rnd.choice(academic)
        tp = topics[_topic_for(gen, org)]
        english = rnd.random() < 0.4
        words = tp["en"] if english else tp["zh"]
        doi = f"10.99999/iplayout-demo.{i}"
        prov = gen.p("paper", i)
        g.node(
            "Paper",
            id=doi,
            doi=doi,
            title=paper_title(rnd, words, english),
            lang="en" if english else "zh",
            abstract=abstract_en(rnd, tp["en"]) if english else abstract_zh(rnd, tp["zh"], tp["en"]),
            year=_year(gen),
            venue="Synthetic Journal of Demo Studies" if english else "示例学报",
            keywords=words,
            **prov,
        )
        g.rel("PUBLISHED", "Organization", "Paper", org["id"], doi, **prov)
        authors = dict.fromkeys(gen.person(org, "paper", i) for _ in range(rnd.randint(1, 4)))
        for seq, person in enumerate(authors):
            g.rel("AUTHORED", "Person", "Paper", person, doi, seq=seq, **prov)
        g.rel("CLASSIFIED_AS", "Paper", "Technology", doi, tp["tech"], main=True, **prov)
        g.rel("MENTIONS", "Paper", "Technology", doi, tp["terms"][3 if english else 0], weight=0.8, **prov)
        if ids and rnd.random() < 0.5:
            g.rel("CITES", "Paper", "Paper", doi, rnd.choice(ids), **prov)
        if rnd.random() < 0.2:
            g.rel("CITES", "Paper", "Patent", doi, rnd.choice(gen.patent_ids), **prov)
        if rnd.random() < 0.05:
            g.rel("CITES", "Patent", "Paper", rnd.choice(gen.patent_ids), doi, **prov)
        ids.append(doi)


def standards(gen: _Gen) -> None:
    g, rnd, topics = gen.g, gen.rnd, gen.topics["topics"]
    for i in range(max(30, gen.n // 100)):
        t = rnd.randrange(len(topics))
        tp = topics[t]
        year = _year(gen)
        sid = f"DB50/T {9000 + i}-{year}"
        prov = gen.p("standard", i)
        g.node(
            "Standard",
            id=sid,
            title=f"{tp['zh'][0]}{rnd.choice(['技术规范', '通用要求', '试验方法'])}（示例）",
            lang="zh",
            year=year,
            status=rnd.choice(["现行", "即将实施", "废止"]),
            issued=f"{year}-06-01",
            implemented=f"{year}-09-01",
            ics=["43.040"],
            ccs=["T40"],
            scope=f"本文件规定了{tp['zh'][0]}的要求。",
            **prov,
        )
        # dict, not set: a set's order changes with the process's hash seed, and seq with it
        for seq, o in enumerate(dict.fromkeys(gen.pick_org(t)["id"] for _ in range(rnd.randint(1, 3)))):
            g.rel("DRAFTED", "Organization", "Standard", o, sid, seq=seq, **prov)
        g.rel("CLASSIFIED_AS", "Standard", "Technology", sid, tp["tech"], main=True, **prov)
        g.rel("MENTIONS", "Standard", "Technology", sid, tp["terms"][0], weight=1.0, **prov)


def policies(gen: _Gen) -> None:
    g, rnd, topics = gen.g, gen.rnd, gen.topics["topics"]
    names = {d["adcode"]: d["name"] for d in gen.region["districts"]}
    industries = {i["id"]: i["name"] for i in gen.topics["industries"] if i["scheme"] == "CQ-KEY"}
    for i in range(min(400, max(40, gen.n // 500))):
        issuer = rnd.choice(gen.gov)
        ind = rnd.choice(sorted(industries))
        tp = rnd.choice([tp for tp in topics if tp["key"] == ind] or topics)
        dist = rnd.choice(gen.districts)
        measure = rnd.choice(_MEASURES)
        year = _year(gen)
        level = "national" if issuer == "GOV:0" else "municipal"
        s1 = f"{measure}{names[dist]}{industries[ind]}产业集群发展，到{year + 3}年产值突破{rnd.randint(1, 9) * 100}亿元。"
        s2 = f"重点{rnd.choice(_MEASURES)}{tp['zh'][0]}等关键技术。"
        pid = f"POLICY:demo-{i:04d}"
        prov = gen.p("policy", i)
        g.node(
            "Policy",
            id=pid,
            title=f"关于{measure}{industries[ind]}高质量发展的若干措施（示例）",
            lang="zh",
            year=year,
            issuer=issuer,
            date=f"{year}-03-01",
            level=level,
            region="重庆市",
            text=s1 + s2,
            **prov,
        )
        g.rel("ISSUED", "Organization", "Policy", issuer, pid, **prov)
        g.rel("TARGETS", "Policy", "Industry", pid, ind, evidence=s1, measure=measure, **prov)
        g.rel("TARGETS", "Policy", "District", pid, dist, evidence=s1, measure=measure, **prov)
        g.rel("TARGETS", "Policy", "Technology", pid, tp["tech"], evidence=s2, measure=measure, **prov)
        g.rel("MENTIONS", "Policy", "Technology", pid, tp["terms"][0], weight=0.5, **prov)


def documents(gen: _Gen) -> None:
    for step in (patents, papers, standards, policies):
        step(gen)
