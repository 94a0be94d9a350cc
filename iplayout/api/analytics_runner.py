"""Run an analysis of ``iplayout.queries`` by name with plain keyword options, cached per options.

Analytics modules are imported lazily: one that is not installed gives a 501 problem.
"""

from __future__ import annotations

from typing import Any

from iplayout.api.deps import Services, optional_module

# analysis -> (module, function, options class)
ANALYSES: dict[str, tuple[str, str, str]] = {
    "density": ("iplayout.queries.density", "density", "DensityOptions"),
    "clusters": ("iplayout.queries.clusters", "clusters", "ClusterOptions"),
    "chains": ("iplayout.queries.chains", "chains", "ChainOptions"),
    "evaluate": ("iplayout.queries.evaluate", "evaluate", "EvaluateOptions"),
    "monitor": ("iplayout.queries.monitor", "monitor", "MonitorOptions"),
    "catalog": ("iplayout.queries.catalog", "catalog", "CatalogOptions"),
}
_WINDOWED = {"density", "evaluate", "monitor", "catalog"}
_REGIONAL = {"density", "chains", "catalog"}  # compared with a benchmark outside the configured region


def _options(name: str, module: Any, options: dict[str, Any], services: Services) -> Any:
    opts = dict(options)
    if name == "density":  # a user census table in the home overrides the packaged one
        opts.setdefault("reference_dir", services.settings.home / "reference")
    if name in _WINDOWED:
        facts = optional_module("iplayout.queries.facts", "analytics")
        opts["window"] = facts.Window(opts.pop("year_from", None), opts.pop("year_to", None))
    if name == "clusters":
        projections = optional_module("iplayout.queries.projections", "analytics")
        opts["projection"] = projections.ProjectionOptions(
            projection=opts.pop("projection", "org_similarity"), level=opts.pop("level", "main_group"))
    return getattr(module, ANALYSES[name][2])(**opts)


def run_analysis(services: Services, name: str, **options: Any) -> Any:
    """The ``AnalysisResult`` of analysis ``name`` with these options (cached, see ``Services``)."""
    if name in _REGIONAL:
        options.setdefault("region", services.settings.region)
    module_name, func, _ = ANALYSES[name]
    module = optional_module(module_name, f"analysis {name}")
    key = (name, tuple(sorted((k, repr(v)) for k, v in options.items())))
    return services.cached(key, lambda: getattr(module, func)(services.store, _options(name, module, options, services)))
