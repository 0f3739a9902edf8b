"""All of newswire's settings in one typed, frozen, nested object, read from the environment once.

Every field is set by the environment variable NEWSWIRE_<FIELD NAME IN CAPITALS>, whatever its
group (`settings.kafka.bootstrap_servers` is NEWSWIRE_BOOTSTRAP_SERVERS). The defaults below are
the only ones: the connectors' and the worker's option objects are built from these fields. An
unknown NEWSWIRE_* name is an error that names the closest valid one; secrets are SecretStr and
print as '**********'.
"""

from __future__ import annotations

import difflib
import os
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

from pydantic import (
    BaseModel,
    ConfigDict,
    SecretStr,
    ValidationError,
    field_validator,
    model_validator,
)
from pydantic_settings import BaseSettings, PydanticBaseSettingsSource, SettingsConfigDict

from pipeline.core.errors import ConfigError

ENV_PREFIX = "NEWSWIRE_"
_FROZEN = ConfigDict(frozen=True, extra="forbid")


class KafkaSettings(BaseModel):
    """How to reach the cluster (or start the embedded broker), and how clients behave."""

    model_config = _FROZEN

    bootstrap_servers: str = ""  # empty: start the embedded broker
    embedded_host: str = "127.0.0.1"
    embedded_port: int = 9092
    # Copies of each topic partition; 1 suits the embedded broker and a laptop, use 3 on a
    # production cluster (with min.insync.replicas=2, acks=all then survives one broker down).
    replication_factor: int = 1
    compression: str = "lz4"  # none, gzip, snappy, lz4 or zstd
    session_timeout_s: float = 6.0
    heartbeat_interval_s: float = 2.0
    fetch_wait_ms: int = 20
    linger_ms: int = 1
    broker_wait_s: float = 30.0  # how long a command waits for an unreachable broker
    security_protocol: str = "PLAINTEXT"  # PLAINTEXT, SSL, SASL_PLAINTEXT or SASL_SSL
    sasl_mechanism: str = ""  # PLAIN, SCRAM-SHA-256 or SCRAM-SHA-512
    sasl_username: str = ""
    sasl_password: SecretStr = SecretStr("")
    ssl_cafile: str = ""
    ssl_certfile: str = ""
    ssl_keyfile: str = ""
    ssl_password: SecretStr = SecretStr("")  # of the TLS key file
    # The idempotent producer (no duplicates from retries) on Apache Kafka; always off on the
    # embedded broker, which fails InitProducerId. Turn it off for a broker without it.
    idempotent_producer: bool = True


class TopicSettings(BaseModel):
    model_config = _FROZEN

    raw_topic: str = "news.raw.v1"
    enriched_topic: str = "news.enriched.v1"
    deadletter_topic: str = "news.deadletter.v1"
    state_topic: str = "newswire.connector-state.v1"
    raw_partitions: int = 4
    enriched_partitions: int = 4
    deadletter_partitions: int = 1
    # Routing topics: one record per (article, company), keyed by the company id ...
    company_topic: str = "news.company.v1"
    company_partitions: int = 4
    # ... and news.topic.<topic id>.v1 for each of these topics (the taxonomy's; a plugged
    # tagger with other topics names its own)
    routing_topic_ids: str = (
        "ai-investment,earnings,subscription-plans,mergers-acquisitions,layoffs,"
        "legal-regulatory,stock-moves"
    )
    topic_partitions: int = 1

    @property
    def routed_topic_ids(self) -> tuple[str, ...]:
        return tuple(t.strip() for t in self.routing_topic_ids.split(",") if t.strip())

    # Retention that `newswire topics ensure` declares (hours; -1 keeps for ever).
    raw_retention_hours: float = 168.0  # a week: long enough to re-run the worker over it
    enriched_retention_hours: float = 720.0  # 30 days for consumers to catch up or replay
    deadletter_retention_hours: float = 720.0
    # The dedup changelog is compacted and also deleted after this long (compact,delete): the
    # worker writes no tombstones for the URLs it forgets, so without it the topic only grows.
    changelog_retention_hours: float = 720.0
    min_insync_replicas: int = 0  # 0: replication factor - 1, at least 1


