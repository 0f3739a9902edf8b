import io
import os
import subprocess
import sys
from pathlib import Path

import pytest
from pydantic import ValidationError

from connectors.assembly import http_limits, runner_options
from pipeline.commands.config import run_config
from pipeline.core.errors import ConfigError
from pipeline.core.settings import Settings

ROOT = Path(__file__).resolve().parents[4]


def test_defaults_use_the_embedded_broker_on_the_default_address() -> None:
    settings = Settings.from_env({})
    assert settings.uses_embedded_broker
    assert settings.bootstrap == "127.0.0.1:9092"
    assert settings.kafka.replication_factor == 1


def test_environment_overrides_typed_fields_in_their_groups() -> None:
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
    assert settings.connectors.feeds == Path("/etc/newswire/feeds.yaml")
    assert settings.metrics.metrics_port == 9999
    assert settings.topics.raw_partitions == 12
    assert settings.topics.enriched_topic == "custom.enriched"


def test_invalid_number_names_the_variable() -> None:
    with pytest.raises(ConfigError, match="NEWSWIRE_METRICS_PORT='ninety'"):
        Settings.from_env({"NEWSWIRE_METRICS_PORT": "ninety"})


def test_a_misspelt_variable_is_an_error_naming_the_right_one() -> None:
    with pytest.raises(ConfigError) as caught:
        Settings.from_env({"NEWSWIRE_BOOTSTRAP_SERVER": "kafka:9092"})
    assert "NEWSWIRE_BOOTSTRAP_SERVER;" in str(caught.value)
    assert "did you mean NEWSWIRE_BOOTSTRAP_SERVERS?" in str(caught.value)


def test_an_unknown_variable_with_no_close_name_is_still_an_error() -> None:
    with pytest.raises(ConfigError, match="NEWSWIRE_QQQ"):
        Settings.from_env({"NEWSWIRE_QQQ": "1"})


def test_settings_round_trip_through_the_environment() -> None:
    settings = Settings.from_env(
        {
            "NEWSWIRE_BATCH_SIZE": "7",
            "NEWSWIRE_FETCH_TOTAL_TIMEOUT_S": "2.5",
            "NEWSWIRE_SASL_PASSWORD": "s3cret",
        }
    )
    assert settings.worker.batch_size == 7
    assert settings.connectors.fetch_total_timeout_s == 2.5
    assert Settings.from_env(settings.to_env()) == settings


def test_settings_are_frozen() -> None:
    with pytest.raises(ValidationError):
        Settings().metrics.metrics_port = 1  # type: ignore[misc]


def test_with_values_changes_only_the_named_fields() -> None:
    changed = Settings().with_values(raw_topic="x", fetch_host_delay_s=0.0)
    assert changed.topics.raw_topic == "x"
    assert changed.connectors.fetch_host_delay_s == 0.0
    assert changed.topics.enriched_topic == Settings().topics.enriched_topic


def test_option_objects_take_their_defaults_from_the_settings() -> None:
    settings = Settings.of(fetch_max_bytes=123, poll_min_interval_s=7, fetch_page_workers=3)
    assert http_limits(settings).max_bytes == 123
    options = runner_options(settings)
    assert options.schedule.min_interval_s == 7
    assert options.page_workers == 3


def test_secrets_are_redacted_wherever_printed() -> None:
    settings = Settings.of(sasl_password="hunter2", ssl_password="swordfish")
    out = io.StringIO()
    run_config(settings, {"NEWSWIRE_SASL_PASSWORD": "hunter2"}, out)
    for text in (out.getvalue(), repr(settings), str(settings), settings.model_dump_json()):
        assert "hunter2" not in text
        assert "swordfish" not in text
    assert "kafka.sasl_password = '**********'  (env: NEWSWIRE_SASL_PASSWORD)" in out.getvalue()


def test_config_names_the_source_of_each_value() -> None:
    out = io.StringIO()
    environ = {"NEWSWIRE_RAW_TOPIC": "mine"}
    run_config(Settings.from_env(environ), environ, out)
    lines = out.getvalue().splitlines()
    assert "topics.raw_topic = 'mine'  (env: NEWSWIRE_RAW_TOPIC)" in lines
    assert "topics.enriched_topic = 'news.enriched.v1'  (default: NEWSWIRE_ENRICHED_TOPIC)" in lines
    assert len(lines) == len(Settings().flat())


def cli(*args: str, **env: str) -> subprocess.CompletedProcess[str]:
    clean = {k: v for k, v in os.environ.items() if not k.startswith("NEWSWIRE_")}
    return subprocess.run(
        [sys.executable, "-m", "pipeline.cli", *args],
        env={**clean, **env},
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=120,
    )


def test_newswire_up_with_a_misspelt_variable_exits_2_with_one_line() -> None:
    result = cli("up", NEWSWIRE_BOOTSTRAP_SERVER="x")
    assert result.returncode == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert "NEWSWIRE_BOOTSTRAP_SERVER;" in lines[0]
    assert "NEWSWIRE_BOOTSTRAP_SERVERS" in lines[0]
    assert result.stdout == ""


def test_newswire_config_prints_through_the_real_cli() -> None:
    result = cli("config", NEWSWIRE_SASL_PASSWORD="hunter2")
    assert result.returncode == 0, result.stderr
    assert "hunter2" not in result.stdout
    assert "kafka.sasl_password = '**********'  (env: NEWSWIRE_SASL_PASSWORD)" in result.stdout
