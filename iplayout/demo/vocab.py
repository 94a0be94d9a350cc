"""Invented names and texts for the synthetic corpus (no real firm or person names)."""

from __future__ import annotations

import random

_BRAND = list("瑞恒达科泰华融源创新智联丰宏博远鑫晟拓锐启航星辰云海峰川宇")
_TRADE = [
    "新能源科技",
    "电子科技",
    "智能装备",
    "生物科技",
    "材料科技",
    "汽车零部件",
    "半导体",
    "医疗器械",
    "信息技术",
]
_SURNAME = list(
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘蒋蔡余杜叶程苏魏吕丁任沈姚卢"
)
_GIVEN = list("伟芳娜敏静丽强磊军洋勇艳杰涛明超秀霞平刚桂英华玉兰萍红娟建国志文斌宇浩然欣怡子轩雨萱")
_SUFFIX = ["方法", "装置", "系统", "结构", "组件", "设备"]


def _brand(rnd: random.Random) -> str:
    return "".join(rnd.sample(_BRAND, 2))


def org_name(rnd: random.Random, kind: str, district: str, i: int) -> str:
    """A synthetic organisation name; the numeric tag keeps names unique and visibly invented."""
    if kind == "enterprise":
        return f"重庆{_brand(rnd)}{rnd.choice(_TRADE)}有限公司（示例{i}）"
    if kind == "university":
        return f"重庆{_brand(rnd)}大学（示例{i}）"
    if kind == "institute":
        return f"重庆{_brand(rnd)}{rnd.choice(['研究院', '研究所'])}（示例{i}）"
    if kind == "hospital":
        return f"重庆市{district}{_brand(rnd)}医院（示例{i}）"
    return person_name(rnd)


def person_name(rnd: random.Random) -> str:
    return rnd.choice(_SURNAME) + "".join(rnd.choices(_GIVEN, k=rnd.randint(1, 2)))


def patent_title(rnd: random.Random, zh: list[str]) -> str:
    a, b = rnd.sample(zh, 2)
    return f"一种{a}的{b}{rnd.choice(_SUFFIX)}"


def abstract_zh(rnd: random.Random, zh: list[str], other: list[str]) -> str:
    a, b, c = zh
    extra = rnd.choice(other)
    return (
        f"本发明公开了一种{a}{rnd.choice(_SUFFIX)}，涉及{c}技术领域。该方案通过改进{b}，"
        f"结合{extra}，提高了{a}的可靠性与效率，降低了成本，适用于产业化应用。"
    )


def paper_title(rnd: random.Random, words: list[str], english: bool) -> str:
    a, b = rnd.sample(words, 2)
    if english:
        return rnd.choice(
            [
                f"Study on {a} based on {b}",
                f"{a.capitalize()} with improved {b}",
                f"Optimisation of {b} for {a}",
            ]
        )
    return rnd.choice([f"基于{b}的{a}研究", f"{a}中{b}的优化方法", f"{a}与{b}关键技术进展"])


def abstract_en(rnd: random.Random, en: list[str]) -> str:
    a, b, c = en
    return (
        f"This paper studies {a} and proposes a method for {b}. Experiments on {c} show improved "
        f"performance and reliability compared with baseline approaches."
    )
