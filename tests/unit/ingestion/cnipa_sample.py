"""A small CNIPA trademark open-data package with the official headers and the known defects."""

from __future__ import annotations

import zipfile
from pathlib import Path

from iplayout.ingestion.readers.cnipa_layout import HEADERS, write_member

BASIC, HOLDER, GOODS = "注册商标基本信息.csv", "商标注册人信息.csv", "注册商标商品服务信息.csv"
COOWNER, PRIORITY, MADRID, AGENT = "注册商标共有人信息.csv", "注册商标优先权信息.csv", "国际注册基本信息.csv", "商标代理人信息.csv"
FIRM = "重庆山城味道食品有限公司"
FIRM_ADDRESS = "重庆市渝中区解放碑民族路188号"


def basic(reg: str, cls: str, name: str, **extra: str) -> dict[str, str]:
    return {"注册号/申请号": reg, "国际分类": cls, "商标名称": name, "商标类型": "普通商标", "申请日期": "2015-03-02",
            "初审公告日期": "2015-12-06", "注册公告日期": "2016-03-06", "专用期开始日期": "2016-03-07",
            "专用期结束日期": "2099-03-06", "是否驰名商标": "否", "代理机构代码": "A1", **extra}


def holder(reg: str, cls: str, name: str, address: str, **extra: str) -> dict[str, str]:
    return {"注册号/申请号": reg, "国际分类": cls, "注册人中文名称": name, "注册人中文地址": address, **extra}


def goods(reg: str, cls: str, group: str, item: str) -> dict[str, str]:
    return {"注册号/申请号": reg, "国际分类": cls, "类似群": group, "商品序号": "1", "商品中文名称": item,
            "商品状态": "有效"}


def write_package(folder: Path, *, with_name: bool = True) -> Path:
    """1001: two classes; 1002: multi-line field, co-owner, priority; 1003: foreign holder with only a
    foreign name; 1004: a bad UTF-8 byte in its name; 1005: wrong cell count; 1006: an invalid
    date and class; a row without key; a goods row whose mark is missing (9999)."""
    folder.mkdir(parents=True, exist_ok=True)
    header = HEADERS[BASIC] if with_name else tuple(h for h in HEADERS[BASIC] if h != "商标名称")
    write_member(folder, BASIC, [
        basic("1001", "30", "山城辣妹"),
        basic("1001", "43", "山城辣妹"),
        basic("1002", "09", "云联", 商标设计说明="第一行\n第二行，含逗号", 专用期结束日期="2020-01-01"),
        basic("1003", "25", "CUPERTINO"),
        basic("1004", "35", "坏字节"),
        basic("", "35", "无注册号"),
        basic("1006", "99", "坏日期", 申请日期="2015-13-45"),
    ], header)
    with (folder / BASIC).open("a", encoding="utf-8", newline="") as fh:
        fh.write("1005,35,2015-01-01\r\n")  # three cells under a 22-column header
    path = folder / BASIC
    path.write_bytes(path.read_bytes().replace("坏字节".encode(), b"\xe5\x9d\x8f\xff\xe8\x8a\x82"))
    write_member(folder, HOLDER, [
        holder("1001", "30", FIRM, FIRM_ADDRESS),
        holder("1001", "43", FIRM, FIRM_ADDRESS),
        holder("1002", "09", "重庆云联科技有限公司", "重庆市渝北区金开大道99号"),
        holder("1003", "25", "", "", 注册人外文名称="Cupertino Apparel Inc.",
               注册人英文地址="1 Infinite Loop, Cupertino, California, USA"),
        holder("1004", "35", "重庆坏字节广告有限公司", "重庆市江北区观音桥1号"),
        holder("1006", "99", "重庆日期有限公司", "重庆市南岸区1号"),
    ])
    write_member(folder, COOWNER, [{"注册号/申请号": "1002", "共有人中文名称": "重庆大学",
                                    "共有人中文地址": "重庆市沙坪坝区沙正街174号"}])
    write_member(folder, GOODS, [
        goods("1001", "30", "3002", "茶饮料"), goods("1001", "30", "3001", "咖啡"),
        goods("1001", "43", "4302", "酒店"), goods("1002", "09", "0901", "计算机"),
        goods("1003", "25", "2501", "服装"), goods("1004", "35", "3501", "广告"),
        goods("9999", "35", "3501", "孤立的商品行"),
    ])
    write_member(folder, PRIORITY, [{"注册号/申请号": "1002", "国际分类": "09", "优先权编号": "P1",
                                     "优先权日期": "2014-10-01", "优先权国家/地区": "美国"}])
    write_member(folder, MADRID, [])
    write_member(folder, AGENT, [{"代理人编码": "A1", "代理人名称": "重庆某商标代理有限公司"}])
    return folder


def zip_package(folder: Path, target: Path) -> Path:
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as archive:
        for member in sorted(folder.iterdir()):
            archive.write(member, f"2023_1/{member.name}")
    return target
