"""Kind of a Latin-script applicant name: organisation words, head words, and persons by evidence.

Names arrive as patent offices and PATSTAT/HAN print them ("TSINGHUA UNIV", "KATHOLIEKE
UNIVERSITEIT LEUVEN", "X UNIV HOSPITAL", "CHEN NENGSEN", "Huang, Huadao"). The rules:

1. Words are upper-cased, stripped of accents and split on anything not a letter or digit; runs
   of single letters join ("S A" → SA, "E V" → EV).
2. The name splits into segments at relational words (OF, AFFILIATED, AT, FOR, IN, DE, DER, FUR …).
   English names put the head before "of" ("INSTITUTE OF PHYSICS CHINESE ACADEMY …") and last
   inside a noun phrase ("PEKING UNIVERSITY THIRD HOSPITAL"), so the kind is the *last* kind word
   of the *first* segment that has one.
3. Special heads: a legal form right after a university or hospital word is its legal shell
   ("NATIONAL UNIVERSITY CORP", "THE GENERAL HOSPITAL CORP"; not a group or holding: "TSINGHUA
   UNIVERSITY HOLDINGS CO LTD" is a firm), and so is a final GMBH / gGmbH after at most two plain words
   ("INT UNIVERSITY BREMEN GMBH": German private universities are run as (g)GmbH); a hospital word is not overridden by
   the university it belongs to ("WEST CHINA HOSPITAL SICHUAN UNIVERSITY"); an institute of
   technology is a university (MIT, KAIST); a university's research foundation or (Korean)
   industry-cooperation foundation counts as the university (they hold its patents); an institute
   that names its owner takes the owner's kind, as PATSTAT counts it ("SHENYANG RESEARCH INSTITUTE OF
   CHEMICAL IND CO LTD" and "… RESEARCH INSTITUTE SINOPEC" are enterprises, "INSTITUTE OF GENETICS
   FUDAN UNIVERSITY" a university); German compounds ending in KLINIKUM / KRANKENHAUS are hospitals.
4. A university's technology-transfer body counts as the university, as PATSTAT and the OECD
   Frascati manual count it: a research / development / innovation / IP company or foundation *of*
   a university ("YISSUM RESEARCH DEV CO OF THE HEBREW UNIVERSITY …"), a Korean university's R&DB or
   research-and-business foundation ("SNU R&DB FOUND"), a US state's institute of technology with
   such a body ("GEORGIA TECH RESEARCH CORP"), a university's name followed only by transfer words
   ("OXFORD UNIVERSITY INNOVATION LTD"), a Japanese TLO ("TOUDAI TLO LTD"), and the bodies whose name
   does not say whose they are, listed with their university in ``known_bodies.csv`` ("ISIS INNOVATION
   LTD", "CAMBRIDGE ENTERPRISE LTD", "YEDA R&D CO LTD", "STC UNM", "NUTECH VENTURES"; the table also
   names a few research institutes that read like firms or universities: IMEC, TNO, RIKEN, KIST). A
   university's firm with any other business ("NANJING UNIVERSITY SCIENCE PARK DEV CO LTD", "… WBL
   BIOTECH CO LTD") stays an enterprise.
5. Joint applicants in one string ("TSINGHUA UNIVERSITY & BEIJING … TECH CO LTD"): when " & " or
   " AND " follows a complete name (its last word is a kind word) and another named organisation
   follows, the first-named applicant decides, as it leads the filing.
6. No kind word at all: a person when the evidence says so (``is_person``), otherwise an enterprise.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache
from typing import Literal, cast

from iplayout.nlp import known_bodies
from iplayout.nlp.romanised import GIVEN_NAMES, OTHER_SYLLABLES, PINYIN, SURNAMES

Kind = Literal["enterprise", "university", "institute", "hospital", "government", "individual"]

_WORDS: dict[str, Kind] = {
    **dict.fromkeys((
        "CO", "COMPANY", "COMPANIES", "CORP", "CORPORATION", "INC", "INCORPORATED", "LTD", "LIMITED", "LTDA",
        "LLC", "LLP", "PLC", "GMBH", "MBH", "KGAA", "SARL", "SPA", "SRL", "KABUSHIKI", "KAISHA", "PTY",
        "PTE", "BHD", "BERHAD", "SDN", "ULC", "GROUP", "HOLDINGS", "HOLDING", "AKTIENGESELLSCHAFT",
        "AKTIEBOLAG", "AKTIEBOLAGET", "FACTORY", "FACTORIES", "ENTERPRISE", "ENTERPRISES", "CORPORATE"),
        "enterprise"),
    **dict.fromkeys((
        "UNIV", "UNIVERSITY", "UNIVERSITIES", "UNIVERSITAT", "UNIVERSITAET", "UNIVERSITE", "UNIVERSITEIT",
        "UNIVERSITET", "UNIVERSITETET", "UNIVERSITA", "UNIVERSIDAD", "UNIVERSIDADE", "UNIVERSITATEA",
        "UNIVERZITA", "UNIWERSYTET", "COLLEGE", "COLL", "SCHOOL", "HOCHSCHULE", "FACHHOCHSCHULE", "ECOLE",
        "POLYTECHNIC", "POLYTECHNIQUE", "POLITECNICO", "POLITECHNIKA", "EGYETEM", "TUDOMANYEGYETEM",
        "YLIOPISTO", "DAIGAKU", "DAEHAK", "HOGESCHOOL", "HOGSKOLA", "HOGSKOLAN", "TECHNION", "KAIST",
        "REGENTS"),
        "university"),
    **dict.fromkeys((
        "INSTITUTE", "INSTITUTES", "INST", "INSTITUT", "INSTITUUT", "ISTITUTO", "INSTITUTO", "INSTYTUT",
        "INSTITUTET", "ACADEMY", "ACAD", "ACADEMIA", "AKADEMIE", "ACADEMIE", "LABORATORY", "LAB",
        "LABORATOIRE", "LABORATORIO", "FORSCHUNGSZENTRUM", "FORSCHUNGSINSTITUT", "FOUNDATION", "FOUND",
        "FONDAZIONE", "FONDATION", "FUNDACION", "FUNDACAO", "STIFTUNG", "GESELLSCHAFT", "EV", "VZW", "ASBL",
        "CNRS", "INSERM", "INRA", "CSIC", "CSIR", "CSIRO", "OBSERVATORY"),
        "institute"),
    **dict.fromkeys((
        "HOSPITAL", "HOSPITALS", "HOSP", "HOPITAL", "HOPITAUX", "OSPEDALE", "KRANKENHAUS", "KLINIKUM",
        "KLINIK", "CLINIC", "CLINICS", "CLINIQUE", "INFIRMARY", "SANATORIUM", "ZIEKENHUIS", "KLINIKEN"),
        "hospital"),
    **dict.fromkeys((
        "MINISTRY", "MINISTERE", "MINISTERIUM", "MINISTERO", "BUREAU", "ADMINISTRATION", "COMMISSION",
        "COMMISSARIAT", "AGENCY", "DEPARTMENT", "DEPT", "GOVERNMENT", "GOVT", "SECRETARY", "MUNICIPALITY"),
        "government"),
}
# Two-word heads ("RESEARCH CENTER" is an institute, "CENTER" alone decides nothing).
_PAIRS: dict[tuple[str, str], Kind] = {
    **dict.fromkeys((("RESEARCH", "CENTER"), ("RESEARCH", "CENTRE"), ("RES", "CENTER"), ("RES", "CTR"),
                     ("RESEARCH", "COUNCIL")), "institute"),
    **dict.fromkeys((("MEDICAL", "CENTER"), ("MEDICAL", "CENTRE"), ("MED", "CTR"), ("CANCER", "CENTER"),
                     ("CANCER", "CENTRE"), ("MEDISCH", "CENTRUM")), "hospital"),
    ("GAKKO", "HOJIN"): "university",  # 学校法人, the school corporation that runs a Japanese private university
}
# German compounds: UNIVERSITAETSKLINIKUM FREIBURG, KREISKRANKENHAUS X.
_HOSPITAL_COMPOUND_ENDS = ("KLINIKUM", "KRANKENHAUS", "KLINIKEN")
# Legal forms that are also ordinary words or initials: a legal form only as the last word.
_FINAL_ONLY: dict[str, Kind] = dict.fromkeys(
    ("AG", "KG", "SA", "SAS", "SE", "BV", "NV", "AB", "OY", "OYJ", "AS", "ASA", "APS", "KK", "LP", "EG", "OHG"),
    "enterprise")
_LEGAL = frozenset(k for k, v in _WORDS.items() if v == "enterprise") | frozenset(_FINAL_ONLY)
# Legal forms that can be an institution's legal shell; a group, holding or factory is a business of its own
# (TSINGHUA UNIVERSITY HOLDINGS CO LTD).
_SHELLS = _LEGAL - {"GROUP", "HOLDINGS", "HOLDING", "FACTORY", "FACTORIES", "ENTERPRISE", "ENTERPRISES",
                    "CORPORATE", "COMPANIES"}
_CONNECTORS = frozenset(("OF", "AFFILIATED", "AFFILIATE", "AT", "FOR", "IN", "TO", "DE", "DU", "DES", "DI",
                         "DEL", "DELLA", "DELLE", "DER", "FUR", "FUER", "ZUR", "ZU", "AN", "ON", "D", "L"))
_TECH = frozenset(("TECH", "TECHNOLOGY", "TECHNOLOGIE", "TECHNOLOGIES"))
# What a university's technology-transfer company or foundation says it does (rule 4).
_TRANSFER = frozenset(("RESEARCH", "RES", "DEV", "DEVELOPMENT", "R", "D", "RD", "RDB", "DB", "INNOVATION",
                       "INNOVATIONS", "TRANSFER", "LICENSING", "INTELLECTUAL", "PROPERTY", "PROPERTIES", "VENTURES",
                       "BUSINESS", "FOUNDATION", "FOUND", "GESELLSCHAFT", "AND", "THE")) | _TECH
# "GEORGIA TECH", "VIRGINIA TECH", "TEXAS TECH": a US state before TECH names the state's institute of technology.
_US_STATES = frozenset("""
alabama alaska arizona arkansas california colorado connecticut delaware florida georgia hawaii idaho illinois
indiana iowa kansas kentucky louisiana maine maryland massachusetts michigan minnesota mississippi missouri
montana nebraska nevada ohio oklahoma oregon pennsylvania tennessee texas utah vermont virginia washington
wisconsin wyoming carolina dakota hampshire jersey mexico york island""".upper().split())  # + NEW YORK's YORK …
_TRANSFER_OUTRIGHT = frozenset(("INNOVATION", "INNOVATIONS", "TRANSFER", "LICENSING", "INTELLECTUAL", "VENTURES"))
# Brands of Chinese central state-owned groups (SASAC list) that appear without a legal form.
_GROUP_BRANDS = frozenset(("SINOPEC", "PETROCHINA", "CNPC", "CNOOC", "SINOCHEM", "AVIC", "CASC", "CASIC", "CETC",
                           "CRRC", "COFCO", "CHINALCO", "NORINCO", "COMAC", "CSSC", "BAOWU", "BAOSTEEL"))
_GERMAN_SHELLS = frozenset(("GMBH", "MBH", "GGMBH"))
_JOINT = re.compile(r"\s(?:&|AND)\s", re.I)
# Business and institution vocabulary that no personal name contains.
_ORG_EVIDENCE = frozenset((
    "THE", "AND", "OF", "FOR", "TECH", "TECHNOLOGY", "TECHNOLOGIES", "SCIENCE", "SCIENCES", "IND", "INDUSTRY",
    "INDUSTRIES", "INDUSTRIAL", "ELECT", "ELECTRIC", "ELECTRONIC", "ELECTRONICS", "PHARMACEUTICAL", "PHARMA",
    "MEDICAL", "MEDICINE", "SYSTEMS", "SYSTEM", "SOLUTIONS", "NETWORKS", "NETWORK", "SERVICES", "SERVICE",
    "PRODUCTS", "MFG", "MANUFACTURING", "ENGINEERING", "ENG", "TRADING", "INT", "INTERNATIONAL", "GLOBAL",
    "NATIONAL", "NAT", "RESEARCH", "RES", "DEV", "DEVELOPMENT", "CENTER", "CENTRE", "CTR", "BIO", "BIOTECH",
    "CHEMICAL", "CHEM", "MATERIALS", "MATERIAL", "ENERGY", "POWER", "MOTOR", "MOTORS", "AUTO", "MACHINERY",
    "EQUIPMENT", "INSTRUMENT", "INSTRUMENTS", "OPTICAL", "OPTOELECT", "DIGITAL", "SOFTWARE", "COMMS",
    "COMMUNICATIONS", "COMMUNICATION", "TELECOM", "MOBILE", "DEVICE", "DEVICES", "DISPLAY", "SEMICONDUCTOR",
    "STEEL", "METAL", "GLASS", "PLASTIC", "RUBBER", "TEXTILE", "FOOD", "FOODS", "HEALTH", "HEALTHCARE",
    "LIFE", "PRECISION", "INTELLIGENT", "SMART", "NEW", "STATE", "GRID", "CITY", "COUNTY", "PROVINCE",
    "PROVINCIAL", "MUNICIPAL", "PEOPLES", "STUDIO", "DESIGN", "PARK", "VENTURES", "CAPITAL", "PARTNERS",
    "ASSOCIATES", "ASSOCIATION", "SOCIETY", "TRUST", "TRUSTEES", "REGENTS", "BOARD", "FUND", "INVESTMENT",
))
# Place words: "BEIJING HUAXIA" is not a person, although both words are Pinyin.
_PLACES = frozenset((
    "CHINA", "CHINESE", "SINO", "AMERICA", "AMERICAN", "EUROPE", "ASIA", "PACIFIC", "JAPAN", "KOREA", "BEIJING",
    "SHANGHAI", "SHENZHEN", "GUANGZHOU", "TIANJIN", "CHONGQING", "HANGZHOU", "NANJING", "WUHAN", "CHENGDU",
    "XIAN", "SUZHOU", "QINGDAO", "DALIAN", "XIAMEN", "NINGBO", "HEFEI", "JINAN", "CHANGSHA", "ZHENGZHOU",
    "SHENYANG", "HARBIN", "KUNMING", "FUZHOU", "DONGGUAN", "FOSHAN", "WUXI", "CHANGZHOU", "ZHUHAI",
    "GUANGDONG", "JIANGSU", "ZHEJIANG", "SHANDONG", "HENAN", "HEBEI", "HUBEI", "HUNAN", "SICHUAN", "FUJIAN",
    "ANHUI", "JIANGXI", "SHAANXI", "SHANXI", "LIAONING", "JILIN", "HEILONGJIANG", "YUNNAN", "GUIZHOU",
    "GUANGXI", "HAINAN", "GANSU", "QINGHAI", "NINGXIA", "XINJIANG", "TAIWAN", "HONGKONG", "MACAU",
))
_CONNECTIVES = frozenset(("THE", "AND", "OF", "FOR"))
_SUFFIXES = frozenset(("JR", "SR", "II", "III", "IV", "V", "ESQ", "PHD", "MD", "DR", "PROF"))
_NAME_WORD = re.compile(r"[^\W\d_](?:[^\W\d_]|['’.\-])*")
_PAREN = re.compile(r"\([^)]*\)")


def fold(text: str) -> str:
    """Upper case without accents ("Universität" → "UNIVERSITAT", "ß" → "SS")."""
    text = text.replace("ß", "ss").replace("ø", "o").replace("Ø", "O").replace("æ", "ae").replace("Æ", "AE")
    if not text.isascii():
        text = "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))
    return text.upper()


def tokens(text: str) -> tuple[str, ...]:
    """Words of a name; runs of single letters join ("S A" → "SA", "P L A" → "PLA")."""
    raw = re.findall(r"[A-Z0-9]+", fold(text).replace("'", ""))
    out: list[str] = []
    run = ""
    for w in raw:
        if len(w) == 1 and w.isalpha():
            run += w
            continue
        if run:
            out.append(run)
            run = ""
        out.append(w)
    if run:
        out.append(run)
    return tuple(out)


def is_university_word(w: str) -> bool:
    """UNIVERSITY and its misspellings in the data (UNIVERISTY, UNVERSITY, UNIVERSTIY, UNIVESITY)."""
    if w in ("UNIVERSAL", "UNIVERSE", "UNIVERSALE", "UNIVERSUM"):
        return False
    return 8 <= len(w) <= 12 and w.startswith(("UNIV", "UNVI", "UNVE", "UNIE")) and within_two_edits(w, "UNIVERSITY")


def within_two_edits(a: str, b: str) -> bool:
    return edits(a, b) <= 2


def edits(a: str, b: str, cap: int = 3) -> int:
    """Edit distance (a transposition counts as one), or ``cap`` when it is at least that."""
    if abs(len(a) - len(b)) >= cap:
        return cap
    prev2: list[int] = []
    prev = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        cur = [i] + [0] * len(b)
        for j, cb in enumerate(b, 1):
            cur[j] = min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (ca != cb))
            if i > 1 and j > 1 and ca == b[j - 2] and a[i - 2] == cb:
                cur[j] = min(cur[j], prev2[j - 2] + 1)
        prev2, prev = prev, cur
    return min(prev[-1], cap)


def is_place(word: str) -> bool:
    """A Chinese province or large city as HAN/USPTO write it (BEIJING, GUANGDONG, SUZHOU …)."""
    return word in _PLACES


def _word_kind(words: tuple[str, ...], i: int) -> Kind | None:
    w = words[i]
    if i + 1 < len(words) and (w, words[i + 1]) in _PAIRS:
        return None  # the pair is counted at its second word
    if i > 0 and (words[i - 1], w) in _PAIRS:
        return _PAIRS[(words[i - 1], w)]
    kind = _WORDS.get(w)
    if kind is None and i == len(words) - 1:
        kind = _FINAL_ONLY.get(w)
    if kind is None and is_university_word(w):
        kind = "university"
    if kind is None and len(w) > 10 and w.endswith(_HOSPITAL_COMPOUND_ENDS):
        kind = "hospital"
    return kind


def _segments(words: tuple[str, ...]) -> list[tuple[int, int]]:
    spans, start = [], 0
    for i, w in enumerate(words):
        if w in _CONNECTORS and i > 0:
            spans.append((start, i))
            start = i + 1
    spans.append((start, len(words)))
    return [s for s in spans if s[0] < s[1]]


def _head(words: tuple[str, ...], start: int, end: int) -> Kind | None:
    """Last kind word of the segment, with the special heads of the module docstring."""
    best: Kind | None = None
    last = -2
    for i in range(start, end):
        kind = _word_kind(words, i)
        if kind is None:
            continue
        w = words[i]
        if kind == "enterprise" and best in ("university", "hospital") and w in _SHELLS and last == i - 1:
            last = i
            continue  # NATIONAL UNIVERSITY CORP, THE GENERAL HOSPITAL CORP (but X UNIV SCIENCE PARK CO LTD)
        if kind == "enterprise" and best in ("university", "hospital") and _german_shell(words, last, i):
            continue  # INT UNIVERSITY BREMEN GMBH: a private university run as a (g)GmbH
        if kind == "enterprise" and best == "university" and _transfer_tail(words[last + 1:end]):
            continue  # OXFORD UNIVERSITY INNOVATION LTD, IMPERIAL COLLEGE INNOVATIONS LTD
        if best == "hospital" and kind in ("university", "institute"):
            continue  # WEST CHINA HOSPITAL SICHUAN UNIVERSITY: the hospital of that university
        if kind == "institute" and best == "university" and words[i - 1] in ("POLYTECHNIC", "TECHNOLOGICAL"):
            continue  # WORCESTER POLYTECHNIC INSTITUTE
        if best == "university" and kind in ("institute", "enterprise") and _university_body(words, start, i):
            continue  # INDIANA UNIVERSITY RESEARCH & TECH CORP, KYUNGSUNG UNIV IND COOP FOUND
        best, last = kind, i
    return best


def _german_shell(words: tuple[str, ...], last: int, i: int) -> bool:
    """GMBH / gGmbH as the last word, at most two plain words (a place) after the institution word and
    no business word among them: German private universities and hospitals are run as (g)GmbH."""
    between = words[last + 1:i]
    return words[i] in _GERMAN_SHELLS and i == len(words) - 1 and len(between) <= 2 and not any(
        w in _ORG_EVIDENCE or w in _TRANSFER or w in _WORDS for w in between)


def _transfer_tail(tail: tuple[str, ...]) -> bool:
    """Only technology-transfer vocabulary and legal forms after the university's name, one of them
    saying transfer outright (INNOVATION, LICENSING, INTELLECTUAL PROPERTY, VENTURES, TRANSFER)."""
    return any(w in _TRANSFER_OUTRIGHT for w in tail) and all(w in _TRANSFER or w in _LEGAL for w in tail)


def _university_body(words: tuple[str, ...], start: int, i: int) -> bool:
    between = set(words[start:i])
    return bool(between & {"RESEARCH", "RES", "COOP", "COOPERATION", "IND", "INDUSTRY", "R", "RD", "RDB"})


def classify_latin(text: str) -> Kind:
    """Kind of a Latin-script name (see the module docstring)."""
    return _classify(text) if len(text) <= 160 else _classify.__wrapped__(text)


@lru_cache(maxsize=32_768)
def _classify(text: str) -> Kind:
    first = _first_applicant(text)
    if first is not None:
        return _classify(first)
    words = _words(text)
    if not words:
        return "enterprise"
    known = _known_body(words)
    if known is not None:
        return known
    spans = _segments(words)
    for n, (start, end) in enumerate(spans):
        kind = _head(words, start, end)
        if kind is None:
            continue
        if kind in ("institute", "enterprise") and (
                _research_foundation(words) or _industry_cooperation(words) or _korean_rdb_foundation(words)
                or _state_tech_body(words) or _transfer_body_of_university(words, spans, n)):
            return "university"  # WISCONSIN ALUMNI RESEARCH FOUNDATION, INHA IND PARTNERSHIP INSTITUTE
        if kind == "institute":
            return _institute_owner(words, start, end)
        return kind
    return "individual" if is_person(text) else "enterprise"


def _words(text: str) -> tuple[str, ...]:
    words = tokens(_PAREN.sub(" ", text))
    return words[1:] if words and words[0] == "THE" else words


def _has_head(words: tuple[str, ...]) -> bool:
    return any(_head(words, s, e) is not None for s, e in _segments(words))


def _first_applicant(text: str) -> str | None:
    """The first of joint applicants written as one name (rule 5), or None for a single name. The part
    before " & " must end on a kind word, so "SCIENCE & TECH", "EYE & EAR INFIRMARY" and "CHINA
    PETROLEUM & CHEMICAL CORP" stay whole."""
    for m in _JOINT.finditer(text):
        left, right = _words(text[:m.start()]), _words(text[m.end():])
        if left and right and _word_kind(left, len(left) - 1) is not None and _has_head(right):
            return text[:m.start()]
    return None


