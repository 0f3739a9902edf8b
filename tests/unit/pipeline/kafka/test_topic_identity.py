"""The topic watch: ids compared with the ones at start (pipeline/kafka/topic_identity.py)."""

from __future__ import annotations

from typing import Any

from pipeline.kafka.topic_identity import NO_ID, difference, topic_ids


class FakeAdmin:
    def __init__(self, topics: list[dict[str, Any]]) -> None:
        self.topics = topics

    def describe_topics(self, names: list[str]) -> list[dict[str, Any]]:
        return [t for t in self.topics if t["name"] in names]


def test_ids_read_from_the_broker_answer() -> None:
    admin = FakeAdmin(
        [
            {"name": "raw", "error_code": 0, "topic_id": "a1"},
            {"name": "gone", "error_code": 3, "topic_id": None},
            {"name": "old-broker", "error_code": 0, "topic_id": NO_ID},
            {"name": "no-leader-yet", "error_code": 5, "topic_id": "b2"},
        ]
    )
    ids = topic_ids(admin, ["raw", "gone", "old-broker", "no-leader-yet"])
    assert ids == {"raw": "a1", "gone": None, "old-broker": ""}


def test_a_topic_gone_or_made_again_is_a_difference() -> None:
    before = {"raw": "a1", "dead": "d1"}
    assert difference(before, {"raw": "a1", "dead": "d1"}) is None
    assert difference(before, {"raw": "a1", "dead": None}) == "topic dead is gone from the broker"
    assert difference(before, {"raw": "a2", "dead": "d1"}) == (
        "topic raw was created again (id a1 is now a2)"
    )


def test_what_proves_nothing_is_no_difference() -> None:
    before = {"raw": "a1", "late": None, "old": ""}
    # not in the answer (a transient error), created after the start, no ids from the broker
    assert difference(before, {"late": "l1", "old": "o1"}) is None
    assert difference(before, {"raw": "a1", "late": None, "old": ""}) is None
