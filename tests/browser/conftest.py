"""Browser fixtures: the workbench built, a demo home, `iplayout serve` and headless Debian Chromium.

Without chromium/chromedriver (or npm for the web build) the tests skip with the reason, except
under CI=true, where a missing browser is a failure (`make test` runs scripts/ensure-chromium.sh).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[2]
if str(ROOT) not in sys.path:  # benchmarks.bench_api (server + demo home helpers) lives at the repo root
    sys.path.insert(0, str(ROOT))
ARTIFACTS = ROOT / "test-artifacts" / "browser"
CHROMIUM = ("/usr/bin/chromium", "/usr/bin/chromium-browser")
DRIVER = ("/usr/bin/chromedriver",)
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync",
         "--disable-dev-shm-usage", "--window-size=1400,900", "--lang=zh-CN"]


def _missing(reason: str) -> None:
    if os.environ.get("CI") == "true":
        pytest.fail(f"{reason} (required under CI=true; run scripts/ensure-chromium.sh)")
    pytest.skip(f"BROWSER TEST SKIPPED: {reason}")


def _first(paths: tuple[str, ...]) -> str | None:
    return next((p for p in paths if Path(p).exists()), None)


@pytest.fixture(scope="session")
def web_built() -> Path:
    if shutil.which("npm") is None and not (ROOT / "iplayout/api/static/dist/index.html").exists():
        _missing("npm is not installed, so the web workbench cannot be built")
    subprocess.run(["bash", str(ROOT / "scripts/build-web.sh")], check=True, cwd=ROOT)
    return ROOT / "iplayout/api/static/dist"


@pytest.fixture(scope="session")
def server(web_built: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    from benchmarks.bench_api import ServerProcess, prepare_home

    home = tmp_path_factory.mktemp("browser-home")
    prepare_home(home, "small")
    with ServerProcess(home) as srv:
        yield srv


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    chromium, driver = _first(CHROMIUM), _first(DRIVER)
    if chromium is None or driver is None:
        _missing("Debian chromium and chromium-driver are not installed")
    try:
        from selenium import webdriver
        from selenium.webdriver.chrome.service import Service
    except ImportError:
        _missing("the selenium package is not installed (pip install selenium)")
    import tempfile

    profile = tempfile.mkdtemp(prefix="iplayout-chromium-")
    options = webdriver.ChromeOptions()
    options.binary_location = str(chromium)
    for flag in [*FLAGS, f"--user-data-dir={profile}"]:
        options.add_argument(flag)
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    drv = webdriver.Chrome(service=Service(executable_path=str(driver)), options=options)
    drv.set_page_load_timeout(60)
    try:
        yield drv
    finally:
        drv.quit()
        shutil.rmtree(profile, ignore_errors=True)


@pytest.fixture(scope="session")
def artifacts() -> Path:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    return ARTIFACTS


@pytest.fixture(scope="session")
def medium_server(web_built: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    """The demo `medium` graph (no search index: only its entity pages are opened)."""
    from benchmarks.bench_api import ServerProcess
    from iplayout.config import Settings
    from iplayout.demo import generate, load_into
    from iplayout.graph.factory import open_store

    home = tmp_path_factory.mktemp("browser-medium")
    store = open_store(Settings(store="embedded", home=home))
    try:
        load_into(store, generate("medium", 7))
    finally:
        store.close()
    with ServerProcess(home) as srv:
        yield srv


UPLOAD_KEY = "browser-test-key-0123456789"


@pytest.fixture(scope="session")
def empty_server(web_built: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    """`iplayout serve` on a new, empty home (a user's first start) that accepts uploads with UPLOAD_KEY."""
    import json

    from benchmarks.bench_api import ServerProcess
    from iplayout.api.security import digest

    home = tmp_path_factory.mktemp("browser-empty")
    with ServerProcess(home, env={"IPLAYOUT_API_KEYS": json.dumps([digest(UPLOAD_KEY)])}) as srv:
        srv.api_key = UPLOAD_KEY
        yield srv


@pytest.fixture
def downloads(browser: Any, tmp_path: Path) -> Path:
    """A folder the browser saves downloads into (Chrome DevTools protocol)."""
    folder = tmp_path / "downloads"
    folder.mkdir()
    browser.execute_cdp_cmd("Page.setDownloadBehavior", {"behavior": "allow", "downloadPath": str(folder)})
    return folder