# ---- known bodies (known_bodies.csv) -------------------------------------------------------------

_IGNORED = frozenset(("AND", "OF", "THE", "AT", "FOR"))


def _index_known() -> dict[str, list[tuple[tuple[str, ...], Kind]]]:
    index: dict[str, list[tuple[tuple[str, ...], Kind]]] = {}
    for body in known_bodies.load():  # load() has checked each kind against the table's kinds
        for name in body.names:
            pattern = tuple(w for w in tokens(name) if w not in _IGNORED)
            index.setdefault(pattern[0], []).append((pattern, cast(Kind, body.kind)))
    for forms in index.values():
        forms.sort(key=len, reverse=True)
    return index


_KNOWN = _index_known()
# Transfer words long enough that a misspelling is still recognisable ("YEDA R&DVELOPMENT CO LTD").
_TRANSFER_LONG = tuple(w for w in _TRANSFER if len(w) >= 7)


def known_body_kind(text: str) -> Kind | None:
    """The kind that known_bodies.csv (or the Japanese-TLO rule) gives a name, None when it says nothing."""
    return _known_body(_words(text))


def _known_body(words: tuple[str, ...]) -> Kind | None:
    """The kind of a body in known_bodies.csv: one of its name forms, then only transfer vocabulary and
    legal forms. A one-word form (an acronym or brand: YEDA, RIKEN, MIT) needs nothing after it or a
    transfer word there, so "RIKEN CORP" or "MIT LTD" (other firms) do not match."""
    ws = tuple(w for w in words if w not in _IGNORED)
    if not ws:
        return None
    for pattern, kind in _KNOWN.get(ws[0], ()):
        if ws[:len(pattern)] != pattern:
            continue
        rest = ws[len(pattern):]
        said = [w for w in rest if _transfer_word(w) and w not in _LEGAL]
        if not rest or (all(_transfer_word(w) or w in _LEGAL or w == "PARTNERSHIP" for w in rest)
                        and (len(pattern) > 1 or said)):
            return kind
    return _japanese_tlo(ws)


