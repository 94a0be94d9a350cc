"""Upload and server-side path safety: body size limit, file names, paths confined to ingest_root."""

from __future__ import annotations

import re
from pathlib import Path, PurePosixPath, PureWindowsPath

from starlette.exceptions import HTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from iplayout.api.problems import ApiProblem

MULTIPART_OVERHEAD = 64 * 1024
_SAFE_NAME = re.compile(r"[^\w.\-() \u4e00-\u9fff]")
MAX_SYMLINK_SCAN = 100_000


class BodyLimit:
    """ASGI middleware: refuse request bodies over ``max_bytes`` with 413, by header or while streaming."""

    def __init__(self, app: ASGIApp, max_bytes: int) -> None:
        self.app = app
        self.max_bytes = max_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = dict(scope.get("headers") or [])
        declared = headers.get(b"content-length")
        if declared is not None and declared.isdigit() and int(declared) > self.max_bytes:
            await self._too_large(scope, send)
            return
        seen = 0

        async def counting() -> Message:
            nonlocal seen
            message = await receive()
            if message["type"] == "http.request":
                seen += len(message.get("body", b""))
                if seen > self.max_bytes:
                    # an HTTPException passes through FastAPI's body parsing unchanged -> 413 problem
                    raise HTTPException(413, self._detail())
            return message

        await self.app(scope, counting, send)

    def _detail(self) -> str:
        return f"request body over the limit of {self.max_bytes} bytes"

    async def _too_large(self, scope: Scope, send: Send) -> None:
        import json

        body = json.dumps({"type": "/problems/too-large", "title": "Payload too large", "status": 413,
                           "detail": self._detail(), "instance": scope.get("path", "")}).encode()
        await send({"type": "http.response.start", "status": 413,
                    "headers": [(b"content-type", b"application/problem+json"),
                                (b"content-length", str(len(body)).encode())]})
        await send({"type": "http.response.body", "body": body})


def safe_filename(name: str | None) -> str:
    """The base name of an uploaded file with unsafe characters replaced; refuses empty/hidden names."""
    raw = (name or "").replace("\x00", "")
    base = PureWindowsPath(PurePosixPath(raw).name).name.strip()
    cleaned = _SAFE_NAME.sub("_", base)[:120]
    if not cleaned or cleaned.startswith(".") or cleaned in ("..", "."):
        raise ApiProblem(400, "bad-filename", "Unacceptable file name", f"file name {name!r} is not allowed")
    return cleaned


def _refuse(detail: str) -> ApiProblem:
    return ApiProblem(403, "path-refused", "Path refused", detail)


def confine(path: str, root: Path) -> Path:
    """``path`` (relative to ``root`` or absolute) resolved, refused unless it stays inside ``root``.

    ``..`` components are refused outright; symlinks are followed by ``resolve`` so one that
    points outside the root is refused too, and so is any symlink escaping it inside a folder.
    """
    if "\x00" in path or not path.strip():
        raise ApiProblem(400, "bad-path", "Unacceptable path", "empty path or NUL byte")
    pure = PurePosixPath(path.replace("\\", "/"))
    if ".." in pure.parts:
        raise _refuse(f"{path!r}: '..' is not allowed in ingest paths")
    root_r = root.resolve()
    candidate = (Path(pure) if pure.is_absolute() else root_r / pure).resolve()
    if not candidate.is_relative_to(root_r):
        raise _refuse(f"{path!r} is outside the server's ingest folder")
    if not candidate.exists():
        raise ApiProblem(404, "not-found", "Path not found", f"{path!r} does not exist in the ingest folder")
    if candidate.is_dir():
        for n, entry in enumerate(candidate.rglob("*")):
            if n > MAX_SYMLINK_SCAN:
                raise _refuse(f"{path!r} holds too many files; ingest a smaller folder")
            if entry.is_symlink() and not entry.resolve().is_relative_to(root_r):
                raise _refuse(f"{path!r} contains a symlink that leads outside the ingest folder")
    return candidate
