"""deploy/ cannot rot: every newswire command, NEWSWIRE_* setting and port it uses exists in the
CLI and the settings, and the ports agree between the image, compose, Kubernetes and
Prometheus."""

from __future__ import annotations

import argparse
import contextlib
import importlib.util
import io
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.deploy.files import (
    COMPOSE_ENV_FILES,
    DEPLOY,
    NEWSWIRE_SERVICES,
    compose,
    container_env,
    dockerfile,
    environment,
    k8s_objects,
    pod_specs,
)
from tests.deploy.inventory import (
    cli_commands,
    cli_parser,
    settings_class,
    settings_env_names,
    settings_fields,
)

# Settings and commands deploy/ uses that the package-layout change adds (issue 17). Each name
# is allowed only while the code lacks it: once it exists it is checked like any other, and
# test_pending_names_are_still_missing asks for it to be taken off this list.
PENDING_SETTINGS: frozenset[str] = frozenset()
PENDING_COMMANDS: frozenset[tuple[str, ...]] = frozenset()
SETTING_NAME = re.compile(r"\bNEWSWIRE_[A-Z0-9_]*[A-Z0-9]\b")
PORT_SETTINGS = ("NEWSWIRE_METRICS_PORT", "NEWSWIRE_HEALTH_PORT")
TEXT_SUFFIXES = {".yaml", ".yml", ".env", ".md", ".json", ""}


def deploy_text_files() -> Iterator[Path]:
    for path in sorted(DEPLOY.rglob("*")):
        if path.is_file() and (path.suffix in TEXT_SUFFIXES or path.name.startswith(".")):
            yield path


def used_settings() -> dict[str, set[str]]:
    used: dict[str, set[str]] = {}
    for path in deploy_text_files():
        for name in SETTING_NAME.findall(path.read_text(encoding="utf-8")):
            used.setdefault(name, set()).add(str(path.relative_to(DEPLOY)))
    return used


def test_every_setting_deploy_uses_exists() -> None:
    known = settings_env_names()
    unknown = {
        name: sorted(files)
        for name, files in used_settings().items()
        if name not in known and name not in PENDING_SETTINGS
    }
    assert not unknown, f"NEWSWIRE_* names the settings do not have: {unknown}"


def test_the_check_sees_the_settings_in_use() -> None:
    used = used_settings()
    for name in ("NEWSWIRE_BOOTSTRAP_SERVERS", "NEWSWIRE_METRICS_PORT", "NEWSWIRE_RAW_PARTITIONS"):
        assert name in used and name in settings_env_names()
    assert "NEWSWIRE_NO_SUCH_SETTING" not in settings_env_names()


def test_pending_names_are_still_missing() -> None:
    landed = sorted(PENDING_SETTINGS & settings_env_names())
    assert not landed, f"{landed} exist now: remove them from PENDING_SETTINGS"
    commands = sorted(PENDING_COMMANDS & cli_commands())
    assert not commands, f"{commands} exist now: remove them from PENDING_COMMANDS"


def invocations() -> Iterator[tuple[str, list[str]]]:
    """(where, argv after `newswire`) for every newswire process deploy/ starts."""
    image = dockerfile()
    assert image.entrypoint == ["newswire"]
    yield "Dockerfile CMD", image.cmd
    for profile in COMPOSE_ENV_FILES:
        for name in NEWSWIRE_SERVICES:
            yield f"compose {profile} {name}", compose(profile)["services"][name]["command"]
    for name, pod in pod_specs():
        for container in pod["containers"]:
            yield f"k8s {name}", container["args"]
    for path in deploy_text_files():
        if path.suffix == ".md":
            blocks = re.findall(
                r"^```\w*\n(.*?)^```", path.read_text(encoding="utf-8"), re.M | re.S
            )
            for line in re.findall(
                r"(?:^\s*|\s--\s|\sexec \S+ )newswire (.+)$", "".join(blocks), re.M
            ):
                yield f"{path.name}: newswire {line}", line.split("#")[0].split()


def command_path(parser: argparse.ArgumentParser, argv: list[str]) -> tuple[str, ...]:
    commands = cli_commands(parser)
    commands |= {pending[:n] for pending in PENDING_COMMANDS for n in range(1, len(pending) + 1)}
    path: tuple[str, ...] = ()
    for word in argv:
        if (*path, word) in commands:
            path = (*path, word)
        else:
            break
    return path


