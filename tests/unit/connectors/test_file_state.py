"""Connector state in a local file (embedded broker): what is saved is there after a restart,
a line cut short by a crash costs only that line, and the file is compacted."""

from __future__ import annotations

from pathlib import Path

from connectors.file_state import FileStateStore
from connectors.state import SourceState


def test_state_survives_a_restart(tmp_path: Path) -> None:
    path = tmp_path / "state.jsonl"
    store = FileStateStore(path)
    store.save_source(SourceState("f0", etag='"v1"', polls=3))
    store.mark_seen(["seen/url/a", "seen/id/f0/a"], updated="2026-11-25T08:00:00Z")
    store.flush()
    store.close()
    again = FileStateStore(path)
    assert again.source("f0").etag == '"v1"' and again.source("f0").polls == 3
    assert again.is_seen(["seen/url/a"])
    assert again.updated_at("seen/id/f0/a") == "2026-11-25T08:00:00Z"
    assert not again.is_seen(["seen/url/b"])
    again.close()


def test_a_torn_last_line_is_skipped(tmp_path: Path) -> None:
    path = tmp_path / "state.jsonl"
    store = FileStateStore(path)
    store.mark_seen(["seen/url/a"])
    store.close()
    with path.open("a", encoding="utf-8") as out:
        out.write('{"key": "seen/url/b", "val')  # the crash came mid-write
    again = FileStateStore(path)
    assert again.is_seen(["seen/url/a"]) and not again.is_seen(["seen/url/b"])
    again.close()


def test_the_file_is_compacted_on_start(tmp_path: Path) -> None:
    path = tmp_path / "state.jsonl"
    store = FileStateStore(path)
    for poll in range(500):
        store.save_source(SourceState("f0", polls=poll))
    store.close()
    assert len(path.read_text().splitlines()) == 500
    again = FileStateStore(path)
    again.close()
    assert len(path.read_text().splitlines()) == 1
    last = FileStateStore(path)
    assert last.source("f0").polls == 499
    last.close()