def _transfer_word(w: str) -> bool:
    return w in _TRANSFER or (len(w) >= 7 and any(within_two_edits(w, t) for t in _TRANSFER_LONG))


def _japanese_tlo(ws: tuple[str, ...]) -> Kind | None:
    """TOUDAI TLO LTD, KANSAI TLO KK: "TLO" is the statutory name of the technology-licensing offices
    approved under Japan's 1998 university technology-transfer act; they hold their universities' patents."""
    if "TLO" not in ws:
        return None
    i = ws.index("TLO")
    before, after = ws[:i], ws[i + 1:]
    if 1 <= len(before) <= 2 and all(_word_kind(ws, j) is None for j in range(i)) and all(w in _LEGAL for w in after):
        return "university"
    return None


def _korean_rdb_foundation(words: tuple[str, ...]) -> bool:
    """SNU R&DB FOUNDATION, KOREA UNIVERSITY RESEARCH & BUSINESS FOUNDATION: Korean universities' patent
    holders (산학협력단) by their English names."""
    ws = [w for w in words if w != "AND"]
    if not {"FOUNDATION", "FOUND"} & set(ws):
        return False
    pairs = set(zip(ws, ws[1:], strict=False))
    return "RDB" in ws or ("R", "DB") in pairs or ("RESEARCH", "BUSINESS") in pairs


