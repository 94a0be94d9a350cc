"""CNIPA trademark open data (商标数据开放): a package zip, or a folder holding its CSV members.

The members share the key (注册号/申请号, 国际分类) and are not sorted alike, and the goods member of a
base package has millions of rows. Each member is therefore streamed once into a temporary SQLite
file (bounded page cache: flat memory) and the members are merge-joined in key order. One record is
one registration number: its classes (one basic row each), its registrant and co-owners, its
similar-goods groups and goods. Headers are the official ones (docs/ingestion.md); columns a batch
lacks (one batch has no 商标名称) are simply absent. Lines with bytes that are not UTF-8 are kept
with U+FFFD and reported on the record; rows with the wrong number of cells or no key are rejected.
"""

from __future__ import annotations

import contextlib
import csv
import io
import itertools
import sqlite3
import tempfile
import zipfile
from collections.abc import Callable, Generator, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any, NamedTuple

from iplayout.errors import IngestionError
from iplayout.ingestion.draft import Draft, build_draft
from iplayout.ingestion.readers.base import Item, Limits, ReadContext
from iplayout.ingestion.records import Locator, Reject
from iplayout.ingestion.safety import check_zip

KEY, CLASS = "注册号/申请号", "国际分类"
BASIC = "注册商标基本信息.csv"
MEMBERS = {
    BASIC: "basic",
    "商标注册人信息.csv": "applicant",
    "注册商标商品服务信息.csv": "goods",
    "注册商标共有人信息.csv": "coowner",
    "注册商标优先权信息.csv": "priority",
    "国际注册基本信息.csv": "madrid",
    "商标代理人信息.csv": "agent",
}
_JOINED = ("applicant", "goods", "coowner", "priority", "madrid")  # keyed by 注册号/申请号 (and class)
_BASIC_FIELDS = {"商标名称": "name", "商标类型": "mark_type", "申请日期": "application_date",
                 "初审公告日期": "publication_date", "注册公告日期": "registration_date",
                 "专用期结束日期": "expiry_date", "是否驰名商标": "well_known"}
_BASIC_SKIP = {KEY, CLASS, *_BASIC_FIELDS}
# (role, header prefix, foreign-name header): registrants, then co-owners, are a mark's holders
_PARTIES = (("applicant", "注册人", "注册人外文名称"), ("coowner", "共有人", "共有人英文文名称"))
# Packages are CSV: they compress 5-20x and expand to gigabytes; a bomb still shows in the ratio.
_PACKAGE_LIMITS = Limits(max_uncompressed_bytes=256 << 30, max_compression_ratio=200.0, max_zip_members=64)
_BATCH = 20_000  # staged rows per executemany
_BLOCK = 1 << 20  # bytes of a member decoded at once
# Cells are stored joined by NUL, which CSV text never carries (it is dropped from cells, never split on).
_SEP = "\x00"
_CSV_FIELD_CAP = 64 * 1024 * 1024


def is_package_dir(path: Path) -> bool:
    return path.is_dir() and (path / BASIC).is_file()


@dataclass(frozen=True)
class _Member:
    name: str
    role: str
    open: Callable[[], IO[bytes]]


def _zip_name(info: zipfile.ZipInfo) -> str:
    """A member's base name; names stored without the UTF-8 flag are usually GBK, not cp437."""
    name = info.filename
    if not info.flag_bits & 0x800:
        with contextlib.suppress(UnicodeEncodeError, UnicodeDecodeError):
            name = name.encode("cp437").decode("gbk")
    return name.rstrip("/").rsplit("/", 1)[-1]


def _members(ctx: ReadContext, stack: contextlib.ExitStack) -> dict[str, _Member]:
    found: dict[str, _Member] = {}
    if ctx.path.is_dir():
        for name, role in MEMBERS.items():
            path = ctx.path / name
            if path.is_file():
                found[role] = _Member(name, role, lambda p=path: p.open("rb"))  # type: ignore[misc]
        return found
    check_zip(ctx.path, _PACKAGE_LIMITS)
    archive = stack.enter_context(zipfile.ZipFile(ctx.path))
    for info in archive.infolist():
        name = _zip_name(info)
        known = MEMBERS.get(name)
        if known is not None and known not in found:
            found[known] = _Member(name, known, lambda i=info: archive.open(i))  # type: ignore[misc]
    return found


def package_bytes(path: Path) -> int:
    """The size of a package: the zip, or the members of a folder."""
    if path.is_dir():
        return sum((path / name).stat().st_size for name in MEMBERS if (path / name).is_file())
    return path.stat().st_size


