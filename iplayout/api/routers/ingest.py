"""Ingestion jobs: upload files or name files inside ``Settings.ingest_root``; both need an API key.

Jobs run in the background (one at a time) through ``iplayout.ingestion.run.ingest_paths`` and then
(unless ``build`` is false) the build pipeline, so the records reach the graph and the search index;
``GET /jobs/{id}`` reports their state and result.
"""

from __future__ import annotations

import uuid
from pathlib import Path
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, File, Form, UploadFile
from fastapi import Path as PathParam
from pydantic import BaseModel, Field

from iplayout.api.deps import Services, ServicesDep, optional_module
from iplayout.api.jobs import Job
from iplayout.api.pagination import Limit, Offset, Page, page
from iplayout.api.problems import ApiProblem, problem_responses
from iplayout.api.security import require_write_key
from iplayout.api.uploads import confine, safe_filename

write = APIRouter(tags=["ingest"], dependencies=[Depends(require_write_key)])
read = APIRouter(tags=["ingest"])  # the app adds the read-key dependency when reads are keyed

Kind = Literal["patents", "papers", "standards", "policies", "stats", "trademarks"]
PROFILE_PATTERN = r"^[A-Za-z0-9_\-]{1,64}$"
MAX_FILES = 100
CHUNK = 1 << 20


class PathsRequest(BaseModel):
    paths: list[str] = Field(min_length=1, max_length=MAX_FILES,
                             description="files or folders, relative to the server's ingest folder")
    kind: Kind | None = None
    profile: str | None = Field(default=None, pattern=PROFILE_PATTERN, description="a bundled profile name")
    replace_source: bool = False
    build: bool = Field(default=True, description="extract and load into the graph and search index afterwards")


def _build(services: Services) -> dict[str, Any]:
    """Extract and load what the job ingested, through the server's own store and search index."""
    from iplayout.ingestion.ledger import Ledger
    from iplayout.nlp.pipeline import build

    ledger = Ledger(services.settings.ledger_path)
    try:
        result = build(services.settings, services.store, ledger, index=services.search())
    finally:
        ledger.close()
    return result.as_dict()


def _submit(services: Services, files: list[Path], labels: list[str], kind: str | None, profile: str | None,
            replace_source: bool, build: bool = True) -> Job:
    run = optional_module("iplayout.ingestion.run", "ingestion")
    settings = services.settings

    def work() -> dict[str, Any]:
        result = run.ingest_paths(files, settings, kind=kind, profile=profile, replace_source=replace_source)
        summary: dict[str, Any] = result.model_dump()
        if build:  # what a user means by "ingest" on a server: searchable and in the graph afterwards
            summary["build"] = _build(services)
        services.cache.clear()
        return summary

    return services.jobs.submit("ingest", labels, work)


async def _save(upload: UploadFile, target: Path, limit: int) -> None:
    size = 0
    with target.open("wb") as fh:
        while chunk := await upload.read(CHUNK):
            size += len(chunk)
            if size > limit:
                fh.close()
                target.unlink(missing_ok=True)
                raise ApiProblem(413, "too-large", "Payload too large",
                                 f"{upload.filename}: over the upload limit of {limit} bytes")
            fh.write(chunk)


@write.post("/ingest/upload", status_code=202, response_model=Job,
            responses=problem_responses(400, 401, 413, 422, 501),
            summary="Upload source files and ingest them in the background (API key required)")
async def ingest_upload(
    services: ServicesDep,
    files: Annotated[list[UploadFile], File(description="source files (CSV, XLSX, XML, RIS, BibTeX, txt …)")],
    kind: Annotated[Kind | None, Form()] = None,
    profile: Annotated[str | None, Form(pattern=PROFILE_PATTERN)] = None,
    replace_source: Annotated[bool, Form()] = False,
    build: Annotated[bool, Form(description="extract and load into the graph and search index afterwards")] = True,
) -> Job:
    optional_module("iplayout.ingestion.run", "ingestion")
    if not files or len(files) > MAX_FILES:
        raise ApiProblem(400, "bad-upload", "Bad upload", f"send between 1 and {MAX_FILES} files")
    folder = services.settings.home / "uploads" / uuid.uuid4().hex
    names = [safe_filename(f.filename) for f in files]
    if len(set(names)) != len(names):
        raise ApiProblem(400, "bad-upload", "Bad upload", "two uploaded files have the same name")
    folder.mkdir(parents=True, exist_ok=True)
    saved = []
    for upload, name in zip(files, names, strict=True):
        target = folder / name
        await _save(upload, target, services.settings.upload_max_bytes)
        saved.append(target)
    return _submit(services, saved, names, kind, profile, replace_source, build)


@write.post("/ingest/paths", status_code=202, response_model=Job,
            responses=problem_responses(400, 401, 403, 404, 422, 501),
            summary="Ingest files already on the server, inside its ingest folder (API key required)")
def ingest_paths(services: ServicesDep, body: PathsRequest) -> Job:
    root = services.settings.ingest_root
    if root is None:
        raise ApiProblem(403, "path-refused", "Server-side ingest disabled",
                         "this server has no ingest folder (set IPLAYOUT_INGEST_ROOT); upload the files instead")
    files = [confine(p, root) for p in body.paths]
    return _submit(services, files, list(body.paths), body.kind, body.profile, body.replace_source, body.build)


@read.get("/jobs", response_model=Page[Job], responses=problem_responses(401, 422), summary="Jobs, newest first")
def jobs(services: ServicesDep, limit: Limit = 50, offset: Offset = 0) -> dict[str, Any]:
    return page(services.jobs.all(), limit, offset)


@read.get("/jobs/{job_id}", response_model=Job, responses=problem_responses(401, 404, 422), summary="One job's state")
def job(services: ServicesDep, job_id: Annotated[str, PathParam(pattern=r"^[0-9a-f]{32}$")]) -> Job:
    found = services.jobs.get(job_id)
    if found is None:
        raise ApiProblem(404, "not-found", "Job not found", f"no job {job_id}")
    return found

