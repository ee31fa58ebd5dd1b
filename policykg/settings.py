"""Settings from the environment; only the CLI and the API read them."""
from __future__ import annotations

from pathlib import Path
from typing import Callable

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="", extra="ignore", populate_by_name=True)

    data_dir: Path = Field(default=Path(".policykg"), alias="POLICYKG_DATA")
    neo4j_uri: str | None = Field(default=None, alias="NEO4J_URI")
    neo4j_user: str = Field(default="neo4j", alias="NEO4J_USER")
    neo4j_password: str | None = Field(default=None, alias="NEO4J_PASSWORD")
    neo4j_database: str = Field(default="neo4j", alias="NEO4J_DATABASE")
    neo4j_timeout: float = Field(default=2.0, alias="NEO4J_QUERY_TIMEOUT")
    max_file_bytes: int = Field(default=20 * 1024 * 1024, alias="POLICYKG_MAX_FILE_BYTES")
    api_token: str | None = Field(default=None, alias="POLICYKG_API_TOKEN")
    max_upload_bytes: int = Field(default=10 * 1024 * 1024, alias="POLICYKG_MAX_UPLOAD_BYTES")
    cors_origins: str = Field(default="", alias="POLICYKG_CORS_ORIGINS")
    lock_timeout: float = Field(default=600.0, ge=0, alias="POLICYKG_LOCK_TIMEOUT")

    @property
    def store_kind(self) -> str:
        return "neo4j" if self.neo4j_uri else "embedded"


def open_store(settings: Settings, on_wait: Callable[[str], None] | None = None):
    """The store the settings select: Neo4j when NEO4J_URI is set, else the embedded one.
    `on_wait` gets a line when an embedded write waits for another process's writer."""
    if settings.neo4j_uri:
        from policykg.graph.neo4j_store import Neo4jStore

        return Neo4jStore(settings.neo4j_uri, settings.neo4j_user, settings.neo4j_password or "",
                          database=settings.neo4j_database, timeout=settings.neo4j_timeout)
    from policykg.graph.embedded import EmbeddedStore

    return EmbeddedStore(settings.data_dir, lock_timeout=settings.lock_timeout, on_wait=on_wait)