def read_cnipa_package(ctx: ReadContext) -> Iterator[Item]:
    """The package's records and rejects, built in this process."""
    for item in package_drafts(ctx):
        if isinstance(item, Draft):
            yield from build_draft(item)
        else:
            yield item


def package_drafts(ctx: ReadContext) -> Iterator[Reject | Draft]:
    """One draft per registration number, and the rejects of the package's rows, in the order of
    ``read_cnipa_package`` (whose records ingest may build in worker processes instead)."""
    with contextlib.ExitStack() as stack:
        members = _members(ctx, stack)
        if "basic" not in members:
            raise IngestionError(f"{ctx.source}: not a CNIPA trademark open-data package (no {BASIC})")
        tmp = stack.enter_context(tempfile.TemporaryDirectory(prefix="iplayout-cnipa-"))
        db = sqlite3.connect(Path(tmp) / "join.sqlite")
        stack.callback(db.close)
        db.executescript("PRAGMA journal_mode=OFF; PRAGMA synchronous=OFF; PRAGMA cache_size=-16000;"
                         "PRAGMA temp_store=FILE;")
        headers: dict[str, list[str]] = {}
        for role in ("basic", *_JOINED, "agent"):
            if role in members:
                headers[role] = yield from _spill(db, members[role], ctx)
        if "商标名称" not in headers["basic"]:
            yield Reject(locator=str(ctx.locator(sheet=BASIC)), field="name", action="field",
                         reason=f"{BASIC} has no 商标名称 column (as in some batches): marks are ingested without names")
        yield from _join(db, headers, members, ctx)


def _lines(stream: IO[bytes], bad: list[int]) -> Iterator[str]:
    """Decoded lines (split at b"\\n" only, as iterating the byte stream does); a line with invalid UTF-8
    is kept with U+FFFD and its number appended to ``bad`` when it is read."""
    return itertools.chain.from_iterable(_blocks(stream, bad))


def _blocks(stream: IO[bytes], bad: list[int]) -> Iterator[Iterator[str]]:
    """The lines of each block of whole lines. A block is decoded in one call (valid UTF-8 cannot hold
    a b"\\n" inside a character, so it equals decoding its lines one by one) and split in C; only a
    block with a bad byte is decoded line by line, lazily, so ``bad`` still fills while its row is read."""
    pending: list[bytes] = []
    number = 0  # lines before the current block
    while chunk := stream.read(_BLOCK):
        cut = chunk.rfind(b"\n") + 1
        if not cut:  # one line longer than a block: keep reading
            pending.append(chunk)
            continue
        block = b"".join((*pending, chunk[:cut])) if pending else chunk[:cut]
        pending = [chunk[cut:]] if cut < len(chunk) else []
        yield _block_lines(block, number, bad)
        number += block.count(b"\n")
    if pending:
        yield _block_lines(b"".join(pending), number, bad)


def _block_lines(block: bytes, before: int, bad: list[int]) -> Iterator[str]:
    try:
        text = block.decode("utf-8")
    except UnicodeDecodeError:
        return _repaired_lines(block, before, bad)
    return io.StringIO(text.lstrip("\ufeff") if before == 0 else text, newline="\n")


def _repaired_lines(block: bytes, before: int, bad: list[int]) -> Iterator[str]:
    for number, raw in enumerate(io.BytesIO(block), start=before + 1):
        try:
            line = raw.decode("utf-8")
        except UnicodeDecodeError:
            line = raw.decode("utf-8", errors="replace")
            bad.append(number)
        yield line.lstrip("\ufeff") if number == 1 else line


def _spill(db: sqlite3.Connection, member: _Member, ctx: ReadContext) -> Generator[Reject, None, list[str]]:
    """Stream one member into table ``role`` (k, c, n = data row, bad = 1 if repaired, v = the cells);
    returns its header. Rows without a key or with the wrong cell count are rejected here. The key
    index is built after the load (one sort, not a B-tree insert per row)."""
    role = member.role
    db.execute(f"CREATE TABLE {role} (k TEXT, c TEXT, n INTEGER, bad INTEGER, v TEXT)")
    insert = f"INSERT INTO {role} VALUES (?,?,?,?,?)"
    csv.field_size_limit(max(csv.field_size_limit(), _CSV_FIELD_CAP))
    bad: list[int] = []
    with member.open() as stream:
        reader = csv.reader(_lines(stream, bad))
        header = [h.strip() for h in next(reader, [])]
        key_col = "代理人编码" if role == "agent" else KEY
        if key_col not in header:
            raise IngestionError(f"{ctx.source}: {member.name} has no {key_col} column (header: {','.join(header)})")
        k_i, c_i = header.index(key_col), header.index(CLASS) if CLASS in header else None
        width, batch = len(header), []
        try:
            for n, cells in enumerate(reader, start=1):
                repaired = 0
                if bad:  # lines are read lazily: every bad line so far belongs to this row
                    repaired = 1
                    bad.clear()
                if len(cells) != width or not (key := cells[k_i].strip()):
                    if any(c.strip() for c in cells):
                        yield _row_reject(ctx, member.name, n, cells, width, k_i)
                    continue
                joined = _SEP.join(cells)
                if joined.count(_SEP) != width - 1:  # a NUL inside a cell: dropped, never a cell boundary
                    joined = _SEP.join(c.replace(_SEP, "") for c in cells)
                batch.append((key, cells[c_i].strip() if c_i is not None else "", n, repaired, joined))
                if len(batch) >= _BATCH:
                    db.executemany(insert, batch)
                    batch.clear()
        except csv.Error as exc:
            raise IngestionError(f"{ctx.source}: {member.name} line {reader.line_num}: {exc}") from exc
        db.executemany(insert, batch)
    db.execute(f"CREATE INDEX {role}_k ON {role} (k, c, n)")
    return header


