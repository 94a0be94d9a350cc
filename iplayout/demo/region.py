"""Region data (districts, zones, changes) from ``iplayout/regions/<region>.yaml``."""

from __future__ import annotations

from functools import lru_cache
from importlib import resources
from typing import Any

import yaml

from iplayout.errors import ConfigError


@lru_cache(maxsize=4)
def load_region(region: str = "chongqing") -> dict[str, Any]:
    try:
        text = resources.files("iplayout.regions").joinpath(f"{region}.yaml").read_text(encoding="utf-8")
    except FileNotFoundError as exc:
        raise ConfigError(f"no region file iplayout/regions/{region}.yaml") from exc
    data: dict[str, Any] = yaml.safe_load(text)
    return data


@lru_cache(maxsize=1)
def load_topics() -> dict[str, Any]:
    data: dict[str, Any] = yaml.safe_load(
        resources.files("iplayout.demo").joinpath("topics.yaml").read_text(encoding="utf-8")
    )
    return data
