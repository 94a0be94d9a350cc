"""Rejects counted per record, and the one-line hint when most records of a table lack the same field.

A record refused for three reasons writes three reject lines (each with its field and reason in
the rejects file) but counts once in ``rejected``. When most records of a table fail for the same
missing field, the usual cause is a profile that does not map the file's headers: the hint names
the headers seen, the profile used and a built-in ``--profile`` that maps one of them to that field.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from iplayout.ingestion.profiles import Profile, builtin_profiles, fold, rank_profiles
from iplayout.ingestion.records import Reject

MISSING = "Field required"


@dataclass
class RejectTally:
    records: int = 0
    missing: Counter[str] = field(default_factory=Counter)  # field -> records that lack it
    _last: str | None = None
    _fields: set[str] = field(default_factory=set)

    def add(self, reject: Reject) -> None:
        """A record-level reject; consecutive rejects with one locator are one record."""
        if reject.locator != self._last:
            self.records += 1
            self._last, self._fields = reject.locator, set()
        if reject.reason == MISSING and reject.field and reject.field not in self._fields:
            self._fields.add(reject.field)
            self.missing[reject.field] += 1

    def hint(self, headers: list[str] | None, forced: Profile | None, kind: str | None, total: int) -> str | None:
        """One line when most of ``total`` records lack the same field, else ``None``."""
        if not self.missing or headers is None:
            return None
        missing, count = self.missing.most_common(1)[0]
        if count * 2 <= total:
            return None
        used = forced or rank_profiles(headers, kind).profile
        used_name = used.name if used else f"canonical field names ({kind or 'no kind'})"
        seen = ", ".join(h for h in headers[:12] if h) + (", …" if len(headers) > 12 else "")
        line = f"{count} of {total} records lack {missing!r}; headers seen: {seen}; profile used: {used_name}"
        better = _profile_for(headers, missing, used.kind if used else kind, used)
        if better is None:
            return line + f"; no built-in profile maps these headers to {missing!r}: write one (docs/formats.md)"
        profile, header = better
        return line + f"; try --profile {profile.name} (it maps {header} → {missing})"


def _profile_for(headers: list[str], missing: str, kind: str | None,
                 used: Profile | None) -> tuple[Profile, str] | None:
    """The built-in profile that maps one of ``headers`` to ``missing`` and the most headers overall."""
    folded = {fold(h): h for h in headers if h}
    best: tuple[int, Profile, str] | None = None
    for p in builtin_profiles():
        if (kind is not None and p.kind != kind) or (used is not None and p.name == used.name):
            continue
        hits = [folded[k] for k, v in p.lookup().items() if v == missing and k in folded]
        if hits and (best is None or p.knows(headers) > best[0]):
            best = (p.knows(headers), p, hits[0])
    return (best[1], best[2]) if best else None
