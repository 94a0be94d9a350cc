"""API keys: sent in ``X-API-Key``, stored only as sha256 hex digests (``Settings.api_keys``).

Every write and ingest route depends on :func:`require_write_key`; read routes depend on
:func:`require_read_key`, which only asks for a key when ``Settings.read_requires_key`` is set.
Keys are compared digest to digest with ``hmac.compare_digest`` against every configured digest
(no early exit), and neither keys nor digests are ever logged.
"""

from __future__ import annotations

import hashlib
import hmac
from typing import Annotated

from fastapi import Depends, Request
from fastapi.security import APIKeyHeader

from iplayout.api.problems import ApiProblem
from iplayout.config import Settings

HEADER = "X-API-Key"
api_key_header = APIKeyHeader(name=HEADER, auto_error=False,
                              description="API key; the server stores only its sha256 hex digest")


def digest(key: str) -> str:
    """The sha256 hex digest under which a key is configured (``IPLAYOUT_API_KEYS``)."""
    return hashlib.sha256(key.encode("utf-8")).hexdigest()


def key_is_valid(key: str | None, digests: list[str]) -> bool:
    if not key or not digests:
        return False
    candidate = digest(key).encode("ascii")
    ok = False
    for allowed in digests:
        ok |= hmac.compare_digest(candidate, allowed.strip().lower().encode("ascii", "replace"))
    return ok


def _settings(request: Request) -> Settings:
    settings: Settings = request.app.state.services.settings
    return settings


def _refuse(detail: str) -> ApiProblem:
    return ApiProblem(401, "unauthorized", "Missing or invalid API key", detail,
                      headers={"WWW-Authenticate": f'ApiKey header="{HEADER}"'})


def require_write_key(request: Request, key: Annotated[str | None, Depends(api_key_header)]) -> None:
    settings = _settings(request)
    if not settings.api_keys:
        raise _refuse("this server has no API keys configured, so writes are disabled (set IPLAYOUT_API_KEYS)")
    if not key_is_valid(key, settings.api_keys):
        raise _refuse(f"send a valid key in the {HEADER} header")


def require_read_key(request: Request, key: Annotated[str | None, Depends(api_key_header)]) -> None:
    settings = _settings(request)
    if settings.read_requires_key and not key_is_valid(key, settings.api_keys):
        raise _refuse(f"reads need a valid key in the {HEADER} header on this server")
