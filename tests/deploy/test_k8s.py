"""deploy/k8s: every manifest valid against its published schema (kubernetes-validate for the
built-in kinds, KEDA's CRDs for ScaledObject and TriggerAuthentication), and the parts that
must agree with each other and with the image."""

from __future__ import annotations

import copy
import re
from pathlib import Path
from typing import Any

import jsonschema
import kubernetes_validate
import pytest

from tests.deploy.files import (
    K8S,
    ROOT,
    SCHEMAS,
    container_env,
    dockerfile,
    k8s_env,
    k8s_manifests,
    k8s_objects,
    kustomization,
    load_yaml,
    pod_specs,
)
from tests.deploy.inventory import settings_fields

# the oldest Kubernetes minor still supported upstream when this was written, and the newest
# the package knows
K8S_VERSIONS = ("1.32.0", kubernetes_validate.latest_version())
CRDS = {
    ("keda.sh/v1alpha1", "ScaledObject"): SCHEMAS / "keda" / "keda.sh_scaledobjects.yaml",
    ("keda.sh/v1alpha1", "TriggerAuthentication"): SCHEMAS
    / "keda"
    / "keda.sh_triggerauthentications.yaml",
}
MANIFESTS = k8s_manifests()
# Kafka's SASL mechanism names -> the KEDA Kafka scaler's `sasl` values
KEDA_SASL = {
    "PLAIN": "plaintext",
    "SCRAM-SHA-256": "scram_sha256",
    "SCRAM-SHA-512": "scram_sha512",
    "OAUTHBEARER": "oauthbearer",
    "GSSAPI": "gssapi",
}


def crd_schema(path: Path, version: str) -> dict[str, Any]:
    crd = load_yaml(path)
    (served,) = [v for v in crd["spec"]["versions"] if v["name"] == version]
    return served["schema"]["openAPIV3Schema"]  # type: ignore[no-any-return]


def validate(document: dict[str, Any], k8s_version: str) -> None:
    key = (document["apiVersion"], document["kind"])
    if key in CRDS:
        schema = crd_schema(CRDS[key], document["apiVersion"].split("/")[1])
        jsonschema.Draft7Validator(schema).validate(document)
        return
    kubernetes_validate.validate(document, k8s_version, strict=True)


def default(name: str) -> str:
    return str(settings_fields().get(name, ""))


def setting(env: dict[str, str], name: str) -> str:
    return env.get(name, default(name))


@pytest.mark.parametrize("k8s_version", K8S_VERSIONS)
@pytest.mark.parametrize("path", sorted(MANIFESTS), ids=lambda p: p.name)
def test_every_manifest_validates_against_its_schema(path: Path, k8s_version: str) -> None:
    for document in MANIFESTS[path]:
        validate(document, k8s_version)


def test_validation_catches_a_wrong_field() -> None:
    (deployment,) = [
        d for d in k8s_objects("Deployment") if d["metadata"]["name"].endswith("worker")
    ]
    broken = {**deployment, "spec": {**deployment["spec"], "replica": 2}}
    with pytest.raises(kubernetes_validate.ValidationError):
        validate(broken, K8S_VERSIONS[0])
    (scaled,) = k8s_objects("ScaledObject")
    wrong = {**scaled, "spec": {**scaled["spec"], "maxReplicaCount": "twelve"}}
    with pytest.raises(jsonschema.ValidationError):
        validate(wrong, K8S_VERSIONS[0])


def test_the_kustomization_lists_every_manifest_and_its_files_exist() -> None:
    listed = {K8S / name for name in kustomization()["resources"]}
    on_disk = {p for p in K8S.glob("*.yaml") if p.name != "kustomization.yaml"}
    assert listed == on_disk
    for generator in kustomization()["configMapGenerator"]:
        for name in [*generator.get("files", []), *generator.get("envs", [])]:
            assert (K8S / name.split("=")[-1]).is_file(), name


def test_the_kinds_the_issue_asks_for_are_there() -> None:
    kinds = {(d["kind"], d["metadata"]["name"]) for d in k8s_objects()}
    for expected in [
        ("Deployment", "newswire-worker"),
        ("Deployment", "newswire-connect"),
        ("ScaledObject", "newswire-worker"),
        ("PodDisruptionBudget", "newswire-worker"),
    ]:
        assert expected in kinds


def generator_files(name: str) -> dict[str, Path]:
    (generator,) = [g for g in kustomization()["configMapGenerator"] if g["name"] == name]
    return {Path(f).name: K8S / f for f in generator["files"]}


