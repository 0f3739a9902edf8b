"""The subscriber library: newswire's topics as typed, validated, deduplicated events.

    from pipeline.client import subscribe

    with subscribe("127.0.0.1:9092", group_id="my-service") as news:
        for article in news:
            print(article.title, [(c.ticker, c.sentiment.label) for c in article.companies])

`subscribe(..., kind=COMPANY)` reads news.company.v1 (one record per article and company);
`topics=topic_topics(["earnings"])` reads the routing topic of a taxonomy topic.
"""

from pipeline.client.filters import ArticleFilter
from pipeline.client.ledger import Ledger, Verdict
from pipeline.client.models import (
    ArticleRef,
    CompanyId,
    CompanyMention,
    CompanyRecord,
    EnrichedEvent,
    Mentions,
    Salience,
    Sentiment,
    Topic,
)
from pipeline.client.schemas import InvalidEventError, SchemaSet
from pipeline.client.subscriber import (
    COMPANY,
    ENRICHED,
    Delivery,
    EventKind,
    InvalidRecord,
    InvalidRecordError,
    Stats,
    Subscriber,
    log_invalid,
    raise_invalid,
    subscribe,
    topic_topics,
)

__all__ = [
    "COMPANY",
    "ENRICHED",
    "ArticleFilter",
    "ArticleRef",
    "CompanyId",
    "CompanyMention",
    "CompanyRecord",
    "Delivery",
    "EnrichedEvent",
    "EventKind",
    "InvalidEventError",
    "InvalidRecord",
    "InvalidRecordError",
    "Ledger",
    "Mentions",
    "Salience",
    "SchemaSet",
    "Sentiment",
    "Stats",
    "Subscriber",
    "Topic",
    "Verdict",
    "log_invalid",
    "raise_invalid",
    "subscribe",
    "topic_topics",
]
