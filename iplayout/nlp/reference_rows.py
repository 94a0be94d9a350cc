"""Rows that come from reference data rather than records: the region, chains, industries, WIPO fields.

They are written at the start of every build (idempotent upserts, a few thousand rows at most) so
a changed region file, chain template or concordance shows up without re-extracting documents.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from iplayout import refdata
from iplayout.nlp import industries, nice
from iplayout.nlp.chains import chain_rows, load_chains
from iplayout.nlp.ipc import load_titles_zh
from iplayout.nlp.rows import GraphRows
from iplayout.nlp.wipo35 import Wipo35, load_wipo35
from iplayout.regions import Region, load_region


@dataclass(frozen=True)
class References:
    """User-supplied reference files (all optional)."""

    ipc_titles_zh: Path | None = None
    wipo35: Path | None = None
    gbt4754: Path | None = None
    concordances: tuple[tuple[Path, str], ...] = ()  # (csv, scheme), e.g. (file, "SEI-2021")
    region_scopes: tuple[Path, ...] = ()
    chains_dir: Path | None = None
    nice_concordance: Path | None = None  # Nice -> GB/T 4754 concordance (None: the packaged one)

    @classmethod
    def discover(cls, folder: Path) -> References:
        """Conventional names inside ``folder`` (``$IPLAYOUT_HOME/reference``); see docs/extraction.md.

        The IPC titles, the WIPO fields, GB/T 4754 and the Nice concordance come from the package when
        ``folder`` has no file of them (``iplayout.refdata``).
        """
        resolve = refdata.resolve
        tables = cls(ipc_titles_zh=resolve("ipc_titles_zh", folder), wipo35=resolve("wipo35", folder),
                     gbt4754=resolve("gbt4754", folder), nice_concordance=resolve("nice_concordance", folder))
        if not folder.is_dir():
            return tables

        conc = tuple((p, p.stem.split("__", 1)[1] if "__" in p.stem else p.stem)
                     for p in sorted(folder.glob("concordance*.csv")))
        return replace(tables, concordances=conc,
                       region_scopes=tuple(sorted(folder.glob("*prefiling*.csv"))),
                       chains_dir=folder / "chains" if (folder / "chains").is_dir() else None)

    def tables(self) -> dict[str, Path | None]:
        """The file each versioned reference table is read from (``None``: not used). The Nice classes
        and groups are always the packaged ones (readers and the demo share them)."""
        return {"ipc_titles_zh": self.ipc_titles_zh, "wipo35": self.wipo35, "gbt4754": self.gbt4754,
                "nice_classes": refdata.packaged("nice_classes"), "nice_groups": refdata.packaged("nice_groups"),
                "nice_concordance": self.nice_concordance}


@dataclass
class LoadedReferences:
    titles_zh: dict[str, str] = field(default_factory=dict)
    wipo35: Wipo35 | None = None
    rows: GraphRows = field(default_factory=GraphRows)


def load_references(refs: References, regions: tuple[str, ...], props: dict[str, Any]) -> LoadedReferences:
    out = LoadedReferences()
    if refs.ipc_titles_zh:
        out.titles_zh = load_titles_zh(refs.ipc_titles_zh)
    if refs.wipo35:
        out.wipo35 = load_wipo35(refs.wipo35)
        for f in out.wipo35.fields.values():
            out.rows.node("Technology", {"id": f.id, "scheme": "WIPO35", "code": str(f.nr), "name_en": f.name,
                                         "level": "field", **props})
    if refs.gbt4754:
        out.rows.merge(industries.industry_rows(industries.load_gbt4754(refs.gbt4754), props))
    out.rows.merge(nice.taxonomy_rows(props))
    out.rows.merge(nice.concordance_rows(nice.load_concordance(refs.nice_concordance), industries.GBT_SCHEME,
                                         industries.industry_id, props))
    for path, scheme in refs.concordances:
        out.rows.merge(industries.mapping_rows(industries.load_concordance(path, scheme), props))
    for region in regions:
        out.rows.merge(region_rows(load_region(region), props))
        folder = str(refs.chains_dir) if refs.chains_dir else None
        out.rows.merge(chain_rows(load_chains(region, folder), props))
        for scope in refs.region_scopes:
            out.rows.merge(industries.mapping_rows(industries.load_region_scope(scope, region), props))
    _add_titles(out)
    return out


def _add_titles(out: LoadedReferences) -> None:
    """Reference rows that name IPC nodes get their Chinese titles too."""
    for row in out.rows.nodes.get("Technology", {}).values():
        if row.get("scheme") in ("IPC", "CPC") and "name_zh" not in row:
            title = out.titles_zh.get(str(row["code"]).replace(" ", ""))
            if title:
                row["name_zh"] = title


def region_rows(region: Region, props: dict[str, Any]) -> GraphRows:
    """The region's province, city, districts (with validity and coordinates) and functional zones."""
    rows = GraphRows()
    rows.node("Province", {"id": region.province_adcode, "name": region.province_name, **props})
    rows.node("City", {"id": region.city_adcode, "name": region.city_name, **props})
    rows.rel("PART_OF", "City", "Province", region.city_adcode, region.province_adcode, props)
    for d in region.districts:
        rows.node("District", {"adcode": d.adcode, "name": d.name, "type": d.type, "valid_from": d.valid_from,
                               "lon": d.lon, "lat": d.lat, **props})
        rows.rel("PART_OF", "District", "City", d.adcode, region.city_adcode, props)
        for scheme, zone in d.zones.items():
            zid = f"{scheme}:{zone}"
            rows.node("Zone", {"id": zid, "scheme": scheme, "name": zone, **props})
            rows.rel("IN_ZONE", "District", "Zone", d.adcode, zid, props)
    return rows
