"""Latin-script applicant names: kinds by head word, persons by evidence, the English resolution key."""

from __future__ import annotations

import pytest

from iplayout.nlp import organisations as orgs
from iplayout.nlp.latin_names import is_person


@pytest.mark.parametrize(("name", "kind"), [
    # the misses named in issue 14
    ("TSINGHUA UNIV", "university"), ("SHANDONG UNIV", "university"),
    ("KATHOLIEKE UNIVERSITEIT LEUVEN", "university"), ("ECOLE POLYTECHNIQUE FEDERALE DE LAUSANNE EPFL", "university"),
    ("CHEN NENGSEN", "individual"), ("Huang, Huadao", "individual"), ("JIN KI HO", "individual"),
    ("TSAI FRANK", "individual"),
    # head words: the hospital of a university is a hospital, a university's company an enterprise
    ("CHINA MEDICAL UNIVERSITY HOSPITAL", "hospital"), ("WEST CHINA HOSPITAL SICHUAN UNIVERSITY", "hospital"),
    ("XUANWU HOSPITAL OF CAPITAL MEDICAL UNIVERSITY", "hospital"),
    ("NANJING UNIVERSITY SCIENCE PARK DEV CO LTD", "enterprise"),
    ("INSTITUTE OF PHYSICS CHINESE ACADEMY OF SCIENCES", "institute"),
    ("NATIONAL UNIVERSITY CORP GUNMA UNIVERSITY", "university"), ("THE GENERAL HOSPITAL CORP", "hospital"),
    ("MASSACHUSSETTS INSTITUTE OF TECH", "university"), ("WORCESTER POLYTECHNIC INSTITUTE", "university"),
    ("WISCONSIN ALUMNI RESEARCH FOUNDATION", "university"), ("KYUNGSUNG UNIV IND COOP FOUND", "university"),
    ("INHA IND PARTNERSHIP INSTITUTE", "university"),
    ("SHENYANG RESEARCH INSTITUTE OF CHEMICAL IND CO LTD", "enterprise"),
    ("INSTITUTE OF GENETICS FUDAN UNIVERSITY", "university"),
    # a university's technology-transfer body is the university; its other firms stay enterprises
    ("YISSUM RESEARCH DEV CO OF THE HEBREW UNIVERSITY OF JERUSALEM LTD", "university"),
    ("TECH TRANSFER CO OF NANJING UNIVERSITY LTD", "university"),
    ("BIOTECH DEV CO OF FUDAN UNIVERSITY", "enterprise"), ("SCIENCE PARK DEV CO OF NANJING UNIVERSITY", "enterprise"),
    ("SNU R&DB FOUNDATION", "university"), ("KOREA UNIVERSITY RESEARCH & BUSINESS FOUNDATION", "university"),
    ("GEORGIA TECH RESEARCH CORP", "university"), ("NEW MEXICO TECH RESEARCH CORP", "university"),
    ("OHIO TECH INC", "enterprise"), ("GEORGIA TECH CO LTD", "enterprise"),
    # joint applicants in one string: the first-named one decides; "&" inside one name does not split it
    ("TSINGHUA UNIVERSITY & BEIJING TINGDE QINGDA TECH CO LTD", "university"),
    ("SAMSUNG ELECTRONICS CO LTD & SEOUL NATIONAL UNIV", "enterprise"),
    ("CHINA PETROCHEMICAL CORP & RESEARCH INSTITUTE OF PETROLEUM", "enterprise"),
    ("HONG KONG UNIVERSITY OF SCIENCE & TECH", "university"), ("PROCTER & GAMBLE CO", "enterprise"),
    # other languages, misspellings, legal forms
    ("PHILIPPS UNIVERSITAET MARBURG", "university"), ("Technische Universität München", "university"),
    ("UNIVERSITE DE STRASBOURG", "university"), ("SAPIENZA UNIVERSITA DI ROMA", "university"),
    ("SEMMELWEIS EGYETEM", "university"), ("TSINGHUA UNIVERISTY", "university"), ("UNVERSITY OF MACAU", "university"),
    ("UNIVERSAL DISPLAY", "enterprise"), ("SIEMENS AG", "enterprise"), ("NOKIA OYJ", "enterprise"),
    ("Hubbell Incorporated", "enterprise"), ("SONY KK", "enterprise"), ("MASSACHUSETTS EYE & EAR INFIRMARY", "hospital"),
    ("FRAUNHOFER GESELLSCHAFT ZUR FOERDERUNG DER ANGEWANDTEN FORSCHUNG EV", "institute"),
    ("UNITED STATES OF AMERICA AS REPRESENTED BY THE SECRETARY OF THE NAVY", "government"),
    # persons in every form; firms that look short stay firms
    ("Parker, III, Joseph A.", "individual"), ("van der Mee, Mark", "individual"), ("Knöpfel, Thomas", "individual"),
    ("Cao, De-Hua", "individual"), ("KUNSHENG WANG", "individual"), ("NG WING HOK", "individual"),
    ("Zhiguo, Li (Henry)", "individual"), ("Cui, Xinjiang", "individual"),
    ("BEIJING HUAXIA", "enterprise"), ("FUTUREWEI TECH", "enterprise"), ("HUAWEI TECH CO LTD", "enterprise"),
    ("CAPSUM", "enterprise"), ("Huawei Technologies Co., Ltd.", "enterprise"),
])
def test_latin_kind(name: str, kind: str) -> None:
    assert orgs.classify(name) == kind


def test_person_needs_evidence_not_length() -> None:
    assert is_person("DING FA XIANG")  # Pinyin syllables with a surname
    assert not is_person("ZHONGXING TONGXUN")  # Pinyin, but no surname at either end
    assert not is_person("ZTE")
    assert not is_person("CHINA MOBILE")


@pytest.mark.parametrize(("a", "b"), [
    ("Huawei Technologies Co., Ltd.", "HUAWEI TECH CO LTD"),
    ("AT&T Corp.", "AT AND T CORPORATION"),
    ("Foo Company Limited", "FOO CO LTD"),
    ("Universität Stuttgart", "UNIVERSITAT STUTTGART"),
    ("Nestlé S.A.", "NESTLE SA"),
    ("TSINGHUA UNIVERISTY", "Tsinghua University"),  # a misspelt UNIVERSITY is still the word
])
def test_english_key_meets_abbreviations(a: str, b: str) -> None:
    assert orgs.same_organisation(a, b)


@pytest.mark.parametrize(("a", "b"), [
    ("Huawei Technologies Co., Ltd.", "Huawei Device Co., Ltd."),
    ("Huawei Technologies (Shenzhen) Co., Ltd.", "Huawei Technologies Co., Ltd."),
    ("ABC Electric Co", "ABC Electronics Co"),
])
def test_english_key_keeps_firms_apart(a: str, b: str) -> None:
    assert not orgs.same_organisation(a, b)


def test_named_kinds_lists_every_kind_word_whatever_the_head() -> None:
    from iplayout.nlp.latin_names import named_kinds

    assert named_kinds("PEKING UNIVERSITY THIRD HOSPITAL") == {"university", "hospital"}
    assert named_kinds("NANJING UNIVERSITY SCIENCE PARK DEV CO LTD") == {"university", "enterprise"}
    assert named_kinds("BETH ISRAEL DEACONESS MEDICAL CENTER INC") == {"hospital", "enterprise"}
    assert named_kinds("SLOAN KETTERING INSTITUTE FOR CANCER RESEARCH") == {"institute"}
    assert named_kinds("CHEN NENGSEN") == set()
