"""Generate the synthetic demo graph: every node label and relationship type, Chongqing-shaped.

Deterministic for a (size, seed). Real district names/adcodes and real IPC codes; organisations,
people, documents and numbers are invented, and every row carries ``synthetic: true``.
"""

from __future__ import annotations

import random
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from iplayout.demo.planted import benchmark_population, plant_gaps
from iplayout.demo.region import load_region, load_topics
from iplayout.demo.vocab import org_name, person_name
from iplayout.graph.store import Counts, GraphStore

SIZES = {"small": 1_000, "medium": 20_000, "large": 200_000}
YEARS = list(range(2014, 2026))
METRICS = [
    ("population", "万人"),
    ("gdp", "亿元"),
    ("rd_spending", "亿元"),
    ("rd_personnel", "人"),
    ("industrial_output", "亿元"),
    ("enterprises", "个"),
]
ORG_KINDS = [("enterprise", 70), ("university", 10), ("institute", 8), ("hospital", 5), ("individual", 7)]


@dataclass
class GraphRows:
    nodes: dict[str, list[dict[str, Any]]] = field(default_factory=lambda: defaultdict(list))
    rels: dict[tuple[str, str, str], list[dict[str, Any]]] = field(default_factory=lambda: defaultdict(list))

    def node(self, label: str, **props: Any) -> None:
        self.nodes[label].append(props)

    def rel(self, rtype: str, a: str, b: str, src: Any, dst: Any, **props: Any) -> None:
        self.rels[(rtype, a, b)].append({"from": src, "to": dst, **props})

    def summary(self) -> dict[str, dict[str, int]]:
        rels: dict[str, int] = defaultdict(int)
        for (t, _, _), rows in self.rels.items():
            rels[t] += len(rows)
        return {"nodes": {k: len(v) for k, v in self.nodes.items()}, "relationships": dict(rels)}


def ipc_id(code: str) -> str:
    return "IPC:" + code.replace(" ", "")


def ipc_levels(code: str) -> list[tuple[str, str, str]]:
    """(id, code, level) from section down to the subgroup, e.g. for 'H01M 10/0525'."""
    sub, group = code.split(" ")
    main = group.split("/")[0] + "/00"
    out = [
        (ipc_id(sub[0]), sub[0], "section"),
        (ipc_id(sub[:3]), sub[:3], "class"),
        (ipc_id(sub), sub, "subclass"),
        (ipc_id(f"{sub} {main}"), f"{sub} {main}", "main_group"),
    ]
    if group != main:
        out.append((ipc_id(code), code, "subgroup"))
    return out


