"""Regenerate schemas/examples/ from the sample site, through the real connector and worker code.

Run: python scripts/make_schema_examples.py   (then review the diff)
"""

from __future__ import annotations

import json
from pathlib import Path

from connectors.base import SourceSpec
from connectors.http import HttpClient, HttpLimits
from connectors.rss import RssSource
from pipeline.codec import decode, encode
from pipeline.demo.site import SampleSite
from pipeline.events import raw_event
from pipeline.processing import process_one

EXAMPLES = Path(__file__).resolve().parent.parent / "schemas" / "examples"
PICKS = {
    "news.raw.v1.json": "spotify-abo-preise",
    "news.enriched.v1.json": "amazon-ki-investitionen",
    "news.deadletter.v1.json": "marktbericht-november",
}


def main() -> None:
    http = HttpClient(HttpLimits())
    with SampleSite(port=8765) as site:
        spec = SourceSpec("rheinblick-de", "rss", site.feed_urls["rheinblick-de"])
        raws = {
            e.link.rsplit("/", 1)[-1].split(".")[0]: raw_event(spec, e, http.get(e.link))
            for e in RssSource(spec, http).discover()
        }
    outputs = {
        "news.raw.v1.json": raws[PICKS["news.raw.v1.json"]],
        "news.enriched.v1.json": decode(
            process_one(encode(raws[PICKS["news.enriched.v1.json"]])).value
        ),
        "news.deadletter.v1.json": decode(
            process_one(encode(raws[PICKS["news.deadletter.v1.json"]])).value
        ),
    }
    EXAMPLES.mkdir(parents=True, exist_ok=True)
    for name, event in outputs.items():
        (EXAMPLES / name).write_text(
            json.dumps(event, ensure_ascii=False, indent=2) + "\n", encoding="utf-8"
        )
        print("wrote", EXAMPLES / name)


if __name__ == "__main__":
    main()
