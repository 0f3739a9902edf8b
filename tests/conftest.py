"""Shared fixtures: schemas, fresh metric registries, the sample site, the leak guards."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import jsonschema
import pytest
from prometheus_client import CollectorRegistry

from pipeline.client.schemas import SchemaSet
from pipeline.tools.demo.site import SampleSite
from tests.support.leaks import no_leaks

ROOT = Path(__file__).resolve().parent.parent
SCHEMAS = ROOT / "schemas"
FIXTURES = Path(__file__).resolve().parent / "fixtures"


def schema_validator(name: str) -> jsonschema.Draft202012Validator:
    """The schema with references to the other schema files resolved (news.company.v1)."""
    return SchemaSet(SCHEMAS).validator(name)


def assert_valid(name: str, event: dict[str, Any]) -> None:
    errors = [f"{list(e.path)}: {e.message}" for e in schema_validator(name).iter_errors(event)]
    assert not errors, f"{name} event invalid: {errors}"


@pytest.fixture
def registry() -> CollectorRegistry:
    return CollectorRegistry()


@pytest.fixture
def sample_site() -> Iterator[SampleSite]:
    with SampleSite() as site:
        yield site


@pytest.fixture(autouse=True)
def leak_guard() -> Iterator[None]:
    """Fails a test that leaves a thread, task, child process or environment change behind."""
    with no_leaks():
        yield
