"""The code base stays ruff-clean, mypy-strict-clean and small: checked as CI runs the suite."""

from __future__ import annotations

import ast
import shutil
import statistics
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = ("pipeline", "connectors")
MAX_MODULE_LINES = 400
MAX_MEDIAN_FUNCTION_LINES = 8


def tool(name: str) -> str:
    return shutil.which(name) or str(Path(sys.executable).parent / name)


def modules() -> list[Path]:
    return sorted(p for package in PACKAGES for p in (ROOT / package).rglob("*.py"))


def test_mypy_strict_finds_nothing() -> None:
    # files and strictness come from [tool.mypy] in pyproject.toml
    result = subprocess.run([tool("mypy")], capture_output=True, text=True, cwd=ROOT, timeout=600)
    assert result.returncode == 0, result.stdout + result.stderr


def test_ruff_finds_nothing() -> None:
    result = subprocess.run(
        [tool("ruff"), "check", str(ROOT)], capture_output=True, text=True, cwd=ROOT, timeout=120
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_no_module_is_over_400_lines() -> None:
    long = {
        str(p.relative_to(ROOT)): n
        for p in modules()
        if (n := len(p.read_text(encoding="utf-8").splitlines())) > MAX_MODULE_LINES
    }
    assert not long


def function_lengths() -> list[int]:
    return [
        node.end_lineno - node.lineno + 1
        for path in modules()
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8")))
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)) and node.end_lineno
    ]


def test_the_median_function_is_at_most_8_lines() -> None:
    assert statistics.median(function_lengths()) <= MAX_MEDIAN_FUNCTION_LINES


@pytest.mark.parametrize("package", PACKAGES)
def test_no_six_line_run_is_repeated_to_the_letter(package: str) -> None:
    if shutil.which("duplicates") is None:
        pytest.skip("the duplicates command is not on PATH")
    result = subprocess.run(
        ["duplicates", "--repo", package, "--most", "200", "--seconds", "120"],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=300,
    )
    rows = [line for line in result.stdout.splitlines() if line.startswith("D")]
    identical = [row for row in rows if " shape" not in row]
    assert not identical, result.stdout
    assert "incomplete:" not in result.stdout
