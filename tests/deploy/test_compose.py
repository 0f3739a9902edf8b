"""deploy/compose.yaml: valid against the published compose-spec schema, two working profiles,
workers that scale, and Prometheus that finds every replica."""

from __future__ import annotations

import base64
import hashlib
import json
import re
from typing import Any

import jsonschema
import pytest

from tests.deploy.files import (
    COMPOSE_ENV_FILES,
    COMPOSE_FILES,
    DEPLOY,
    NEWSWIRE_SERVICES,
    SCHEMAS,
    compose,
    environment,
    load_yaml,
    read_env_file,
)

SCHEMA = SCHEMAS / "compose-spec.json"
PROFILES = tuple(COMPOSE_ENV_FILES)
KAFKA_IMAGE = re.compile(r"^apache/kafka:\d+\.\d+\.\d+$")


def kafka_services(document: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {
        name: service
        for name, service in document["services"].items()
        if KAFKA_IMAGE.match(str(service.get("image", "")))
    }


def test_the_schema_is_the_recorded_one() -> None:
    recorded = (SCHEMAS / "SOURCE.md").read_text(encoding="utf-8")
    digest = hashlib.sha256(SCHEMA.read_bytes()).hexdigest()
    assert digest in recorded, "schemas/compose-spec.json changed: record its source and sha256"


def test_there_is_a_compose_file() -> None:
    assert DEPLOY / "compose.yaml" in COMPOSE_FILES


@pytest.mark.parametrize("path", COMPOSE_FILES, ids=lambda p: str(p.relative_to(DEPLOY)))
def test_every_compose_file_matches_the_compose_spec(path: Any) -> None:
    schema = json.loads(SCHEMA.read_text(encoding="utf-8"))
    validator = jsonschema.Draft7Validator(schema)
    errors = sorted(validator.iter_errors(load_yaml(path)), key=lambda e: list(e.path))
    assert not errors, "\n".join(f"{list(e.path)}: {e.message}" for e in errors)


def test_the_validation_would_catch_a_mistake() -> None:
    schema = json.loads(SCHEMA.read_text(encoding="utf-8"))
    broken = load_yaml(DEPLOY / "compose.yaml")
    broken["services"]["worker"]["depends_on"]["kafka"]["condition"] = "service_ready"
    assert not jsonschema.Draft7Validator(schema).is_valid(broken)


def test_one_broker_or_three_in_kraft_mode() -> None:
    assert set(kafka_services(compose("single"))) == {"kafka"}
    assert set(kafka_services(compose("cluster"))) == {"kafka-1", "kafka-2", "kafka-3"}


@pytest.mark.parametrize("profile", PROFILES)
def test_brokers_form_one_kraft_quorum(profile: str) -> None:
    brokers = kafka_services(compose(profile))
    node_ids = {}
    for name, service in brokers.items():
        env = environment(service)
        assert env["KAFKA_PROCESS_ROLES"] == "broker,controller", name
        assert "ZOOKEEPER" not in " ".join(env), f"{name}: KRaft needs no ZooKeeper"
        assert env["KAFKA_ADVERTISED_LISTENERS"] == f"PLAINTEXT://{name}:9092"
        assert "CONTROLLER://:9093" in env["KAFKA_LISTENERS"]
        node_ids[int(env["KAFKA_NODE_ID"])] = name
    assert len(node_ids) == len(brokers), "node ids are unique"
    expected = ",".join(f"{i}@{node_ids[i]}:9093" for i in sorted(node_ids))
    for name, service in brokers.items():
        env = environment(service)
        assert env["KAFKA_CONTROLLER_QUORUM_VOTERS"] == expected, name
        assert env["CLUSTER_ID"] == environment(next(iter(brokers.values())))["CLUSTER_ID"]
        # the image requires it in KRaft mode; Kafka reads it as a base64url 16-byte UUID
        assert len(base64.urlsafe_b64decode(env["CLUSTER_ID"] + "==")) == 16


@pytest.mark.parametrize(("profile", "factor"), [("single", 1), ("cluster", 3)])
def test_replication_factor_fits_the_brokers(profile: str, factor: int) -> None:
    document = compose(profile)
    brokers = kafka_services(document)
    for name in NEWSWIRE_SERVICES:
        env = environment(document["services"][name])
        assert int(env["NEWSWIRE_REPLICATION_FACTOR"]) == factor, name
    for name, service in brokers.items():
        env = environment(service)
        assert int(env["KAFKA_OFFSETS_TOPIC_REPLICATION_FACTOR"]) == factor, name
        assert int(env["KAFKA_TRANSACTION_STATE_LOG_REPLICATION_FACTOR"]) == factor, name
        min_isr = int(env.get("KAFKA_MIN_INSYNC_REPLICAS", "1"))
        assert min_isr == (factor // 2 + 1), f"{name}: a majority of {factor} replicas in sync"
    assert len(brokers) >= factor


def test_the_env_files_select_the_profiles() -> None:
    for profile, path in COMPOSE_ENV_FILES.items():
        assert read_env_file(path)["COMPOSE_PROFILES"] == profile


@pytest.mark.parametrize("profile", PROFILES)
def test_the_bootstrap_address_reaches_every_profile_s_brokers(profile: str) -> None:
    document = compose(profile)
    brokers = kafka_services(document)
    for name in NEWSWIRE_SERVICES:
        service = document["services"][name]
        bootstrap = environment(service)["NEWSWIRE_BOOTSTRAP_SERVERS"]
        for address in bootstrap.split(","):
            host, port = address.rsplit(":", 1)
            reachable = {
                broker
                for broker, spec in brokers.items()
                if host == broker
                or host in spec.get("networks", {}).get("default", {}).get("aliases", [])
            }
            assert reachable, f"{name}: {host} names no broker of profile {profile}"
            assert port == "9092"
        waits_for = {b for b, d in service["depends_on"].items() if d["required"] is not False}
        assert not waits_for, "dependencies of other profiles must be optional"
        assert set(brokers) <= set(service["depends_on"]), f"{name} waits for every broker"


@pytest.mark.parametrize("name", NEWSWIRE_SERVICES)
def test_newswire_services_scale_without_fixed_host_ports(name: str) -> None:
    service = compose("single")["services"][name]
    assert "ports" not in service, f"{name}: a fixed host port stops a second replica"
    assert "container_name" not in service, f"{name}: a fixed container name stops a replica"


def test_prometheus_finds_every_replica_by_dns() -> None:
    config = load_yaml(DEPLOY / "prometheus" / "prometheus-compose.yml")
    services = compose("single")["services"]
    jobs = {job["job_name"]: job for job in config["scrape_configs"]}
    assert set(jobs) == {"newswire-worker", "newswire-connect"}
    for name in NEWSWIRE_SERVICES:
        job = jobs[f"newswire-{name}"]
        assert "static_configs" not in job, "a static target is one replica"
        (discovery,) = job["dns_sd_configs"]
        assert discovery["names"] == [name] and discovery["type"] == "A"
        port = int(environment(services[name])["NEWSWIRE_METRICS_PORT"])
        assert discovery["port"] == port
        assert str(port) in services[name]["expose"]


def test_prometheus_and_grafana_get_their_configuration() -> None:
    services = compose("single")["services"]
    mounts = {
        volume.split(":")[1]: DEPLOY / volume.split(":")[0]
        for name in ("prometheus", "grafana")
        for volume in services[name]["volumes"]
        if volume.startswith("./")
    }
    for path in mounts.values():
        assert path.exists(), path
    config = load_yaml(mounts["/etc/prometheus/prometheus.yml"])
    assert config["rule_files"] == ["alerts.yml"] and "/etc/prometheus/alerts.yml" in mounts
    provisioning = mounts["/etc/grafana/provisioning"]
    for folder in ("datasources", "dashboards", "alerting"):
        assert list((provisioning / folder).glob("*.yml")), f"grafana {folder} not provisioned"
    (provider,) = load_yaml(provisioning / "dashboards" / "newswire.yml")["providers"]
    assert provider["options"]["path"] in mounts


def test_named_volumes_are_declared() -> None:
    for profile in PROFILES:
        document = compose(profile)
        for name, service in document["services"].items():
            for volume in service.get("volumes", []):
                source = volume.split(":")[0]
                if not source.startswith((".", "/")):
                    assert source in document["volumes"], f"{name}: volume {source} undeclared"
