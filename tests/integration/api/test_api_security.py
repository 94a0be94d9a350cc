"""API keys, uploads, server-side paths, CORS and problem details, on both engines."""

from __future__ import annotations

import logging
import os
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from iplayout.config import Settings
from iplayout.graph.store import GraphStore

KEY = "test-key-0123456789abcdef"  # the key conftest configures (as its sha256 digest)
CSV = b"id,title,abstract,applicants,application_date,ipc\nCN1,Battery,Lithium cell,Acme Co,2020-01-02,H01M 10/05\n"


def _upload(client: TestClient, headers: dict[str, str] | None = None, name: str = "p.csv",
            data: bytes = CSV) -> Any:
    return client.post("/ingest/upload", files={"files": (name, data, "text/csv")},
                       data={"kind": "patents"}, headers=headers or {})


def test_write_endpoints_need_a_valid_key(client: TestClient, problem: Any) -> None:
    for headers in ({}, {"X-API-Key": ""}, {"X-API-Key": "wrong"}, {"X-API-Key": KEY + "x"}):
        body = problem(_upload(client, headers), 401)
        assert body["type"] == "/problems/unauthorized"
        problem(client.post("/ingest/paths", json={"paths": ["a.csv"]}, headers=headers), 401)


def test_upload_with_key_runs_a_job(client: TestClient, keyed_settings: Settings) -> None:
    resp = _upload(client, {"X-API-Key": KEY})
    assert resp.status_code == 202, resp.text
    job = resp.json()
    assert job["state"] in ("queued", "running", "succeeded") and job["inputs"] == ["p.csv"]
    done = client.app.state.services.jobs.wait(job["id"], 60)  # type: ignore[attr-defined]
    assert done is not None and done.state == "succeeded", done
    status = client.get(f"/jobs/{job['id']}").json()
    assert status["state"] == "succeeded" and status["result"]["accepted"] == 1
    assert status["result"]["build"]["records"] == {"patents": 1}
    assert client.get("/jobs").json()["total"] == 1
    # the job also built: the patent is in the graph and searchable
    rows = client.post("/cypher", json={"query": "MATCH (p:Patent) RETURN p.id AS id"}).json()
    assert [r["id"] for r in rows["rows"]] == ["CN1"]
    hits = client.get("/search", params={"q": "lithium battery"}).json()
    assert [h["id"] for h in hits["items"]] == ["CN1"]


def test_oversized_upload_refused(client: TestClient, keyed_settings: Settings, problem: Any) -> None:
    big = b"x" * (keyed_settings.upload_max_bytes + 1)
    body = problem(_upload(client, {"X-API-Key": KEY}, data=big), 413)
    assert "limit" in body["detail"]
    # no Content-Length (chunked): refused while streaming
    def chunks() -> Any:
        for _ in range(200):
            yield b"y" * 1024

    resp = client.post("/ingest/upload", content=chunks(),
                       headers={"X-API-Key": KEY, "Content-Type": "multipart/form-data; boundary=zzz"})
    problem(resp, 413)
    uploads = keyed_settings.home / "uploads"
    assert not uploads.exists() or not any(p.is_file() for p in uploads.rglob("*"))


def test_upload_file_names_are_sanitised(client: TestClient) -> None:
    resp = _upload(client, {"X-API-Key": KEY}, name="../../etc/evil.csv")
    assert resp.status_code == 202, resp.text
    assert resp.json()["inputs"] == ["evil.csv"]


def test_paths_confined_to_ingest_root(client: TestClient, keyed_settings: Settings, tmp_path: Path,
                                       problem: Any) -> None:
    root = keyed_settings.ingest_root
    assert root is not None
    (root / "ok.csv").write_bytes(CSV)
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "secret.csv").write_bytes(CSV)
    (root / "link.csv").symlink_to(outside / "secret.csv")
    (root / "sub").mkdir()
    (root / "sub" / "escape").symlink_to(outside)
    headers = {"X-API-Key": KEY}
    for bad in ["../outside/secret.csv", "sub/../../outside/secret.csv", str(outside / "secret.csv"),
                "/etc/passwd", "link.csv", "sub", "..\\outside\\secret.csv"]:
        body = problem(client.post("/ingest/paths", json={"paths": [bad]}, headers=headers), 403)
        assert body["type"] == "/problems/path-refused", bad
    problem(client.post("/ingest/paths", json={"paths": ["missing.csv"]}, headers=headers), 404)
    ok = client.post("/ingest/paths", json={"paths": ["ok.csv", str(root / "ok.csv")]}, headers=headers)
    assert ok.status_code == 202, ok.text


