"""Serve the sample news site on a local port: article pages, an RSS and an Atom feed."""

from __future__ import annotations

import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from pipeline.tools.demo.articles import SampleArticle, load_articles
from pipeline.tools.demo.render import BROKEN_PATH, render_atom, render_page, render_rss

# A few bytes that look like a PDF: the page a feed links to that is no article at all.
PDF_BYTES = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"


class SampleSite:
    """A real HTTP server on 127.0.0.1; `with SampleSite() as site:` serves until the block ends."""

    def __init__(
        self,
        articles: list[SampleArticle] | None = None,
        include_broken: bool = True,
        host: str = "127.0.0.1",
        port: int = 0,
    ) -> None:
        self.articles = articles if articles is not None else load_articles()
        self.include_broken = include_broken
        self._server = ThreadingHTTPServer((host, port), self._handler_class())
        self._thread = threading.Thread(
            target=self._server.serve_forever, daemon=True, name="sample-site"
        )

    @property
    def base_url(self) -> str:
        host, port = self._server.server_address[:2]
        return f"http://{host!s}:{port}"

    @property
    def feed_urls(self) -> dict[str, str]:
        return {
            "rheinblick-de": f"{self.base_url}/de/rss.xml",
            "rheinblick-en": f"{self.base_url}/en/atom.xml",
        }

    def article_urls(self) -> set[str]:
        return {self.base_url + a.path for a in self.articles}

    def deadletter_urls(self) -> set[str]:
        """The links on the site that are no articles and must end as dead letters."""
        return {self.base_url + BROKEN_PATH} if self.include_broken else set()

    def catalog_yaml(self) -> str:
        lines = ["sources:"]
        for source_id, url in self.feed_urls.items():
            lines.append(f'  - {{id: {source_id}, kind: rss, url: "{url}"}}')
        return "\n".join(lines) + "\n"

    def start(self) -> SampleSite:
        self._thread.start()
        return self

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()

    def __enter__(self) -> SampleSite:
        return self.start()

    def __exit__(self, *exc_info: object) -> None:
        self.stop()

    def respond(self, path: str) -> tuple[int, str, bytes]:
        """Status, content type and body for a path."""
        by_lang = {lang: [a for a in self.articles if a.lang == lang] for lang in ("de", "en")}
        if path == "/de/rss.xml":
            body = render_rss(by_lang["de"], self.base_url, self.include_broken)
            return 200, "application/rss+xml; charset=utf-8", body.encode()
        if path == "/en/atom.xml":
            return (
                200,
                "application/atom+xml; charset=utf-8",
                render_atom(by_lang["en"], self.base_url).encode(),
            )
        if path == BROKEN_PATH:
            return 200, "application/pdf", PDF_BYTES
        for article in self.articles:
            if article.path == path:
                related = [a for a in by_lang[article.lang] if a is not article][:3]
                page = render_page(article, related, self.base_url)
                return 200, "text/html; charset=utf-8", page.encode()
        return 404, "text/plain; charset=utf-8", b"not found"

    def _handler_class(self) -> type[BaseHTTPRequestHandler]:
        site = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                status, content_type, body = site.respond(self.path.split("?", 1)[0])
                self.send_response(status)
                self.send_header("Content-Type", content_type)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, format: str, *args: object) -> None:
                return

        return Handler
