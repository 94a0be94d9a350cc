"""NLP evaluation: keyphrases, district resolution, organisation kinds, extraction throughput.

Organisation kinds of Latin-script names, the duplicates review list and throughput on real abstracts
are in benchmarks/eval_orgs.py (issue 14).

Run ``make eval-nlp`` or ``python -m benchmarks.eval_nlp --out docs/benchmarks.md``: prints a Markdown
section and, with ``--out``, writes it between ``<!-- eval-nlp -->`` markers (other sections of the
file are kept). Data comes from ``../shared/corpus`` (``--shared`` to change).

Gold labels for places and organisation kinds are written by hand below (GOLD_PLACES, GOLD_KINDS),
one line per distinct string seen in the corpus, with the reason where it is not obvious.
Place gold: ("district", adcode) / ("city", adcode) / ("province", adcode) / ("none", None) for
unambiguous strings; ("ambiguous", candidate adcodes) where the address names only a functional area
that spans districts — any answer that is not a district outside the candidates counts as not wrong.
"""

from __future__ import annotations

import argparse
import json
import random
import re
import time
from pathlib import Path
from typing import Any

from benchmarks.common import machine, peak_rss_mb, table, write_section
from iplayout.ingestion.records import Party, PatentRecord
from iplayout.nlp import organisations, places, terms
from iplayout.nlp.entities import ExtractionContext
from iplayout.nlp.record_rows import record_to_rows

ROOT = Path(__file__).resolve().parents[1]

_ZZ = ("410105", "410104", "410122")  # 郑东新区 spans 金水区, 管城回族区 and part of 中牟县
GOLD_PLACES: dict[str, tuple[str, Any]] = {
    # CN export 申请人地址 (incopat_style_10_records.csv): 郑东新区 is a functional area of 郑州市.
    "450000河南省郑州市郑东新区中道东路6号创意岛大厦8层": ("ambiguous", _ZZ),
    "450018河南省郑州市郑东新区中道东路6号创意岛大厦8层": ("ambiguous", _ZZ),
    "450046河南省郑州市郑东新区中州大道6号创意岛大厦8层": ("ambiguous", _ZZ),
    # NoteExpress {Author Address} values, split into affiliations as the pipeline does.
    "重庆邮电大学通信与信息工程学院": ("city", "500100"),
    "重庆邮电大学移动通信重点实验室": ("city", "500100"),
    "郑州铁路职业技术学院药学院": ("city", "410100"),
    "西北工业大学理学院陕西省光信息技术重点实验室": ("province", "610000"),
    "福建医科大学省立临床医学院福建省立医院整形外科": ("province", "350000"),
    "上海交通大学医学院附属第九人民医院整复外科": ("province", "310000"),
    "石家庄铁道大学": ("city", "130100"),
    "泗阳县史集小学": ("district", "321323"),
    "普宁市梅塘镇卫生院综合住院部": ("district", "445281"),
    "山西大学中医药现代研究中心": ("province", "140000"),
    "山西大学化学化工学院": ("province", "140000"),
    "山西中医药大学中药学院": ("province", "140000"),
    "天津中学": ("province", "120000"),
    "天津天士力之骄药业有限公司": ("province", "120000"),
    "天津市中药注射剂安全性评价企业重点实验室": ("province", "120000"),
    "天津药物研究院": ("province", "120000"),
    "复旦大学附属肿瘤医院": ("none", None),
    "国防科技大学空天科学学院": ("none", None),
    "军事科学院国防科技创新研究院": ("none", None),
    "四川农业大学动物科技学院": ("province", "510000"),
    "同煤集团矿山铁路分公司": ("none", None),
    "华北电力大学河北省输变电设备安全防御重点实验室": ("province", "130000"),
    "华北电力大学新能源电力系统国家重点实验室": ("none", None),
    "华北电力大学控制与计算机工程学院": ("none", None),
    "国网河北省电力有限公司电力科学研究院": ("province", "130000"),
    "北京市首都规划设计工程咨询开发有限公司": ("province", "110000"),
    "内蒙古福瑞制药有限责任公司": ("province", "150000"),
    "北京中医药大学": ("province", "110000"),
    "中国地质大学政法学院": ("none", None),
    "中国铁道科学研究院研究生部": ("none", None),
    "中国铁道科学研究院集团有限公司运输及经济研究所": ("none", None),
    "241000 安徽省芜湖市镜湖区华强广场C座办公楼2409室": ("district", "340202"),
    # Whole NoteExpress fields whose tail carries the city.
    "中国地质大学政法学院,中国地质大学政法学院 湖北武汉430074": ("city", "420100"),
    "四川农业大学动物科技学院,四川农业大学动物科技学院,四川农业大学动物科技学院 四川雅安625014": ("city", "511800"),
}

