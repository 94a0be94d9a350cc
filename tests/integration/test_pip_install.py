"""`pip install .` into a fresh venv, then `iplayout demo` and `iplayout serve`: / answers 200, the API
answers, and the packaged reference tables came with the wheel.

To stay fast the fresh venv borrows the third-party dependencies of the running (dev) venv through a
.pth line (no download, no compile); iplayout itself comes only from `pip install .` (no editable
finder, no PYTHONPATH), so a data file missing from the package fails here.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import socket
import subprocess
import sys
import sysconfig
import time
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
pytestmark = pytest.mark.slow


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.mark.parametrize("built", [True, False], ids=["with-workbench-build", "without-workbench-build"])
def test_pip_install_then_demo_and_serve(tmp_path: Path, built: bool) -> None:
    if built and not (ROOT / "iplayout" / "api" / "static" / "dist" / "index.html").is_file():
        pytest.skip("the workbench is not built in this checkout (bash scripts/build-web.sh)")
    src = tmp_path / "src"  # a clean copy: the build must not depend on local leftovers
    skip = [".venv", ".git", ".cache", "node_modules", "build", "*.egg-info", "__pycache__", ".iplayout", "tests",
            "web", *([] if built else ["dist"])]
    shutil.copytree(ROOT, src, ignore=shutil.ignore_patterns(*skip))
    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(venv)], check=True, timeout=120)
    py = venv / "bin" / "python"
    site = subprocess.run([str(py), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
                          capture_output=True, text=True, check=True).stdout.strip()
    (Path(site) / "_borrowed_deps.pth").write_text(sysconfig.get_paths()["purelib"] + "\n", encoding="utf-8")
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "IPLAYOUT_HOME", "IPLAYOUT_STORE")}
    env |= {"PIP_DISABLE_PIP_VERSION_CHECK": "1", "PIP_NO_INDEX": "1"}
    install = subprocess.run([str(py), "-m", "pip", "install", "--no-deps", "--no-build-isolation", "-q", str(src)],
                             capture_output=True, text=True, env=env, timeout=600, cwd=tmp_path, check=False)
    assert install.returncode == 0, install.stderr[-2000:]
    where = subprocess.run([str(py), "-c", "import iplayout, iplayout.refdata as r; print(iplayout.__file__); "
                            "print(all(r.packaged(t).is_file() for t in r.manifest()))"],
                           capture_output=True, text=True, env=env, cwd=tmp_path, check=True).stdout.split()
    assert where[0].startswith(site) and where[1] == "True"  # the installed copy, with its data files

    home = tmp_path / "home"
    exe = str(venv / "bin" / "iplayout")
    demo = subprocess.run([exe, "demo", "--no-index", "--json", "--home", str(home)], capture_output=True, text=True,
                          env=env, cwd=tmp_path, timeout=900, check=False)
    assert demo.returncode == 0, demo.stderr[-2000:]
    assert json.loads(demo.stdout)["synthetic"] is True

    port = _free_port()
    server = subprocess.Popen([exe, "serve", "--port", str(port), "--home", str(home), "--log-level", "warning"],
                              env=env, cwd=tmp_path, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        page = None
        for _ in range(120):
            try:
                page = urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=5)  # noqa: S310 (loopback)
                break
            except OSError:
                assert server.poll() is None, server.stderr.read().decode() if server.stderr else ""
                time.sleep(0.5)
        assert page is not None and page.status == 200
        with page:
            body, not_built = page.read().decode(), page.headers.get("X-Iplayout-Workbench") == "not-built"
        if built:  # a checkout with the Vite build: the wheel ships the workbench and its assets
            script = re.search(r'src="(/assets/[^"]+\.js)"', body)
            assert not not_built and script, body[:300]
            with urllib.request.urlopen(f"http://127.0.0.1:{port}{script.group(1)}", timeout=5) as asset:  # noqa: S310
                assert asset.status == 200
        else:  # no build: a 200 page that says how to build it
            assert not_built and "scripts/build-web.sh" in body
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/health", timeout=5) as health:  # noqa: S310
            assert health.status == 200
    finally:
        server.terminate()
        server.wait(timeout=30)
        if server.stderr:
            server.stderr.close()