def _state_tech_body(words: tuple[str, ...]) -> bool:
    """GEORGIA TECH RESEARCH CORP, VIRGINIA TECH INTELLECTUAL PROPERTIES INC: the transfer body of a US
    state's institute of technology (a firm merely named "<state> Tech Inc" has no transfer words)."""
    for i in (1, 2):  # NEW MEXICO TECH: a two-word state ends in a listed word
        if len(words) > i + 1 and words[i] == "TECH" and words[i - 1] in _US_STATES:
            return _transfer_words(words[i + 1:])
    return False


def _transfer_body_of_university(words: tuple[str, ...], spans: list[tuple[int, int]], n: int) -> bool:
    """A research / development / IP company or foundation *of* a university (rule 4): the owner is a
    later segment headed by a university, and the body's own words say technology transfer."""
    for start, end in spans[n + 1:]:  # the whole name's legal form may close the owner's segment (… BOCHUM MBH)
        if any(_word_kind(words, i) == "university" for i in range(start, end)):
            return _transfer_words(words[spans[n][0]:start])
    return False


def _transfer_words(words: tuple[str, ...]) -> bool:
    """Only transfer vocabulary, legal forms, connectors and at most one brand word (YISSUM, RUBITEC),
    with at least one word that says research, development, innovation or IP."""
    rest = [w for w in words if w not in _TRANSFER and w not in _LEGAL and w not in _CONNECTORS]
    said = any(w in _TRANSFER and w not in ("AND", "THE", "FOUNDATION", "FOUND", "GESELLSCHAFT") for w in words)
    return said and len(rest) <= 1 and not any(w in _ORG_EVIDENCE for w in rest)