TAGGING_DATA = ROOT / "pipeline" / "tagging" / "data"
OVERRIDES = K8S / "tagging-overrides"


def test_the_catalogue_starts_as_the_package_s() -> None:
    (catalogue,) = generator_files("newswire-catalogue").values()
    assert catalogue.read_bytes() == (ROOT / "connectors" / "data" / "feeds.yaml").read_bytes()


def test_deploy_keeps_no_copy_of_the_tagging_data() -> None:
    """A copy would go stale and override newer data of a newer image: overrides are the
    operator's files, built in their own overlay (tagging-overrides/kustomization.yaml)."""
    names = {path.name for path in TAGGING_DATA.glob("*.yaml")}
    copies = [p for p in (ROOT / "deploy").rglob("*.yaml") if p.name in names]
    assert copies == []
    assert "newswire-tagging" not in {g["name"] for g in kustomization()["configMapGenerator"]}


def test_the_tagging_component_mounts_over_the_installed_package() -> None:
    component = load_yaml(OVERRIDES / "kustomization.yaml")
    assert component["kind"] == "Component"
    (patch_path,) = [OVERRIDES / p["path"] for p in component["patches"]]
    patch = load_yaml(patch_path)
    (worker,) = [d for d in k8s_objects("Deployment") if d["metadata"]["name"] == "newswire-worker"]
    assert patch["metadata"]["name"] == worker["metadata"]["name"]
    (container,) = patch["spec"]["template"]["spec"]["containers"]
    assert container["name"] == worker["spec"]["template"]["spec"]["containers"][0]["name"]
    image = dockerfile()
    (venv,) = {m.group(1) for r in image.run if (m := re.search(r"-m venv (\S+)", r))}
    (python,) = set(re.findall(r"python:(\d+\.\d+)", " ".join(image.stages)))
    data = f"{venv}/lib/python{python}/site-packages/pipeline/tagging/data"
    mounts = container["volumeMounts"]
    for mount in mounts:
        assert (TAGGING_DATA / mount["subPath"]).is_file(), mount  # a file the package has
        assert mount["mountPath"] == f"{data}/{mount['subPath']}", mount
    assert {m["subPath"] for m in mounts} == {"companies.yaml", "topics.yaml", "sentiment.yaml"}
    (volume,) = patch["spec"]["template"]["spec"]["volumes"]
    assert volume["configMap"]["name"] == "newswire-tagging"
    for version in K8S_VERSIONS:  # the patch applied is still a valid Deployment
        merged = merge_patch(worker, patch)
        kubernetes_validate.validate(merged, version, strict=True)


def merge_patch(base: dict[str, Any], patch: dict[str, Any]) -> dict[str, Any]:
    """The worker with the patch's mounts and volume added (what kustomize's merge does)."""
    merged = copy.deepcopy(base)
    spec = merged["spec"]["template"]["spec"]
    patch_spec = patch["spec"]["template"]["spec"]
    spec["containers"][0]["volumeMounts"] += patch_spec["containers"][0]["volumeMounts"]
    spec["volumes"] += patch_spec["volumes"]
    return merged


def test_the_catalogue_is_where_newswire_feeds_points() -> None:
    feeds = k8s_env()["NEWSWIRE_FEEDS"]
    connect = dict(pod_specs())["newswire-connect"]
    volumes = {v["name"]: v for v in connect["volumes"]}
    (mount,) = [
        m
        for m in connect["containers"][0]["volumeMounts"]
        if volumes[m["name"]].get("configMap", {}).get("name") == "newswire-catalogue"
    ]
    assert feeds == f"{mount['mountPath']}/{next(iter(generator_files('newswire-catalogue')))}"


