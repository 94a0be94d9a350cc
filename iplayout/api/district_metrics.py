"""One value per district for the map: density, patents, LQ, coordination degree, chain coverage.

Every value comes from an analysis of ``iplayout.queries`` (through the cached runner); districts
the analysis does not mention get ``None`` so the map still shows all units of the region.
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any, Literal

from pydantic import BaseModel, Field

from iplayout.api.analytics_runner import run_analysis
from iplayout.api.deps import Services

Metric = Literal["density", "patents", "lq", "coordination", "chain_coverage"]
IpType = Literal["patents", "trademarks", "all"]
TYPED = ("density", "patents", "lq")  # metrics that count the chosen IP type (the others count patents)
# Titles of the typed metrics for trademarks / all (ip_types.py: ``ip_items`` columns).
TYPE_TITLES: dict[str, dict[str, tuple[str, str, str]]] = {
    "trademarks": {"density": ("商标密度（件/万人）", "Trademarks per 10,000 residents", "件/万人"),
                   "patents": ("商标数量", "Trademarks", "件"), "lq": ("区位熵 LQ（商标）", "Location quotient (trademarks)", "")},
    "all": {"density": ("知识产权密度（专利+商标，件/万人）", "Patents and trademarks per 10,000 residents", "件/万人"),
            "patents": ("知识产权数量（专利+商标）", "Patents and trademarks", "件"),
            "lq": ("区位熵 LQ（专利+商标）", "Location quotient (patents and trademarks)", "")},
}
METRICS: dict[str, dict[str, str]] = {
    "density": {"zh": "专利密度（件/万人）", "en": "Patents per 10,000 residents", "unit": "件/万人"},
    "patents": {"zh": "专利数量", "en": "Patents", "unit": "件"},
    "lq": {"zh": "区位熵 LQ", "en": "Location quotient (LQ)", "unit": ""},
    "coordination": {"zh": "耦合协调度 D", "en": "Coupling-coordination degree D", "unit": ""},
    "chain_coverage": {"zh": "产业链环节覆盖率", "en": "Chain-link coverage", "unit": "%"},
}


class DistrictValue(BaseModel):
    adcode: str
    name: str
    value: float | None = None
    note: str | None = Field(default=None, description="e.g. the coordination grade")


class MetricMap(BaseModel):
    metric: str
    title_zh: str
    title_en: str
    unit: str
    year: int | None = None
    industry: str | None = None
    chain: str | None = None
    ip_type: str = Field(default="patents", description="what density, patents and lq count")
    years: list[int] = Field(description="years with data (for the year selector)")
    industries: list[dict[str, Any]] = Field(default_factory=list, description="choices for lq")
    chains: list[dict[str, Any]] = Field(default_factory=list, description="choices for chain_coverage")
    items: list[DistrictValue]


def _window(year: int | None) -> dict[str, Any]:
    return {"year_from": year, "year_to": year}


def _years(services: Services) -> list[int]:
    counts = run_analysis(services, "density", scheme="GBT4754-2017", year_from=None, year_to=None)
    return sorted({int(r["year"]) for r in counts.tables.get("counts", []) if r.get("year") is not None})


def _density(services: Services, metric: str, year: int | None,
             ip_type: str = "patents") -> dict[str, tuple[float | None, str | None]]:
    result = run_analysis(services, "density", scheme="GBT4754-2017", ip_type=ip_type, **_window(year))
    count = "patents" if ip_type == "patents" else "ip_items"
    column = f"{count}_per_10k" if metric == "density" else count
    return {str(r["adcode"]): (r.get(column), None) for r in result.rows}


def _lq(services: Services, year: int | None, industry: str | None,
        out: dict[str, Any], ip_type: str = "patents") -> dict[str, tuple[float | None, str | None]]:
    result = run_analysis(services, "density", scheme="GBT4754-2017", ip_type=ip_type, **_window(year))
    count = "patents" if ip_type == "patents" else "ip_items"
    ranked = sorted((r for r in result.tables.get("industries", []) if r.get(count)),
                    key=lambda r: -(r.get(count) or 0))
    out["industries"] = [{"id": r["industry"], "name": r.get("name") or r["industry"]} for r in ranked]
    chosen = industry or (ranked[0]["industry"] if ranked else None)
    out["industry"] = chosen
    return {str(r["adcode"]): (r.get("lq_region"), None)
            for r in result.tables.get("cells", []) if r.get("industry") == chosen}


def _coordination(services: Services, year: int | None) -> dict[str, tuple[float | None, str | None]]:
    result = run_analysis(services, "evaluate", year=year, variant=None, scheme="GBT4754-2017",
                          year_from=None, year_to=None)
    return {str(r["adcode"]): (r.get("D"), r.get("grade")) for r in result.rows}


def _chain_coverage(services: Services, chain: str | None,
                    out: dict[str, Any]) -> dict[str, tuple[float | None, str | None]]:
    result = run_analysis(services, "chains", chain=None, scope=())
    chains: dict[str, str] = {}
    links: dict[str, set[str]] = defaultdict(set)
    for r in result.rows:
        chains.setdefault(str(r["chain"]), str(r.get("chain_name") or r["chain"]))
        links[str(r["chain"])].add(str(r["link"]))
    out["chains"] = [{"id": k, "name": v} for k, v in chains.items()]
    chosen = chain if chain in chains else next(iter(chains), None)
    out["chain"] = chosen
    wanted = links.get(chosen or "", set())
    covered: dict[str, set[str]] = defaultdict(set)
    for r in result.tables.get("by_district", []):
        if r.get("link") in wanted and (r.get("patents") or 0) > 0:
            covered[str(r["adcode"])].add(str(r["link"]))
    return {a: (round(100.0 * len(ls) / len(wanted), 1), f"{len(ls)}/{len(wanted)}")
            for a, ls in covered.items()} if wanted else {}


def district_values(services: Services, metric: Metric, year: int | None = None, industry: str | None = None,
                    chain: str | None = None, ip_type: IpType = "patents") -> MetricMap:
    out: dict[str, Any] = {"industry": None, "chain": None}
    ip_type = ip_type if metric in TYPED else "patents"
    if metric in ("density", "patents"):
        values = _density(services, metric, year, ip_type)
    elif metric == "lq":
        values = _lq(services, year, industry, out, ip_type)
    elif metric == "coordination":
        values = _coordination(services, year)
    else:
        values = _chain_coverage(services, chain, out)
        year = None
    names = services.district_names()
    zero = metric in ("patents", "density", "chain_coverage")
    items = []
    for adcode, name in sorted(names.items()):
        value, note = values.get(adcode, (0.0 if zero else None, None))
        items.append(DistrictValue(adcode=adcode, name=name, value=value, note=note))
    info = METRICS[metric]
    zh, en, unit = TYPE_TITLES[ip_type][metric] if ip_type != "patents" else (info["zh"], info["en"], info["unit"])
    return MetricMap(metric=metric, title_zh=zh, title_en=en, unit=unit, year=year, ip_type=ip_type,
                     years=_years(services), items=items, **out)