def named_kinds(text: str) -> set[Kind]:
    """Kinds that some word of the name names (UNIV → university, HOSP → hospital, MEDICAL CENTER →
    hospital), whatever the head: the name's own evidence, as an evaluation needs it."""
    words = _words(text)
    return {k for i in range(len(words)) if (k := _word_kind(words, i)) is not None}


def _research_foundation(words: tuple[str, ...]) -> bool:
    for i in range(len(words) - 1):
        if words[i] in ("RESEARCH", "RES") and words[i + 1] in ("FOUNDATION", "FOUND"):
            return all(w in _LEGAL for w in words[i + 2:])
    return False


def _industry_cooperation(words: tuple[str, ...]) -> bool:
    """Korean 산학협력단 ("INDUSTRY-ACADEMIC COOPERATION FOUNDATION", "IND PARTNERSHIP INSTITUTE"): always a
    university's patent-holding body."""
    ws = set(words)
    academy = bool({("ACADEMY", "INDUSTRY"), ("INDUSTRY", "ACADEMY"), ("ACADEMIC", "INDUSTRY")}
                   & set(zip(words, words[1:], strict=False)))  # POSTECH ACADEMY-INDUSTRY FOUNDATION
    return bool(ws & {"IND", "INDUSTRY", "INDUSTRIAL"}) and (academy or bool(ws & {"COOP", "COOPERATION", "PARTNERSHIP"})) \
        and bool(ws & {"FOUNDATION", "FOUND", "INSTITUTE", "GROUP", "FOUNDATIONS"})