def _row_reject(ctx: ReadContext, name: str, n: int, cells: list[str], width: int, k_i: int) -> Reject:
    where = str(ctx.locator(sheet=name, row=n))
    if len(cells) != width:
        return Reject(locator=where, reason=f"row has {len(cells)} cells, the header has {width}",
                      raw_value=",".join(cells)[:200])
    return Reject(locator=where, field="registration_number", reason=f"no {KEY}", raw_value=",".join(cells)[:200])


Row = tuple[int, int, str]  # (data row, 1 if repaired, cells joined by _SEP: split where the draft is made)
Cells = tuple[int, int, list[str]]


class _Cursor:
    """Rows of one member in key order, consumed one registration number at a time."""

    def __init__(self, db: sqlite3.Connection, role: str, header: list[str]) -> None:
        self.rows = db.execute(f"SELECT k, n, bad, v FROM {role} ORDER BY k, c, n")
        self.header = header
        self.at = {h: i for i, h in enumerate(header)}  # the last of repeated headers, as dict(zip()) keeps
        self.head: tuple[Any, ...] | None = next(self.rows, None)

    def take(self, key: str) -> tuple[list[Row], list[tuple[str, int]]]:
        """(rows of ``key``, orphans before it as (key, first row))."""
        orphans: list[tuple[str, int]] = []
        head, rows = self.head, self.rows
        while head is not None and head[0] < key:
            orphan = head[0]
            orphans.append((orphan, head[1]))
            while head is not None and head[0] == orphan:
                head = next(rows, None)
        out = []
        while head is not None and head[0] == key:
            out.append(head[1:])
            head = next(rows, None)
        self.head = head
        return out, orphans

    def rest(self) -> list[tuple[str, int]]:
        return self.take("\U0010ffff")[1]


class _Layout(NamedTuple):
    """What making a draft needs of the package: the same object in every draft of it."""

    source: str
    headers: dict[str, list[str]]  # by role
    at: dict[str, dict[str, int]]  # by role: header -> cell index (the last of repeated headers, as dict(zip()))
    names: dict[str, str]  # by role: member file name
    basic_fields: tuple[tuple[str, int], ...]  # (record field, basic cell) of the _BASIC_FIELDS present
    basic_raw: tuple[tuple[str, int], ...]  # (header, basic cell) of the other basic columns, in header order
    parties: tuple[tuple[str, tuple[int | None, ...]], ...]  # (role, cells of name, foreign name, address, English address)


def _layout(source: str, headers: dict[str, list[str]], members: dict[str, _Member]) -> _Layout:
    at = {role: {h: i for i, h in enumerate(header)} for role, header in headers.items()}
    basic = at["basic"]
    parties = tuple((role, tuple(at[role].get(name) for name in (f"{prefix}中文名称", foreign, f"{prefix}中文地址",
                                                                 f"{prefix}英文地址")))
                    for role, prefix, foreign in _PARTIES if role in at)
    return _Layout(source, headers, at, {role: member.name for role, member in members.items()},
                   tuple((field, basic[h]) for h, field in _BASIC_FIELDS.items() if h in basic),
                   tuple((h, i) for h, i in basic.items() if h not in _BASIC_SKIP), parties)


