"""Near-duplicate decisions with one owner per story, so N workers agree on one original.

After the pool has cleaned and tagged a page, the enrich agent does not decide itself: it sends
the outcome to the internal topic `<app id>-stories`, keyed by the story key, and the `decide`
agent of whichever worker owns that partition decides and produces the enriched event. Copies
of one text share their MinHash sketch, hence the key, hence the owner, which sees them in
order and updates its dedup state before the next one: one original per story, also across
workers and rebalances (the partition moves, its unprocessed records with it). The order they
reach the owner is processing order; the original is still the copy seen first (`fetched_at`):
an earlier copy decided later demotes the one published before it (first_sight.py).

The key is the sketch's smallest value. Copies that differ a little (another headline, a
trailing line) share it with a probability equal to their resemblance; those that do not may
be decided by two owners at once, and only then can a story get two originals, as before
(docs/capacity.md, Scaling). A text too short for a sketch is keyed by its URL: it is never an
original nor a near-duplicate, only a revision of its URL.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from typing import Any

import faust

from pipeline.core.codec import decode, encode
from pipeline.core.settings import Settings
from pipeline.kafka.topics import stories_topic
from pipeline.worker.dedup import pack_sketch, unpack_sketch
from pipeline.worker.processing import Enriched

log = logging.getLogger(__name__)

Route = Callable[[Enriched], Awaitable[Awaitable[Any]]]
Publish = Callable[[faust.EventT[bytes], Enriched], Awaitable[None]]


def story_key(outcome: Enriched) -> bytes:
    """The partition key of a story: the smallest sketch value, else the canonical URL."""
    if outcome.sketch:
        return f"s:{min(outcome.sketch):016x}".encode()
    return f"u:{outcome.canonical_url}".encode()


def pack(outcome: Enriched) -> bytes:
    return encode(
        {
            "event": outcome.event,
            "canonical_url": outcome.canonical_url,
            "text_hash": outcome.text_hash,
            "sketch": pack_sketch(outcome.sketch),
            "clean_s": outcome.clean_s,
            "tag_s": outcome.tag_s,
            "versions": outcome.versions,
        }
    )


def unpack(value: bytes) -> Enriched:
    fields = decode(value)
    return Enriched(
        event=fields["event"],
        canonical_url=str(fields["canonical_url"]),
        text_hash=str(fields["text_hash"]),
        sketch=unpack_sketch(str(fields["sketch"])),
        clean_s=float(fields["clean_s"]),
        tag_s=float(fields["tag_s"]),
        versions=str(fields.get("versions", "")),
    )


def register_story_agent(
    app: faust.App,
    settings: Settings,
    publish: Publish,
    fatal: Callable[[str], None] | None = None,
) -> Route:
    """The `decide` agent (it calls `publish` per outcome, in story order, with the record's
    event so that its offset is committed once published); returns the route the enrich agent
    sends its outcomes through, which returns the delivery to wait for."""
    topic = app.topic(
        stories_topic(settings),
        key_serializer="raw",
        value_serializer="raw",
        partitions=settings.topics.raw_partitions,
    )

    @app.agent(topic, name="decide")
    async def decide_stories(stream: faust.StreamT[bytes]) -> None:
        async for event in stream.events():
            try:
                outcome = unpack(event.value)
            except (ValueError, KeyError, TypeError):
                log.exception("dropping a malformed record of %s", topic.get_topic_name())
                continue
            try:
                await publish(event, outcome)
            except Exception as exc:
                if fatal is None:
                    raise
                fatal(f"could not publish to the broker: {exc!r}")
                return

    async def route(outcome: Enriched) -> Awaitable[Any]:
        return await topic.send(key=story_key(outcome), value=pack(outcome))

    return route
