"""Display names: one place, derived from the ontology and the YAML that already name things."""

from __future__ import annotations

from iplayout.api.display import display_names, missing_chinese


def test_every_shown_name_has_a_chinese_name() -> None:
    assert missing_chinese() == []


def test_rule_ids_and_indicators_come_from_their_yaml() -> None:
    from iplayout.queries.rules import load_yaml

    names = display_names()
    rules = load_yaml(None, "rules.yaml")
    for alert in rules["monitor"]["alerts"]:
        assert names["values"][alert["id"]]["doc"] == alert["doc"]
    indicators = load_yaml(None, "default.yaml")
    for sid, sub in indicators["subsystems"].items():
        assert names["subsystems"][sid] == {"zh": sub["name"]["zh"], "en": sub["name"]["en"]}
        assert all(i["id"] in names["columns"] for i in sub["indicators"])


def test_english_is_derived_from_identifiers_where_not_given() -> None:
    names = display_names()
    assert names["columns"]["claims_count"] == {"zh": "权利要求数", "en": "claims count"}
    assert names["labels"]["Patent"]["en"] == "Patent" and names["labels"]["Patent"]["doc"]
