"""Background ingestion jobs: one worker thread, statuses kept in memory for the process."""

from __future__ import annotations

import threading
import time
import uuid
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from typing import Any, Literal

from pydantic import BaseModel, Field

from iplayout.errors import IplayoutError

State = Literal["queued", "running", "succeeded", "failed"]
MAX_JOBS = 1_000  # finished jobs beyond this are forgotten, oldest first


class Job(BaseModel):
    id: str
    kind: str = Field(description="what the job does, e.g. ingest")
    state: State = "queued"
    created: float
    started: float | None = None
    finished: float | None = None
    inputs: list[str] = Field(default_factory=list, description="file names (uploads) or relative paths")
    result: dict[str, Any] | None = None
    error: str | None = None


class JobRegistry:
    def __init__(self) -> None:
        self._jobs: dict[str, Job] = {}
        self._lock = threading.Lock()
        self._pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="iplayout-job")

    def submit(self, kind: str, inputs: list[str], work: Callable[[], dict[str, Any]],
               cleanup: Callable[[], None] | None = None) -> Job:
        job = Job(id=uuid.uuid4().hex, kind=kind, created=time.time(), inputs=inputs)
        with self._lock:
            self._jobs[job.id] = job
            self._forget_old()

        def run() -> dict[str, Any]:
            self._update(job.id, state="running", started=time.time())
            try:
                return work()
            finally:
                if cleanup is not None:
                    cleanup()

        future = self._pool.submit(run)
        future.add_done_callback(lambda f: self._finish(job.id, f))
        return job

    def _finish(self, job_id: str, future: Future[dict[str, Any]]) -> None:
        exc = future.exception()
        if exc is None:
            self._update(job_id, state="succeeded", finished=time.time(), result=future.result())
        else:
            message = str(exc).splitlines()[0][:500] if isinstance(exc, IplayoutError) and str(exc) \
                else f"internal error ({type(exc).__name__})"
            self._update(job_id, state="failed", finished=time.time(), error=message)

    def _update(self, job_id: str, **changes: Any) -> None:
        with self._lock:
            job = self._jobs.get(job_id)
            if job is not None:
                self._jobs[job_id] = job.model_copy(update=changes)

    def _forget_old(self) -> None:
        done = [j for j in self._jobs.values() if j.state in ("succeeded", "failed")]
        for job in sorted(done, key=lambda j: j.created)[: max(0, len(self._jobs) - MAX_JOBS)]:
            del self._jobs[job.id]

    def get(self, job_id: str) -> Job | None:
        with self._lock:
            return self._jobs.get(job_id)

    def all(self) -> list[Job]:
        with self._lock:
            return sorted(self._jobs.values(), key=lambda j: j.created, reverse=True)

    def wait(self, job_id: str, timeout: float) -> Job | None:
        """Poll until the job has finished or ``timeout`` seconds passed (tests, CLI)."""
        end = time.monotonic() + timeout
        while time.monotonic() < end:
            job = self.get(job_id)
            if job is None or job.state in ("succeeded", "failed"):
                return job
            time.sleep(0.05)
        return self.get(job_id)

    def shutdown(self) -> None:
        self._pool.shutdown(wait=True, cancel_futures=True)
