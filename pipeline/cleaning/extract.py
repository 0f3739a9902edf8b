"""Turn a fetched page into a clean article with trafilatura, merged with what the feed said.

The options were chosen by measurement (`newswire eval extraction`, figures in the README):
- the body comes from trafilatura's fast mode; full mode (with its fallback extractors) is
  tried only when fast mode finds almost nothing (under `adaptive_min_chars`, 250). Retrying
  every result under 1000 characters scored 0.7 points more on the German benchmark pages but
  cost the pipeline ~15% of its throughput and doubled its p99 latency, the retried pages
  being the slowest (README, Performance); `NEWSWIRE_EXTRACTION_RETRY_CHARS` sets it;
- reader comments are not extracted (trafilatura's default does): faster, and the comment
  sections are pruned before the body is searched, which scores higher on both benchmarks;
- scripts, styles, SVG and comments are cut from the page before the body is extracted
  (`inert.py`): the same text for less parsing;
- page metadata (title, authors, and the costly date search) is read only for what the feed
  entry did not give; the feed wins where it has a value;
- leading lines that repeat the title (kicker, headline) are dropped from the body.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from html import unescape
from typing import Any

import lxml.html
import trafilatura
from lxml import etree
from trafilatura.metadata import extract_metadata

from pipeline.cleaning.inert import strip_inert_markup
from pipeline.cleaning.language import LanguageGuess, detect_language
from pipeline.core.clock import iso_utc
from pipeline.core.errors import ConfigError, ExtractionError

log = logging.getLogger(__name__)

MIN_BODY_CHARS = 200
MAX_PAGE_CHARS = 5_000_000
HTML_TYPES = frozenset({"text/html", "application/xhtml+xml", "text/xml", "application/xml"})
_META_AUTHOR = re.compile(
    r"""<meta\s+(?:name|property)=["'](?:author|article:author|dc\.creator)["']\s+"""
    r"""content=["']([^"']{2,200})["']""",
    re.IGNORECASE,
)
_H1 = re.compile(r"<h1\b[^>]*>(.{1,1000}?)</h1>", re.IGNORECASE | re.DOTALL)
_OG_TITLE = re.compile(
    r"""<meta\s+(?:property|name)=["'](?:og|twitter):title["']\s+content=["']([^"']{2,500})["']""",
    re.IGNORECASE,
)
_TAG = re.compile(r"<[^>]{0,500}>")
_HEADLINE_SCAN_CHARS = 300_000
LANGUAGE_HINT_BELOW = 0.6  # a detection less sure than this yields to the catalogue's language
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
    language: str | None = None  # the catalogue's language for the source, a hint

    @property
    def complete(self) -> bool:
        """Title and date given: the page's metadata pass (its date search) can be skipped."""
        return bool(self.title and self.published)


EXTRACTION_MODES = ("adaptive", "fast", "full")


@dataclass(frozen=True)
class ExtractionOptions:
    """How the body is extracted: `adaptive` (default), `fast` or `full` trafilatura."""

    mode: str = "adaptive"
    adaptive_min_chars: int = 250
    favor_precision: bool = False
    include_tables: bool = True
    include_comments: bool = False
    strip_inert: bool = True

    def __post_init__(self) -> None:
        if self.mode not in EXTRACTION_MODES:
            raise ConfigError(
                f"extraction mode {self.mode!r} is not one of {', '.join(EXTRACTION_MODES)}"
            )


DEFAULT_OPTIONS = ExtractionOptions()


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
    options: ExtractionOptions = DEFAULT_OPTIONS,
) -> Article:
    """Extract title, text, language, publish date and authors; raises ExtractionError."""
    feed = feed or FeedMetadata()
    _check_input(html, content_type)
    page = _page_metadata(html, url) if not feed.complete else None
    page_title = getattr(page, "title", None)
    title = feed.title or page_title
    titles = [t for t in (feed.title, page_title) if t]
    text = _body_text(_extract_text(html, url, options), titles, _headlines(html))
    partial = len(text) < MIN_BODY_CHARS
    if partial:
        text = _summary_fallback(feed.summary, text)
    guess = detect_language(f"{title or ''}\n{text}")
    if feed.language and guess.confidence < LANGUAGE_HINT_BELOW:
        guess = LanguageGuess(feed.language, guess.confidence)
    return Article(
        title=title,
        text=text,
        language=guess.code,
        language_confidence=guess.confidence,
        published=feed.published or _page_date(page),
        authors=list(feed.authors) or _page_authors(page) or _meta_authors(html),
        partial=partial,
    )


