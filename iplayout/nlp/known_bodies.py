"""Named organisations whose name alone misleads the word rules (``known_bodies.csv``).

Mostly universities' technology-transfer and IP-holding bodies — "ISIS INNOVATION LTD" (Oxford),
"CAMBRIDGE ENTERPRISE LTD", "YEDA R&D CO LTD" (Weizmann), "STC UNM", "NUTECH VENTURES" — whose patents
are the university's (PATSTAT and the OECD Frascati manual count them with the university), plus
university acronyms (ETH ZURICH, EPFL, POSTECH), a few research institutes whose name reads like a
firm or a university (IMEC, TNO, RIKEN, KIST), and Chinese research institutes converted into
enterprises (转制院所: GRINM, CATT, CISRI … — SASAC central enterprises — and Sinopec's RIPP). Written out from general knowledge of the bodies'
public descriptions, one row per body with the organisation it belongs to and why; not taken from
the evaluation data. Columns: ``names`` (name forms, ``|``-separated, as tokens: AND / OF / THE /
AT / FOR are ignored), ``kind``, ``belongs_to``, ``why``.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from pathlib import Path

TABLE = Path(__file__).with_name("known_bodies.csv")
_KINDS = ("enterprise", "university", "institute", "hospital", "government")


@dataclass(frozen=True)
class KnownBody:
    names: tuple[str, ...]
    kind: str
    belongs_to: str
    why: str


def load(path: Path = TABLE) -> list[KnownBody]:
    """The table's rows; a malformed row stops with the file and line named."""
    out: list[KnownBody] = []
    with path.open(encoding="utf-8", newline="") as fh:
        reader = csv.DictReader(fh)
        if reader.fieldnames != ["names", "kind", "belongs_to", "why"]:
            raise ValueError(f"{path}: header must be names,kind,belongs_to,why")
        for row in reader:
            names = tuple(n.strip() for n in (row["names"] or "").split("|") if n.strip())
            if not names or row["kind"] not in _KINDS or not row["belongs_to"] or not row["why"]:
                raise ValueError(f"{path}:{reader.line_num}: needs names, a kind of {_KINDS}, belongs_to and why")
            out.append(KnownBody(names, row["kind"], row["belongs_to"], row["why"]))
    return out
