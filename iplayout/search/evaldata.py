"""Minimal readers for the evaluation corpora in ``../shared/corpus`` (search evaluation and tests only).

The ingestion readers turn these sources into canonical records for the graph; search evaluation
needs only titles, abstracts, DOIs and citations, so it parses them here without depending on the
ingestion layer:

* Web of Science BibTeX (``literature_wos_innovation_dev``): ``Title``, ``Abstract``, ``Year``,
  ``DOI``, and the DOIs inside ``Cited-References``;
* CSL ``kg_dev.tsv`` (``literature_csl_zh_keywords_dev``): abstract + title and author keywords;
* USPTO grant XML: publication number, title, abstract and the patent numbers it cites.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from defusedxml import ElementTree

_ENTRY = re.compile(r"^@\w+\{\s*([^,]+),", re.M)
_FIELD = re.compile(r"^([A-Za-z][\w-]*)\s*=\s*\{\{(.*?)\}\},?\s*$", re.M | re.S)
_CITED_DOI = re.compile(r"DOI\s+(?:DOI\s+)?(10\.\d{4,9}/[^\s,\]]+)", re.I)


@dataclass
class EvalDoc:
    id: str
    title: str
    text: str
    year: int | None = None
    doi: str | None = None
    cites: list[str] = field(default_factory=list)  # DOIs or patent numbers
    keywords: list[str] = field(default_factory=list)


def norm_doi(doi: str) -> str:
    return doi.strip().rstrip(".").lower()


def _clean(value: str) -> str:
    return re.sub(r"\s+", " ", value.replace("\\&", "&").replace("{", "").replace("}", "")).strip()


def read_wos_bib(path: Path) -> list[EvalDoc]:
    """Records of a WoS BibTeX export (ISI accession number as id)."""
    text = path.read_text(encoding="utf-8", errors="replace")
    starts = [m.start() for m in _ENTRY.finditer(text)] + [len(text)]
    out: list[EvalDoc] = []
    for a, b in zip(starts, starts[1:], strict=False):
        chunk = text[a:b]
        key = _ENTRY.match(chunk)
        fields = {m.group(1).lower(): m.group(2) for m in _FIELD.finditer(chunk)}
        if key is None or "title" not in fields:
            continue
        year = fields.get("year", "")
        cites = [norm_doi(d) for d in _CITED_DOI.findall(fields.get("cited-references", ""))]
        out.append(EvalDoc(
            id=key.group(1).strip(), title=_clean(fields["title"]), text=_clean(fields.get("abstract", "")),
            year=int(year) if year.isdigit() else None,
            doi=norm_doi(fields["doi"]) if "doi" in fields else None, cites=cites,
            keywords=[k.strip() for k in _clean(fields.get("keywords", "")).split(";") if k.strip()],
        ))
    return out


def read_csl_kg(path: Path) -> list[EvalDoc]:
    """CSL keyword rows: ``to keywords <TAB> abstract + ' ' + title <TAB> kw1_kw2``; the title is the last sentence."""
    out: list[EvalDoc] = []
    for i, line in enumerate(path.read_text(encoding="utf-8").splitlines()):
        parts = line.split("\t")
        if len(parts) < 3:
            continue
        body = parts[1].strip()
        abstract, _, title = body.rpartition(" ")
        if not abstract:
            abstract, title = body, body[:40]
        out.append(EvalDoc(id=f"csl-{i + 1}", title=title.strip(), text=abstract.strip(),
                           keywords=[k for k in parts[2].split("_") if k]))
    return out


def _text(node: object | None) -> str:
    return re.sub(r"\s+", " ", "".join(node.itertext())).strip() if node is not None else ""  # type: ignore[attr-defined]


def read_uspto_xml(path: Path) -> EvalDoc | None:
    """One USPTO XML 4.x grant/application: id = country + doc number, cites = cited patent numbers."""
    root = ElementTree.parse(path).getroot()
    pub = root.find(".//publication-reference/document-id")
    if pub is None:
        return None
    number = f"{pub.findtext('country', '')}{pub.findtext('doc-number', '')}"
    cites = [f"{d.findtext('country', '')}{d.findtext('doc-number', '')}"
             for d in root.iterfind(".//patcit/document-id")]
    date = pub.findtext("date", "")
    return EvalDoc(id=number, title=_text(root.find(".//invention-title")), text=_text(root.find(".//abstract")),
                   year=int(date[:4]) if date[:4].isdigit() else None, cites=cites)