def _institute_owner(words: tuple[str, ...], start: int, end: int) -> Kind:
    """An institute, laboratory or centre that names its owner is counted with the owner (PATSTAT's
    convention): a company's research institute is the company's, a university's the university's."""
    if _institute_of_technology(words, start, end):
        return "university"
    if any(w in _LEGAL and w not in _FINAL_ONLY for w in words) or words[-1] in _FINAL_ONLY \
            or _group_owner(words[_last_head(words, start, end) + 1:]):
        return "enterprise"
    if any(_WORDS.get(w) == "university" or is_university_word(w) for w in words):
        return "university"
    return "institute"


def _last_head(words: tuple[str, ...], start: int, end: int) -> int:
    return max((i for i in range(start, end) if _word_kind(words, i) is not None), default=end - 1)


def _group_owner(words: tuple[str, ...]) -> bool:
    """A Chinese state-owned group named by its brand, without a legal form, as the owner after the
    institute ("EXPLORATION & PRODUCTION RESEARCH INSTITUTE SINOPEC"): the institute is the group's unit.
    A brand before the head is part of the institute's own name ("STATE GRID SMART GRID RESEARCH
    INSTITUTE", "AVIC BEIJING INSTITUTE OF …"); PATSTAT files those mostly as GOV NON-PROFIT."""
    return any(w in _GROUP_BRANDS for w in words) or ("STATE", "GRID") in zip(words, words[1:], strict=False)


