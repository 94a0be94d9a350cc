"""A hand-made graph small enough to check analytics numbers by hand (both engines).

Loaded through the GraphStore port only. Districts A=500101, B=500103, C=500106.
"""

from __future__ import annotations

from typing import Any

T = "Technology"


def _tech(code: str, level: str) -> dict[str, Any]:
    return {"id": f"IPC:{code}", "scheme": "IPC", "code": code, "level": level}


TECHS = [
    _tech("H", "section"), _tech("H01", "class"), _tech("H01M", "subclass"), _tech("H01M10/00", "main_group"),
    _tech("H01M10/0525", "subgroup"), _tech("H01M4/00", "main_group"), _tech("H01M4/525", "subgroup"),
    _tech("B", "section"), _tech("B60", "class"), _tech("B60L", "subclass"), _tech("B60L53/00", "main_group"),
    _tech("B60L53/14", "subgroup"),
    _tech("G", "section"), _tech("G06", "class"), _tech("G06F", "subclass"), _tech("G06F30/00", "main_group"),
    _tech("G06F30/30", "subgroup"),
]
BROADER = [
    ("H01M10/0525", "H01M10/00"), ("H01M10/00", "H01M"), ("H01M4/525", "H01M4/00"), ("H01M4/00", "H01M"),
    ("H01M", "H01"), ("H01", "H"), ("B60L53/14", "B60L53/00"), ("B60L53/00", "B60L"), ("B60L", "B60"),
    ("B60", "B"), ("G06F30/30", "G06F30/00"), ("G06F30/00", "G06F"), ("G06F", "G06"), ("G06", "G"),
]
INDUSTRIES = [
    {"id": "GB:C36", "scheme": "GB", "code": "C36", "name": "汽车制造业"},
    {"id": "GB:C38", "scheme": "GB", "code": "C38", "name": "电气机械和器材制造业"},
    {"id": "GB:C39", "scheme": "GB", "code": "C39", "name": "计算机、通信和其他电子设备制造业"},
]
MAPS_TO = [("H01M10/00", "GB:C38"), ("H01M4/00", "GB:C38"), ("B60L", "GB:C36"), ("G06F30/30", "GB:C39")]
DISTRICTS = [
    {"adcode": "500101", "name": "A区"}, {"adcode": "500103", "name": "B区"}, {"adcode": "500106", "name": "C区"},
]
ZONES = [{"id": "Z:core", "scheme": "test", "name": "核心区"}, {"id": "Z:north", "scheme": "test", "name": "北区"}]
IN_ZONE = [("500101", "Z:north"), ("500103", "Z:core"), ("500106", "Z:core")]
ORGS = [
    {"id": "o1", "name": "甲电池公司", "kind": "enterprise"}, {"id": "o2", "name": "乙大学", "kind": "university"},
    {"id": "o3", "name": "丙汽车公司", "kind": "enterprise"}, {"id": "o4", "name": "丁科技公司", "kind": "enterprise"},
    {"id": "o5", "name": "外地公司", "kind": "enterprise"}, {"id": "o6", "name": "区经信委", "kind": "government"},
]
LOCATED = [("o1", "500101"), ("o2", "500103"), ("o3", "500106"), ("o4", "500106"), ("o6", "500103")]


def _pat(pid: str, year: int, kind: str, status: str, in_force: bool, fam: int, claims: int | None) -> dict[str, Any]:
    row: dict[str, Any] = {"id": pid, "year": year, "kind": kind, "legal_status": status, "in_force": in_force,
                           "family_size": fam, "title": pid}
    if claims is not None:
        row["claims_count"] = claims
    return row


PATENTS = [
    _pat("p1", 2020, "invention", "granted", True, 3, 10),
    _pat("p2", 2020, "invention", "pending", True, 1, 8),
    _pat("p3", 2021, "utility", "granted", True, 1, 5),
    _pat("p4", 2021, "invention", "granted", False, 2, None),
    _pat("p5", 2021, "utility", "granted", True, 1, 4),
    _pat("p6", 2022, "invention", "granted", True, 4, 12),
    _pat("p7", 2022, "design", "granted", True, 1, 1),
    _pat("p8", 2022, "invention", "pending", True, 1, 9),
    _pat("p9", 2021, "invention", "granted", True, 2, 7),
]
APPLIED = [("o1", "p1"), ("o1", "p2"), ("o2", "p2"), ("o1", "p3"), ("o2", "p4"), ("o3", "p5"), ("o3", "p6"),
           ("o4", "p6"), ("o4", "p7"), ("o2", "p8"), ("o5", "p9")]
CLASSIFIED = [("p1", "H01M10/0525"), ("p2", "H01M10/0525"), ("p3", "H01M10/0525"), ("p4", "G06F30/30"),
              ("p5", "B60L53/14"), ("p6", "B60L53/14"), ("p6", "H01M10/0525"), ("p7", "B60L53/14"),
              ("p8", "G06F30/30"), ("p9", "B60L53/14")]
