"""All of newswire's settings in one typed, frozen object, read from the environment once."""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, fields
from pathlib import Path
from typing import Any

from pipeline.errors import ConfigError

ENV_PREFIX = "NEWSWIRE_"
DEFAULT_FEEDS = Path(__file__).resolve().parent.parent / "connectors" / "data" / "feeds.yaml"


@dataclass(frozen=True)
class Settings:
    """Every field can be set by the environment variable NEWSWIRE_<FIELD NAME IN CAPITALS>."""

    bootstrap_servers: str = ""
    embedded_host: str = "127.0.0.1"
    embedded_port: int = 9092
    feeds: Path = DEFAULT_FEEDS
    metrics_port: int = 9464
    metrics_host: str = "127.0.0.1"
    app_id: str = "newswire"
    data_dir: Path = Path(".newswire")
    raw_topic: str = "news.raw.v1"
    enriched_topic: str = "news.enriched.v1"
    deadletter_topic: str = "news.deadletter.v1"
    raw_partitions: int = 4
    enriched_partitions: int = 4
    deadletter_partitions: int = 1
    replication_factor: int = 1
    session_timeout_s: float = 6.0
    fetch_wait_ms: int = 20
    compression: str = "lz4"
    tagger: str = ""
    extraction_mode: str = "adaptive"
    extraction_retry_chars: int = 250
    heartbeat_interval_s: float = 2.0
    state_topic: str = "newswire.connector-state.v1"
    poll_interval_s: float = 300.0
    poll_min_interval_s: float = 120.0
    poll_max_interval_s: float = 3600.0
    fetch_connect_timeout_s: float = 5.0
    fetch_read_timeout_s: float = 15.0
    fetch_total_timeout_s: float = 30.0
    fetch_max_bytes: int = 5_000_000
    fetch_max_redirects: int = 5
    fetch_host_concurrency: int = 2
    fetch_host_delay_s: float = 1.0
    fetch_allow_networks: str = ""
    fetch_page_workers: int = 8
    fetch_source_workers: int = 4
    fetch_max_items_per_poll: int = 100
    fetch_max_entries_per_source: int = 1000
    fetch_max_retry_after_s: float = 900.0
    raw_max_event_bytes: int = 7_900_000
    user_agent: str = "newswire/0.1 (+https://github.com/newswire)"
    process_pool_size: int = 0
    batch_size: int = 16
    batch_window_s: float = 0.002
    linger_ms: int = 1
    dedup_capacity: int = 20_000
    lag_interval_s: float = 15.0
    metrics_companies: str = (
        "amazon,alphabet,apple,microsoft,meta-platforms,nvidia,tesla,openai,anthropic,netflix,"
        "sap,siemens,allianz,deutsche-telekom,volkswagen,bmw,mercedes-benz-group,basf,bayer,"
        "infineon,deutsche-bank"
    )

    @property
    def uses_embedded_broker(self) -> bool:
        return not self.bootstrap_servers

    @property
    def bootstrap(self) -> str:
        """The address clients connect to: the configured one, else the embedded default."""
        return self.bootstrap_servers or f"{self.embedded_host}:{self.embedded_port}"

    @property
    def pool_size(self) -> int:
        return self.process_pool_size or os.cpu_count() or 1

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None) -> Settings:
        """Build settings from NEWSWIRE_* variables; unknown NEWSWIRE_* names are an error."""
        env = os.environ if environ is None else environ
        known = {f.name: f for f in fields(cls)}
        values: dict[str, Any] = {}
        for key, raw in env.items():
            if not key.startswith(ENV_PREFIX):
                continue
            name = key[len(ENV_PREFIX) :].lower()
            if name not in known:
                continue
            values[name] = _convert(key, raw, type(getattr(cls(), name)))
        return cls(**values)

    def to_env(self) -> dict[str, str]:
        """The environment that reproduces these settings in a child process."""
        return {f"{ENV_PREFIX}{f.name.upper()}": str(getattr(self, f.name)) for f in fields(self)}


def _convert(key: str, raw: str, kind: type) -> Any:
    try:
        if kind is bool:
            return _parse_bool(raw)
        if kind is Path:
            return Path(raw).expanduser()
        return kind(raw)
    except ValueError as exc:
        raise ConfigError(f"{key}={raw!r} is not a valid {kind.__name__}") from exc


def _parse_bool(raw: str) -> bool:
    lowered = raw.strip().lower()
    if lowered in {"1", "true", "yes", "on"}:
        return True
    if lowered in {"0", "false", "no", "off", ""}:
        return False
    raise ValueError(raw)
