"""Turn a fetched page into a clean article with trafilatura, merged with what the feed said."""

from __future__ import annotations

import logging
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from typing import Any

import lxml.html
import trafilatura
from lxml import etree

from pipeline.cleaning.language import detect_language
from pipeline.clock import iso_utc
from pipeline.errors import ExtractionError

log = logging.getLogger(__name__)

MIN_BODY_CHARS = 200
_HTML_TYPES = frozenset({"text/html", "application/xhtml+xml", "text/xml", "application/xml"})
_DATE_PARAMS = {
    "extensive_search": True,
    "original_date": True,
    "outputformat": "%Y-%m-%dT%H:%M:%S%z",
}


@dataclass(frozen=True)
class FeedMetadata:
    """What the feed entry already said; it wins over the page where present."""

    title: str | None = None
    published: str | None = None
    authors: tuple[str, ...] = ()
    summary: str | None = None


@dataclass(frozen=True)
class Article:
    title: str | None
    text: str
    language: str
    language_confidence: float
    published: str | None
    authors: list[str]
    partial: bool

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


def clean_page(
    html: str,
    url: str | None = None,
    content_type: str = "text/html",
    feed: FeedMetadata | None = None,
) -> Article:
    """Extract title, text, language, publish date and authors; raises ExtractionError."""
    feed = feed or FeedMetadata()
    if content_type not in _HTML_TYPES:
        raise ExtractionError(f"content type {content_type!r} is not HTML")
    if not html.strip():
        raise ExtractionError("empty page")
    try:
        document = trafilatura.bare_extraction(
            html, url=url, with_metadata=True, date_extraction_params=_DATE_PARAMS
        )
    except Exception as exc:  # trafilatura and lxml raise many kinds; all mean "not extractable"
        raise ExtractionError(f"extraction failed: {type(exc).__name__}: {exc}") from exc
    page_title = getattr(document, "title", None) if document else None
    title = feed.title or page_title
    raw_text = getattr(document, "text", None) if document else None
    text = _body_text(raw_text, [t for t in (feed.title, page_title) if t])
    partial = len(text) < MIN_BODY_CHARS
    if partial:
        text = _summary_fallback(feed.summary, text)
    guess = detect_language(f"{title or ''}\n{text}")
    return Article(
        title=title,
        text=text,
        language=guess.code,
        language_confidence=guess.confidence,
        published=feed.published or _page_date(document),
        authors=list(feed.authors) or _page_authors(document),
        partial=partial,
    )


def _body_text(text: str | None, titles: list[str]) -> str:
    """The body without leading lines that repeat the title (kicker, headline)."""
    lines = (text or "").strip().splitlines()
    while lines and lines[0].strip() and any(lines[0].strip() in title for title in titles):
        lines.pop(0)
    return "\n".join(lines).strip()


def _summary_fallback(summary: str | None, text: str) -> str:
    """The feed summary stands in for a body too short to be the article (paywall, consent)."""
    plain = _strip_tags(summary) if summary else ""
    if not plain:
        raise ExtractionError(
            f"page has no usable body ({len(text)} characters) and the feed gave no summary"
        )
    return max([plain, text], key=len)


def _strip_tags(fragment: str) -> str:
    if "<" not in fragment:
        return fragment.strip()
    try:
        return lxml.html.fragment_fromstring(fragment, create_parent="div").text_content().strip()
    except (etree.ParserError, ValueError):
        return fragment.strip()


def _page_date(document: Any) -> str | None:
    raw = getattr(document, "date", None) if document else None
    if not raw:
        return None
    for pattern in ("%Y-%m-%dT%H:%M:%S%z", "%Y-%m-%d"):
        try:
            moment = datetime.strptime(raw, pattern)
        except ValueError:
            continue
        return iso_utc(moment if moment.tzinfo else moment.replace(tzinfo=UTC))
    log.debug("unparsed page date %r", raw)
    return None


def _page_authors(document: Any) -> list[str]:
    raw = getattr(document, "author", None) if document else None
    if not raw:
        return []
    return [name.strip() for name in raw.split(";") if name.strip()]
