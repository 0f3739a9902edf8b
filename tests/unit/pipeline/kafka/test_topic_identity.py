"""The topic watch: ids compared with the ones at start (pipeline/kafka/topic_identity.py)."""

from __future__ import annotations

from typing import Any

from pipeline.kafka.topic_identity import NO_ID, TopicIdentityWatch, difference, topic_ids


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


class ScriptedWatch(TopicIdentityWatch):
    """A watch whose looks return the given answers in turn (None: the broker was away)."""

    def __init__(self, answers: list[Any], reasons: list[str]) -> None:
        super().__init__("127.0.0.1:1", ["raw"], reasons.append, interval_s=0, confirm_after_s=0)
        self.answers = answers

    def look(self) -> dict[str, str | None] | None:
        answer = self.answers.pop(0)
        if isinstance(answer, Exception):
            raise answer
        return answer  # type: ignore[no-any-return]


def test_a_topic_gone_counts_only_when_a_second_look_agrees() -> None:
    reasons: list[str] = []
    watch = ScriptedWatch([{"raw": "a1"}, {"raw": None}, {"raw": "a1"}], reasons).start()
    assert watch.check() is None, "one broker that had no metadata for a moment"
    assert reasons == []


def test_a_change_is_reported_once() -> None:
    reasons: list[str] = []
    watch = ScriptedWatch([{"raw": "a1"}, {"raw": None}, {"raw": None}], reasons).start()
    assert watch.check() == "topic raw is gone from the broker"
    assert watch.check() is None
    assert reasons == ["topic raw is gone from the broker"]


def test_a_look_that_fails_or_raises_proves_nothing() -> None:
    reasons: list[str] = []
    watch = ScriptedWatch([None, None, RuntimeError("boom"), {"raw": "a1"}, {"raw": "a2"}], reasons)
    watch.start()
    assert watch.baseline == {}
    assert watch.check() is None  # the broker is away
    assert watch.check() is None  # an unexpected error is logged, not raised
    assert watch.check() is None and watch.baseline == {"raw": "a1"}  # the first good look
    assert watch.check() == "topic raw was created again (id a1 is now a2)"
    assert len(reasons) == 1


def test_an_unreachable_broker_builds_no_client() -> None:
    watch = TopicIdentityWatch("127.0.0.1:1", ["raw"], lambda reason: None, interval_s=0)
    assert watch.look() is None
    assert watch._admin is None
