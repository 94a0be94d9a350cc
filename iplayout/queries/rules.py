"""Configurable flag rules (IP-dense units, gaps, alerts) read from YAML.

A rule compares one metric of each unit with a threshold::

    - id: high_per_capita
      metric: patents_per_10k
      op: ">="                      # >=, >, <=, <, ==
      threshold: {stat: median, factor: 1.5}   # or a number; stat: median|mean|quantile (q: 0.75)
      doc: patents per 10,000 residents at least 1.5 x the regional median

Units with a missing metric never trigger. Every triggered rule yields a row with the unit's keys,
the rule id, the metric, the value, the threshold actually used and its derivation.
"""

from __future__ import annotations

import operator
from collections.abc import Callable
from importlib import resources
from pathlib import Path
from typing import Any

import pandas as pd
import yaml

from iplayout.errors import AnalysisError

_OPS: dict[str, Callable[[Any, Any], Any]] = {
    ">=": operator.ge, ">": operator.gt, "<=": operator.le, "<": operator.lt, "==": operator.eq,
}


def load_yaml(path: Path | None, default: str) -> dict[str, Any]:
    """The YAML at ``path``, else the packaged ``indicators/<default>``."""
    try:
        if path is None:
            text = resources.files("iplayout.queries.indicators").joinpath(default).read_text(encoding="utf-8")
        else:
            text = Path(path).read_text(encoding="utf-8")
        data = yaml.safe_load(text)
    except (OSError, yaml.YAMLError) as exc:
        raise AnalysisError(f"cannot read {path or default}: {exc}") from exc
    if not isinstance(data, dict):
        raise AnalysisError(f"{path or default} must hold a mapping")
    return data


def threshold(values: pd.Series, spec: Any) -> tuple[float, str]:
    """The numeric threshold for ``spec`` over ``values`` and a text saying how it was derived."""
    if isinstance(spec, int | float):
        return float(spec), "fixed"
    if not isinstance(spec, dict) or "stat" not in spec:
        raise AnalysisError(f"bad threshold {spec!r}: a number or {{stat: median|mean|quantile, ...}}")
    clean = pd.to_numeric(values, errors="coerce").dropna()
    factor = float(spec.get("factor", 1.0))
    stat = spec["stat"]
    if clean.empty:
        return float("nan"), f"{stat} of no values"
    if stat == "median":
        base, text = float(clean.median()), "median"
    elif stat == "mean":
        base, text = float(clean.mean()), "mean"
    elif stat == "quantile":
        q = float(spec.get("q", 0.75))
        base, text = float(clean.quantile(q)), f"quantile {q}"
    else:
        raise AnalysisError(f"unknown threshold stat {stat!r}")
    return base * factor, (f"{factor} x {text}" if factor != 1.0 else text)


def apply_rules(frame: pd.DataFrame, rules: list[dict[str, Any]], keys: list[str]) -> pd.DataFrame:
    """One row per (unit, triggered rule)."""
    out: list[dict[str, Any]] = []
    for rule in rules:
        rid, metric, op = rule.get("id"), rule.get("metric"), rule.get("op", ">=")
        if not rid or not metric or op not in _OPS:
            raise AnalysisError(f"rule needs id, metric and op in {sorted(_OPS)}: {rule!r}")
        if metric not in frame.columns:
            continue
        values = pd.to_numeric(frame[metric], errors="coerce")
        limit, how = threshold(values, rule.get("threshold", 0))
        if pd.isna(limit):
            continue
        hit = values.notna() & _OPS[op](values, limit)
        for idx in frame.index[hit]:
            row = {k: frame.at[idx, k] for k in keys}
            row.update(rule=rid, metric=metric, value=float(values[idx]), op=op, threshold=limit,
                       threshold_rule=how, doc=rule.get("doc", ""))
            out.append(row)
    cols = [*keys, "rule", "metric", "value", "op", "threshold", "threshold_rule", "doc"]
    return pd.DataFrame(out, columns=cols)


def combined_flag(hits: pd.DataFrame, keys: list[str], rule_ids: list[str], min_rules: int) -> pd.DataFrame:
    """Units that triggered at least ``min_rules`` of ``rule_ids``, with the triggering rules listed."""
    sub = hits[hits["rule"].isin(rule_ids)]
    if sub.empty:
        return pd.DataFrame(columns=[*keys, "rules", "evidence"])
    grouped = sub.groupby(keys, sort=True)
    rows = []
    for key, g in grouped:
        if len(g) < min_rules:
            continue
        key_t = key if isinstance(key, tuple) else (key,)
        ev = "; ".join(f"{r.metric}={r.value:.4g} {r.op} {r.threshold:.4g} ({r.threshold_rule})"
                       for r in g.itertuples())
        rows.append({**dict(zip(keys, key_t, strict=True)), "rules": ",".join(g["rule"]), "evidence": ev})
    return pd.DataFrame(rows, columns=[*keys, "rules", "evidence"])
