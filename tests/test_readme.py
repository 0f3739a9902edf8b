"""The README stays short, and every path it names exists."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
README = ROOT / "README.md"
# `code` spans and link targets that look like a path inside the repository
CANDIDATES = re.compile(r"`([^`\s]+)`|\]\(([^)\s]+)\)")
TOP = ("pipeline", "connectors", "schemas", "deploy", "tests", "scripts", "docs", ".ci")


def named_paths(text: str) -> set[str]:
    found = set()
    for code, link in CANDIDATES.findall(text):
        candidate = (code or link).split("#")[0].rstrip("/")
        if candidate.split("/")[0] in TOP or candidate in {"pyproject.toml", "README.md"}:
            found.add(candidate)
    return found


def test_every_path_the_readme_names_exists() -> None:
    paths = named_paths(README.read_text(encoding="utf-8"))
    assert len(paths) > 10  # the check reads what it should
    missing = sorted(p for p in paths if not (ROOT / p).exists())
    assert not missing


def test_the_check_sees_a_missing_path() -> None:
    assert named_paths("see `pipeline/nowhere.py` and [x](docs/none.md)") == {
        "pipeline/nowhere.py",
        "docs/none.md",
    }


def test_the_readme_is_at_most_250_lines() -> None:
    assert len(README.read_text(encoding="utf-8").splitlines()) <= 250
