"""Write the packaged reference tables (iplayout/refdata/data/) from the public tables in ../shared/reference.

Run from the repository root: python scripts/build-reference-data.py [REFERENCE_DIR]
Each output keeps only the columns the package reads; gzip output is written with mtime 0 so a
re-run on the same input gives byte-identical files. manifest.json names source, version and
licence of each table (docs/extraction.md repeats them).
"""

from __future__ import annotations

import csv
import gzip
import hashlib
import io
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "iplayout" / "refdata" / "data"


def _gz(name: str, text: str) -> dict[str, object]:
    raw = text.encode("utf-8")
    buf = io.BytesIO()
    with gzip.GzipFile(filename="", mode="wb", fileobj=buf, mtime=0, compresslevel=9) as fh:
        fh.write(raw)
    (OUT / name).write_bytes(buf.getvalue())
    return {"file": name, "sha256": hashlib.sha256(raw).hexdigest()}


def _csv(rows: list[list[str]], delimiter: str = ",") -> str:
    buf = io.StringIO()
    csv.writer(buf, delimiter=delimiter, lineterminator="\n").writerows(rows)
    return buf.getvalue()


def wipo35(ref: Path) -> dict[str, object]:
    with (ref / "ipc_wipo_35_fields" / "ipc_technology.csv").open(encoding="utf-8", newline="") as fh:
        rows = list(csv.reader(fh))
    assert rows[0] == ["field_nr", "sector", "field_name", "ipc"], rows[0]
    return {**_gz("ipc_technology.csv.gz", _csv(rows)), "rows": len(rows) - 1,
            "version": "Schmoch 2008, 2019 update (G16H in field 13)",
            "source": "WIPO IPC-Technology concordance via GitHub daniel-hain/SDC_IM@ebd004b data/ipc_technology.csv",
            "licence": "concordance published by WIPO (free reuse with attribution)"}


def ipc_zh(ref: Path) -> dict[str, object]:
    rows = [["code", "title_zh"]]
    with (ref / "ipc_zh_2026" / "ipc_zh_2026.01.tsv").open(encoding="utf-8", newline="") as fh:
        for row in csv.DictReader(fh, delimiter="\t"):
            if row["title_zh"].strip():
                rows.append([row["code"].strip(), row["title_zh"].strip()])
    return {**_gz("ipc_zh_2026.01.tsv.gz", _csv(rows, "\t")), "rows": len(rows) - 1, "version": "IPC 2026.01 (CNIPA Chinese edition)",
            "source": "CNIPA IPC 2026.01 PDFs parsed by GitHub Jingyou-design/cr_zl_v2@501eb68 (IPC_Tree), flattened",
            "licence": "IPC scheme WIPO CC BY 4.0; Chinese edition published by CNIPA"}


def gbt4754(ref: Path) -> dict[str, object]:
    items = json.loads((ref / "gbt4754_2017" / "gbt4754_2017_with_notes.json").read_text(encoding="utf-8"))
    keep = [{k: it[k] for k in ("class1", "class2", "class3", "class4", "level", "name")} for it in items]
    text = json.dumps(keep, ensure_ascii=False, separators=(",", ":"))
    return {**_gz("gbt4754_2017.json.gz", text), "rows": len(keep), "version": "GB/T 4754-2017 (without the 2019 amendment)",
            "source": "GitHub zmshe/capital@0b8f1ae src/utils/category.js (官方说明 column dropped)",
            "licence": "Chinese national standard (code list published free by NBS/SAC); no repository licence"}


