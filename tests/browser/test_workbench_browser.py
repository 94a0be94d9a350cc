"""The web workbench in headless Chromium over `iplayout serve` on the small demo graph (embedded).

Searches, opens an entity, switches the map metric and runs a console query; screenshots go to
test-artifacts/browser/.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.slow]
WAIT_S = 60


def _wait(drv: Any, css: str, timeout: float = WAIT_S) -> Any:
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support import expected_conditions as ec
    from selenium.webdriver.support.ui import WebDriverWait

    return WebDriverWait(drv, timeout).until(ec.presence_of_element_located((By.CSS_SELECTOR, css)))


def _shot(drv: Any, folder: Path, name: str) -> None:
    drv.save_screenshot(str(folder / f"{name}.png"))


def _severe(drv: Any) -> list[str]:
    """Browser errors, except the 403 the console's refused write is expected to produce."""
    return [e["message"] for e in drv.get_log("browser")
            if e.get("level") == "SEVERE" and not ("/cypher" in e["message"] and "403" in e["message"])]


def test_workbench_flow(browser: Any, server: Any, artifacts: Path) -> None:
    from selenium.webdriver.common.by import By
    from selenium.webdriver.common.keys import Keys
    from selenium.webdriver.support.ui import Select

    drv = browser
    drv.get(server.url + "/#/search")
    box = _wait(drv, "#search-input")
    box.send_keys("锂电池 正极材料", Keys.ENTER)
    _wait(drv, "article.card")
    cards = drv.find_elements(By.CSS_SELECTOR, "article.card")
    assert cards, "search returned no cards"
    assert "SYNTHETIC" in _wait(drv, "#synthetic-banner").text, "the demo graph must be labelled synthetic"
    assert cards[0].find_element(By.CSS_SELECTOR, ".why").text, "result card shows no evidence"
    _shot(drv, artifacts, "01-search")

    cards[0].find_element(By.CSS_SELECTOR, "a.title").click()
    graph = _wait(drv, "#entity-graph[data-nodes]")
    assert int(graph.get_attribute("data-nodes")) > 1, "entity graph has no neighbours"
    assert drv.find_element(By.ID, "entity-title").text
    _shot(drv, artifacts, "02-entity")

    drv.get(server.url + "/#/map")
    chart = _wait(drv, "#map-chart[data-ready='true']")
    assert chart.get_attribute("data-units") == "38", "the map must show all 38 county-level units"
    assert chart.get_attribute("data-values") == "38"
    legend = drv.find_elements(By.CSS_SELECTOR, "#map-legend .legend-item")
    assert len(legend) >= 3, "the map legend is missing"
    _shot(drv, artifacts, "03-map-density")

    Select(drv.find_element(By.ID, "map-iptype")).select_by_value("trademarks")
    chart = _wait(drv, "#map-chart[data-ready='true'][data-ip-type='trademarks']")
    assert chart.get_attribute("data-values") == "38"

    Select(drv.find_element(By.ID, "map-metric")).select_by_value("coordination")
    chart = _wait(drv, "#map-chart[data-ready='true'][data-metric='coordination']")
    assert chart.get_attribute("data-units") == "38"
    assert drv.find_elements(By.CSS_SELECTOR, "#map-legend .legend-item")
    _shot(drv, artifacts, "04-map-coordination")

    drv.get(server.url + "/#/console")
    _wait(drv, "#console-query")
    drv.find_element(By.ID, "console-run").click()
    count = _wait(drv, "#console-count")
    assert count.text.startswith("10 ")
    assert len(drv.find_elements(By.CSS_SELECTOR, "#console-result tbody tr")) == 10
    _shot(drv, artifacts, "05-console")

    query = drv.find_element(By.ID, "console-query")
    query.clear()
    query.send_keys("CREATE (d:District {adcode: '999999'}) RETURN d")
    drv.find_element(By.ID, "console-run").click()
    error = _wait(drv, "#console-result .error")
    assert "read-only" in error.text.lower() or "write" in error.text.lower()

    drv.get(server.url + "/#/industry")
    chain = _wait(drv, "#chain-chart[data-links]")
    assert int(chain.get_attribute("data-links")) > 0
    # The demo plants chain gaps: the page opens on a chain with flagged links, drawn distinctly.
    assert int(chain.get_attribute("data-flagged")) > 0
    bench = _wait(drv, "#chain-benchmark")
    assert bench.get_attribute("data-benchmark") == "outside" and "区域以外" in bench.text
    headers = [th.get_attribute("title") for th in drv.find_elements(By.CSS_SELECTOR, "#chain-links thead th")]
    flags_col = headers.index("flags")
    flagged = [tr for tr in drv.find_elements(By.CSS_SELECTOR, "#chain-links tbody tr")
               if tr.find_elements(By.CSS_SELECTOR, "td")[flags_col].text not in ("", "–")]
    assert flagged, "no flagged link row in the chain table"
    flagged[0].click()  # opens the link's evidence: its documents and holders
    evidence = _wait(drv, "#chain-evidence[data-rows]")
    assert int(evidence.get_attribute("data-rows")) > 0 and evidence.get_attribute("data-query") == "chain_link_evidence"
    drv.execute_script("document.getElementById('chain-chart').scrollIntoView()")
    _shot(drv, artifacts, "06-chains")
    drv.execute_script("arguments[0].scrollIntoView()", evidence)
    _shot(drv, artifacts, "06b-chain-evidence")

    drv.get(server.url + "/#/resources")
    _wait(drv, "table.grid tbody tr")
    _shot(drv, artifacts, "07-resources")
    assert not _severe(drv), _severe(drv)


def test_language_switch(browser: Any, server: Any, artifacts: Path) -> None:
    from selenium.webdriver.common.by import By

    drv = browser
    drv.get(server.url + "/#/search")
    _wait(drv, "#nav-map")
    assert drv.find_element(By.ID, "nav-map").text == "空间分布"
    drv.find_element(By.ID, "lang").click()
    assert drv.find_element(By.ID, "nav-map").text == "Spatial distribution"
    _shot(drv, artifacts, "08-english")
    drv.find_element(By.ID, "lang").click()
    assert drv.find_element(By.ID, "nav-map").text == "空间分布"
