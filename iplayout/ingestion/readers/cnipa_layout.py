"""The official CNIPA trademark open-data layout: member files and their exact headers.

Facts from the profiled base (2000.zip) and monthly (2023_1.zip) packages (see docs/ingestion.md);
used to write sample packages for tests and benchmarks. ``后期指定>日期`` is spelled as in the files.
"""

from __future__ import annotations

import csv
from collections.abc import Iterable, Mapping
from pathlib import Path

HEADERS: dict[str, tuple[str, ...]] = {
    "国际注册基本信息.csv": (
        "注册号/申请号", "国际注册号", "国际注册日期", "国际通知日期", "国际申请语种", "国际申请类型", "国际公告期号", "国际公告日期", "后期指定>日期", "基础注册日期",
    ),
    "注册商标优先权信息.csv": (
        "注册号/申请号", "国际分类", "优先权编号", "优先权种类", "优先权日期", "优先权商品", "优先权国家/地区",
    ),
    "注册商标共有人信息.csv": (
        "注册号/申请号", "共有人中文名称", "共有人英文文名称", "共有人中文地址", "共有人英文地址",
    ),
    "注册商标商品服务信息.csv": (
        "注册号/申请号", "国际分类", "类似群", "商品序号", "商品中文名称", "商品状态",
    ),
    "注册商标基本信息.csv": (
        "注册号/申请号", "国际分类", "申请日期", "商标名称", "商标类型", "代理机构代码", "初审公告期号", "初审公告日期", "注册公告期号", "注册公告日期",
        "专用期开始日期", "专用期结束日期", "专用有效期", "商标设计说明", "商标颜色说明", "放弃专用权说明", "是否立体商标", "是否共有申请", "商标形态", "地理标志信息",
        "颜色标志", "是否驰名商标",
    ),
    "商标注册人信息.csv": (
        "注册号/申请号", "国际分类", "注册人中文名称", "注册人外文名称", "注册人中文地址", "注册人英文地址",
    ),
    "商标代理人信息.csv": (
        "代理人编码", "代理人名称",
    ),
}


def write_member(folder: Path, member: str, rows: Iterable[Mapping[str, str]],
                 header: tuple[str, ...] | None = None) -> Path:
    """One member CSV (UTF-8 with BOM, as published) with the official header unless ``header``."""
    cols = header if header is not None else HEADERS[member]
    path = folder / member
    with path.open("w", encoding="utf-8-sig", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(cols)
        for row in rows:
            writer.writerow([row.get(c, "") for c in cols])
    return path
