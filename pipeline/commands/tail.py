"""`newswire tail`: print enriched articles as they arrive, for people, with filters.

A company is named any way the registry knows it (id, ticker, ISIN, name, alias: "Siemens
Energy"); a topic by its id, and an unknown one is an error that lists them. With routing on,
`--topic` reads that topic's own routing topic, so the broker does the filtering.
"""

from __future__ import annotations

import argparse
import json
import sys
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any, TextIO

from pipeline.commands import Commands
from pipeline.core.errors import ConfigError
from pipeline.core.settings import Settings

if TYPE_CHECKING:  # the parser imports every command: the client library loads when tail runs
    from pipeline.client.filters import ArticleFilter
    from pipeline.client.models import EnrichedEvent

SHOWN_COMPANIES = 6
SENTIMENTS = ("positive", "negative", "neutral")


@dataclass(frozen=True)
class TailOptions:
    as_json: bool = False
    from_beginning: bool = False
    max_events: int | None = None
    timeout_s: float | None = None
    company: str | None = None
    topic: str | None = None
    sentiment: str | None = None
    language: str | None = None
    min_salience: float | None = None


def company_ids(query: str) -> frozenset[str]:
    from pipeline.tagging.registry import find_companies

    found = frozenset(c.id for c in find_companies(query))
    if not found:
        raise ConfigError(
            f"no company in the registry is called {query!r}: "
            "give an id, ticker, ISIN, name or alias (e.g. AMZN, 'Siemens Energy')"
        )
    return found


def known_topics(settings: Settings) -> list[str]:
    from pipeline.tagging.topic import default_topic_tagger

    return list(dict.fromkeys([*default_topic_tagger().topics, *settings.topics.routed_topic_ids]))


def article_filter(settings: Settings, options: TailOptions) -> ArticleFilter:
    """The options as a filter; a company or topic nobody knows is an error."""
    from pipeline.client.filters import ArticleFilter

    topics = known_topics(settings)
    if options.topic and options.topic not in topics:
        raise ConfigError(f"unknown topic {options.topic!r}; the topics are: {', '.join(topics)}")
    try:
        return ArticleFilter(
            company_ids=company_ids(options.company) if options.company else frozenset(),
            topic_ids=frozenset({options.topic} if options.topic else ()),
            sentiment=options.sentiment,
            language=options.language,
            min_salience=options.min_salience,
        )
    except ValueError as exc:
        raise ConfigError(str(exc)) from exc


def source_topic(settings: Settings, options: TailOptions) -> str:
    routed = settings.worker.routing and options.topic in settings.topics.routed_topic_ids
    return f"news.topic.{options.topic}.v1" if routed else settings.topics.enriched_topic


def when(event: EnrichedEvent) -> str:
    moment: datetime = event.published or event.fetched_at
    text = moment.strftime("%Y-%m-%d %H:%M UTC")
    return text if event.published else f"{text} (fetched)"


def markers(event: EnrichedEvent) -> str:
    found = []
    if event.revision > 1:
        found.append(f"revision {event.revision}")
    if event.supersedes:
        found.append(f"re-tag of {event.supersedes}")
    if event.duplicate_of:
        found.append(f"duplicate of {event.duplicate_of}")
    if event.partial:
        found.append("feed summary only")
    return f"  [{', '.join(found)}]" if found else ""


def company_text(event: EnrichedEvent) -> str:
    shown = [
        f"{c.company.name} ({c.ticker or c.id}) {c.sentiment.label} {c.sentiment.score:+.2f}"
        for c in event.companies[:SHOWN_COMPANIES]
    ]
    more = len(event.companies) - SHOWN_COMPANIES
    return " · ".join(shown + ([f"+{more} more"] if more > 0 else [])) or "-"


def summary_line(data: dict[str, Any]) -> str:
    """An enriched event in a few lines for people."""
    from pipeline.client.models import EnrichedEvent

    event = EnrichedEvent.from_dict(data)
    topics = " · ".join(f"{t.id} {t.score:.2f}" for t in event.topics) or "-"
    return (
        f"{when(event)}  {event.source_id}  {event.language}{markers(event)}\n"
        f"  {event.title or '(no title)'}\n"
        f"  {event.url}\n"
        f"  companies: {company_text(event)}\n"
        f"  topics: {topics}\n"
        f"  sentiment: {event.sentiment.label} {event.sentiment.score:+.2f}"
    )


def register(commands: Commands) -> None:
    tail = commands.add_parser("tail", help="print enriched articles as they arrive")
    tail.add_argument("--json", action="store_true", help="one JSON object per line")
    tail.add_argument("--from-beginning", action="store_true", help="start at the oldest event")
    tail.add_argument("--max", type=int, default=None, help="stop after N events")
    tail.add_argument("--timeout", type=float, default=None, help="stop after S seconds")
    tail.add_argument("--company", help="naming this company (id, ticker, ISIN, name or alias)")
    tail.add_argument("--topic", help="with this topic id")
    tail.add_argument("--sentiment", choices=SENTIMENTS, help="the article's (or the company's)")
    tail.add_argument("--language", help="in this language (de, en, ...)")
    tail.add_argument(
        "--min-salience", type=float, help="a (the) company's share of the mentions, 0 to 1"
    )
    tail.set_defaults(run=_run)


def _run(args: argparse.Namespace, settings: Settings) -> int:
    options = TailOptions(
        args.json,
        args.from_beginning,
        args.max,
        args.timeout,
        args.company,
        args.topic,
        args.sentiment,
        args.language,
        args.min_salience,
    )
    return run_tail(settings, options)


def run_tail(settings: Settings, options: TailOptions, out: TextIO = sys.stdout) -> int:
    from pipeline.kafka import clients
    from pipeline.kafka.reachability import wait_for_broker
    from pipeline.kafka.reader import iter_events

    rule = article_filter(settings, options)
    wait_for_broker(settings.bootstrap, settings.kafka.broker_wait_s)
    shown = 0
    for _, data in iter_events(
        clients.connection_for(settings),
        [source_topic(settings, options)],
        options.from_beginning,
        options.timeout_s,
    ):
        if not shown_event(data, rule, options.as_json, out):
            continue
        shown += 1
        if options.max_events is not None and shown >= options.max_events:
            break
    return 0


def shown_event(data: dict[str, Any], rule: ArticleFilter, as_json: bool, out: TextIO) -> bool:
    from pipeline.client.models import EnrichedEvent

    try:
        event = EnrichedEvent.from_dict(data)
    except (KeyError, TypeError, ValueError) as exc:
        print(f"skipped an event that is not an enriched article: {exc!r}", file=sys.stderr)
        return False
    if not rule.matches(event):
        return False
    out.write(json.dumps(data, ensure_ascii=False) if as_json else summary_line(data))
    out.write("\n\n" if not as_json else "\n")
    out.flush()
    return True
