"""The topic watch against the embedded broker: a topic deleted and created again is seen."""

from __future__ import annotations

import threading

import pytest
from kafka import KafkaAdminClient
from kafka.admin import NewTopic

from pipeline.kafka.embedded import EmbeddedBroker
from pipeline.kafka.topic_identity import TopicIdentityWatch

pytestmark = pytest.mark.integration


def test_a_topic_created_again_calls_the_watch_once(broker: EmbeddedBroker) -> None:
    admin = KafkaAdminClient(bootstrap_servers=broker.bootstrap)
    try:
        admin.create_topics([NewTopic("tw.raw", 2, 1), NewTopic("tw.dead", 1, 1)])
        reasons: list[str] = []
        changed = threading.Event()

        def on_change(reason: str) -> None:
            reasons.append(reason)
            changed.set()

        watch = TopicIdentityWatch(broker.bootstrap, ["tw.raw", "tw.dead"], on_change, 0.2)
        watch.start()
        try:
            assert watch.baseline.keys() == {"tw.raw", "tw.dead"}
            assert all(watch.baseline.values())
            assert not changed.wait(1.0), reasons  # nothing changed: nothing said
            admin.delete_topics(["tw.raw"])
            admin.create_topics([NewTopic("tw.raw", 2, 1)])
            assert changed.wait(10.0)
        finally:
            watch.stop()
        assert len(reasons) == 1
        assert reasons[0].startswith("topic tw.raw ")
    finally:
        admin.close()
