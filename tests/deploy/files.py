"""The files under deploy/, loaded for the tests: compose (with its env files), Kubernetes
manifests, the Dockerfile, Prometheus and Grafana configuration."""

from __future__ import annotations

import re
import shlex
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parents[2]
DEPLOY = ROOT / "deploy"
K8S = DEPLOY / "k8s"
SCHEMAS = Path(__file__).resolve().parent / "schemas"
COMPOSE_FILES = sorted([*DEPLOY.glob("**/compose*.y*ml"), *DEPLOY.glob("**/docker-compose*.y*ml")])
COMPOSE_ENV_FILES = {"single": DEPLOY / ".env", "cluster": DEPLOY / "cluster.env"}
NEWSWIRE_SERVICES = ("worker", "connect")
INTERPOLATION = re.compile(r"\$\{(?P<name>[A-Z0-9_]+)(?::-(?P<default>[^}]*))?\}")


def load_yaml(path: Path) -> Any:
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def load_yaml_documents(path: Path) -> list[dict[str, Any]]:
    return [doc for doc in yaml.safe_load_all(path.read_text(encoding="utf-8")) if doc]


def read_env_file(path: Path) -> dict[str, str]:
    """NAME=value lines (compose env files, kustomize `envs`); comments and blanks skipped."""
    values: dict[str, str] = {}
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        stripped = line.strip()
        if not stripped or stripped.startswith("#"):
            continue
        name, sep, value = stripped.partition("=")
        if not sep:
            raise AssertionError(f"{path}:{number}: expected NAME=value, got {line!r}")
        values[name.strip()] = value.strip()
    return values


def interpolate(value: Any, variables: Mapping[str, str]) -> Any:
    """Compose's ${NAME} and ${NAME:-default}, recursively; an unset name without a default
    is an error (compose would substitute an empty string)."""
    if isinstance(value, dict):
        return {key: interpolate(item, variables) for key, item in value.items()}
    if isinstance(value, list):
        return [interpolate(item, variables) for item in value]
    if not isinstance(value, str):
        return value

    def substitute(match: re.Match[str]) -> str:
        name, default = match.group("name"), match.group("default")
        if name in variables and variables[name] != "":
            return variables[name]
        if default is None:
            raise AssertionError(f"${{{name}}} is unset and has no default")
        return default

    return INTERPOLATION.sub(substitute, value)


def compose(profile: str) -> dict[str, Any]:
    """deploy/compose.yaml as compose resolves it for one profile's env file."""
    variables = read_env_file(COMPOSE_ENV_FILES[profile])
    document = interpolate(load_yaml(DEPLOY / "compose.yaml"), variables)
    enabled = set(variables["COMPOSE_PROFILES"].split(","))
    document["services"] = {
        name: service
        for name, service in document["services"].items()
        if not service.get("profiles") or enabled & set(service["profiles"])
    }
    return document


def environment(service: Mapping[str, Any]) -> dict[str, str]:
    env = service.get("environment") or {}
    if isinstance(env, list):
        env = dict(item.split("=", 1) for item in env)
    return {str(key): str(value) for key, value in env.items()}


@dataclass
class Dockerfile:
    """The parts of deploy/Dockerfile the tests look at (final stage for ENV/USER/...)."""

    args: dict[str, str] = field(default_factory=dict)
    stages: list[str] = field(default_factory=list)
    env: dict[str, str] = field(default_factory=dict)
    run: list[str] = field(default_factory=list)
    user: str = ""
    expose: list[int] = field(default_factory=list)
    healthcheck: str = ""
    entrypoint: list[str] = field(default_factory=list)
    cmd: list[str] = field(default_factory=list)


def _instructions(text: str) -> Iterator[tuple[str, str]]:
    joined = re.sub(r"\\\n", " ", text)
    for line in joined.splitlines():
        stripped = line.strip()
        if stripped and not stripped.startswith("#"):
            keyword, _, rest = stripped.partition(" ")
            yield keyword.upper(), rest.strip()


def _env_pairs(rest: str) -> dict[str, str]:
    return dict(token.split("=", 1) for token in shlex.split(rest))


def dockerfile(path: Path = DEPLOY / "Dockerfile") -> Dockerfile:
    parsed = Dockerfile()
    for keyword, rest in _instructions(path.read_text(encoding="utf-8")):
        if keyword == "ARG" and not parsed.stages:
            name, _, default = rest.partition("=")
            parsed.args[name] = default
        elif keyword == "FROM":
            image = rest.split()[0]
            parsed.stages.append(interpolate(image, parsed.args))
            parsed.env, parsed.user, parsed.expose = {}, "", []
        elif keyword == "ENV":
            parsed.env.update(_env_pairs(rest))
        elif keyword == "RUN":
            parsed.run.append(rest)
        elif keyword == "USER":
            parsed.user = rest
        elif keyword == "EXPOSE":
            parsed.expose = [int(port.split("/")[0]) for port in rest.split()]
        elif keyword == "HEALTHCHECK":
            parsed.healthcheck = rest
        elif keyword == "ENTRYPOINT":
            parsed.entrypoint = yaml.safe_load(rest)
        elif keyword == "CMD":
            parsed.cmd = yaml.safe_load(rest)
    return parsed


def kustomization() -> dict[str, Any]:
    return load_yaml(K8S / "kustomization.yaml")  # type: ignore[no-any-return]


def k8s_manifests() -> dict[Path, list[dict[str, Any]]]:
    """Every resource file the kustomization lists, with its documents."""
    return {K8S / name: load_yaml_documents(K8S / name) for name in kustomization()["resources"]}


def k8s_objects(kind: str | None = None) -> list[dict[str, Any]]:
    found = [doc for docs in k8s_manifests().values() for doc in docs]
    return [doc for doc in found if kind is None or doc["kind"] == kind]


def k8s_env() -> dict[str, str]:
    """The ConfigMap newswire-env every newswire container reads (envFrom)."""
    (generator,) = [g for g in kustomization()["configMapGenerator"] if g["name"] == "newswire-env"]
    values: dict[str, str] = {}
    for name in generator["envs"]:
        values.update(read_env_file(K8S / name))
    return values


def pod_specs() -> list[tuple[str, dict[str, Any]]]:
    """(object name, pod spec) for every workload in the manifests."""
    specs = []
    for doc in k8s_objects():
        if doc["kind"] in {"Deployment", "StatefulSet", "DaemonSet", "Job"}:
            specs.append((doc["metadata"]["name"], doc["spec"]["template"]["spec"]))
    return specs


def container_env(container: Mapping[str, Any], image_env: Mapping[str, str]) -> dict[str, str]:
    """What a container sees: the image's ENV, then envFrom newswire-env, then env values
    (values from Secrets count as set, with a placeholder)."""
    env = dict(image_env)
    for source in container.get("envFrom", []):
        if source.get("configMapRef", {}).get("name") == "newswire-env":
            env.update(k8s_env())
    for item in container.get("env", []):
        env[item["name"]] = str(item["value"]) if "value" in item else "<from a secret>"
    return env