def _join(db: sqlite3.Connection, headers: dict[str, list[str]], members: dict[str, _Member],
          ctx: ReadContext) -> Iterator[Reject | Draft]:
    cursors = {role: _Cursor(db, role, headers[role]) for role in _JOINED if role in headers}
    basic = _Cursor(db, "basic", headers["basic"])
    layout = _layout(ctx.source, headers, members)
    agent_at = layout.at["basic"].get("代理机构代码") if "agent" in headers else None
    while basic.head is not None:
        key = basic.head[0]
        rows, _ = basic.take(key)
        joined = {}
        for role, cursor in cursors.items():
            joined[role], orphans = cursor.take(key)
            if orphans:
                yield from _orphans(ctx, members[role].name, orphans)
        agent = _agent(db, headers["agent"], rows[0][2].split(_SEP)[agent_at]) if agent_at is not None else None
        yield Draft("trademarks", _draft, (layout, key, rows, joined, agent))
    for role, cursor in cursors.items():
        yield from _orphans(ctx, members[role].name, cursor.rest())


def _orphans(ctx: ReadContext, member: str, orphans: list[tuple[str, int]]) -> Iterator[Reject]:
    for key, row in orphans:
        yield Reject(locator=str(ctx.locator(sheet=member, row=row)), field="registration_number", raw_value=key,
                     reason=f"no {BASIC} row for {KEY} {key}: rows of this member dropped")


def _agent(db: sqlite3.Connection, header: list[str], code: str) -> str | None:
    if not code.strip():
        return None
    found = db.execute("SELECT v FROM agent WHERE k = ? LIMIT 1", (code.strip(),)).fetchone()
    return dict(zip(header, found[0].split(_SEP), strict=True)).get("代理人名称") if found else None


def _party(cells: list[str], at: tuple[int | None, ...]) -> dict[str, Any] | None:
    """Chinese name, else the foreign one; Chinese address, else the English one."""
    name_at, foreign_at, address_at, english_at = at
    name = (cells[name_at].strip() if name_at is not None else "") or (
        cells[foreign_at].strip() if foreign_at is not None else "")
    if not name:
        return None
    address = (cells[address_at].strip() if address_at is not None else "") or (
        cells[english_at].strip() if english_at is not None else "")
    party: dict[str, Any] = {"name": name}
    if address:
        party["address"] = address
    return party


def _split(rows: list[Row]) -> list[Cells]:
    return [(n, bad, v.split(_SEP)) for n, bad, v in rows]


def _draft(layout: _Layout, key: str, staged: list[Row], staged_joined: dict[str, list[Row]],
           agent: str | None) -> tuple[dict[str, Any], Locator, tuple[Reject, ...]]:
    """The record fields of one registration number from its rows (run where the draft is built)."""
    rows = _split(staged)
    joined = {role: _split(found) for role, found in staged_joined.items()}
    first = rows[0][2]
    class_at = layout.at["basic"].get(CLASS)
    data: dict[str, Any] = {"id": f"TM:CN:{key}", "office": "CN", "registration_number": key, "lang": "zh",
                            "classes": [] if class_at is None else
                            [r[2][class_at] for r in rows if r[2][class_at].strip()]}
    for field, i in layout.basic_fields:
        if first[i].strip():
            data[field] = first[i]
    raw: dict[str, Any] = {h: v for h, i in layout.basic_raw if (v := first[i]).strip()}
    holders: list[dict[str, Any]] = []
    for role, at in layout.parties:
        for row in joined.get(role, ()):
            party = _party(row[2], at)
            if party and all(h["name"] != party["name"] for h in holders):
                holders.append(party)
    data["holders"] = holders
    goods = joined.get("goods", [])
    group_at, item_at = (layout.at["goods"].get("类似群"), layout.at["goods"].get("商品中文名称")) if goods else (None, None)
    data["groups"] = [] if group_at is None else [c[group_at] for _, _, c in goods if c[group_at].strip()]
    data["goods"] = [] if item_at is None else [g for _, _, c in goods if (g := c[item_at].strip())]
    if joined.get("priority"):
        raw["优先权"] = [{h: v for h, v in dict(zip(layout.headers["priority"], r[2], strict=True)).items()
                        if h not in (KEY, CLASS) and v.strip()} for r in joined["priority"]]
    if joined.get("madrid"):
        raw["国际注册"] = {h: v for h, v in dict(zip(layout.headers["madrid"], joined["madrid"][0][2], strict=True)).items()
                        if h != KEY and v.strip()}
    if agent:
        raw["代理机构"] = agent
    data["raw"] = raw
    repaired = [(BASIC, r[0]) for r in rows if r[1]] + [
        (layout.names[role], r[0]) for role, found in joined.items() for r in found if r[1]]
    return data, Locator(file=layout.source, sheet=BASIC, row=rows[0][0]), tuple(
        Reject(locator=str(Locator(file=layout.source, sheet=member, row=number)), action="field",
               reason="bytes that are not UTF-8 replaced with U+FFFD (record kept)") for member, number in repaired)
