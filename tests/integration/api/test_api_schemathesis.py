"""Schemathesis against the OpenAPI spec, in-process (ASGI), bounded: no 5xx, no schema violation.

One embedded demo graph serves every generated case (the engine-specific behaviour is covered by
the other API tests on both engines).
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import schemathesis
from hypothesis import HealthCheck, Phase, given, settings
from schemathesis import checks
from schemathesis.core.failures import FailureGroup

from iplayout.config import Settings

MAX_EXAMPLES = 15
# The acceptance criteria: no 5xx, responses (status, content type, headers, body) as the spec says,
# keyed routes refuse bad keys. Not "positive_data_acceptance": a well-formed id that names nothing
# (unknown district, scope or job) is rightly a 404/422 problem.
CHECKS = [checks.not_a_server_error, checks.status_code_conformance, checks.content_type_conformance,
          checks.response_schema_conformance, checks.response_headers_conformance, checks.ignored_auth]


@pytest.fixture(scope="module")
def api_schema(tmp_path_factory: pytest.TempPathFactory, build_search: Any) -> Iterator[Any]:
    from iplayout.api import create_app
    from iplayout.api.security import digest
    from iplayout.demo import generate, load_into
    from iplayout.graph.factory import open_store

    home = tmp_path_factory.mktemp("schemathesis")
    root = home / "ingest"
    root.mkdir()
    base = Settings(store="embedded", home=Path(home) / "home", api_keys=[digest("k" * 20)], ingest_root=root,
                    upload_max_bytes=4096, query_timeout_s=2.0, query_row_limit=100)
    store = open_store(base)
    rows = generate("small", seed=7)
    load_into(store, rows)
    app = create_app(base, store=store, search=build_search(rows, base))
    yield schemathesis.openapi.from_asgi("/openapi.json", app)
    app.state.services.close()
    store.close()


def _examples(operation: Any) -> int:
    """Fewer examples where each distinct request runs a whole analysis or renders a map."""
    return 4 if operation.path.startswith(("/analytics", "/maps", "/reports")) else MAX_EXAMPLES


def _check(operation: Any) -> str | None:
    """Run the bounded cases of one operation; the first failure as text, or None."""
    failures: list[str] = []

    @given(case=operation.as_strategy())
    @settings(max_examples=_examples(operation), deadline=None, derandomize=True, database=None,
              phases=[Phase.explicit, Phase.generate],  # no shrinking: report, don't minimise
              suppress_health_check=list(HealthCheck))
    def run(case: Any) -> None:
        case.call_and_validate(checks=CHECKS)

    try:
        run()
    except (AssertionError, FailureGroup) as exc:
        failures.append(str(exc)[:3000])
    except Exception as exc:  # noqa: BLE001 - an unhandled server error: report it with the others
        failures.append(f"server raised {type(exc).__name__}: {str(exc)[:2000]}")
    return failures[0] if failures else None


@pytest.mark.slow
def test_openapi_contract(api_schema: Any) -> None:
    """No 5xx, no undocumented status, no response that violates its schema, on every operation."""
    failures = {}
    count = 0
    for result in api_schema.get_all_operations():
        operation = result.ok()
        count += 1
        failure = _check(operation)
        if failure:
            failures[operation.label] = failure
    assert count >= 20
    assert not failures, "\n\n".join(f"{k}:\n{v}" for k, v in failures.items())
