"""The feed's hints in cleaning (issue 13, symptom 6): the page's own headline leaves the body
when the feed words the title differently; the catalogue's language decides when detection
is unsure."""

from __future__ import annotations

from pipeline.cleaning.extract import FeedMetadata, clean_page
from pipeline.core.codec import encode
from pipeline.worker.processing import process_one

BODY = (
    "<p>Die Aktie von Amazon ist am Freitag nach der Vorlage der Quartalszahlen deutlich "
    "gefallen. Anleger zeigten sich enttäuscht von der Prognose für das Weihnachtsgeschäft.</p>"
    "<p>Der Konzern hatte zuvor mitgeteilt, dass die Kosten für Rechenzentren weiter steigen "
    "werden. Analysten rechnen mit weiteren Investitionen in künstliche Intelligenz.</p>"
)
HEADLINE = "Amazon-Aktie fällt nach Quartalszahlen deutlich"
PAGE = (
    f"<html><head><title>Amazon | Finanzseite</title></head><body><nav><a href='/'>Start</a>"
    f"</nav><article><h1>{HEADLINE}</h1>{BODY}</article></body></html>"
)
SPECS = "".join(
    f"<p>Tesla Model Y Performance {year}: {price}.990 Euro, 0-100 km/h {accel} s, "
    f"{range_km} km WLTP, {ps} PS, Allrad, 21 Zoll, 2.100 kg.</p>"
    for year, price, accel, range_km, ps in [
        (2024, 55, "3,7", 514, 534),
        (2025, 52, "4,1", 533, 460),
        (2026, 45, "5,0", 568, 299),
    ]
)


def test_page_headline_leaves_the_body_when_the_feed_gives_title_and_date() -> None:
    feed = FeedMetadata(title="Amazon: Kurs fällt nach Zahlen", published="2026-11-30T10:00:00Z")
    article = clean_page(PAGE, "https://news.test/a", feed=feed)
    assert article.title == feed.title
    assert not article.text.startswith(HEADLINE)
    assert article.text.startswith("Die Aktie von Amazon")


def test_a_dateline_that_is_not_the_headline_stays() -> None:
    page = PAGE.replace(BODY, "<p>Seattle</p>" + BODY)
    feed = FeedMetadata(title="Amazon: Kurs fällt", published="2026-11-30T10:00:00Z")
    assert "Seattle" in clean_page(page, "https://news.test/a", feed=feed).text


def test_catalogue_language_decides_when_detection_is_unsure() -> None:
    page = f"<html><body><article>{SPECS}</article></body></html>"
    feed = FeedMetadata(title="Model Y", published="2026-11-30T10:00:00Z", language="de")
    assert clean_page(page, "https://news.test/a", feed=feed).language == "de"


def test_detection_wins_over_the_catalogue_when_sure() -> None:
    feed = FeedMetadata(title="Amazon", published="2026-11-30T10:00:00Z", language="en")
    assert clean_page(PAGE, "https://news.test/a", feed=feed).language == "de"


def test_the_worker_reads_the_language_from_the_raw_event() -> None:
    raw = {
        "event_id": "raw-" + "0" * 32,
        "source": {"id": "s", "kind": "rss", "url": "https://news.test/feed", "language": "de"},
        "url": "https://news.test/a",
        "entry": {
            "id": "a",
            "title": "Model Y",
            "published": "2026-11-30T10:00:00Z",
            "authors": [],
            "summary": None,
        },
        "fetch": {
            "status": 200,
            "final_url": "https://news.test/a",
            "content_type": "text/html",
            "bytes": 1,
            "fetched_at": "2026-11-30T10:00:00Z",
        },
        "html": f"<html><body><article>{SPECS}</article></body></html>",
    }
    outcome = process_one(encode(raw))
    assert getattr(outcome, "event", {}).get("language") == "de"
