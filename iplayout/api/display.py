"""Display names for the workbench (zh + en) in one place, derived where the project already names things.

Sources, merged by :func:`display_names`:
* ``display.yaml`` (next to this module): Chinese names, and English ones that cannot be derived;
* the ontology: every node label, relationship type and property (English derived from the identifier);
* ``queries/indicators/rules.yaml``: rule ids with their ``doc`` (shown as the tooltip of a flag);
* ``queries/indicators/default.yaml``: subsystem names and indicator ids;
* ``api/district_metrics.METRICS``: the map metrics with their units.
"""

from __future__ import annotations

from functools import lru_cache
from importlib import resources
from typing import Any

import yaml

from iplayout.errors import ConfigError
from iplayout.ontology.model import NODES, PROVENANCE, RELATIONSHIPS

Names = dict[str, dict[str, str]]


def _english(key: str) -> str:
    """``patents_per_10k`` -> ``patents per 10k``; ``APPLIED_FOR`` -> ``applied for``."""
    return key.replace("_", " ").lower() if key.isupper() or "_" in key else key


def _entry(key: str, value: Any, where: str) -> dict[str, str]:
    if isinstance(value, str):
        return {"zh": value, "en": _english(key)}
    if isinstance(value, list) and len(value) == 2 and all(isinstance(v, str) for v in value):
        return {"zh": value[0], "en": value[1]}
    raise ConfigError(f"display.yaml {where}.{key}: expected '中文' or [中文, English], got {value!r}")


def _section(data: dict[str, Any], name: str) -> Names:
    raw = data.get(name) or {}
    if not isinstance(raw, dict):
        raise ConfigError(f"display.yaml: {name} must be a mapping")
    return {str(k): _entry(str(k), v, name) for k, v in raw.items()}


def _rules() -> list[dict[str, Any]]:
    """Every rule of rules.yaml (density, monitor) with its id and doc."""
    from iplayout.queries.rules import load_yaml

    data = load_yaml(None, "rules.yaml")
    found: list[dict[str, Any]] = []
    for section in data.values():
        if not isinstance(section, dict):
            continue
        for key, rules in section.items():
            if (key.endswith("_rules") or key == "alerts") and isinstance(rules, list):
                found.extend(r for r in rules if isinstance(r, dict) and "id" in r)
    return found


def _indicators() -> tuple[Names, list[str]]:
    from iplayout.queries.rules import load_yaml

    data = load_yaml(None, "default.yaml")
    subsystems: Names = {}
    ids: list[str] = []
    for sid, sub in (data.get("subsystems") or {}).items():
        name = sub.get("name") or {}
        subsystems[str(sid)] = {"zh": str(name.get("zh", sid)), "en": str(name.get("en", sid))}
        ids.extend(str(i["id"]) for i in sub.get("indicators") or [])
    return subsystems, ids


@lru_cache(maxsize=1)
def display_names() -> dict[str, Any]:
    """The merged dictionary served by GET /labels (see the module docstring for the sources)."""
    from iplayout.api.district_metrics import METRICS

    text = resources.files("iplayout.api").joinpath("display.yaml").read_text(encoding="utf-8")
    data = yaml.safe_load(text)
    if not isinstance(data, dict):
        raise ConfigError("display.yaml must hold a mapping")
    labels, rels, props = _section(data, "labels"), _section(data, "relationships"), _section(data, "properties")
    columns, values = _section(data, "columns"), _section(data, "values")
    for node in NODES:  # the ontology is the list; the YAML only adds the Chinese names
        labels.setdefault(node.label, {"zh": node.label, "en": node.label})["doc"] = node.doc
    for rel in RELATIONSHIPS:
        rels.setdefault(rel.type, {"zh": rel.type, "en": _english(rel.type)})
    docs: dict[str, str] = {}
    for rule in _rules():
        values.setdefault(str(rule["id"]), {"zh": str(rule["id"]), "en": _english(str(rule["id"]))})
        docs[str(rule["id"])] = str(rule.get("doc", ""))
    for rid, doc in docs.items():
        values[rid]["doc"] = doc
    subsystems, indicator_ids = _indicators()
    metrics = {k: {"zh": v["zh"], "en": v["en"], "unit": v["unit"]} for k, v in METRICS.items()}
    merged_columns = {**props, **columns}
    for ind in indicator_ids:
        merged_columns.setdefault(ind, {"zh": ind, "en": _english(ind)})
    units = {str(k): str(v) for k, v in (data.get("units") or {}).items()}
    return {
        "labels": labels, "relationships": rels, "columns": merged_columns, "values": values,
        "subsystems": subsystems, "metrics": metrics, "units": units,
        "percent": [str(x) for x in data.get("percent") or []],
        "provenance": [p.name for p in PROVENANCE],
    }


def missing_chinese() -> list[str]:
    """Names shown in the UI that have no Chinese display name (the entry is only its key)."""
    names = display_names()
    out: list[str] = []
    for section in ("labels", "relationships", "columns", "values"):
        out += [f"{section}.{k}" for k, v in names[section].items() if v["zh"] == k]
    return sorted(out)
