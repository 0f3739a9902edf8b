"""deploy/requirements.lock is current: it pins every runtime dependency of pyproject.toml to a
version that satisfies it, with hashes, and re-resolving with the lock as constraints changes
nothing (so a new release on the index does not fail this, a changed pyproject does)."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

from tests.deploy.files import DEPLOY, ROOT

LOCK = DEPLOY / "requirements.lock"
PIN = re.compile(r"^(?P<name>[A-Za-z0-9._-]+)(\[[^\]]*\])?==(?P<version>\S+)", re.M)


def pins(text: str) -> dict[str, str]:
    return {canonicalize_name(m["name"]): m["version"] for m in PIN.finditer(text)}


def hashes(text: str) -> dict[str, set[str]]:
    found: dict[str, set[str]] = {}
    for block in re.split(r"\n(?=[A-Za-z0-9])", text):
        match = PIN.match(block)
        if match:
            found[canonicalize_name(match["name"])] = set(re.findall(r"sha256:[0-9a-f]{64}", block))
    return found


def test_every_runtime_dependency_is_pinned_with_hashes() -> None:
    text = LOCK.read_text(encoding="utf-8")
    locked = pins(text)
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    for line in project["dependencies"]:
        requirement = Requirement(line)
        name = canonicalize_name(requirement.name)
        assert name in locked, f"{requirement.name} is not in the lock: run scripts/lock"
        assert requirement.specifier.contains(locked[name], prereleases=True), (
            f"{requirement.name}=={locked[name]} does not satisfy {line!r}: run scripts/lock"
        )
    assert all(hashes(text).values()), "every pin carries its hashes (--require-hashes)"
    assert "newswire" not in locked, "the image installs newswire itself from the source"


def uv() -> str:
    found = shutil.which("uv") or str(Path(sys.executable).parent / "uv")
    if not os.access(found, os.X_OK):
        pytest.fail("uv not found: it is in the test extra (pip install -e '.[test]')")
    return found


def test_re_resolving_against_the_lock_changes_nothing(tmp_path: Path) -> None:
    """Needs the package index (uv resolves metadata); skips only when the index is down."""
    out = tmp_path / "check.lock"
    command = (ROOT / "scripts" / "lock").read_text(encoding="utf-8")
    flags = re.findall(r"^\s+(--python-version \S+|--python-platform \S+)", command, re.M)
    argv = [uv(), "pip", "compile", "pyproject.toml", "--generate-hashes", "--no-strip-extras"]
    for flag in flags:
        argv += flag.split()
    argv += ["--constraint", str(LOCK), "--no-header", "--quiet", "--output-file", str(out)]
    result = subprocess.run(argv, cwd=ROOT, capture_output=True, text=True, timeout=300)
    if result.returncode != 0 and re.search(r"(?i)connect|dns|network|timed out", result.stderr):
        pytest.skip(f"package index unreachable: {result.stderr.strip()[:200]}")
    assert result.returncode == 0, f"pyproject.toml no longer fits the lock: {result.stderr}"
    current = LOCK.read_text(encoding="utf-8")
    fresh = out.read_text(encoding="utf-8")
    assert pins(fresh) == pins(current), "the lock is stale: run scripts/lock"
    assert hashes(fresh) == hashes(current), "hashes differ from the index: run scripts/lock"
