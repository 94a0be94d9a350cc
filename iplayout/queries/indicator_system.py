"""The indicator system (YAML): subsystems, indicators, directions, bounds and weight methods."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from iplayout.errors import AnalysisError
from iplayout.queries.ccd import VARIANTS
from iplayout.queries.rules import load_yaml
from iplayout.queries.weighting import ahp, entropy_weights, fixed_weights, minmax

GRAPH_INDICATORS = frozenset({"patents", "invention_share", "grant_rate", "in_force_share", "citations",
                              "patents_per_10k", "papers", "standards", "policies", "trademarks",
                              "trademarks_per_10k"})


@dataclass(frozen=True)
class Indicator:
    id: str
    subsystem: str
    source: str  # graph | stat
    direction: str = "positive"
    weight: float = 1.0
    lo: float | None = None
    hi: float | None = None


@dataclass(frozen=True)
class IndicatorSystem:
    name: str
    variant: str
    weights: str
    indicators: tuple[Indicator, ...]
    ahp: dict[str, Any]
    subsystem_weights: dict[str, float]
    floor: float = 0.0  # normalised scores are mapped to [floor, 1]

    @property
    def subsystems(self) -> list[str]:
        return list(dict.fromkeys(i.subsystem for i in self.indicators))


def load_system(path: Path | None = None) -> IndicatorSystem:
    data = load_yaml(path, "default.yaml")
    inds: list[Indicator] = []
    for sub, spec in (data.get("subsystems") or {}).items():
        for it in spec.get("indicators", []):
            src = it.get("source", "stat")
            if src not in ("graph", "stat") or (src == "graph" and it["id"] not in GRAPH_INDICATORS):
                raise AnalysisError(f"indicator {it.get('id')!r}: source graph supports {sorted(GRAPH_INDICATORS)}")
            inds.append(Indicator(it["id"], sub, src, it.get("direction", "positive"), float(it.get("weight", 1.0)),
                                  it.get("lo"), it.get("hi")))
    system = IndicatorSystem(str(data.get("name", "custom")), str(data.get("variant", "standard")),
                             str(data.get("weights", "entropy")), tuple(inds), dict(data.get("ahp") or {}),
                             {k: float(v) for k, v in (data.get("subsystem_weights") or {}).items()},
                             float(data.get("floor", 0.0)))
    if len(system.subsystems) < 2 or system.variant not in VARIANTS or system.weights not in ("entropy", "ahp",
                                                                                                "fixed"):
        raise AnalysisError("indicator system needs >= 2 subsystems, a known variant and weights entropy|ahp|fixed")
    return system


def normalise(panel: pd.DataFrame, system: IndicatorSystem) -> tuple[pd.DataFrame, list[str]]:
    """Min-max each indicator over the whole panel (bounds from YAML when given), mapped to [floor, 1];
    missing values score the floor."""
    out = panel[["adcode", "year"]].copy()
    dropped = []
    for ind in system.indicators:
        values = pd.to_numeric(panel.get(ind.id), errors="coerce") if ind.id in panel else None
        if values is None or values.isna().all():
            dropped.append(ind.id)
            continue
        z = minmax(values.to_numpy(dtype=float), ind.direction, ind.lo, ind.hi)  # type: ignore[arg-type]
        out[ind.id] = system.floor + (1.0 - system.floor) * np.nan_to_num(z, nan=0.0)
    return out, dropped


def subsystem_weights(norm: pd.DataFrame, system: IndicatorSystem, sub: str) -> dict[str, float]:
    """Weights of the indicators of one subsystem by the system's method."""
    inds = [i for i in system.indicators if i.subsystem == sub and i.id in norm.columns]
    if not inds:
        return {}
    ids = [i.id for i in inds]
    if system.weights == "fixed":
        w = fixed_weights([i.weight for i in inds])
    elif system.weights == "ahp":
        all_ids = [i.id for i in system.indicators if i.subsystem == sub]
        matrix = np.asarray(system.ahp.get(sub), dtype=float)
        keep = [all_ids.index(i) for i in ids]
        if matrix.shape != (len(all_ids), len(all_ids)):
            raise AnalysisError(f"AHP matrix of {sub} must be {len(all_ids)} x {len(all_ids)}")
        w = ahp(matrix[np.ix_(keep, keep)]).weights
    else:
        w = entropy_weights(norm[ids].to_numpy(dtype=float)) if len(norm) >= 2 else np.full(len(ids), 1 / len(ids))
    return dict(zip(ids, w.tolist(), strict=True))


def ahp_consistency(system: IndicatorSystem) -> dict[str, float]:
    """CR per subsystem of the configured AHP matrices."""
    return {sub: ahp(np.asarray(m, dtype=float)).cr for sub, m in system.ahp.items() if m}
