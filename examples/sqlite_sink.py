"""An example subscriber: the current version of every article, in SQLite.

    python examples/sqlite_sink.py --db news.db [--bootstrap 127.0.0.1:9092] [--group G]

It reads news.enriched.v1 with pipeline.client (validated, duplicates skipped, each record
committed after its row is written) and upserts each article by event_id.
An event that replaces others, a re-tag (`supersedes`) or a new revision of the URL
(`previous_event_id`), marks them as replaced, even when it arrives before them, so the view
`current` ends with exactly one row per article whatever the order of delivery.
"""

from __future__ import annotations

import argparse
import json
import logging
import sqlite3
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from pipeline.client import EnrichedEvent, Stats, subscribe

log = logging.getLogger("sqlite_sink")

DDL = """
CREATE TABLE IF NOT EXISTS articles (
    event_id        TEXT PRIMARY KEY,
    url             TEXT NOT NULL,
    source_id       TEXT NOT NULL,
    title           TEXT,
    language        TEXT NOT NULL,
    published       TEXT,
    sentiment_label TEXT NOT NULL,
    sentiment_score REAL NOT NULL,
    companies       TEXT NOT NULL,  -- JSON: [{id, ticker, sentiment}]
    topics          TEXT NOT NULL,  -- JSON: [topic id]
    tagger_versions TEXT NOT NULL,  -- JSON object
    revision        INTEGER NOT NULL,
    enriched_at     TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS replaced (
    event_id    TEXT PRIMARY KEY,
    by_event_id TEXT NOT NULL
);
CREATE VIEW IF NOT EXISTS current AS
    SELECT a.* FROM articles a
    WHERE NOT EXISTS (SELECT 1 FROM replaced r WHERE r.event_id = a.event_id);
"""

UPSERT = """
INSERT INTO articles (event_id, url, source_id, title, language, published, sentiment_label,
                      sentiment_score, companies, topics, tagger_versions, revision, enriched_at)
VALUES (:event_id, :url, :source_id, :title, :language, :published, :sentiment_label,
        :sentiment_score, :companies, :topics, :tagger_versions, :revision, :enriched_at)
ON CONFLICT (event_id) DO UPDATE SET
    url = excluded.url, source_id = excluded.source_id, title = excluded.title,
    language = excluded.language, published = excluded.published,
    sentiment_label = excluded.sentiment_label, sentiment_score = excluded.sentiment_score,
    companies = excluded.companies, topics = excluded.topics,
    tagger_versions = excluded.tagger_versions, revision = excluded.revision,
    enriched_at = excluded.enriched_at
"""


def row(event: EnrichedEvent) -> dict[str, object]:
    companies = [
        {"id": c.id, "ticker": c.ticker, "sentiment": c.sentiment.label} for c in event.companies
    ]
    return {
        "event_id": event.event_id,
        "url": event.url,
        "source_id": event.source_id,
        "title": event.title,
        "language": event.language,
        "published": event.published.isoformat() if event.published else None,
        "sentiment_label": event.sentiment.label,
        "sentiment_score": event.sentiment.score,
        "companies": json.dumps(companies),
        "topics": json.dumps(list(event.topic_ids)),
        "tagger_versions": json.dumps(dict(event.tagger_versions), sort_keys=True),
        "revision": event.revision,
        "enriched_at": event.enriched_at.isoformat(),
    }


class ArticleStore:
    def __init__(self, path: Path | str) -> None:
        self.db = sqlite3.connect(path)
        self.db.row_factory = sqlite3.Row
        self.db.executescript(DDL)

    def upsert(self, event: EnrichedEvent) -> None:
        """One transaction: the article and what it replaces. Running it twice changes nothing."""
        with self.db:
            self.db.execute(UPSERT, row(event))
            self.db.executemany(
                "INSERT INTO replaced (event_id, by_event_id) VALUES (?, ?) "
                "ON CONFLICT (event_id) DO NOTHING",
                [(old, event.event_id) for old in event.replaces],
            )

    def current(self) -> list[sqlite3.Row]:
        return list(self.db.execute("SELECT * FROM current ORDER BY url, event_id"))

    def count(self) -> int:
        return int(self.db.execute("SELECT count(*) FROM articles").fetchone()[0])

    def close(self) -> None:
        self.db.close()


def run(
    bootstrap: str,
    group_id: str,
    db: Path | str,
    idle_s: float | None = None,
    max_events: int | None = None,
    **consumer_options: Any,
) -> Stats:
    """Sink news.enriched.v1 into `db` until `max_events` or `idle_s` seconds of silence."""
    store = ArticleStore(db)
    try:
        # out-of-date events too: the store keeps them as replaced rows, and a late one may be
        # the only event that names an older one as replaced
        with subscribe(bootstrap, group_id, include_stale=True, **consumer_options) as news:
            return news.run(store.upsert, max_events=max_events, idle_s=idle_s)
    finally:
        store.close()


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--db", type=Path, required=True, help="the SQLite file")
    parser.add_argument("--bootstrap", default="127.0.0.1:9092", help="Kafka bootstrap servers")
    parser.add_argument("--group", default="newswire-sqlite-sink", help="consumer group id")
    parser.add_argument("--idle", type=float, default=None, help="stop after S quiet seconds")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(message)s")
    stats = run(args.bootstrap, args.group, args.db, idle_s=args.idle)
    log.info(
        "%d articles written, %d duplicates and %d out-of-date events skipped, %d invalid",
        stats.delivered,
        stats.duplicates,
        stats.stale,
        stats.invalid,
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