class _Gen:
    def __init__(self, size: str, seed: int, region: str) -> None:
        self.n = SIZES[size]
        self.seed = seed
        self.rnd = random.Random(seed)
        self.region = load_region(region)
        self.topics = load_topics()
        self.g = GraphRows()
        self.patent_ids: list[str] = []
        self.prov = {
            "source": f"demo:{region}:{size}:seed{seed}",
            "run_id": "demo",
            "extractor": "demo-generator@1",
            "synthetic": True,
        }
        self.districts = [d["adcode"] for d in self.region["districts"]]
        # Main-urban districts hold most firms, as in real data; weights are invented.
        self.dweights = [
            6 if d.get("subzone_cq2020") == "中心城区" else 2 if d.get("subzone_cq2020") else 1
            for d in self.region["districts"]
        ]

    def p(self, kind: str, i: Any) -> dict[str, Any]:
        return {**self.prov, "locator": f"{kind}#{i}"}

    # -- reference layer ------------------------------------------------------------------
    def geography(self) -> None:
        g, r = self.g, self.region
        prov, city = r["province"], r["city"]
        g.node("Province", id=prov["adcode"], name=prov["name"], **self.p("province", 0))
        g.node("City", id=city["adcode"], name=city["name"], **self.p("city", 0))
        g.rel("PART_OF", "City", "Province", city["adcode"], prov["adcode"], **self.p("city", 0))
        zones: set[tuple[str, str, str]] = set()
        for i, d in enumerate(r["districts"]):
            g.node(
                "District",
                adcode=d["adcode"],
                name=d["name"],
                type=d["type"],
                lon=d["lon"],
                lat=d["lat"],
                valid_from=None,
                valid_to=None,
                **self.p("district", i),
            )
            g.rel("PART_OF", "District", "City", d["adcode"], city["adcode"], **self.p("district", i))
            for scheme, key in (
                ("cq2020", "zone_cq2020"),
                ("cq2020sub", "subzone_cq2020"),
                ("cq2013", "zone_cq2013"),
            ):
                if d.get(key):
                    zid = f"{scheme}:{d[key]}"
                    zones.add((zid, scheme, d[key]))
                    g.rel("IN_ZONE", "District", "Zone", d["adcode"], zid, **self.p("district", i))
        for j, (zid, scheme, name) in enumerate(sorted(zones)):
            g.node("Zone", id=zid, scheme=scheme, name=name, **self.p("zone", j))

    def taxonomy(self) -> None:
        g, t = self.g, self.topics
        for i, ind in enumerate(t["industries"]):
            g.node("Industry", **ind, **self.p("industry", i))
        for a, b in t["industry_broader"]:
            g.rel("BROADER", "Industry", "Industry", a, b, **self.p("industry", a))
        seen: set[str] = set()
        for i, tp in enumerate(t["topics"]):
            levels = ipc_levels(tp["ipc"])
            for j, (tid, code, level) in enumerate(levels):
                if tid not in seen:
                    seen.add(tid)
                    g.node(
                        "Technology",
                        id=tid,
                        scheme="IPC",
                        code=code,
                        level=level,
                        name_zh=tp["zh"][0] if j == len(levels) - 1 else None,
                        **self.p("topic", i),
                    )
                    if j:
                        g.rel(
                            "BROADER", "Technology", "Technology", tid, levels[j - 1][0], **self.p("topic", i)
                        )
            leaf = levels[-1][0]
            g.rel(
                "MAPS_TO", "Technology", "Industry", leaf, tp["industry"], origin="demo", **self.p("topic", i)
            )
            if f"{levels[2][0]}>{tp['key']}" not in seen:  # several topics share a subclass
                seen.add(f"{levels[2][0]}>{tp['key']}")
                g.rel("MAPS_TO", "Technology", "Industry", levels[2][0], tp["key"], origin="demo", **self.p("topic", i))
            tp["tech"] = leaf
            tp["terms"] = [f"TERM:{w}" for w in tp["zh"] + tp["en"]]
            for w in tp["zh"] + tp["en"]:
                if f"TERM:{w}" not in seen:
                    seen.add(f"TERM:{w}")
                    g.node(
                        "Technology",
                        id=f"TERM:{w}",
                        scheme="TERM",
                        code=w,
                        level="term",
                        name_zh=w if w in tp["zh"] else None,
                        name_en=w if w in tp["en"] else None,
                        **self.p("topic", i),
                    )

    def chains(self) -> None:
        g = self.g
        for c in self.topics["chains"]:
            g.node(
                "IndustryChain",
                id=c["id"],
                name=c["name"],
                region=self.region["region"],
                reference="synthetic demo template",
                **self.p("chain", c["id"]),
            )
            for link in c["links"]:
                lid = f"{c['id']}:{link['id']}"
                techs = [tp for tp in self.topics["topics"] if tp["link"] == lid]
                g.node(
                    "ChainLink",
                    id=lid,
                    name=link["name"],
                    position=link["position"],
                    chain_id=c["id"],
                    ipc_patterns=[tp["ipc"].split(" ")[0] for tp in techs],
                    terms=[tp["zh"][0] for tp in techs],
                    **self.p("chain", lid),
                )
                g.rel("PART_OF", "ChainLink", "IndustryChain", lid, c["id"], **self.p("chain", lid))
                for tp in techs:
                    g.rel("REQUIRES", "ChainLink", "Technology", lid, tp["tech"], **self.p("chain", lid))
            for a, b in c["order"]:
                g.rel(
                    "UPSTREAM_OF",
                    "ChainLink",
                    "ChainLink",
                    f"{c['id']}:{a}",
                    f"{c['id']}:{b}",
                    **self.p("chain", c["id"]),
                )

    def templates(self) -> None:
        """The packaged chain templates of the region (the 33618 clusters), next to the demo's own chains."""
        from iplayout.nlp.chains import chain_rows, load_chains

        rows = chain_rows(load_chains(self.region["region"]), self.p("chain-template", self.region["region"]))
        seen = {label: {r.get("id", r.get("adcode")) for r in self.g.nodes[label]} for label in rows.nodes}
        for label, bucket in rows.nodes.items():
            self.g.nodes[label].extend(r for k, r in bucket.items() if k not in seen[label])
        for key, rels in rows.rels.items():
            have = {(r["from"], r["to"]) for r in self.g.rels[key]}
            self.g.rels[key].extend(r for pair, r in rels.items() if pair not in have)

    def observations(self) -> None:
        for i, adcode in enumerate(self.districts):
            w = self.dweights[i]
            base = {
                "population": 40 + 25 * w + self.rnd.random() * 30,
                "gdp": 150 + 180 * w * self.rnd.random() + 60 * w,
                "rd_spending": 2 + 9 * w * self.rnd.random(),
                "rd_personnel": 800 + 2500 * w * self.rnd.random(),
                "industrial_output": 100 + 400 * w * self.rnd.random(),
                "enterprises": 30 + 90 * w * self.rnd.random(),
            }
            for y in YEARS:
                growth = 1 + (y - 2014) * (0.03 + 0.02 * self.rnd.random())
                for metric, unit in METRICS:
                    oid = f"OBS:{adcode}:{y}:{metric}"
                    value = round(
                        base[metric] * (growth if metric != "population" else 1 + (y - 2014) * 0.004), 3
                    )
                    self.g.node(
                        "Observation",
                        id=oid,
                        district=adcode,
                        year=y,
                        metric=metric,
                        value=value,
                        unit=unit,
                        origin="synthetic",
                        **self.p("obs", oid),
                    )
                    self.g.rel("OBSERVED_IN", "Observation", "District", oid, adcode, **self.p("obs", oid))

    # -- actors -------------------------------------------------------------------------------
    def organizations(self) -> None:
        g, rnd = self.g, self.rnd
        n_orgs = max(150, self.n // 10)
        self.orgs: list[dict[str, Any]] = []
        kinds, weights = zip(*ORG_KINDS, strict=True)
        topics = self.topics["topics"]
        for i in range(n_orgs):
            kind = rnd.choices(kinds, weights)[0]
            di = rnd.choices(range(len(self.districts)), self.dweights)[0]
            dname = self.region["districts"][di]["name"]
            specialty = rnd.sample(range(len(topics)), k=rnd.randint(1, 3))
            oid = f"ORG:{i:06d}"
            name = org_name(rnd, kind, dname, i)
            self.orgs.append(
                {"id": oid, "kind": kind, "district": self.districts[di], "topics": specialty, "people": []}
            )
            g.node(
                "Organization",
                id=oid,
                name=name,
                kind=kind,
                resolution_key=name,
                country="CN",
                **self.p("org", i),
            )
            g.rel(
                "LOCATED_IN",
                "Organization",
                "District",
                oid,
                self.districts[di],
                method="demo",
                confidence=1.0,
                **self.p("org", i),
            )
            if kind == "enterprise" and i > 10 and rnd.random() < 0.05:
                parent = rnd.randrange(i)
                if self.orgs[parent]["kind"] == "enterprise":
                    g.rel(
                        "PART_OF",
                        "Organization",
                        "Organization",
                        oid,
                        self.orgs[parent]["id"],
                        **self.p("org", i),
                    )
        self.gov: list[str] = []
        for j, name in enumerate(["国务院", "重庆市人民政府", "重庆市知识产权局", "重庆市科学技术局"]):
            oid = f"GOV:{j}"
            self.gov.append(oid)
            g.node(
                "Organization",
                id=oid,
                name=name,
                kind="government",
                resolution_key=name,
                country="CN",
                **self.p("gov", j),
            )
            if j:  # the State Council sits outside the region; municipal bodies in the city
                g.rel(
                    "LOCATED_IN",
                    "Organization",
                    "City",
                    oid,
                    self.region["city"]["adcode"],
                    method="demo",
                    confidence=1.0,
                    **self.p("gov", j),
                )
        plant_gaps(self, self.seed)
        by_topic: dict[int, list[int]] = defaultdict(list)
        for k, o in enumerate(self.orgs):
            for t in o["topics"]:
                by_topic[t].append(k)
        self.by_topic = by_topic

    def person(self, org: dict[str, Any], kind: str, i: int) -> str:
        if org["people"] and (len(org["people"]) >= 12 or self.rnd.random() < 0.7):
            return str(self.rnd.choice(org["people"]))
        name = person_name(self.rnd)
        pid = f"PER:{name}|{org['id']}"
        if pid not in org["people"]:
            org["people"].append(pid)
            self.g.node("Person", id=pid, name=name, affiliation_key=org["id"], **self.p(kind, i))
            self.g.rel("AFFILIATED_WITH", "Person", "Organization", pid, org["id"], **self.p(kind, i))
        return pid

    def pick_org(self, topic: int, kinds: tuple[str, ...] | None = None) -> dict[str, Any]:
        pool = [self.orgs[k] for k in self.by_topic.get(topic, [])]
        if kinds:
            pool = [o for o in pool if o["kind"] in kinds] or [o for o in self.orgs if o["kind"] in kinds]
        return self.rnd.choice(pool or self.orgs)


def generate(
    size: str = "small",
    seed: int = 7,
    region: str = "chongqing",
    on_progress: Callable[[str], None] | None = None,
) -> GraphRows:
    """Build all rows in memory (``large`` ≈ 200k patents takes tens of seconds)."""
    from iplayout.demo.documents import documents
    from iplayout.demo.trademarks import trademarks

    gen = _Gen(size, seed, region)
    for step in (gen.geography, gen.taxonomy, gen.chains, gen.observations, gen.organizations):
        step()
        if on_progress:
            on_progress(step.__name__)
    documents(gen)
    trademarks(gen, seed)
    benchmark_population(gen, seed)
    gen.templates()
    return gen.g


def load_into(store: GraphStore, rows: GraphRows, on_batch: Callable[[int], None] | None = None) -> Counts:
    """Upsert every node label, then every relationship group; returns the store's counts."""
    store.ensure_schema()
    for label, nodes in rows.nodes.items():
        store.upsert_nodes(label, nodes)
        if on_batch:
            on_batch(len(nodes))
    for (rtype, a, b), rels in rows.rels.items():
        store.upsert_relationships(rtype, a, b, rels)
        if on_batch:
            on_batch(len(rels))
    return store.counts()