# Region rules (hand-written addresses, not corpus): history, scripts, short forms, functional areas.
GOLD_REGION: dict[str, tuple[str, Any]] = {
    "重庆市沙坪坝区大学城南路55号": ("district", "500106"),
    "重慶市沙坪壩區沙正街174號": ("district", "500106"),
    "石柱县南宾镇城南路": ("district", "500240"),
    "四川省重庆市江北区建新东路": ("district", "500105"),
    "重庆市璧山县璧城街道": ("district", "500120"),
    "重庆市开县汉丰街道": ("district", "500154"),
    "重庆市两江新区金渝大道": ("ambiguous", ("500105", "500112", "500109")),
    "重庆市大学城": ("ambiguous", ("500106", "500107")),
    "重庆市高新区科园一路": ("ambiguous", ("500106", "500107", "500120")),
    "重庆市两江新区(渝北区)金开大道": ("district", "500112"),
}

GOLD_KINDS: dict[str, str] = {
    "中科大数据研究院": "institute",  # the applicant of all 10 CN export records (申请人类型 科研机构)
    "重庆邮电大学通信与信息工程学院": "university", "郑州铁路职业技术学院药学院": "university",
    "西北工业大学理学院陕西省光信息技术重点实验室": "institute",
    "福建医科大学省立临床医学院福建省立医院整形外科": "hospital",
    "上海交通大学医学院附属第九人民医院整复外科": "hospital", "石家庄铁道大学": "university",
    "泗阳县史集小学": "university", "普宁市梅塘镇卫生院综合住院部": "hospital",
    "山西大学中医药现代研究中心": "institute", "天津天士力之骄药业有限公司": "enterprise",
    "天津市中药注射剂安全性评价企业重点实验室": "institute", "天津药物研究院": "institute",
    "复旦大学附属肿瘤医院": "hospital", "国防科技大学空天科学学院": "university",
    "军事科学院国防科技创新研究院": "institute", "同煤集团矿山铁路分公司": "enterprise",
    "国网河北省电力有限公司电力科学研究院": "institute", "北京市首都规划设计工程咨询开发有限公司": "enterprise",
    "内蒙古福瑞制药有限责任公司": "enterprise", "中国铁道科学研究院研究生部": "institute",
    "中国抗癌协会肉瘤专业委员会": "institute", "刘迪": "individual", "王元卓": "individual",
    "The Pennsylvania State University": "university", "West China Hospital of Stomatology": "hospital",
    "Finnish Environment Institute SYKE": "institute",
}


# ---- keyphrases ---------------------------------------------------------------------------------

def _norm(s: str) -> str:
    return re.sub(r"\s+", "", s).lower()


def load_csl(shared: Path) -> list[tuple[str, str, list[str]]]:
    out = []
    for line in (shared / "corpus/literature_csl_zh_keywords_dev/kg_dev.tsv").read_text(encoding="utf-8").splitlines():
        _, text, kws = line.split("\t")
        body, _, title = text.rpartition(" ")  # "<abstract> <title>"
        out.append((title, body, kws.split("_")))
    return out


def load_kppatent(shared: Path) -> list[tuple[str, str, list[str]]]:
    items = json.loads((shared / "corpus/patent_keyphrase_kppatent_zh/test_data_A.json").read_text(encoding="utf-8"))
    return [("", it["input"].removeprefix("摘要："), it["output"].split(",")) for it in items]


