"""Settings from the environment and .env.

The variable names are a contract (DESIGN.md): the Helm chart, the DAG and the pods set exactly these.
Every variable is listed, with its default, in .env.example.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Annotated

from pydantic import Field, SecretStr, ValidationError, field_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

from nowplaying.errors import ConfigError

CommaList = Annotated[list[str], NoDecode]


def _split_commas(value: object) -> object:
    if isinstance(value, str):
        return [part.strip() for part in value.split(",") if part.strip()]
    return value


class Settings(BaseSettings):
    """One settings object for every command; field names are the lower-cased variable names."""

    model_config = SettingsConfigDict(env_file=".env", env_file_encoding="utf-8", extra="ignore")

    # Cassandra
    cassandra_hosts: CommaList = Field(default_factory=lambda: ["127.0.0.1"])
    cassandra_port: int = 9042
    cassandra_keyspace: str = "nowplaying"
    cassandra_username: str | None = None
    cassandra_password: SecretStr | None = None
    # "SimpleStrategy:1" locally; "NetworkTopologyStrategy:dc1=3,dc2=3" on a cluster.
    cassandra_replication: str = "SimpleStrategy:1"
    cassandra_local_dc: str | None = None
    cassandra_connect_timeout: float = 10.0
    cassandra_request_timeout: float = 20.0

    # X API v2
    x_api_base_url: str = "https://api.x.com"
    x_bearer_token: SecretStr | None = None
    x_query: str = "#NowPlaying -is:retweet"
    # X bills every post read: a hard ceiling per run.
    x_max_posts_per_run: int = Field(default=200, ge=0)

    # Mastodon (no auth)
    mastodon_instances: CommaList = Field(default_factory=lambda: ["https://mastodon.social"])
    mastodon_hashtag: str = "nowplaying"
    mastodon_max_posts_per_run: int = Field(default=400, ge=0)

    # Spotify Web API
    spotify_api_base_url: str = "https://api.spotify.com"
    spotify_accounts_base_url: str = "https://accounts.spotify.com"
    spotify_client_id: str | None = None
    spotify_client_secret: SecretStr | None = None
    spotify_max_requests_per_run: int = Field(default=5000, ge=0)

    # Audio-feature fallback provider
    reccobeats_api_base_url: str = "https://api.reccobeats.com"

    # Files: raw JSONL, CSV history, local state
    nowplaying_data_dir: Path = Path("data")
    nowplaying_http_timeout: float = 15.0
    # Longest wait for a rate-limit window to reset; a later reset ends the run with what it read.
    nowplaying_rate_limit_max_wait: float = Field(default=60.0, ge=0)
    nowplaying_log_level: str = "INFO"
    # "auto": JSON when stderr is not a terminal, text when it is.
    nowplaying_log_format: str = "auto"

    # Web
    nowplaying_airflow_url: str | None = None
    nowplaying_spark_history_url: str | None = None

    @field_validator("cassandra_hosts", "mastodon_instances", mode="before")
    @classmethod
    def _comma_list(cls, value: object) -> object:
        return _split_commas(value)

    @field_validator("x_api_base_url", "spotify_api_base_url", "spotify_accounts_base_url",
                     "reccobeats_api_base_url")
    @classmethod
    def _no_trailing_slash(cls, value: str) -> str:
        return value.rstrip("/")

    @field_validator("mastodon_instances")
    @classmethod
    def _instances_no_trailing_slash(cls, value: list[str]) -> list[str]:
        return [v.rstrip("/") for v in value]

    def require(self, *names: str) -> None:
        """Raise ConfigError naming the first unset variable among `names` (field names)."""
        for name in names:
            value = getattr(self, name)
            if value is None or (isinstance(value, SecretStr) and not value.get_secret_value()):
                raise ConfigError(f"{name.upper()} is not set (put it in the environment or .env)")

    def secret_values(self) -> list[str]:
        """Every secret's plain value, so the log filter can mask it."""
        out: list[str] = []
        for name in type(self).model_fields:
            value = getattr(self, name)
            if isinstance(value, SecretStr) and value.get_secret_value():
                out.append(value.get_secret_value())
        return out

    @property
    def has_spotify_credentials(self) -> bool:
        return bool(self.spotify_client_id and self.spotify_client_secret
                    and self.spotify_client_secret.get_secret_value())

    @property
    def has_x_credentials(self) -> bool:
        return bool(self.x_bearer_token and self.x_bearer_token.get_secret_value())


def load_settings(**overrides: object) -> Settings:
    """Build settings, turning pydantic's multi-line report into one line naming the variable."""
    try:
        return Settings(**overrides)  # type: ignore[arg-type]
    except ValidationError as exc:
        first = exc.errors()[0]
        name = str(first["loc"][0]).upper() if first.get("loc") else "settings"
        raise ConfigError(f"{name}: {first['msg']}") from None


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    return load_settings()
