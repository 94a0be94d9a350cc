"""University technology-transfer bodies, naming conventions that mean a university, and their look-alikes."""

from __future__ import annotations

from pathlib import Path

import pytest

from iplayout.nlp import known_bodies
from iplayout.nlp import organisations as orgs


@pytest.mark.parametrize("name", [
    # known_bodies.csv: transfer / IP-holding bodies whose name does not say whose they are
    "ISIS INNOVATION LTD", "Isis Innovation Limited", "CAMBRIDGE ENTERPRISE LTD", "IMPERIAL INNOVATIONS LTD",
    "UCL BUSINESS PLC", "YEDA RESEARCH AND DEVELOPMENT CO LTD", "YEDA R&DVELOPMENT CO LTD", "YISSUM RESEARCH DEV CO",
    "STC.UNM", "SCIENCE & TECHNOLOGY CORP @ UNM", "NUTECH VENTURES", "KU LEUVEN R&D",
    "K.U. LEUVEN RESEARCH & DEVELOPMENT", "B.G. NEGEV TECHNOLOGIES & APPLICATIONS LTD.", "ARCH DEVELOPMENT CORP",
    "OHIO STATE INNOVATION FOUNDATION", "MUSC FOUNDATION FOR RESEARCH DEVELOPMENT", "UNEMED CORP",
    "UNIQUEST PTY LTD", "AUCKLAND UNISERVICES LTD", "VALORISATION-RECHERCHE, LIMITED PARTNERSHIP",
    "UTI LIMITED PARTNERSHIP", "UNITECTRA AG", "KAROLINSKA INSTITUTET INNOVATIONS AB", "TOHOKU TECHNO ARCH CO LTD",
    # university acronyms and legal names
    "ETH ZURICH", "EPFL", "KAROLINSKA INSTITUTET", "KEIO GIJUKU", "WEIZMANN INSTITUTE OF SCIENCE",
    "INDIAN INSTITUTE OF SCIENCE",
    # naming conventions
    "OXFORD UNIVERSITY INNOVATION LTD", "IMPERIAL COLLEGE INNOVATIONS LTD",  # university + transfer words only
    "TOUDAI TLO LTD", "KANSAI TLO KK",  # Japan's approved university TLOs
    "GAKKO HOJIN KEIO GIJUKU",  # 学校法人: a private university's school corporation
    "POSTECH ACADEMY-INDUSTRY FOUNDATION",  # Korean 산학협력단
    "INT UNIVERSITY BREMEN GMBH", "PRIVATE UNIVERSITAET WITTEN HERDECKE GMBH",  # private universities run as GmbH
])
def test_university_bodies_are_universities(name: str) -> None:
    assert orgs.classify(name) == "university"


@pytest.mark.parametrize(("name", "kind"), [
    # the same acronym or brand with a legal form and no transfer word is another firm
    ("RIKEN CORP", "enterprise"), ("MIT LTD", "enterprise"), ("YEDA CO LTD", "enterprise"),
    ("ISIS PHARMACEUTICALS INC", "enterprise"), ("CAMBRIDGE DISPLAY TECH LTD", "enterprise"),
    ("UAB TELTONIKA", "enterprise"),
    # a university's business that is not technology transfer stays an enterprise
    ("TSINGHUA UNIVERSITY HOLDINGS CO LTD", "enterprise"), ("ZHEJIANG UNIVERSITY INNOVATION PARK CO LTD", "enterprise"),
    ("UNIVERSITY SCIENCE PARK GMBH", "enterprise"), ("PEKING UNIVERSITY WBL CORP LTD", "enterprise"),
    # research institutes whose name reads like a firm or a university; CAS institutes stay institutes
    ("KOREA INSTITUTE OF SCIENCE AND TECHNOLOGY", "institute"), ("KOREA ADVANCED INSTITUTE OF SCIENCE & TECH",
                                                                 "university"),
    ("IMEC", "institute"), ("TNO", "institute"), ("RIKEN", "institute"), ("MAX PLANCK INNOVATION GMBH", "institute"),
    ("SHENYANG INSTITUTE OF AUTOMATION CHINESE ACADEMY OF SCIENCES", "institute"),
    ("SHENYANG INSTITUTE OF AUTOMATION", "institute"), ("HARBIN INSTITUTE OF TECHNOLOGY", "university"),
    # a state-owned group named after its institute owns it; a brand before the head is the institute's name
    ("SHANGHAI RESEARCH INSTITUTE OF PETROCHEMICAL TECH SINOPEC", "enterprise"),
    ("STATE GRID SMART GRID RESEARCH INSTITUTE", "institute"),
    # hospitals in German and Dutch compounds; the head-word rule for university hospitals is kept
    ("UNIVERSITAETSKLINIKUM FREIBURG", "hospital"), ("ACADEMISCH ZIEKENHUIS LEIDEN", "hospital"),
    ("UNIVERSITAIR MEDISCH CENTRUM UTRECHT", "hospital"),
    ("SHUGUANG HOSPITAL AFFILIATED TO SHANGHAI UNIVERSITY OF TRADITIONAL CHINESE MEDICINE", "hospital"),
])
def test_look_alikes_keep_their_kind(name: str, kind: str) -> None:
    assert orgs.classify(name) == kind


def test_every_table_name_form_resolves_to_its_kind() -> None:
    bodies = known_bodies.load()
    assert len(bodies) >= 50
    for body in bodies:
        assert body.belongs_to and body.why
        for name in body.names:
            assert orgs.classify(name) == body.kind, (name, body.belongs_to)


def test_malformed_table_row_names_file_and_line(tmp_path: Path) -> None:
    path = tmp_path / "bodies.csv"
    path.write_text("names,kind,belongs_to,why\nYEDA,university,Weizmann,transfer arm\nFOO,school,X,y\n",
                    encoding="utf-8")
    with pytest.raises(ValueError, match=r"bodies\.csv:3: "):
        known_bodies.load(path)
    path.write_text("name,kind\nYEDA,university\n", encoding="utf-8")
    with pytest.raises(ValueError, match="header"):
        known_bodies.load(path)


@pytest.mark.parametrize("name", [
    "CENTRAL IRON & STEEL RESEARCH INSTITUTE", "GENERAL RESEARCH INSTITUTE FOR NONFERROUS METALS",
    "CHINA ACADEMY OF TELECOMMUNICATIONS TECHNOLOGY", "RESEARCH INSTITUTE OF PETROLEUM PROCESSING SINOPEC",
])
def test_chinese_institutes_converted_into_enterprises(name: str) -> None:
    assert orgs.classify(name) == "enterprise"