def _institute_of_technology(words: tuple[str, ...], start: int, end: int) -> bool:
    """INSTITUTE OF TECH / OF SCIENCE & TECH, INSTITUT FUR TECHNOLOGIE: universities by that name."""
    if words[end - 1] not in ("INSTITUTE", "INST", "INSTITUT") or end >= len(words) - 1:
        return False
    rest = [w for w in words[end + 1:] if w not in ("AND",)]
    tail = rest[:3]
    return bool(tail) and (tail[0] in _TECH or tail[:2] == ["SCIENCE", "TECH"] or
                           tail[:2] == ["SCIENCE", "TECHNOLOGY"])


# ---- persons -----------------------------------------------------------------------------------

def is_person(text: str) -> bool:
    """A personal name by evidence: no organisation word, and a name form with a surname in it."""
    text = _PAREN.sub(" ", text).strip()
    if not text or any(ch.isdigit() for ch in text):
        return False
    if "," in text:
        return _comma_person(text)
    words = [w for w in tokens(text) if w not in _SUFFIXES]
    if any(w in _WORDS or w in _FINAL_ONLY or w in _ORG_EVIDENCE or w in _PLACES for w in words):
        return False
    if not 2 <= len(words) <= 4:
        return False
    if all(_syllables(w) for w in words) and (words[0] in SURNAMES or words[-1] in SURNAMES):
        return True
    if any(w in GIVEN_NAMES for w in words) and len(words) <= 3 and all(len(w) > 1 for w in words[:2]):
        return True
    # Mixed-case Western form ("John Smith"): every word capitalised, none an organisation word.
    parts = text.split()
    return 2 <= len(parts) <= 3 and all(re.fullmatch(r"[A-Z][a-z'\-]+\.?|[A-Z]\.", p) for p in parts) \
        and not text.isupper()


