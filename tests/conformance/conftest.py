"""Every runner a conformance test made is closed after it (its page pool threads stop)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.support.connector_harness import close_all


@pytest.fixture(autouse=True)
def close_harnesses() -> Iterator[None]:
    yield
    close_all()
