from pathlib import Path

import pytest

from pipeline.core.errors import ConfigError
from pipeline.core.settings import Settings


def test_defaults_use_the_embedded_broker_on_the_default_address() -> None:
    settings = Settings.from_env({})
    assert settings.uses_embedded_broker
    assert settings.bootstrap == "127.0.0.1:9092"


def test_environment_overrides_typed_fields() -> None:
    settings = Settings.from_env(
        {
            "NEWSWIRE_BOOTSTRAP_SERVERS": "kafka:9092",
            "NEWSWIRE_FEEDS": "/etc/newswire/feeds.yaml",
            "NEWSWIRE_METRICS_PORT": "9999",
            "NEWSWIRE_RAW_PARTITIONS": "12",
            "NEWSWIRE_ENRICHED_TOPIC": "custom.enriched",
            "OTHER": "ignored",
        }
    )
    assert not settings.uses_embedded_broker
    assert settings.bootstrap == "kafka:9092"
    assert settings.feeds == Path("/etc/newswire/feeds.yaml")
    assert settings.metrics_port == 9999
    assert settings.raw_partitions == 12
    assert settings.enriched_topic == "custom.enriched"


def test_invalid_number_names_the_variable() -> None:
    with pytest.raises(ConfigError, match="NEWSWIRE_METRICS_PORT"):
        Settings.from_env({"NEWSWIRE_METRICS_PORT": "ninety"})


def test_settings_round_trip_through_the_environment() -> None:
    settings = Settings.from_env({"NEWSWIRE_BATCH_SIZE": "7", "NEWSWIRE_FETCH_TIMEOUT_S": "2.5"})
    assert Settings.from_env(settings.to_env()) == settings


def test_settings_are_frozen() -> None:
    with pytest.raises(AttributeError):
        Settings().metrics_port = 1  # type: ignore[misc]