def census(ref: Path) -> dict[str, object]:
    rows = [["adcode", "province", "prefecture", "county", "population"]]
    src = ref / "china_census2020_county" / "census2020_county_population.csv"
    with src.open(encoding="utf-8-sig", newline="") as fh:
        for row in csv.DictReader(fh):
            code = row["区划代码"].strip()
            if code and row["人口数_合计"].strip():
                rows.append([code, row["省"], row["市"], row["区县"], str(int(float(row["人口数_合计"])))])
    cq = [r for r in rows[1:] if r[0].startswith("50") and r[0][4:] not in ("00",)]
    assert sum(int(r[4]) for r in cq) == 32_054_159, "Chongqing's 38 units must sum to the official city total"
    return {**_gz("census2020_county.csv.gz", _csv(rows)), "rows": len(rows) - 1,
            "version": "7th national census, 2020-11-01 (resident population 常住人口)",
            "source": "《中国人口普查分县资料—2020》 transcribed by GitHub leiii/census@0ba0f1e census_county_2020_v1.xlsx",
            "licence": "official statistics (public facts); compilation MIT (c) 2022 Lei Dong"}


NICE_REF = "nice_classification_cn"
NICE_VERSION = "CNIPA 类似商品和服务区分表, Nice 10th edition (2017 snapshot; current tables are the 12th edition)"
NICE_SOURCE = "GitHub xovel/trademark-classification@f10c694 data/all.json, nc.json (scraped from the CNIPA trademark site)"
NICE_LICENCE = "classification published by WIPO/CNIPA; compilation MIT (c) 2018 Sanapoint"


def nice_classes(ref: Path) -> dict[str, object]:
    rows = [["class", "type", "title_zh"]]
    with (ref / NICE_REF / "nice_classes.csv").open(encoding="utf-8", newline="") as fh:
        for row in csv.DictReader(fh):
            rows.append([f"{int(row['class_no']):02d}", row["type"], row["title_cn"].strip()])
    assert len(rows) == 46, "the Nice classification has 45 classes"
    return {**_gz("nice_classes.csv.gz", _csv(rows)), "rows": len(rows) - 1, "version": NICE_VERSION,
            "source": NICE_SOURCE, "licence": NICE_LICENCE}


def nice_groups(ref: Path) -> dict[str, object]:
    rows = [["group", "class", "name_zh"]]
    with (ref / NICE_REF / "similar_groups.csv").open(encoding="utf-8", newline="") as fh:
        for row in csv.DictReader(fh):
            rows.append([row["group_code"].strip(), f"{int(row['class_no']):02d}", row["group_name"].strip()])
    assert len(rows) == 492, "the 2017 区分表 has 491 similar-goods groups"
    return {**_gz("nice_groups.csv.gz", _csv(rows)), "rows": len(rows) - 1, "version": NICE_VERSION,
            "source": NICE_SOURCE + " similar_groups", "licence": NICE_LICENCE}


def nice_concordance() -> dict[str, object]:
    """Written by hand in the package (one reasoned row per class or group), not derived: only listed."""
    raw = (OUT / "nice_concordance.csv").read_bytes()
    rows = sum(1 for line in raw.decode("utf-8").splitlines()[1:] if line.strip())
    return {"file": "nice_concordance.csv", "sha256": hashlib.sha256(raw).hexdigest(), "rows": rows,
            "version": "iplayout Nice -> GB/T 4754-2017 大类 concordance v1 (over the 2017 Nice snapshot)",
            "source": "written for iplayout (issue 20), reasoning per row", "licence": "same as iplayout"}


def main() -> None:
    ref = Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT.parent / "shared" / "reference"
    OUT.mkdir(parents=True, exist_ok=True)
    manifest = {"wipo35": wipo35(ref), "ipc_titles_zh": ipc_zh(ref), "gbt4754": gbt4754(ref),
                "census2020": census(ref), "nice_classes": nice_classes(ref), "nice_groups": nice_groups(ref),
                "nice_concordance": nice_concordance()}
    (OUT / "manifest.json").write_text(json.dumps(manifest, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    for name, entry in manifest.items():
        size = (OUT / str(entry["file"])).stat().st_size
        sys.stdout.write(f"{name}: {entry['rows']} rows -> {entry['file']} ({size:,} bytes)\n")


if __name__ == "__main__":
    main()
