"""deploy/Dockerfile: base pinned by digest, dependencies from the lock with hashes, a small
multi-stage image that runs as a non-root user and checks its own health."""

from __future__ import annotations

import re

from tests.deploy.files import DEPLOY, dockerfile

DIGEST = re.compile(r"^python:3\.11-slim(-bookworm)?@sha256:[0-9a-f]{64}$")


def test_every_stage_starts_from_the_same_digest_pinned_base() -> None:
    image = dockerfile()
    assert len(image.stages) >= 2, "multi-stage: build tools stay out of the final image"
    assert len(set(image.stages)) == 1, "the venv is copied between stages of one base"
    assert DIGEST.match(image.stages[0]), image.stages[0]


def test_dependencies_come_from_the_lock_with_hashes_and_wheels_only() -> None:
    runs = dockerfile().run
    (install,) = [r for r in runs if "requirements.lock" in r]
    assert "--require-hashes" in install and "--only-binary=:all:" in install
    (project,) = [r for r in runs if re.search(r"pip install --no-deps /src\b", r)]
    assert project, "newswire itself without re-resolving its dependencies"
    ignore = (DEPLOY / "Dockerfile.dockerignore").read_text(encoding="utf-8")
    assert "!deploy/requirements.lock" in ignore


def test_it_runs_as_a_non_root_user() -> None:
    user = dockerfile().user
    uid = user.split(":")[0]
    assert uid.isdigit() and int(uid) >= 1000, "a numeric uid lets runAsNonRoot verify it"


def test_the_k8s_pods_run_as_the_image_user() -> None:
    from tests.deploy.files import pod_specs

    uid = int(dockerfile().user.split(":")[0])
    for name, pod in pod_specs():
        assert pod["securityContext"]["runAsUser"] == uid, name
        assert pod["securityContext"]["runAsNonRoot"] is True, name


def test_it_checks_its_health_and_runs_newswire() -> None:
    image = dockerfile()
    assert image.healthcheck.startswith("--interval=")
    assert image.entrypoint == ["newswire"] and image.cmd == ["worker"]
    assert image.env["MALLOC_ARENA_MAX"] == "2"