def test_every_command_deploy_runs_exists_with_its_options() -> None:
    parser = cli_parser()
    seen = set()
    for where, argv in invocations():
        path = command_path(parser, argv)
        assert path, f"{where}: {argv} names no newswire command"
        seen.add(path)
        if path in PENDING_COMMANDS:
            continue
        with contextlib.redirect_stderr(io.StringIO()) as errors:
            try:
                parser.parse_args(argv)
            except SystemExit:
                pytest.fail(f"{where}: newswire {' '.join(argv)}: {errors.getvalue().strip()}")
    assert {("worker",), ("connect",)} <= seen


def build_settings(env: dict[str, str]) -> Any:
    """The settings object these variables make (a bad value raises)."""
    cls = settings_class()
    known = {k: v for k, v in env.items() if k in settings_env_names()}
    if hasattr(cls, "from_env"):
        return cls.from_env(known)
    return cls(**{k.removeprefix("NEWSWIRE_").lower(): v for k, v in known.items()})


def contexts() -> Iterator[tuple[str, dict[str, str], set[int]]]:
    """(where, the environment a newswire container sees, the ports it declares)."""
    image = dockerfile()
    yield "Dockerfile", dict(image.env), set(image.expose)
    for profile in COMPOSE_ENV_FILES:
        services = compose(profile)["services"]
        for name in NEWSWIRE_SERVICES:
            env = {**image.env, **environment(services[name])}
            yield f"compose {profile} {name}", env, {int(p) for p in services[name]["expose"]}
    for name, pod in pod_specs():
        for container in pod["containers"]:
            ports = {p["containerPort"] for p in container.get("ports", [])}
            yield f"k8s {name}", container_env(container, image.env), ports


def port_values(env: dict[str, str]) -> dict[str, int]:
    defaults = settings_fields()
    values = {}
    for name in PORT_SETTINGS:
        value = env.get(name, defaults.get(name))
        assert value is not None, f"{name} is neither set nor a setting with a default"
        values[name] = int(value)
    return values


def test_every_environment_makes_valid_settings() -> None:
    for where, env, _ in contexts():
        try:
            build_settings(env)
        except Exception as exc:
            pytest.fail(f"{where}: {exc}")


def test_declared_ports_are_the_ports_the_settings_open() -> None:
    for where, env, declared in contexts():
        if where == "k8s newswire-topics":
            assert not declared, "the topics Job serves nothing"
            continue
        opened = set(port_values(env).values())
        assert declared == opened, f"{where}: declares {declared}, settings open {opened}"


def test_services_and_scrapes_point_at_declared_ports() -> None:
    pods = {name: pod for name, pod in pod_specs()}
    for service in k8s_objects("Service"):
        selector = service["spec"]["selector"]
        targets = [
            pod
            for doc in k8s_objects("Deployment")
            if all(
                doc["spec"]["template"]["metadata"]["labels"].get(k) == v
                for k, v in selector.items()
            )
            for pod in [pods[doc["metadata"]["name"]]]
        ]
        assert targets, f"service {service['metadata']['name']} selects no workload"
        for pod in targets:
            names = {p["name"] for c in pod["containers"] for p in c.get("ports", [])}
            for port in service["spec"]["ports"]:
                assert port["targetPort"] in names, service["metadata"]["name"]
    for name, pod in pod_specs():
        annotations = next(
            d["spec"]["template"]["metadata"].get("annotations", {})
            for d in k8s_objects()
            if d["metadata"]["name"] == name
        )
        if "prometheus.io/port" in annotations:
            (container,) = pod["containers"]
            metrics = port_values(container_env(container, dockerfile().env))
            assert int(annotations["prometheus.io/port"]) == metrics["NEWSWIRE_METRICS_PORT"]


def test_the_healthcheck_probes_the_health_port() -> None:
    check = dockerfile().healthcheck
    assert "python -m pipeline.core.health" in check
    assert importlib.util.find_spec("pipeline.core.health") is not None
    assert '"http://127.0.0.1:${NEWSWIRE_HEALTH_PORT}/healthz"' in check