class WorkerSettings(BaseModel):
    """The enrich stage: Faust app, process pool, cleaning, tagging, dedup."""

    model_config = _FROZEN

    app_id: str = "newswire"
    data_dir: Path = Path(".newswire")
    tagger: str = ""  # module:factory of a plug-in tagger; empty: the built-in one
    extraction_mode: str = "adaptive"
    extraction_retry_chars: int = 250
    process_pool_size: int = 0  # 0: one per core
    batch_size: int = 16
    batch_window_s: float = 0.002
    dedup_capacity: int = 20_000
    # The dedup entries also in this file; `up` sets it on the embedded broker, which forgets
    # the table's changelog when it stops (on Kafka the changelog keeps them: leave it empty).
    dedup_file: Path | None = None
    lag_interval_s: float = 15.0
    routing: bool = True  # the publish step also fills news.company.v1 and news.topic.*.v1
    stall_restart_s: float = 180.0  # a worker stalled this long restarts itself; 0: never
    # how often the worker checks that its topics are still the ones it started with (a broker
    # that lost them, or a topic created again, restarts it with empty local state); 0: never
    topic_watch_interval_s: float = 10.0

    @field_validator("data_dir", mode="before")
    @classmethod
    def _expand(cls, value: Any) -> Any:
        return Path(value).expanduser()

    @field_validator("dedup_file", mode="before")
    @classmethod
    def _empty_is_none(cls, value: Any) -> Any:
        return None if value in ("", None) else Path(value).expanduser()


class MetricsSettings(BaseModel):
    model_config = _FROZEN

    metrics_port: int = 9464  # the connectors serve on the next port
    metrics_host: str = "127.0.0.1"
    # /healthz and /readyz (on metrics_host); `up` gives its children this port + 0, + 1, ...
    # 0 turns the probes off.
    health_port: int = 9480
    metrics_companies: str = (
        "amazon,alphabet,apple,microsoft,meta-platforms,nvidia,tesla,openai,anthropic,netflix,"
        "sap,siemens,allianz,deutsche-telekom,volkswagen,bmw,mercedes-benz-group,basf,bayer,"
        "infineon,deutsche-bank"
    )


class ConnectorSettings(BaseModel):
    """Polling, fetching and politeness of the connectors."""

    model_config = _FROZEN

    feeds: Path | None = None  # the catalogue; None: the one bundled with the connectors
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
    fetch_allow_networks: str = ""  # CIDRs the address guard lets through (tests, intranets)
    fetch_page_workers: int = 8
    fetch_source_workers: int = 4  # hosts polled at the same time
    fetch_max_items_per_poll: int = 100  # new pages one poll of a source fetches
    fetch_max_entries_per_source: int = 1000  # entries read from one source document
    fetch_max_retry_after_s: float = 900.0  # the longest pause a Retry-After imposes on a host
    raw_max_event_bytes: int = 7_900_000  # larger raw events are dead-lettered as too_large
    user_agent: str = "newswire/0.1 (+https://github.com/newswire)"
    # Connector state in this file instead of the state topic; `up` sets it on the embedded
    # broker, which forgets the topic when it stops.
    state_file: Path | None = None

    @field_validator("feeds", "state_file", mode="before")
    @classmethod
    def _empty_is_bundled(cls, value: Any) -> Any:
        return None if value in ("", None) else Path(value).expanduser()


GROUPS: dict[str, type[BaseModel]] = {
    "kafka": KafkaSettings,
    "topics": TopicSettings,
    "worker": WorkerSettings,
    "metrics": MetricsSettings,
    "connectors": ConnectorSettings,
}
FIELDS: dict[str, str] = {
    name: group for group, model in GROUPS.items() for name in model.model_fields
}


