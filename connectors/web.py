"""Web sources: news sitemaps and sitemap indexes, listing pages, plain URL lists."""

from __future__ import annotations

import re
from urllib.parse import urlsplit

import lxml.html
from lxml import etree

from connectors.base import FeedEntry, Parsed, SourceSpec
from connectors.http import HTML_TYPES, XML_TYPES, Response
from pipeline.core.clock import parse_iso
from pipeline.core.errors import FeedError
from pipeline.core.urls import absolute_url, canonical_url, same_site

MAX_SITEMAP_CHILDREN = 20
MAX_ENTRIES = 1000
_XML_PARSER = etree.XMLParser(
    resolve_entities=False, no_network=True, huge_tree=False, recover=False
)
_NON_ARTICLE = re.compile(
    r"/(tag|tags|thema|themen|topic|author|autor|category|kategorie|page|seite|login|abo|"
    r"newsletter|impressum|datenschutz|kontakt|search|suche|video|videos)(/|$)",
    re.IGNORECASE,
)


class SitemapParser:
    """`<urlset>` with optional `news:news` (title, publication date), or `<sitemapindex>`."""

    accept_types = XML_TYPES | frozenset({"text/plain", ""})

    def parse(self, spec: SourceSpec, document: Response) -> Parsed:
        try:
            root = etree.fromstring(document.body or document.text.encode(), _XML_PARSER)
        except etree.XMLSyntaxError as exc:
            raise FeedError(
                f"sitemap {spec.id} at {document.final_url} is malformed: {exc}"
            ) from exc
        kind = etree.QName(root).localname
        if kind == "sitemapindex":
            return Parsed([], follow=_newest_children(root))
        if kind != "urlset":
            raise FeedError(f"sitemap {spec.id}: root element <{kind}> is not a sitemap")
        entries = [
            e
            for e in (_sitemap_entry(spec.id, url) for url in _children(root, "url"))
            if e is not None
        ]
        entries.sort(key=lambda e: e.published or e.updated or "", reverse=True)
        return Parsed(entries[:MAX_ENTRIES])


class ListingParser:
    """A section page: links to same-site pages that look like articles."""

    accept_types = HTML_TYPES

    def parse(self, spec: SourceSpec, document: Response) -> Parsed:
        try:
            tree = lxml.html.fromstring(document.text)
        except (etree.ParserError, ValueError) as exc:
            raise FeedError(f"listing {spec.id} is not HTML: {exc}") from exc
        seen: set[str] = set()
        entries = []
        for anchor in tree.iter("a"):
            href = anchor.get("href")
            if not href:
                continue
            link = absolute_url(document.final_url, href)
            canonical = canonical_url(link)
            if canonical in seen or not looks_like_article(link, document.final_url):
                continue
            seen.add(canonical)
            # The anchor text is a teaser or "read more", not the headline: the page says.
            entries.append(FeedEntry(spec.id, canonical, link))
        return Parsed(entries[:MAX_ENTRIES])


class UrlListParser:
    """A text document with one URL per line; `#` starts a comment."""

    accept_types = frozenset({"text/plain", "text/uri-list", ""})

    def parse(self, spec: SourceSpec, document: Response) -> Parsed:
        entries = []
        for line in document.text.splitlines():
            url = line.split("#", 1)[0].strip()
            if url and urlsplit(url).scheme in {"http", "https"}:
                entries.append(FeedEntry(spec.id, canonical_url(url), url))
        return Parsed(entries[:MAX_ENTRIES])


def looks_like_article(url: str, listing_url: str) -> bool:
    """Same site, not the listing itself, not a navigation page, and a path that reads like a
    story: a slug of several words, a number or date in the path, or an .html page below a
    section."""
    parts = urlsplit(url)
    if parts.scheme not in {"http", "https"} or not same_site(url, listing_url):
        return False
    if canonical_url(url) == canonical_url(listing_url) or _NON_ARTICLE.search(parts.path):
        return False
    segments = [s for s in parts.path.split("/") if s]
    if not segments:
        return False
    last = segments[-1].rsplit(".", 1)[0]
    return (
        last.count("-") >= 2
        or any(c.isdigit() for segment in segments for c in segment)
        or (len(segments) >= 2 and segments[-1].endswith((".html", ".htm")))
    )


def _children(root: etree._Element, name: str) -> list[etree._Element]:
    return [
        child
        for child in root
        if isinstance(child.tag, str) and etree.QName(child).localname == name
    ]


def _text(element: etree._Element, name: str) -> str | None:
    for child in element.iter(tag=etree.Element):
        if etree.QName(child).localname == name and child.text:
            return child.text.strip()
    return None


def _sitemap_entry(source_id: str, url: etree._Element) -> FeedEntry | None:
    loc = _text(url, "loc")
    if not loc:
        return None
    # lastmod says when the page last changed, not when the article was published.
    published = parse_iso(_text(url, "publication_date"))
    return FeedEntry(
        source_id,
        canonical_url(loc),
        loc,
        title=_text(url, "title"),
        published=published,
        updated=parse_iso(_text(url, "lastmod")),
    )


def _newest_children(root: etree._Element) -> list[str]:
    children = [(_text(s, "lastmod") or "", _text(s, "loc")) for s in _children(root, "sitemap")]
    children.sort(reverse=True)
    return [loc for _, loc in children if loc][:MAX_SITEMAP_CHILDREN]