def test_server_side_paths_off_without_ingest_root(store: GraphStore, keyed_settings: Settings,
                                                   problem: Any) -> None:
    from iplayout.api import create_app

    app = create_app(keyed_settings.model_copy(update={"ingest_root": None}), store=store)
    with TestClient(app) as c:
        body = problem(c.post("/ingest/paths", json={"paths": ["a.csv"]}, headers={"X-API-Key": KEY}), 403)
        assert "IPLAYOUT_INGEST_ROOT" in body["detail"]


def test_no_keys_configured_means_no_writes(store: GraphStore, keyed_settings: Settings, problem: Any) -> None:
    from iplayout.api import create_app

    app = create_app(keyed_settings.model_copy(update={"api_keys": []}), store=store)
    with TestClient(app) as c:
        problem(_upload(c, {"X-API-Key": KEY}), 401)


def test_reads_keyed_by_configuration(store: GraphStore, keyed_settings: Settings, problem: Any) -> None:
    from iplayout.api import create_app

    app = create_app(keyed_settings.model_copy(update={"read_requires_key": True}), store=store)
    with TestClient(app) as c:
        problem(c.post("/cypher", json={"query": "RETURN 1 AS x"}), 401)
        problem(c.get("/queries"), 401)
        assert c.post("/cypher", json={"query": "RETURN 1 AS x"}, headers={"X-API-Key": KEY}).status_code == 200
        assert c.get("/health").status_code == 200  # liveness stays open


def test_cors_off_by_default_on_when_configured(store: GraphStore, keyed_settings: Settings,
                                                client: TestClient) -> None:
    from iplayout.api import create_app

    headers = {"Origin": "https://evil.example", "Access-Control-Request-Method": "POST"}
    assert "access-control-allow-origin" not in client.options("/cypher", headers=headers).headers
    assert "access-control-allow-origin" not in client.get("/health", headers={"Origin": "https://evil.example"}).headers
    app = create_app(keyed_settings.model_copy(update={"cors_origins": ["https://ok.example"]}), store=store)
    with TestClient(app) as c:
        good = c.get("/health", headers={"Origin": "https://ok.example"})
        assert good.headers["access-control-allow-origin"] == "https://ok.example"
        assert "access-control-allow-origin" not in c.get("/health", headers={"Origin": "https://evil.example"}).headers


def test_problem_details_shape(client: TestClient, problem: Any) -> None:
    body = problem(client.get("/no/such/route"), 404)
    assert body["instance"] == "/no/such/route"
    body = problem(client.get("/jobs/" + "0" * 32), 404)
    assert body["type"] == "/problems/not-found"
    body = problem(client.get("/search"), 422)
    assert body["type"] == "/problems/validation" and body["errors"]
    problem(client.get("/entities/NotALabel/x"), 404)
    problem(client.get("/entities/District/999999"), 404)


def test_security_headers(client: TestClient) -> None:
    resp = client.get("/health")
    assert resp.headers["x-content-type-options"] == "nosniff"
    assert "default-src 'self'" in resp.headers["content-security-policy"]


def test_keys_never_logged(client: TestClient, caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.DEBUG):
        _upload(client, {"X-API-Key": "not-the-key-but-secret"})
        _upload(client, {"X-API-Key": KEY})
    assert "not-the-key-but-secret" not in caplog.text and KEY not in caplog.text
    assert os.environ.get("IPLAYOUT_API_KEYS") is None or KEY not in caplog.text
