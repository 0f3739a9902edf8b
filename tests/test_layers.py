"""The layering in pyproject.toml ([tool.importlinter]) holds, and a forbidden import breaks it."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
LINT = shutil.which("lint-imports") or str(Path(sys.executable).parent / "lint-imports")


def lint_imports(cwd: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(cwd)}
    return subprocess.run(
        [LINT, "--no-cache"], capture_output=True, text=True, cwd=cwd, env=env, timeout=300
    )


def copy_of_the_tree(tmp: Path) -> Path:
    for package in ("pipeline", "connectors"):
        shutil.copytree(
            ROOT / package, tmp / package, ignore=shutil.ignore_patterns("data", "__pycache__")
        )
    shutil.copy(ROOT / "pyproject.toml", tmp / "pyproject.toml")
    return tmp


def test_the_import_contracts_are_kept() -> None:
    result = lint_imports(ROOT)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "0 broken" in result.stdout


def add_import(module: Path, line: str) -> None:
    text = module.read_text(encoding="utf-8")
    module.write_text(
        text.replace(
            "from __future__ import annotations\n",
            f"from __future__ import annotations\n\n{line}\n",
            1,
        ),
        encoding="utf-8",
    )


def test_the_worker_importing_the_connectors_breaks_the_layers(tmp_path: Path) -> None:
    tree = copy_of_the_tree(tmp_path)
    add_import(tree / "pipeline" / "worker" / "processing.py", "import connectors.runner")
    result = lint_imports(tree)
    assert result.returncode != 0
    assert "Layers: entry points and tools above the stages" in result.stdout
    assert "pipeline.worker.processing -> connectors.runner" in result.stdout


def test_the_kernel_importing_the_kafka_wing_breaks_the_layers(tmp_path: Path) -> None:
    tree = copy_of_the_tree(tmp_path)
    add_import(tree / "pipeline" / "core" / "ids.py", "import pipeline.kafka.clients")
    result = lint_imports(tree)
    assert result.returncode != 0
    assert "pipeline.core.ids -> pipeline.kafka.clients" in result.stdout


def test_the_connectors_reaching_into_the_faust_app_break_their_contract(tmp_path: Path) -> None:
    tree = copy_of_the_tree(tmp_path)
    add_import(tree / "connectors" / "sink.py", "import pipeline.kafka.app")
    result = lint_imports(tree)
    assert result.returncode != 0
    assert (
        "The connectors use the Kafka wing only through its client factory BROKEN" in result.stdout
    )


def test_the_subscriber_library_importing_the_worker_breaks_its_contract(tmp_path: Path) -> None:
    tree = copy_of_the_tree(tmp_path)
    add_import(tree / "pipeline" / "client" / "models.py", "import pipeline.worker.routing")
    result = lint_imports(tree)
    assert result.returncode != 0
    assert "The subscriber library stands on the kernel and the client factory" in result.stdout
