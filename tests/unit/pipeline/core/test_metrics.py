"""Each stage counts what it should; a fresh registry per test."""

from prometheus_client import CollectorRegistry

from pipeline.core.metrics import PipelineMetrics, seconds_since
from pipeline.worker.dedup import Decision
from pipeline.worker.processing import DeadLetter, Enriched
from pipeline.worker.publish import record_deadletter, record_enriched

EVENT = {
    "url": "https://n.test/a",
    "event_id": "art-1",
    "fetched_at": "2026-11-24T08:00:00Z",
    "published": "2026-11-24T07:00:00Z",
    "partial": True,
    "topics": [{"id": "earnings"}, {"id": "ai-investment"}],
    "companies": [{"id": "amazon"}, {"id": "zalando"}, {"id": "hellofresh"}],
}


def metrics(registry: CollectorRegistry) -> PipelineMetrics:
    return PipelineMetrics.create(registry, watchlist=frozenset({"amazon"}))


def value(registry: CollectorRegistry, name: str, **labels: str) -> float:
    return registry.get_sample_value(name, labels) or 0.0


def test_an_enriched_article_is_counted_at_every_stage(registry: CollectorRegistry) -> None:
    bundle = metrics(registry)
    record_enriched(
        bundle,
        Enriched(EVENT, EVENT["url"], "h", [], 0.02, 0.001),
        Decision(True, 1, None, None),
        0.003,
    )
    for stage in ("clean", "tag", "publish"):
        assert value(registry, "newswire_articles_total", stage=stage, outcome="ok") == 1
    assert value(registry, "newswire_articles_total", stage="clean", outcome="partial") == 1
    assert value(registry, "newswire_stage_seconds_count", stage="clean") == 1
    assert value(registry, "newswire_stage_seconds_sum", stage="clean") == 0.02
    assert value(registry, "newswire_topic_articles_total", topic="earnings") == 1
    assert value(registry, "newswire_company_articles_total", company="amazon") == 1
    assert value(registry, "newswire_company_articles_total", company="other") == 1, (
        "companies off the watchlist count once per article as 'other'"
    )
    assert value(registry, "newswire_end_to_end_seconds_count") == 1
    assert value(registry, "newswire_freshness_seconds_count") == 1


def test_a_duplicate_is_counted_but_not_published(registry: CollectorRegistry) -> None:
    bundle = metrics(registry)
    record_enriched(bundle, Enriched(EVENT, EVENT["url"], "h"), Decision(False, 1, "art-0", None))
    assert value(registry, "newswire_articles_total", stage="publish", outcome="duplicate") == 1
    assert value(registry, "newswire_articles_total", stage="publish", outcome="ok") == 0
    assert value(registry, "newswire_topic_articles_total", topic="earnings") == 0


def test_a_dead_letter_is_counted_with_stage_and_reason(registry: CollectorRegistry) -> None:
    record_deadletter(metrics(registry), DeadLetter(b"k", b"{}", "clean", "ExtractionError"))
    assert value(registry, "newswire_articles_total", stage="clean", outcome="deadletter") == 1
    assert (
        value(registry, "newswire_deadletters_total", stage="clean", reason="ExtractionError") == 1
    )


def test_seconds_since_needs_an_aware_time() -> None:
    assert seconds_since("2026-11-25T08:00:00") is None
    assert seconds_since("not a time") is None
    assert seconds_since(None) is None
    assert (seconds_since("2000-01-01T00:00:00Z") or 0) > 0


def test_the_worker_series_exist_at_zero_before_any_article() -> None:
    from prometheus_client import CollectorRegistry

    from pipeline.core.metrics import WORKER_SERIES, PipelineMetrics

    registry = CollectorRegistry()
    PipelineMetrics.create(registry).create_series()
    published = {"stage": "publish", "outcome": "ok"}
    assert registry.get_sample_value("newswire_articles_total", published) == 0.0
    for stage, outcome in WORKER_SERIES:
        labels = {"stage": stage, "outcome": outcome}
        assert registry.get_sample_value("newswire_articles_total", labels) == 0.0
    assert registry.get_sample_value("newswire_stage_seconds_count", {"stage": "publish"}) == 0.0
