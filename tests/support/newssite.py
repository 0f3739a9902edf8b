"""A generated news site for connector tests: every source kind over the same articles.

Feed `fN` has articles `/a/fN/<i>-...html`, published as RSS (`/rss/fN.xml`), a news sitemap
(`/sitemap/fN.xml`), a listing page (`/listing/fN.html`) and a URL list (`/urls/fN.txt`).
Source documents carry an ETag and answer If-None-Match with 304. Tests can hide items, add
overrides per path, and read what was requested and answered.
"""

from __future__ import annotations

import hashlib
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime

from tests.support.httpserver import LocalServer, Reply

SOURCE_PATHS = {
    "rss": "/rss/{feed}.xml",
    "sitemap": "/sitemap/{feed}.xml",
    "listing": "/listing/{feed}.html",
    "urls": "/urls/{feed}.txt",
}
Override = Reply | Callable[[], Reply]


class NewsSite:
    def __init__(self, feeds: int = 1, items: int = 5, page_delay_s: float = 0.0) -> None:
        self.feeds = [f"f{n}" for n in range(feeds)]
        self.items = items
        self.page_delay_s = page_delay_s
        self.hidden: set[str] = set()
        self.revisions: dict[int, int] = {}  # article index -> revision (changes text, date)
        self.overrides: dict[str, Override] = {}
        self.robots = ""
        self._server = LocalServer(self.respond)

    # -- addresses -------------------------------------------------------------------------
    @property
    def base(self) -> str:
        return self._server.url("")

    def source_url(self, kind: str, feed: str) -> str:
        return self.base + SOURCE_PATHS[kind].format(feed=feed)

    def article_path(self, feed: str, index: int) -> str:
        return f"/a/{feed}/{index}-markets-report-about-company-results.html"

    def article_urls(self, feed: str | None = None) -> set[str]:
        feeds = [feed] if feed else self.feeds
        return {self.base + self.article_path(f, i) for f in feeds for i in range(self.items)}

    def statuses(self, prefix: str) -> list[int]:
        return [
            status for path, _, status in list(self._server.requests) if path.startswith(prefix)
        ]

    # -- lifecycle ---------------------------------------------------------------------------
    def __enter__(self) -> NewsSite:
        self._server.__enter__()
        return self

    def __exit__(self, *exc: object) -> None:
        self._server.__exit__(*exc)

    # -- content -----------------------------------------------------------------------------
    def _visible(self, feed: str) -> list[int]:
        return [
            i
            for i in range(self.items)
            if self.base + self.article_path(feed, i) not in self.hidden
        ]

    def _published(self, index: int) -> datetime:
        return datetime(2026, 11, 24, 8, 0, tzinfo=UTC) + timedelta(minutes=index)

    def _updated(self, index: int) -> datetime:
        return self._published(index) + timedelta(hours=self.revisions.get(index, 0))

    def _document(self, kind: str, feed: str) -> tuple[str, str]:
        items = self._visible(feed)
        if kind == "rss":
            body = "".join(
                f"<item><title>Story {i} of {feed}</title><link>{self.base}"
                f'{self.article_path(feed, i)}</link><guid isPermaLink="false">{feed}-{i}</guid>'
                f"<pubDate>{format_datetime(self._published(i))}</pubDate>"
                f"<atom:updated>{self._updated(i).isoformat()}</atom:updated></item>"
                for i in items
            )
            return (
                "application/rss+xml",
                '<?xml version="1.0"?><rss version="2.0" '
                f'xmlns:atom="http://www.w3.org/2005/Atom"><channel><title>{feed}</title>'
                f"<ttl>5</ttl>{body}</channel></rss>",
            )
        if kind == "sitemap":
            body = "".join(
                f"<url><loc>{self.base}{self.article_path(feed, i)}</loc>"
                f"<lastmod>{self._updated(i).isoformat()}</lastmod><news:news>"
                f"<news:publication_date>{self._published(i).isoformat()}</news:publication_date>"
                f"<news:title>Story {i}</news:title></news:news></url>"
                for i in items
            )
            return (
                "application/xml",
                '<?xml version="1.0"?><urlset xmlns="http://www.sitemaps.org/schemas/'
                'sitemap/0.9" xmlns:news="http://www.google.com/schemas/sitemap-news/0.9">'
                f"{body}</urlset>",
            )
        if kind == "listing":
            body = "".join(
                f'<li><a href="{self.article_path(feed, i)}">Story {i}</a></li>' for i in items
            )
            return (
                "text/html",
                f'<html><body><nav><a href="/">Home</a> <a href="/tag/x">Tag'
                f'</a></nav><ul>{body}</ul><a href="/impressum">Impressum</a></body></html>',
            )
        return "text/plain", "\n".join(self.base + self.article_path(feed, i) for i in items)

    def _article(self, feed: str, index: int) -> str:
        revision = self.revisions.get(index, 0)
        paragraph = (f"Revision {revision}. " if revision else "") + (
            f"Story {index} of {feed}: the company reported quarterly results that "
            "beat analysts' estimates, and its shares rose in early trading. "
        ) * 4
        return (
            f"<html><head><title>Story {index}</title></head><body><nav>Home</nav>"
            f"<article><h1>Story {index}</h1><p>{paragraph}</p></article></body></html>"
        )

    def respond(self, path: str, headers: dict[str, str]) -> Reply:
        if path in self.overrides:
            override = self.overrides[path]
            return override() if callable(override) else override
        if path == "/robots.txt":
            return (
                Reply(200, self.robots.encode(), {"Content-Type": "text/plain"})
                if self.robots
                else Reply(404, b"no robots")
            )
        for kind, pattern in SOURCE_PATHS.items():
            prefix, suffix = pattern.split("{feed}")
            if path.startswith(prefix) and path.endswith(suffix):
                feed = path[len(prefix) : -len(suffix)]
                if feed not in self.feeds:
                    break
                content_type, text = self._document(kind, feed)
                etag = '"' + hashlib.sha1(text.encode()).hexdigest()[:16] + '"'
                if headers.get("If-None-Match") == etag:
                    return Reply(304, b"", {"ETag": etag})
                return Reply(
                    200,
                    text.encode(),
                    {"Content-Type": content_type, "ETag": etag, "Cache-Control": "max-age=60"},
                )
        if path.startswith("/a/"):
            feed, name = path[3:].split("/", 1)
            index = int(name.split("-", 1)[0])
            if self.page_delay_s:
                time.sleep(self.page_delay_s)
            return Reply(
                200,
                self._article(feed, index).encode(),
                {"Content-Type": "text/html; charset=utf-8"},
            )
        return Reply(404, b"not found")