def test_scaling_on_lag_is_bounded_by_the_raw_partitions() -> None:
    env = k8s_env()
    (scaled,) = k8s_objects("ScaledObject")
    spec = scaled["spec"]
    assert spec["scaleTargetRef"]["name"] == "newswire-worker"
    assert spec["maxReplicaCount"] == int(setting(env, "NEWSWIRE_RAW_PARTITIONS"))
    (trigger,) = spec["triggers"]
    assert trigger["type"] == "kafka"
    meta = trigger["metadata"]
    assert meta["bootstrapServers"] == env["NEWSWIRE_BOOTSTRAP_SERVERS"]
    assert meta["topic"] == setting(env, "NEWSWIRE_RAW_TOPIC")
    assert meta["consumerGroup"] == setting(env, "NEWSWIRE_APP_ID"), "Faust's group is the app id"
    assert meta["allowIdleConsumers"] == "false"
    protocol = env.get("NEWSWIRE_SECURITY_PROTOCOL", "PLAINTEXT")
    assert meta["tls"] == ("enable" if "SSL" in protocol else "disable")
    mechanism = env.get("NEWSWIRE_SASL_MECHANISM", "")
    if protocol.startswith("SASL"):
        assert meta["sasl"] == KEDA_SASL[mechanism], "KEDA's name for the same mechanism"
    (auth,) = k8s_objects("TriggerAuthentication")
    assert trigger["authenticationRef"]["name"] == auth["metadata"]["name"]


def test_every_container_has_health_probes_and_sized_resources() -> None:
    image_env = dockerfile().env
    for name, pod in pod_specs():
        for container in pod["containers"]:
            resources = container["resources"]
            assert mebibytes(resources["limits"]["memory"]) >= mebibytes(
                resources["requests"]["memory"]
            ), name
            if name.endswith("topics"):
                continue  # a Job that runs to completion
            env = container_env(container, image_env)
            ports = {p["name"]: p["containerPort"] for p in container["ports"]}
            assert ports["health"] == int(env["NEWSWIRE_HEALTH_PORT"]), name
            assert ports["metrics"] == int(env["NEWSWIRE_METRICS_PORT"]), name
            for probe, path in [
                ("startupProbe", "/healthz"),
                ("livenessProbe", "/healthz"),
                ("readinessProbe", "/readyz"),
            ]:
                assert container[probe]["httpGet"] == {"path": path, "port": "health"}, name
            assert env["NEWSWIRE_METRICS_HOST"] == "0.0.0.0", f"{name}: probes come from outside"


def mebibytes(quantity: str) -> float:
    units = {"Mi": 1, "Gi": 1024, "Ki": 1 / 1024}
    return float(quantity[:-2]) * units[quantity[-2:]]


def test_the_worker_memory_fits_its_pool() -> None:
    """Measured: worker + 2 pool processes peaked at 712 MB, at the end of a 30-minute soak
    (docs/capacity.md); the limit leaves 30 % more for large pages in the pool processes."""
    peak_mib = 712 * 1e6 / 2**20
    (worker,) = dict(pod_specs())["newswire-worker"]["containers"]
    env = {e["name"]: e.get("value") for e in worker["env"]}
    assert env["NEWSWIRE_PROCESS_POOL_SIZE"] == "2"
    assert mebibytes(worker["resources"]["requests"]["memory"]) >= peak_mib
    assert mebibytes(worker["resources"]["limits"]["memory"]) >= 1.3 * peak_mib
    assert float(worker["resources"]["requests"]["cpu"]) >= 2, "one core per pool process"


def test_the_sasl_credentials_come_from_a_secret() -> None:
    for name, pod in pod_specs():
        for container in pod["containers"]:
            env = {e["name"]: e for e in container.get("env", [])}
            for variable, key in [
                ("NEWSWIRE_SASL_USERNAME", "username"),
                ("NEWSWIRE_SASL_PASSWORD", "password"),
            ]:
                ref = env[variable]["valueFrom"]["secretKeyRef"]
                assert (ref["name"], ref["key"]) == ("newswire-kafka-sasl", key), name
    assert "NEWSWIRE_SASL_PASSWORD" not in k8s_env(), "no password in a ConfigMap"
    (auth,) = k8s_objects("TriggerAuthentication")
    refs = {r["parameter"]: (r["name"], r["key"]) for r in auth["spec"]["secretTargetRef"]}
    assert refs["username"] == ("newswire-kafka-sasl", "username")
    assert refs["password"] == ("newswire-kafka-sasl", "password")


def test_the_disruption_budget_covers_the_workers() -> None:
    (budget,) = k8s_objects("PodDisruptionBudget")
    (worker,) = [d for d in k8s_objects("Deployment") if d["metadata"]["name"] == "newswire-worker"]
    assert budget["spec"]["selector"] == worker["spec"]["selector"]
    assert budget["spec"].get("maxUnavailable") == 1, "minAvailable would block drains at 1"


def test_the_image_is_the_one_kustomize_replaces() -> None:
    (image,) = kustomization()["images"]
    for name, pod in pod_specs():
        for container in pod["containers"]:
            assert container["image"] == image["name"], name
