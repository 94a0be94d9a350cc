"""docker-compose.yml: Neo4j 5.26 with APOC, a named volume, a healthcheck, and the API service."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[3]


def test_compose_structure() -> None:
    doc = yaml.safe_load((ROOT / "docker-compose.yml").read_text(encoding="utf-8"))
    neo4j = doc["services"]["neo4j"]
    assert neo4j["image"].startswith("neo4j:5.26")
    assert "apoc" in neo4j["environment"]["NEO4J_PLUGINS"]
    assert "healthcheck" in neo4j and neo4j["healthcheck"]["test"]
    volume = neo4j["volumes"][0].split(":")[0]
    assert volume in doc["volumes"]
    api = doc["services"]["api"]
    assert api["build"] == "."
    assert api["depends_on"]["neo4j"]["condition"] == "service_healthy"
    assert api["environment"]["IPLAYOUT_STORE"] == "neo4j"
    assert api["command"][:2] == ["iplayout", "serve"]
    assert (ROOT / "Dockerfile").is_file()


def test_docker_compose_config_when_available() -> None:
    if shutil.which("docker") is None:
        pytest.skip("docker client not installed")
    probe = subprocess.run(["docker", "compose", "version"], capture_output=True, text=True, check=False)
    if probe.returncode != 0:
        pytest.skip("docker compose plugin not available")
    out = subprocess.run(["docker", "compose", "-f", str(ROOT / "docker-compose.yml"), "config", "-q"],
                         capture_output=True, text=True, check=False)
    assert out.returncode == 0, out.stderr
