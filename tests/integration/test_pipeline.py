"""Feed → page → raw → enriched through the embedded broker and a local HTTP server."""

from __future__ import annotations

import hashlib
import io
import json
from pathlib import Path

from pipeline.commands.tail import TailOptions, run_tail
from pipeline.core.codec import encode
from pipeline.kafka import clients
from pipeline.kafka.reader import iter_events
from tests.conftest import assert_valid
from tests.integration.conftest import PipelineRun, wait_for

SEED = (
    Path(__file__).resolve().parents[2]
    / "pipeline"
    / "tools"
    / "demo"
    / "articles"
    / "amazon-ki-investitionen.txt"
)
BOILERPLATE = [
    "Cookies",
    "Alle akzeptieren",
    "Morgen-Newsletter",
    "Impressum",
    "Mehr zum Thema",
    "Startseite",
    "Anzeige",
]


def event_for(run: PipelineRun, slug: str) -> dict:
    (event,) = [e for url, e in run.enriched.items() if url.endswith(f"/{slug}.html")]
    return event


def test_every_sample_article_is_enriched_with_a_valid_event(pipeline_run: PipelineRun) -> None:
    assert set(pipeline_run.enriched) == pipeline_run.site.article_urls()
    for event in pipeline_run.enriched.values():
        assert_valid("news.enriched.v1", event)
        assert event["text"] and event["language"] in {"de", "en"}
        assert event["source_id"] in {"rheinblick-de", "rheinblick-en"}


def test_raw_events_follow_their_schema(pipeline_run: PipelineRun) -> None:
    raws = [
        e
        for _, e in iter_events(
            pipeline_run.settings.bootstrap,
            [pipeline_run.settings.topics.raw_topic],
            True,
            timeout_s=5,
        )
    ]
    assert len(raws) >= len(pipeline_run.site.article_urls())
    for event in raws:
        assert_valid("news.raw.v1", event)


def test_seed_article_is_cleaned_and_tagged_exactly(pipeline_run: PipelineRun) -> None:
    event = event_for(pipeline_run, "amazon-ki-investitionen")
    paragraphs = SEED.read_text(encoding="utf-8").split("\n---\n", 1)[1].strip().split("\n\n")
    assert event["title"] == "Onlinehandel: Amazon verschreckt Aktionäre mit hohen KI-Investitionen"
    assert event["published"] == "2024-08-01T20:41:00Z"
    assert event["language"] == "de" and not event["partial"]
    body = event["text"]
    positions = [body.index(p) for p in paragraphs]
    assert positions == sorted(positions), "paragraphs in their original order"
    assert not [b for b in BOILERPLATE if b in body]
    companies = {c["id"]: c for c in event["companies"]}
    assert companies["amazon"]["ticker"] == "AMZN" and companies["amazon"]["isin"] == "US0231351067"
    assert {"AWS", "Alexa", "Rufus", "Amazon"} <= set(companies["amazon"]["mentions"]["aliases"])
    assert companies["amazon"]["salience"]["in_title"]
    assert set(companies) == {"amazon", "alphabet", "openai"}
    # the three mission topics, and the share-price move the article reports (-7% after hours)
    assert {t["id"] for t in event["topics"]} == {
        "ai-investment",
        "earnings",
        "subscription-plans",
        "stock-moves",
    }
    for company in companies.values():
        assert company["sentiment"]["label"] in {"positive", "negative", "neutral"}


def test_hard_negatives_name_no_company(pipeline_run: PipelineRun) -> None:
    assert event_for(pipeline_run, "amazon-rainforest-deforestation")["companies"] == []
    assert event_for(pipeline_run, "apfelbauern-allianz")["companies"] == []


def test_a_page_that_cannot_be_cleaned_is_dead_lettered(pipeline_run: PipelineRun) -> None:
    (dead,) = [d for d in pipeline_run.deadletters if str(d.get("url")).endswith(".pdf")]
    assert_valid("news.deadletter.v1", dead)
    assert dead["stage"] == "clean" and "application/pdf" in dead["reason"]
    assert dead["source_id"] == "rheinblick-de" and dead["raw_event_id"].startswith("raw-")


def test_every_failure_kind_is_dead_lettered_and_the_worker_goes_on(
    pipeline_run: PipelineRun,
) -> None:
    settings = pipeline_run.settings
    template = json.loads(
        (
            Path(__file__).resolve().parents[2] / "schemas" / "examples" / "news.raw.v1.json"
        ).read_text(encoding="utf-8")
    )

    def variant(name: str, **changes: object) -> dict:
        event = {**template, "url": f"https://poison.test/{name}", **changes}
        event["event_id"] = "raw-" + hashlib.sha256(name.encode()).hexdigest()[:32]
        return event

    no_html = variant("no-html")
    del no_html["html"]
    cases = {
        "oversized": variant("oversized", html="<p>" + "x" * 5_000_001 + "</p>"),
        "no-body": variant(
            "no-body",
            html="<html><body><nav>Menü</nav></body></html>",
            entry={**template["entry"], "summary": None},
        ),
        "no-html": no_html,
        "not-html": variant("not-html", fetch={**template["fetch"], "content_type": "image/png"}),
    }
    good = variant("after-the-poison")
    producer = clients.producer(settings.bootstrap, "test-poison")
    producer.send(settings.topics.raw_topic, key=b"poison", value=b"\x00\x9f not json at all")
    for event in [*cases.values(), good]:
        producer.send(
            settings.topics.raw_topic, key=event["event_id"].encode(), value=encode(event)
        )
    producer.flush()
    producer.close()
    wait_for(pipeline_run, {good["url"]}, dead_urls=frozenset(e["url"] for e in cases.values()))
    dead = {d["url"]: d for d in pipeline_run.deadletters}
    reasons = {name: dead[event["url"]]["reason"] for name, event in cases.items()}
    assert "too large" in reasons["oversized"]
    assert "no usable body" in reasons["no-body"]
    assert "'html'" in reasons["no-html"]
    assert "image/png" in reasons["not-html"]
    assert any(d["stage"] == "decode" for d in pipeline_run.deadletters)
    for event in dead.values():
        assert_valid("news.deadletter.v1", event)
    assert pipeline_run.supervisor.children[0].process.poll() is None, "worker still running"


def test_tail_filters_by_company_and_topic(pipeline_run: PipelineRun) -> None:
    out = io.StringIO()
    options = TailOptions(
        as_json=True,
        from_beginning=True,
        max_events=2,
        timeout_s=20,
        company="AMZN",
        topic="subscription-plans",
    )
    assert run_tail(pipeline_run.settings, options, out) == 0
    events = [json.loads(line) for line in out.getvalue().splitlines()]
    assert len(events) == 1, "only the seed names Amazon and has subscription-plans"
    assert "amazon" in {c["id"] for c in events[0]["companies"]}
