"""Organisations: split applicant lists, classify kind, build resolution keys, find parent units.

Chinese organisation names are head-final ("重庆大学附属肿瘤医院" is a hospital), so the kind is
decided by the keyword that ends furthest to the right. The resolution key keeps everything that
distinguishes legal entities (brand, region in brackets, 集团) and drops only what varies for the
*same* entity: width, bracket shape, whitespace, script, and the legal-form suffix. Chinese
registration rules treat names that differ only in organisational form as identical, so dropping
有限公司/股份有限公司 cannot merge two firms; dropping a brand word or "(重庆)" could, so we never do.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Literal

from iplayout.nlp.credit_code import CreditCode, find_credit_code
from iplayout.nlp.latin_names import classify_latin, fold, is_university_word
from iplayout.nlp.normalize import normalize_text

OrgKind = Literal["enterprise", "university", "institute", "hospital", "government", "individual"]

# Keyword → kind. Longer keywords win over shorter ones ending at the same place (科学院 > 学院).
_ZH_KINDS: dict[str, OrgKind] = {
    **dict.fromkeys(("公司", "有限公司", "集团", "厂", "合作社", "事务所", "工作室", "商行", "经营部",
                     "分公司", "事业部", "股份", "企业"), "enterprise"),
    **dict.fromkeys(("大学", "学院", "学校", "中学", "小学", "职业技术学院", "高等专科学校", "党校", "大专"),
                    "university"),
    **dict.fromkeys(("研究院", "研究所", "研究中心", "实验室", "科学院", "工程院", "设计院", "研究会",
                     "技术中心", "工程中心", "重点实验室", "研究生部", "院士工作站", "检测中心", "协会", "学会"),
                    "institute"),
    **dict.fromkeys(("医院", "卫生院", "卫生服务中心", "保健院", "疾病预防控制中心", "门诊部", "诊所",
                     "住院部", "医疗中心"), "hospital"),
    **dict.fromkeys(("局", "委员会", "人民政府", "政府", "厅", "管委会", "管理委员会", "办公室", "海关",
                     "法院", "检察院", "监督站", "中心站", "街道办事处", "部"), "government"),
}
_ZH_KIND_RE = re.compile("|".join(sorted(map(re.escape, _ZH_KINDS), key=len, reverse=True)))
# "企业重点实验室", "大学城": keywords that are not heads where they stand.
_NOT_HEAD = re.compile(r"大学城|学院路|公司路")

# Legal-form suffixes dropped from the key, longest first. 集团 is kept: a group and its
# operating company are different legal entities.
_ZH_LEGAL = ("股份有限公司", "有限责任公司", "股份合作公司", "有限公司", "股份公司", "公司")
# English key: spelled-out and abbreviated forms meet (USPTO "Huawei Technologies Co., Ltd." and PATSTAT
# "HUAWEI TECH CO LTD"); then trailing legal forms go, as 有限公司 does for Chinese names.
_EN_ABBREV = {"technologies": "tech", "technology": "tech", "corporation": "corp", "company": "co",
              "limited": "ltd", "incorporated": "inc", "university": "univ", "institute": "inst",
              "international": "int", "&": "and"}
_EN_LEGAL = frozenset(("co", "ltd", "inc", "corp", "llc", "llp", "plc", "gmbh", "ag", "sa", "kk", "bv", "nv", "ab",
                       "oy", "spa", "srl", "pty", "pte", "lp", "ulc", "kabushiki", "kaisha",
                       "gongsi", "youxian", "gufen", "youxiangongsi"))  # romanised 股份有限公司
_EN_WORD = re.compile(r"[a-z0-9]+|&|\(|\)")
_BRACKETS = str.maketrans({"（": "(", "）": ")", "【": "(", "】": ")", "[": "(", "]": ")", "〔": "(", "〕": ")"})
_CJK = r"\u4e00-\u9fff"
_NUMBERING = re.compile(r"^\s*(\d{1,2}[.、)]|\(\d{1,2}\))\s*")
_SPACE_IN_CJK = re.compile(rf"(?<=[{_CJK}()])\s+(?=[{_CJK}()])")
_HAS_CJK = re.compile(f"[{_CJK}]")
_EN_ALIAS = re.compile(rf"^(?P<zh>.*[{_CJK}].*?)\s*\((?P<en>[A-Za-z][A-Za-z0-9 .,&'\-]+)\)$")

# Surnames used to recognise an individual applicant (top ~130 single + common compound surnames).
_SURNAMES = set(
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈"
    "姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤"
    "常温康施文牛樊葛邢安齐易乔伍庞颜倪庄聂章鲁岳翟殷詹申欧耿关兰焦俞左柳甘祝包宁尚符舒阮柯纪梅童凌毕单季"
    "裴霍涂成苗谷盛曲翁冉骆蓝路游辛靳管柴蒙鲍华喻祁蒲房滕屈饶解牟艾尤阳时穆农司卓古吉缪简车项连芦麦褚娄窦"
    "戚岑景党宫费卜冷晏席卫米柏宗瞿桂全佟应臧闵苟邬边卞姬师和仇栾隋商刁沙荣巫寇桑郎甄丛仲虞敖巩明佘池查麻"
    "苑迟邝官封谈匡鞠惠荆乐冀郁胥南班储原栗燕楚鄢劳谌奚皮粟冼蔺楼盘满闻位厉伊仝区郜海阚花权强帅屠豆朴盖练"
    "廉禹井祖漆巴丰支卿国狄平计索宣晋相初门云容敬来扈晁芮都普阙浦戈伏鹿薄邸雍辜羊阿乌母裘亓修邰赫杭况那宿"
    "鲜印逯隆茹诸战慕危玉银亢嵇公哈湛宾戎勾茅利於呼居揭干但尉冶斯元束檀衣信展阴昝智幸奉植衡富尧闭由"
)
_COMPOUND_SURNAMES = ("欧阳", "司马", "诸葛", "上官", "司徒", "东方", "夏侯", "皇甫", "尉迟", "公孙", "慕容",
                      "长孙", "宇文", "令狐", "端木", "申屠", "澹台", "万俟", "独孤", "南宫", "西门")
_PERSON_ZH = re.compile(rf"^[{_CJK}]{{2,4}}$|^[{_CJK}]{{1,3}}[·•][{_CJK}]{{1,8}}$")


@dataclass(frozen=True)
class OrgName:
    """One resolved organisation mention."""

    name: str  # cleaned display name (Simplified, half-width, brackets normalised)
    key: str  # resolution key: equal keys mean the same organisation
    kind: OrgKind
    name_en: str | None = None
    parent: OrgName | None = None  # the unit this one is a branch/department of
    credit_code: CreditCode | None = None
    aliases: tuple[str, ...] = ()  # every name the user's alias table gives this organisation (aliases.py)

    @property
    def id(self) -> str:
        return org_id(self.key)


def org_id(key: str) -> str:
    return f"org:{key}"


def clean_name(raw: str) -> str:
    """Display form: half-width, Simplified, single-spaced, ASCII brackets, no spaces between CJK."""
    return _clean_name_short(raw) if len(raw) <= _SHORT else _clean_name(raw)


def _clean_name(raw: str) -> str:
    text = normalize_text(raw).translate(_BRACKETS)
    text = _NUMBERING.sub("", text)  # "1.中国铁道科学研究院"
    return _SPACE_IN_CJK.sub("", text).strip(" .;,")


# resolve() cleans the same name four times (its own text, parent split, key, kind): short names
# are remembered (bounded; a malformed cell may be long).
_SHORT = 128
_clean_name_short = lru_cache(maxsize=32_768)(_clean_name)


def resolution_key(name: str) -> str:
    """Key under which mentions of the same organisation merge (see module docstring)."""
    text = clean_name(name)
    m = _EN_ALIAS.match(text)
    if m:
        text = m.group("zh")
    if _HAS_CJK.search(text):
        return _zh_key(text)
    return _en_key(text)


def _zh_key(text: str) -> str:
    text = text.replace(" ", "")
    for suffix in _ZH_LEGAL:
        if text.endswith(suffix) and len(text) > len(suffix) + 1:
            return text[: -len(suffix)]
    return text


def _en_key(text: str) -> str:
    words: list[str] = []
    run = ""  # single letters join: "L.L.C." → llc, "S.A." → sa
    for w in _EN_WORD.findall(fold(text).lower()):
        if len(w) == 1 and w.isalpha():
            run += w
            continue
        if run:
            words.append(run)
            run = ""
        w = _EN_ABBREV.get(w, w)
        words.append("univ" if len(w) >= 8 and w[:2] == "un" and is_university_word(w.upper()) else w)
    if run:
        words.append(run)
    while len(words) > 1 and (words[-1] in _EN_LEGAL or words[-2:] == ["(", ")"]):
        words.pop()
    if len(words) > 1 and words[0] == "the":
        words.pop(0)
    return " ".join(words).replace("( ", "(").replace(" )", ")")


def classify(name: str) -> OrgKind:
    """Kind of organisation (or ``individual`` for a person's name) from the name alone."""
    text = clean_name(name)
    if not text:
        return "individual"
    if _HAS_CJK.search(text):
        return _classify_zh(text)
    return classify_latin(text)


def _classify_zh(text: str) -> OrgKind:
    masked = _NOT_HEAD.sub(lambda m: "\0" * len(m.group()), text)
    best: tuple[int, int, OrgKind] | None = None
    for m in _ZH_KIND_RE.finditer(masked):
        cand = (m.end(), len(m.group()), _ZH_KINDS[m.group()])
        if best is None or cand[:2] > best[:2]:
            best = cand
    # A keyword followed by a long tail is not the head ("...局长...", "部件"): require it near the end.
    if best is not None and best[0] >= len(text) - 3:
        return best[2]
    if is_person_name(text):
        return "individual"
    return best[2] if best is not None else "enterprise"


def is_person_name(text: str) -> bool:
    """A 2–4 character Chinese name starting with a known surname, or a minority-style dotted name."""
    if not _PERSON_ZH.match(text):
        return False
    return "·" in text or "•" in text or text[0] in _SURNAMES or text[:2] in _COMPOUND_SURNAMES


# Parent units: the unit ends at one of these, and a branch/department follows it.
_PARENT_END = re.compile(r"(股份有限公司|有限责任公司|有限公司|集团公司|公司|大学(?!城)|科学院|研究院|医院)")
_CHILD_END = re.compile(r"(分公司|子公司|研究院|研究所|研究中心|实验室|学院|医院|中心|分院|厂|事业部|办事处|"
                        r"研究生部|系|部|所|站)$")


def split_parent(name: str) -> tuple[str, str] | None:
    """("中国地质大学", "政法学院") for "中国地质大学政法学院"; None when the name is not a sub-unit."""
    text = clean_name(name)
    if not _HAS_CJK.search(text) or not _CHILD_END.search(text):
        return None
    for m in _PARENT_END.finditer(text):
        parent, child = text[: m.end()], text[m.end():]
        if len(parent) >= 4 and len(child) >= 2 and _CHILD_END.search(child):
            return parent, child
    return None


@lru_cache(maxsize=65_536)
def resolve(raw: str, hint_kind: OrgKind | None = None) -> OrgName:
    """Resolve one mention; ``hint_kind`` (e.g. from an export's 申请人类型 column) overrides the rules."""
    code = find_credit_code(raw)
    text = clean_name(raw if code is None else raw.replace(code.code, " "))
    name_en = None
    m = _EN_ALIAS.match(text)
    if m:
        text, name_en = m.group("zh").strip(), m.group("en").strip()
    parent = None
    split = split_parent(text)
    if split is not None:
        parent = resolve(split[0])
    return OrgName(name=text, key=resolution_key(text), kind=hint_kind or classify(text), name_en=name_en,
                   parent=parent, credit_code=code)


def same_organisation(a: str, b: str) -> bool:
    return resolution_key(a) == resolution_key(b)


_SEP = re.compile(r"[;；\n\r|、]+")
_COMMA = re.compile(r"[,，]")
_EN_SUFFIX_AFTER_COMMA = re.compile(r"^\s*(ltd|limited|inc|llc|l\.l\.c|co\b|corp|plc|gmbh|s\.a|ag\b|jr|sr)", re.I)
_CNKI_CODE = re.compile(r"^[A-Z]{1,3}\d{4,}$")
_POSTAL_TAIL = re.compile(rf"\s+[{_CJK}]{{2,8}}\d{{6}}$|\s*\d{{6}}$")


def split_names(field: str | None) -> list[str]:
    """Split an applicant / affiliation list; commas split only where they do not belong to a name.

    "Chongqing Changan Automobile Co., Ltd." stays whole; "A大学,B公司" splits; CNKI institution codes
    ("|JG001257") and trailing postal fragments ("四川雅安625014") are dropped; duplicates are removed.
    """
    if not field:
        return []
    out: list[str] = []
    for chunk in _SEP.split(field.replace(";;", ";")):
        for part in _split_commas(chunk):
            if _CNKI_CODE.match(part.strip()):
                continue
            name = _NUMBERING.sub("", _POSTAL_TAIL.sub("", part)).strip(" .,，")
            if len(name) >= 2 and name not in out:
                out.append(name)
    return out


def _splits_here(chunk: str, i: int) -> bool:
    # Latin lists use ";"; a comma there belongs to the name ("Co., Ltd.", "Smith, John").
    if _EN_SUFFIX_AFTER_COMMA.match(chunk[i + 1:]):
        return False
    return bool(_HAS_CJK.search(chunk)) or chunk[i] == "，"


def _split_commas(chunk: str) -> list[str]:
    parts: list[str] = []
    depth, start = 0, 0
    for i, ch in enumerate(chunk):
        if ch in "(（[":
            depth += 1
        elif ch in ")）]":
            depth = max(0, depth - 1)
        elif depth == 0 and _COMMA.match(ch) and _splits_here(chunk, i):
            parts.append(chunk[start:i])
            start = i + 1
    parts.append(chunk[start:])
    return [p.strip() for p in parts if p.strip()]