def _comma_person(text: str) -> bool:
    """"Surname, Given" with optional suffix parts ("Parker, III, Joseph A.", "van der Mee, Mark")."""
    parts = [p.strip() for p in text.split(",") if p.strip()]
    names = [p for p in parts if fold(p).strip(". ") not in _SUFFIXES]
    if len(names) != 2:
        return False
    for part in names:
        words = part.split()
        if not 1 <= len(words) <= 4 or not all(_NAME_WORD.fullmatch(w) for w in words):
            return False
    # The comma form is evidence enough; only an organisation word (not a place: "Cui, Xinjiang") vetoes.
    return not any(w in _WORDS or w in _CONNECTIVES for w in tokens(" ".join(names)))


@lru_cache(maxsize=8_192)
def _syllables(word: str) -> bool:
    """The word splits into one to three romanised syllables ("NENGSEN" = NENG+SEN, "CHI-CHAO")."""
    return _split(word.replace("-", ""), 3)


def _split(rest: str, budget: int) -> bool:
    if not rest:
        return True
    if budget == 0:
        return False
    for n in range(min(6, len(rest)), 1, -1):
        head = rest[:n]
        if (head in PINYIN or head in OTHER_SYLLABLES) and _split(rest[n:], budget - 1):
            return True
    return False
