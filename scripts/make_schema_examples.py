"""Regenerate schemas/examples/ from the sample site, through the real connector and worker code.

Run: python scripts/make_schema_examples.py   (then review the diff)
"""

from __future__ import annotations

import json
from pathlib import Path

from connectors.assembly import http_client
from connectors.base import SourceSpec
from connectors.raw import page_event
from connectors.rss import parse_feed
from pipeline.core.codec import decode, encode
from pipeline.core.settings import Settings
from pipeline.tools.demo.site import SampleSite
from pipeline.worker.dedup import Deduplicator
from pipeline.worker.processing import DeadLetter, Enriched, process_one
from pipeline.worker.publish import Publisher

EXAMPLES = Path(__file__).resolve().parent.parent / "schemas" / "examples"
PICKS = {
    "news.raw.v1.json": "spotify-abo-preise",
    "news.enriched.v1.json": "amazon-ki-investitionen",
    "news.deadletter.v1.json": "marktbericht-november",
    "news.company.v1.json": "amazon-ki-investitionen",  # its first company
}


def main() -> None:
    http = http_client(Settings.of(fetch_allow_networks="127.0.0.1/32"))
    with SampleSite(port=8765) as site:
        spec = SourceSpec("rheinblick-de", "rss", site.feed_urls["rheinblick-de"])
        feed = http.get(spec.url)
        raws = {
            e.link.rsplit("/", 1)[-1].split(".")[0]: page_event(spec, e, http.get(e.link))
            for e in parse_feed(spec.id, feed.text, feed.final_url)
        }
    enriched = process_one(encode(raws[PICKS["news.enriched.v1.json"]]))
    dead = process_one(encode(raws[PICKS["news.deadletter.v1.json"]]))
    assert isinstance(enriched, Enriched) and isinstance(dead, DeadLetter)
    decision = Deduplicator({}, Settings().worker.dedup_capacity).decide(
        enriched.canonical_url,
        enriched.text_hash,
        enriched.sketch,
        enriched.event["event_id"],
        enriched.versions,
    )
    records = Publisher.of(Settings()).records(enriched, decision)
    outputs = {
        "news.raw.v1.json": raws[PICKS["news.raw.v1.json"]],
        "news.enriched.v1.json": records[0].value,
        "news.deadletter.v1.json": decode(dead.value),
        "news.company.v1.json": next(r.value for r in records if r.kind == "company"),
    }
    EXAMPLES.mkdir(parents=True, exist_ok=True)
    for name, event in outputs.items():
        (EXAMPLES / name).write_text(
            json.dumps(event, ensure_ascii=False, indent=2) + "\n", encoding="utf-8"
        )
        print("wrote", EXAMPLES / name)


if __name__ == "__main__":
    main()