def prf(pred: list[list[str]], gold: list[list[str]]) -> tuple[float, float, float]:
    tp = sum(len({_norm(p) for p in ps} & {_norm(g) for g in gs}) for ps, gs in zip(pred, gold, strict=True))
    np_, ng = sum(len(ps) for ps in pred), sum(len(gs) for gs in gold)
    p, r = tp / np_ if np_ else 0.0, tp / ng if ng else 0.0
    return p, r, 2 * p * r / (p + r) if p + r else 0.0


def eval_keyphrases(shared: Path) -> list[list[Any]]:
    import jieba.analyse

    rows = []
    sets: list[tuple[str, list[tuple[str, str, list[str]]], terms.Granularity]] = [
        ("CSL dev (1,000 abstracts), phrase mode", load_csl(shared), "phrase"),
        ("KPPatent-ZH test A (696 abstracts), word mode", load_kppatent(shared), "word"),
        ("KPPatent-ZH test A, phrase mode (the pipeline's default)", load_kppatent(shared), "phrase"),
    ]
    for name, data, mode in sets:
        gold = [g for _, _, g in data]
        ours = [[t.text for t in terms.extract(ti, ab, top_k=5, granularity=mode)] for ti, ab, _ in data]
        base = [list(jieba.analyse.textrank(f"{ti}。{ab}", topK=5)) for ti, ab, _ in data]
        p, r, f = prf(ours, gold)
        bp, br, bf = prf(base, gold)
        rows.append([name, f"{bp:.3f} / {br:.3f} / {bf:.3f}", f"{p:.3f} / {r:.3f} / {f:.3f}",
                     f"{f / bf:.2f}×" if bf else "n/a"])
    return rows


# ---- places and organisation kinds --------------------------------------------------------------

def judge(place: places.Place, gold: tuple[str, Any]) -> str:
    status, want = gold
    if status == "ambiguous":
        wrong = place.status == "district" and place.district not in want
        return "wrong" if wrong else "ok"
    if status == "none":
        return "ok" if place.status == "none" else "wrong"
    return "ok" if place.status == status and place.adcode == want else "wrong"


def eval_places(gold: dict[str, tuple[str, Any]]) -> dict[str, Any]:
    res = {"unambiguous": [0, 0], "ambiguous": [0, 0], "errors": []}
    for address, g in gold.items():
        place = places.resolve(address)
        group = "ambiguous" if g[0] == "ambiguous" else "unambiguous"
        verdict = judge(place, g)
        res[group][0] += verdict == "ok"
        res[group][1] += 1
        if verdict != "ok":
            res["errors"].append(f"{address} → {place.status} {place.adcode} (gold {g})")
    return res


def eval_kinds() -> tuple[int, int, list[str]]:
    errors = [f"{n} → {organisations.classify(n)} (gold {k})" for n, k in GOLD_KINDS.items()
              if organisations.classify(n) != k]
    return len(GOLD_KINDS) - len(errors), len(GOLD_KINDS), errors


# ---- throughput ---------------------------------------------------------------------------------

_FIRMS = ["重庆长安汽车股份有限公司", "重庆京东方光电科技有限公司", "重庆大学", "重庆邮电大学", "中国科学院重庆绿色智能技术研究院",
          "重庆医科大学附属第一医院", "赛力斯集团股份有限公司", "重庆智飞生物制品股份有限公司", "张伟", "华润微电子(重庆)有限公司"]
_ADDR = ["重庆市江北区建新东路260号", "重庆市北碚区水土高新技术产业园", "重庆市沙坪坝区沙正街174号", "重庆市南岸区崇文路2号",
         "重庆市两江新区金渝大道", "重庆市沙坪坝区大学城", "重庆市渝中区袁家岗友谊路1号", "重庆市沙坪坝区凤天大道", "石柱县南宾镇",
         "重庆市西永微电园"]
_TOPICS = ["锂离子电池正极材料", "电池管理系统", "车载激光雷达", "显示面板阵列基板", "单克隆抗体制备", "智能驾驶决策控制",
           "功率半导体器件封装", "疫苗佐剂", "充电桩功率分配", "柔性OLED显示"]
_IPC = ["H01M 10/0525", "B60L 58/12", "G01S 17/931", "G02F 1/1362", "C07K 16/28", "B60W 60/00", "H01L 23/495",
        "A61K 39/39", "B60L 53/62", "H10K 59/12"]