class Settings(BaseSettings):
    """The whole configuration. `Settings(raw_topic="x")` takes flat field names too."""

    model_config = SettingsConfigDict(frozen=True, extra="forbid")

    kafka: KafkaSettings = KafkaSettings()
    topics: TopicSettings = TopicSettings()
    worker: WorkerSettings = WorkerSettings()
    metrics: MetricsSettings = MetricsSettings()
    connectors: ConnectorSettings = ConnectorSettings()

    @classmethod
    def settings_customise_sources(
        cls,
        settings_cls: type[BaseSettings],
        init_settings: PydanticBaseSettingsSource,
        env_settings: PydanticBaseSettingsSource,
        dotenv_settings: PydanticBaseSettingsSource,
        file_secret_settings: PydanticBaseSettingsSource,
    ) -> tuple[PydanticBaseSettingsSource, ...]:
        # The environment is read by from_env only, once, at start-up; never on construction.
        return (init_settings,)

    @model_validator(mode="before")
    @classmethod
    def _nest_flat_names(cls, data: Any) -> Any:
        return nest(data) if isinstance(data, Mapping) else data

    @property
    def uses_embedded_broker(self) -> bool:
        return not self.kafka.bootstrap_servers

    @property
    def bootstrap(self) -> str:
        """The address clients connect to: the configured one, else the embedded default."""
        kafka = self.kafka
        return kafka.bootstrap_servers or f"{kafka.embedded_host}:{kafka.embedded_port}"

    @property
    def pool_size(self) -> int:
        return self.worker.process_pool_size or os.cpu_count() or 1

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None) -> Settings:
        """Build settings from NEWSWIRE_* variables; an unknown NEWSWIRE_* name is an error."""
        values = environment_values(os.environ if environ is None else environ)
        try:
            return cls.of(**values)
        except ValidationError as exc:
            raise ConfigError(_explain(exc, values)) from exc

    @classmethod
    def of(cls, **flat: Any) -> Settings:
        """Settings from flat field names (`Settings.of(raw_topic="x")`), the rest defaults."""
        return cls.model_validate(flat)

    def with_values(self, **flat: Any) -> Settings:
        """A copy with some fields changed, named flat (`with_values(data_dir=...)`)."""
        return self.of(**{**self.flat(), **flat})

    def flat(self) -> dict[str, Any]:
        """Every field by its flat name, secrets still wrapped."""
        return {name: value for name, _, value in self.items()}

    def items(self) -> Iterator[tuple[str, str, Any]]:
        """(flat name, group, value) for every field, in declaration order."""
        for group in GROUPS:
            section = getattr(self, group)
            for name in type(section).model_fields:
                yield name, group, getattr(section, name)

    def to_env(self) -> dict[str, str]:
        """The environment that reproduces these settings in a child process (secrets too)."""
        return {env_name(name): _env_text(value) for name, value in self.flat().items()}


def env_name(field: str) -> str:
    return f"{ENV_PREFIX}{field.upper()}"


def environment_values(environ: Mapping[str, str]) -> dict[str, str]:
    """The flat field values the NEWSWIRE_* variables set; unknown names are a ConfigError."""
    valid = {env_name(name): name for name in FIELDS}
    values = {}
    for key, raw in environ.items():
        if not key.startswith(ENV_PREFIX):
            continue
        if key not in valid:
            raise ConfigError(unknown_variable(key, list(valid)))
        values[valid[key]] = raw
    return values


def unknown_variable(key: str, valid: list[str]) -> str:
    close = difflib.get_close_matches(key, valid, n=1, cutoff=0.6)
    hint = f"; did you mean {close[0]}?" if close else "; `newswire config` lists the valid names"
    return f"unknown setting {key}{hint}"


def nest(data: Mapping[str, Any]) -> dict[str, Any]:
    """Flat field names (as in the environment) put under their groups."""
    nested: dict[str, Any] = {}
    for key, value in data.items():
        if key in FIELDS:
            group = nested.setdefault(FIELDS[key], {})
            if isinstance(group, dict):
                group[key] = value
        else:
            nested[key] = value
    return nested


def _env_text(value: Any) -> str:
    if isinstance(value, SecretStr):
        return value.get_secret_value()
    return "" if value is None else str(value)


def _explain(exc: ValidationError, values: Mapping[str, str]) -> str:
    problems = []
    for error in exc.errors():
        field = str(error["loc"][-1])
        shown = f"={values[field]!r}" if field in values else ""
        problems.append(f"{env_name(field)}{shown}: {error['msg']}")
    return "; ".join(problems)