def _check_input(html: str, content_type: str) -> None:
    if content_type not in HTML_TYPES:
        raise ExtractionError(f"content type {content_type!r} is not HTML")
    if not html.strip():
        raise ExtractionError("empty page")
    if len(html) > MAX_PAGE_CHARS:
        raise ExtractionError(f"page too large: {len(html)} characters, limit {MAX_PAGE_CHARS}")


def _extract_text(html: str, url: str | None, options: ExtractionOptions) -> str:
    if options.strip_inert:
        html = strip_inert_markup(html)
    if options.mode == "adaptive":
        text = _trafilatura_text(html, url, options, fast=True)
        if len(text) >= options.adaptive_min_chars:
            return text
        return max(text, _trafilatura_text(html, url, options, fast=False), key=len)
    return _trafilatura_text(html, url, options, fast=options.mode == "fast")


def _trafilatura_text(html: str, url: str | None, options: ExtractionOptions, fast: bool) -> str:
    try:
        document = trafilatura.bare_extraction(
            html,
            url=url,
            fast=fast,
            favor_precision=options.favor_precision,
            include_tables=options.include_tables,
            include_comments=options.include_comments,
        )
    except Exception as exc:  # trafilatura and lxml raise many kinds; all mean "not extractable"
        raise ExtractionError(f"extraction failed: {type(exc).__name__}: {exc}") from exc
    return (getattr(document, "text", None) or "") if document else ""


def _page_metadata(html: str, url: str | None) -> Any:
    try:
        return extract_metadata(html, default_url=url, date_config=_DATE_PARAMS)
    except Exception as exc:  # metadata is optional: an unreadable head must not lose the body
        log.debug("no page metadata for %s: %s", url, exc)
        return None


def _body_text(text: str, titles: list[str], headlines: Sequence[str] = ()) -> str:
    """The body without leading lines that repeat the title (kicker, headline) or are the
    page's own headline."""
    known = [_folded(title) for title in titles]
    exact = {_folded(headline) for headline in headlines}
    lines = text.strip().splitlines()
    while lines and lines[0].strip():
        line = _folded(lines[0])
        if line not in exact and not any(line in title for title in known):
            break
        lines.pop(0)
    return "\n".join(lines).strip()


def _folded(text: str) -> str:
    return " ".join(text.split()).casefold()


def _headlines(html: str) -> list[str]:
    """The page's own headline (first <h1>, og:title), cheaply: the feed's title may word it
    differently, and the metadata pass that would find it is skipped when the feed has
    title and date."""
    head = html[:_HEADLINE_SCAN_CHARS]
    found = [m.group(1) for m in (_H1.search(head), _OG_TITLE.search(head)) if m]
    return [unescape(_TAG.sub(" ", f)).strip() for f in found]


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
        parsed = lxml.html.fragment_fromstring(fragment, create_parent="div")
        return str(parsed.text_content()).strip()
    except (etree.ParserError, ValueError):
        return fragment.strip()


def _page_date(page: Any) -> str | None:
    raw = getattr(page, "date", None)
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


def _meta_authors(html: str) -> list[str]:
    """Authors from `<meta name="author">` or `article:author`, without a metadata pass."""
    match = _META_AUTHOR.search(html[:100_000])
    if not match:
        return []
    return [
        name.strip()
        for name in re.split(r"[;,]| and | und ", unescape(match.group(1)))
        if name.strip() and "://" not in name
    ]


def _page_authors(page: Any) -> list[str]:
    raw = getattr(page, "author", None)
    if not raw:
        return []
    return [name.strip() for name in raw.split(";") if name.strip()]