def synthetic_patents(n: int, seed: int = 7) -> list[PatentRecord]:
    rnd = random.Random(seed)
    out = []
    for i in range(n):
        t = rnd.randrange(len(_TOPICS))
        f = rnd.randrange(len(_FIRMS))
        title = f"一种基于{_TOPICS[t]}的{rnd.choice(['检测方法', '控制装置', '制备工艺', '系统'])}"
        abstract = (f"本发明公开了一种{_TOPICS[t]}，包括{_TOPICS[(t + 1) % 10]}和{_TOPICS[(t + 3) % 10]}，"
                    f"通过优化{_TOPICS[(t + 5) % 10]}提高了可靠性和效率，第{i % 97}实施例中降低成本。")
        out.append(PatentRecord(
            id=f"CN{100000000 + i}A", title=title, abstract=abstract,
            applicants=[Party(name=_FIRMS[f], address=_ADDR[f])], inventors=[f"王{i % 50}", f"李{i % 31}"],
            ipc=[_IPC[t], _IPC[(t + 2) % 10]], application_date=f"{2014 + i % 11}-03-01"))
    return out


class _Stored:
    def __init__(self, rec: PatentRecord) -> None:
        self.kind, self.id, self.source, self.locator, self.record = "patents", rec.id, "synthetic", "", rec


def eval_throughput(n: int) -> tuple[float, float]:
    recs = [_Stored(r) for r in synthetic_patents(n)]
    ctx = ExtractionContext(run_id="bench")
    record_to_rows(recs[0], ctx)  # warm-up: jieba dictionary, gazetteer index
    t0 = time.perf_counter()
    for r in recs:
        record_to_rows(r, ctx)
    return n / (time.perf_counter() - t0), peak_rss_mb()


# ---- report -------------------------------------------------------------------------------------

def _place_line(name: str, res: dict[str, Any]) -> list[Any]:
    ua, ut = res["unambiguous"]
    aw = res["ambiguous"][1] - res["ambiguous"][0]
    return [name, f"{ua}/{ut} ({ua / ut:.0%})" if ut else "—", f"{aw} of {res['ambiguous'][1]}"]


def report(shared: Path, n: int, n_real: int = 1_696) -> str:
    from benchmarks import eval_orgs

    kp = eval_keyphrases(shared)
    corpus_places, region_places = eval_places(GOLD_PLACES), eval_places(GOLD_REGION)
    ok, total, kind_errors = eval_kinds()
    rate, rss = eval_throughput(n)
    errors = corpus_places["errors"] + region_places["errors"] + kind_errors
    parts = [
        "## NLP extraction (`make eval-nlp`)", "", f"Machine: {machine()}", "",
        "### Keyphrases, P / R / F1 @5 (exact match after removing spaces)", "",
        table(["gold set", "jieba TextRank baseline", "iplayout.nlp.terms", "F1 ratio"], kp), "",
        "### District resolution (gold labels hand-written in benchmarks/eval_nlp.py)", "",
        table(["set", "unambiguous correct", "ambiguous resolved wrongly"],
              [_place_line("CNKI NoteExpress affiliations + CN export 申请人地址", corpus_places),
               _place_line("Chongqing rule cases (hand-written addresses)", region_places)]), "",
        f"### Organisation kind, Chinese set: {ok}/{total} correct ({ok / total:.0%})", "",
        *eval_orgs.report(shared, n_real)[0],
        f"### Throughput: {rate:,.0f} patent records/s through `record_to_rows` ({n:,} synthetic records, "
        f"one process, no embeddings); peak RSS {rss:,.0f} MB", "",
    ]
    if errors:
        parts += ["Errors:", "", *[f"- {e}" for e in errors], ""]
    return "\n".join(parts)




def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--shared", type=Path, default=ROOT.parent / "shared")
    ap.add_argument("--out", type=Path, default=None)
    ap.add_argument("--records", type=int, default=5_000)
    ap.add_argument("--real-records", type=int, default=1_696, help="records with real abstracts (throughput)")
    args = ap.parse_args()
    text = report(args.shared, args.records, args.real_records)
    print(text)
    if args.out:
        write_section(args.out, "eval_nlp", text)


if __name__ == "__main__":
    main()