CITES = [("p2", "p1"), ("p3", "p1"), ("p5", "p2"), ("p9", "p6")]
CHAIN = {"id": "nev", "name": "新能源汽车产业链", "region": "test"}
LINKS = [
    {"id": "nev:materials", "name": "电池材料", "position": "upstream", "chain_id": "nev"},
    {"id": "nev:battery", "name": "动力电池", "position": "midstream", "chain_id": "nev"},
    {"id": "nev:vehicle", "name": "整车", "position": "downstream", "chain_id": "nev"},
]
REQUIRES = [("nev:materials", "H01M4/00"), ("nev:battery", "H01M10/00"), ("nev:vehicle", "B60L")]
UPSTREAM = [("nev:materials", "nev:battery"), ("nev:battery", "nev:vehicle")]
PAPERS = [{"id": "x1", "year": 2021, "title": "芯片"}, {"id": "x2", "year": 2022, "title": "电池"}]
PUBLISHED = [("o2", "x1"), ("o2", "x2")]
PAPER_TECH = [("x1", "G06F30/30"), ("x2", "H01M10/0525")]
STANDARDS = [{"id": "s1", "year": 2022, "title": "充电接口"}]
DRAFTED = [("o3", "s1")]
POLICIES = [
    {"id": "pol1", "year": 2021, "level": "district", "region": "500103", "title": "电池政策"},
    {"id": "pol2", "year": 2022, "level": "city", "region": "500000", "title": "材料政策"},
]
ISSUED = [("o6", "pol1")]
TARGETS_TECH = [("pol1", "H01M10/00"), ("pol2", "H01M4/00")]
TARGETS_IND = [("pol1", "GB:C38"), ("pol2", "GB:C36")]
OBS = [  # (district, year, metric, value, unit)
    ("500101", 2021, "population", 100.0, "万人"), ("500103", 2021, "population", 50.0, "万人"),
    ("500106", 2021, "population", 80.0, "万人"),
    ("500101", 2021, "rd_spending", 10.0, "亿元"), ("500103", 2021, "rd_spending", 30.0, "亿元"),
    ("500106", 2021, "rd_spending", 20.0, "亿元"),
    ("500101", 2021, "rd_personnel", 1000.0, "人"), ("500103", 2021, "rd_personnel", 5000.0, "人"),
    ("500106", 2021, "rd_personnel", 3000.0, "人"),
    ("500101", 2021, "industrial_output", 200.0, "亿元"), ("500103", 2021, "industrial_output", 100.0, "亿元"),
    ("500106", 2021, "industrial_output", 600.0, "亿元"),
]


def _rel(pairs: list[tuple[str, str]], fp: str = "IPC:", tp: str = "IPC:") -> list[dict[str, Any]]:
    return [{"from": fp + a, "to": tp + b} for a, b in pairs]


def load(store: Any) -> None:
    """Write the mini graph through the port."""
    store.upsert_nodes(T, TECHS)
    store.upsert_nodes("Industry", INDUSTRIES)
    store.upsert_nodes("District", DISTRICTS)
    store.upsert_nodes("Zone", ZONES)
    store.upsert_nodes("Organization", ORGS)
    store.upsert_nodes("Patent", PATENTS)
    store.upsert_nodes("IndustryChain", [CHAIN])
    store.upsert_nodes("ChainLink", LINKS)
    store.upsert_nodes("Paper", PAPERS)
    store.upsert_nodes("Standard", STANDARDS)
    store.upsert_nodes("Policy", POLICIES)
    store.upsert_nodes("Observation", [
        {"id": f"{d}:{y}:{m}", "district": d, "year": y, "metric": m, "value": v, "unit": u}
        for d, y, m, v, u in OBS
    ])
    up = store.upsert_relationships
    up("BROADER", T, T, _rel(BROADER))
    up("MAPS_TO", T, "Industry", _rel(MAPS_TO, tp=""))
    up("IN_ZONE", "District", "Zone", _rel(IN_ZONE, "", ""))
    up("LOCATED_IN", "Organization", "District", _rel(LOCATED, "", ""))
    up("APPLIED_FOR", "Organization", "Patent", _rel(APPLIED, "", ""))
    up("CLASSIFIED_AS", "Patent", T, _rel(CLASSIFIED, fp=""))
    up("CITES", "Patent", "Patent", _rel(CITES, "", ""))
    up("PART_OF", "ChainLink", "IndustryChain", [{"from": lk["id"], "to": "nev"} for lk in LINKS])
    up("REQUIRES", "ChainLink", T, _rel(REQUIRES, fp=""))
    up("UPSTREAM_OF", "ChainLink", "ChainLink", _rel(UPSTREAM, "", ""))
    up("PUBLISHED", "Organization", "Paper", _rel(PUBLISHED, "", ""))
    up("CLASSIFIED_AS", "Paper", T, _rel(PAPER_TECH, fp=""))
    up("DRAFTED", "Organization", "Standard", _rel(DRAFTED, "", ""))
    up("CLASSIFIED_AS", "Standard", T, _rel([("s1", "B60L53/14")], fp=""))
    up("ISSUED", "Organization", "Policy", _rel(ISSUED, "", ""))
    up("TARGETS", "Policy", T, _rel(TARGETS_TECH, fp=""))
    up("TARGETS", "Policy", "Industry", _rel(TARGETS_IND, "", ""))
    up("TARGETS", "Policy", "District", _rel([("pol1", "500103")], "", ""))
    up("OBSERVED_IN", "Observation", "District",
       [{"from": f"{d}:{y}:{m}", "to": d} for d, y, m, _v, _u in OBS])
