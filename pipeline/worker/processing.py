"""One raw event in, one enriched article or dead letter out: the work the process pool does.

Everything here is plain, synchronous and picklable, so it runs in a pool process; the Faust
agent only deduplicates and produces. Each input gives exactly one outcome: nothing is lost.
"""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass, field
from typing import Any

from pipeline.cleaning.extract import (
    DEFAULT_OPTIONS,
    ExtractionOptions,
    FeedMetadata,
    clean_page,
)
from pipeline.cleaning.fingerprint import sketch, text_hash
from pipeline.core.codec import decode, encode
from pipeline.core.errors import ExtractionError, Failure, failure_of
from pipeline.core.events import deadletter_event, enriched_event, versions_digest
from pipeline.core.urls import canonical_url
from pipeline.tagging.base import ArticleTagger, TaggingInput
from pipeline.tagging.loader import load_tagger, tagger_versions

# Tagging reads at most this much of an article. Real articles stay well under it (long reads run
# to 30,000-40,000 characters), and the taggers' cost grows faster than the length on one
# endless sentence: a 1 MB page of one sentence took 13 s to tag, 50,000 characters 0.5 s.
MAX_TAGGED_CHARS = 40_000

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Enriched:
    """An enriched event before deduplication, with what dedup needs and stage timings."""

    event: dict[str, Any]
    canonical_url: str
    text_hash: str
    sketch: list[int] = field(default_factory=list)
    clean_s: float = 0.0
    tag_s: float = 0.0
    versions: str = ""  # digest of the tagger versions that made the event (dedup keeps it)


@dataclass(frozen=True)
class DeadLetter:
    key: bytes
    value: bytes
    stage: str
    reason: Failure


Outcome = Enriched | DeadLetter


_tagger: ArticleTagger | None = None
_versions: dict[str, str] | None = None
_extraction = DEFAULT_OPTIONS


def warm_up(tagger_spec: str = "", extraction: ExtractionOptions = DEFAULT_OPTIONS) -> None:
    """Load the tagger and set the extraction options once per pool process, before any article."""
    global _tagger, _extraction, _versions
    _tagger = load_tagger(tagger_spec)
    _versions = tagger_versions(_tagger)
    _extraction = extraction


def current_tagger() -> ArticleTagger:
    return _tagger or load_tagger()


def current_versions() -> dict[str, str]:
    return _versions or tagger_versions(current_tagger())


def process_batch(payloads: list[bytes]) -> list[Outcome]:
    return [process_one(payload) for payload in payloads]


def process_one(payload: bytes) -> Outcome:
    try:
        raw = decode(payload)
    except (ValueError, UnicodeDecodeError) as exc:
        return _dead(None, "decode", exc, payload)
    started = time.perf_counter()
    try:
        article = clean_page(
            _required(raw, "html"),
            url=raw.get("fetch", {}).get("final_url") or raw.get("url"),
            content_type=raw.get("fetch", {}).get("content_type", "text/html"),
            feed=_feed_metadata(raw),
            options=_extraction,
        )
    except ExtractionError as exc:
        return _dead(raw, "clean", exc, payload)
    except Exception as exc:  # an unexpected failure must not lose the page: dead-letter it
        log.exception("cleaning failed unexpectedly for %s", raw.get("event_id"))
        return _dead(raw, "clean", exc, payload)
    cleaned = time.perf_counter()
    try:
        tags = current_tagger().tag(
            TaggingInput(
                text=article.text[:MAX_TAGGED_CHARS], title=article.title, language=article.language
            )
        )
    except Exception as exc:  # a tagger bug must not lose the article: dead-letter it
        log.exception("tagging failed for %s", raw.get("event_id"))
        return _dead(raw, "tag", exc, payload)
    tagged = time.perf_counter()
    versions = current_versions()
    return Enriched(
        event=enriched_event(raw, article.as_dict(), tags, versions),
        canonical_url=canonical_url(str(raw.get("url", ""))),
        text_hash=text_hash(article.title, article.text),
        sketch=sketch(article.text),
        clean_s=cleaned - started,
        tag_s=tagged - cleaned,
        versions=versions_digest(versions),
    )


def dead_letter_for(payload: bytes, stage: str, error: BaseException) -> DeadLetter:
    """A dead letter for a payload that could not even be processed (its process died)."""
    try:
        raw: dict[str, Any] | None = decode(payload)
    except (ValueError, UnicodeDecodeError):
        raw = None
    return _dead(raw, stage, error, payload)


def _required(raw: dict[str, Any], key: str) -> str:
    value = raw.get(key)
    if not isinstance(value, str):
        raise ExtractionError(f"raw event has no {key!r} text")
    return value


def _feed_metadata(raw: dict[str, Any]) -> FeedMetadata:
    entry = raw.get("entry") or {}
    source = raw.get("source") or {}
    return FeedMetadata(
        title=entry.get("title"),
        published=entry.get("published"),
        authors=tuple(entry.get("authors") or ()),
        summary=entry.get("summary"),
        language=source.get("language") if isinstance(source, dict) else None,
    )


def _dead(
    raw: dict[str, Any] | None, stage: str, error: BaseException, payload: bytes
) -> DeadLetter:
    event = deadletter_event(raw, stage, error, payload)
    return DeadLetter(event["event_id"].encode(), encode(event), stage, failure_of(error))
