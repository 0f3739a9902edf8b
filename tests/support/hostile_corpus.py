"""A hostile corpus for the connectors, generated from a seed, and the command that runs it.

Every case is a source (a feed, a sitemap, a listing) on a local server that behaves like
the worst of the real web, listing one hostile page and, after it, one ordinary article (the
canary). Run against the real HTTP client, gate, robots and runner, each case must end
within the configured timeouts, without an exception, with bounded memory, the canary
produced, and every failure counted with a reason from the closed set (pages: dead-lettered;
sources: counted as a failed poll with the reason in their state).

    .venv/bin/python -m tests.support.hostile_corpus --seed 13 --cases 1200

prints a table per family. tests/integration/test_hostile_corpus.py runs a sample.
"""

from __future__ import annotations

import argparse
import gzip
import logging
import random
import resource
import sys
import time
from collections import Counter, defaultdict
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field

from prometheus_client import CollectorRegistry

from connectors.addresses import AddressPolicy, parse_networks
from connectors.base import SourceSpec
from connectors.fetcher import Fetcher
from connectors.http import HttpClient
from connectors.politeness import HostGate
from connectors.robots import RobotsCache
from connectors.runner import ConnectorRunner
from connectors.sink import ListSink
from connectors.state import MemoryStateStore
from pipeline.core.metrics import ConnectorMetrics
from tests.support.connector_harness import limits_for_tests, options_for_tests
from tests.support.realweb_server import (
    RealWebServer,
    Route,
    brotli_bomb,
    chunked,
    endless,
    gzip_bomb,
    raw,
    redirect,
    respond,
    retry_after,
    slowloris,
)

LIMITS = limits_for_tests(
    connect_timeout_s=1.0, read_timeout_s=1.0, total_timeout_s=2.0, max_bytes=2_000_000
)
MAX_EVENT_BYTES = 3_000_000
CASE_BUDGET_S = 3 * LIMITS.total_timeout_s + 4.0  # source, robots, page: each within its own
# Reasons a page or a source may fail with: the closed set.
PAGE_REASONS = frozenset(
    {
        "timeout",
        "network",
        "too_large",
        "too_many_redirects",
        "forbidden_address",
        "robots",
        "bad_url",
        "bad_encoding",
        "binary_body",
        "http_403",
        "http_429",
        "http_4xx",
        "http_5xx",
        "unreachable",
    }
)
SOURCE_REASONS = PAGE_REASONS | {"malformed", "paused"}
CANARY = (
    "<html><head><title>Kanarienvogel</title></head><body><article><h1>Alles gut</h1>"
    + "<p>Die Zahlen des Konzerns lagen im dritten Quartal über den Erwartungen. </p>" * 12
    + "</article></body></html>"
).encode()
SCRIPTS = {
    "zh": "中国央行周五宣布下调存款准备金率，以支持经济增长。",
    "ar": "أعلن البنك المركزي يوم الجمعة عن خفض أسعار الفائدة لدعم النمو الاقتصادي.",
    "ru": "Центральный банк в пятницу объявил о снижении ключевой ставки.",
    "hi": "केंद्रीय बैंक ने शुक्रवार को ब्याज दरों में कटौती की घोषणा की।",
    "ja": "日本銀行は金曜日、金融政策の据え置きを発表した。",
    "el": "Η κεντρική τράπεζα ανακοίνωσε την Παρασκευή μείωση των επιτοκίων.",
}
ENCODINGS = {"zh": "gb18030", "ar": "windows-1256", "ru": "koi8-r", "ja": "shift_jis",
             "el": "iso-8859-7", "hi": "utf-8"}  # fmt: skip
FORBIDDEN_HOSTS = [
    "10.0.0.1",
    "100.64.0.1",
    "100.100.100.200",
    "169.254.169.254",
    "192.168.1.1",
    "172.16.0.1",
    "0.0.0.0",
    "0xa9fea9fe",
    "2852039166",
    "012.0.0.1",
    "[::ffff:169.254.169.254]",
    "[::ffff:a00:1]",
    "[2002:a9fe:a9fe::1]",
    "[64:ff9b::a9fe:a9fe]",
    "[fe80::1]",
    "[fc00::1]",
    "[::]",
]


@dataclass
class Site:
    """What a case serves: routes, and the source to poll (path of its document)."""

    server: RealWebServer
    rng: random.Random

    def url(self, path: str) -> str:
        return self.server.url(path)

    def route(self, path: str, route: Route) -> None:
        self.server.routes[path] = route


@dataclass(frozen=True)
class Case:
    number: int
    family: str
    variant: str
    build: Callable[[Site], SourceSpec]
    expect_canary: bool = True
    expect_paths: tuple[str, ...] = ()  # pages the case must produce (e.g. xml:base links)


@dataclass
class Result:
    case: Case
    seconds: float
    produced: int
    canary: bool
    dead_reasons: list[str]
    source_reason: str | None
    deferred: int
    crash: str | None = None
    canary_deferred: bool = False  # its host asked for a pause: kept for later, not lost
    problems: list[str] = field(default_factory=list)


# --- documents ----------------------------------------------------------------------------


def rss_of(links: list[str], extra_head: str = "", title: str = "Meldung") -> bytes:
    items = "".join(
        f"<item><guid>{i}-{link}</guid><link>{link}</link><title>{title} {i}</title>"
        f"<pubDate>Mon, 30 Nov 2026 10:{i % 60:02d}:00 GMT</pubDate></item>"
        for i, link in enumerate(links)
    )
    return (
        f'<?xml version="1.0" encoding="utf-8"?>{extra_head}<rss version="2.0"><channel>'
        f"<title>t</title>{items}</channel></rss>"
    ).encode()


def feed_case(
    page: Callable[[Site], Route], name: str = "/hostile"
) -> Callable[[Site], SourceSpec]:
    """An ordinary feed listing one hostile page, then the canary."""

    def build(site: Site) -> SourceSpec:
        site.route(name, page(site))
        site.route("/canary", respond(CANARY))
        links = [site.url(name), site.url("/canary")]
        site.route("/feed", respond(rss_of(links), content_type="application/rss+xml"))
        return SourceSpec("case", "rss", site.url("/feed"))

    return build


def source_case(
    document: Callable[[Site], Route], kind: str = "rss"
) -> Callable[[Site], SourceSpec]:
    """A hostile source document; the canary is served by a second, ordinary source."""

    def build(site: Site) -> SourceSpec:
        site.route("/feed", document(site))
        return SourceSpec("case", kind, site.url("/feed"))

    return build


# --- families -----------------------------------------------------------------------------


def _malformed_feed(rng: random.Random) -> tuple[str, Callable[[Site], Route]]:
    good = rss_of([f"http://127.0.0.1/item-{i}" for i in range(20)])
    kind = rng.choice(["truncated", "garbage", "unclosed", "bad_bytes", "html", "empty"])
    if kind == "truncated":
        body = good[: rng.randrange(10, len(good) - 10)]
    elif kind == "garbage":
        body = bytes(rng.randrange(256) for _ in range(rng.randrange(10, 5000)))
    elif kind == "unclosed":
        body = good.replace(b"</item>", b"", rng.randrange(1, 10))
    elif kind == "bad_bytes":
        data = bytearray(good)
        for _ in range(rng.randrange(1, 50)):
            data[rng.randrange(len(data))] = rng.randrange(256)
        body = bytes(data)
    elif kind == "html":
        body = b"<html><body><p>no feed here</p></body></html>"
    else:
        body = b""
    return kind, lambda site: respond(body, content_type="application/rss+xml")


def _huge_feed(rng: random.Random) -> tuple[str, Callable[[Site], Route]]:
    count = rng.choice([2_000, 5_000, 10_000])

    def route(site: Site) -> Route:
        site.route("/item", respond(CANARY))
        links = [site.url(f"/item?n={i}") for i in range(count)]
        return respond(rss_of(links), content_type="application/rss+xml")

    return f"{count}_items", route


def _deep_feed(rng: random.Random) -> tuple[str, Callable[[Site], Route]]:
    depth = rng.choice([1_000, 50_000, 200_000])
    tag = rng.choice(["div", "a", "x"])
    body = (
        b'<?xml version="1.0"?><rss version="2.0"><channel><title>t</title><item>'
        + f"<{tag}>".encode() * depth
        + f"</{tag}>".encode() * depth
        + b"</item></channel></rss>"
    )
    return f"{depth}_deep", lambda site: respond(body, content_type="application/rss+xml")


def _entities(rng: random.Random) -> tuple[str, Callable[[Site], Route]]:
    kind = rng.choice(["billion_laughs", "quadratic", "external_file", "external_http"])
    if kind == "billion_laughs":
        lines = ['<!ENTITY l0 "lol">'] + [
            f'<!ENTITY l{i} "{("&l" + str(i - 1) + ";") * 10}">' for i in range(1, 10)
        ]
        doctype = "<!DOCTYPE rss [" + "".join(lines) + "]>"
        title = "&l9;"
    elif kind == "quadratic":
        doctype = '<!DOCTYPE rss [<!ENTITY a "' + "x" * 50_000 + '">]>'
        title = "&a;" * 2_000
    elif kind == "external_file":
        doctype = '<!DOCTYPE rss [<!ENTITY x SYSTEM "file:///etc/passwd">]>'
        title = "&x;"
    else:
        doctype = '<!DOCTYPE rss [<!ENTITY x SYSTEM "http://127.0.0.1:9/secret">]>'
        title = "&x;"

    def route(site: Site) -> Route:
        site.route("/item", respond(CANARY))
        body = rss_of([site.url("/item")], extra_head=doctype, title=title)
        return respond(body, content_type="application/rss+xml")

    return kind, route


def _bomb(rng: random.Random) -> tuple[str, Callable[[Site], Route]]:
    size = rng.choice([20_000_000, 100_000_000])
    kind = rng.choice(["gzip", "brotli", "gzip_feed"])
    if kind == "brotli":
        return f"brotli_{size}", lambda site: brotli_bomb(size)
    if kind == "gzip_feed":
        return f"gzip_feed_{size}", lambda site: gzip_bomb(size, "application/rss+xml")
    return f"gzip_{size}", lambda site: gzip_bomb(size)


def _endless(rng: random.Random) -> tuple[str, Callable[[Site], Route]]:
    interval = rng.choice([0.0, 0.001, 0.05])
    return f"every_{interval}s", lambda site: endless(
        b"<p>" + b"more " * 500 + b"</p>", "text/html", interval
    )


def _slowloris(rng: random.Random) -> tuple[str, Callable[[Site], Route]]:
    stage = rng.choice(["status", "headers", "body"])
    interval = rng.choice([0.1, 0.3, 0.9])
    return f"{stage}_{interval}s", lambda site: slowloris(CANARY, interval, stage)


def _redirects(rng: random.Random) -> tuple[str, Callable[[Site], Route]]:
    kind = rng.choice(["loop", "self", "chain", "ok_chain", "relative", "empty_location"])
    length = rng.randrange(2, 12)

    def route(site: Site) -> Route:
        if kind == "loop":
            site.route("/r-b", redirect("/hostile"))
            return redirect("/r-b")
        if kind == "self":
            return redirect("/hostile", status=rng.choice([301, 302, 307, 308]))
        if kind == "empty_location":
            return respond(b"", status=302, headers={"Location": ""})
        hops = length if kind == "chain" else rng.randrange(1, 4)
        for hop in range(hops):
            site.route(
                f"/r{hop}", redirect(f"/r{hop + 1}" if kind != "relative" else f"r{hop + 1}")
            )
        site.route(f"/r{hops}", respond(CANARY))
        return redirect("/r0")

    return f"{kind}_{length}", route


def _forbidden(rng: random.Random) -> tuple[str, Callable[[Site], Route]]:
    host = rng.choice(FORBIDDEN_HOSTS)
    path = rng.choice(["/", "/latest/meta-data/", "/admin"])
    return host, lambda site: redirect(f"http://{host}{path}", status=rng.choice([301, 302, 307]))


def _charsets(rng: random.Random) -> tuple[str, Callable[[Site], Route]]:
    script = rng.choice(sorted(SCRIPTS))
    text = SCRIPTS[script] * 40
    actual = ENCODINGS[script]
    declared = rng.choice(["utf-8", "iso-8859-1", actual, "", "x-unknown-charset"])
    head = f"<head><title>{SCRIPTS[script][:20]}</title></head>"
    html = f"<html>{head}<body><article><p>{text}</p></article></body></html>"
    body = html.encode(actual, errors="replace")
    content_type = "text/html" + (f"; charset={declared}" if declared else "")
    return f"{script}_{actual}_as_{declared or 'none'}", lambda site: respond(
        body, content_type=content_type
    )


def _binary(rng: random.Random) -> tuple[str, Callable[[Site], Route]]:
    size = rng.choice([10_000, 500_000, 1_900_000])
    data = bytes(rng.randrange(256) for _ in range(2048)) * (size // 2048)
    label = rng.choice(["text/html", "text/html; charset=utf-8", "application/xhtml+xml"])
    return f"{size}", lambda site: respond(data, content_type=label)


def _content_length(rng: random.Random) -> tuple[str, Callable[[Site], Route]]:
    kind = rng.choice(["longer", "shorter", "zero", "huge", "negative"])
    body = CANARY
    if kind == "longer":
        return kind, lambda site: respond(body, content_length=len(body) + rng.randrange(1, 5000))
    if kind == "shorter":
        return kind, lambda site: respond(body, content_length=max(0, len(body) - 100), close=True)
    if kind == "zero":
        return kind, lambda site: respond(body, content_length=0, close=True)
    if kind == "huge":
        return kind, lambda site: respond(body, content_length=10**12)
    return kind, lambda site: raw(
        b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Length: -5\r\n\r\n" + body
    )


def _garbage(rng: random.Random) -> tuple[str, Callable[[Site], Route]]:
    kind = rng.choice(["random", "no_status", "bad_version", "bad_status", "header_flood",
                       "nul", "close_at_once", "http09"])  # fmt: skip
    if kind == "random":
        data = bytes(rng.randrange(256) for _ in range(rng.randrange(1, 4000)))
    elif kind == "no_status":
        data = b"Content-Type: text/html\r\n\r\n<p>hi</p>"
    elif kind == "bad_version":
        data = b"HTTP/9.9 200 OK\r\nContent-Length: 2\r\n\r\nhi"
    elif kind == "bad_status":
        data = b"HTTP/1.1 2OO OK\r\nContent-Length: 2\r\n\r\nhi"
    elif kind == "header_flood":
        data = b"HTTP/1.1 200 OK\r\n" + b"X-A: " + b"a" * 70_000 + b"\r\n" * 2 + b"hi"
    elif kind == "nul":
        data = b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\n\0\0\0\r\n\r\nhi"
    elif kind == "close_at_once":
        data = b""
    else:
        data = b"<html><body>HTTP/0.9 style</body></html>"
    return kind, lambda site: raw(data)


def _big_pages(rng: random.Random) -> tuple[str, Callable[[Site], Route]]:
    kind = rng.choice(["nested_200k", "one_sentence_1mb", "quotes", "many_links", "chunked_ok"])
    if kind == "nested_200k":
        body = (
            b"<html><body>" + b"<div>" * 200_000 + b"Text" + b"</div>" * 200_000 + b"</body></html>"
        )
    elif kind == "one_sentence_1mb":
        words = [
            rng.choice(["und", "die", "Aktie", "steigt", "weil", "der", "Markt"])
            for _ in range(150_000)
        ]
        body = ("<html><body><p>" + " ".join(words)[:1_000_000] + ".</p></body></html>").encode()
    elif kind == "quotes":
        body = b"<html><body><p>" + b'"' * 1_900_000 + b"</p></body></html>"
    elif kind == "many_links":
        body = b"<html><body>" + b"<a href='/x'>x</a>" * 80_000 + b"</body></html>"
    else:
        return kind, lambda site: chunked([CANARY[i : i + 7] for i in range(0, len(CANARY), 7)])
    return kind, lambda site: respond(body)


def _pauses(rng: random.Random) -> tuple[str, Callable[[Site], Route]]:
    value = rng.choice(["150", "3600", "0", "-1", "abc", "Wed, 21 Oct 2099 07:28:00 GMT", "9" * 30])
    status = rng.choice([429, 503])
    return f"{status}_{value[:12]}", lambda site: retry_after(value, status)


def _formats(rng: random.Random) -> tuple[str, Callable[[Site], Route]]:
    kind = rng.choice(["json_feed", "atom_xml_base", "rdf", "atom_relative", "gzip_feed"])

    def route(site: Site) -> Route:
        site.route("/articles/item", respond(CANARY))
        if kind == "json_feed":
            body = (
                '{"version": "https://jsonfeed.org/version/1.1", "title": "t", "items": '
                f'[{{"id": "1", "url": "{site.url("/articles/item")}", "title": "J"}}]}}'
            ).encode()
            return respond(body, content_type="application/feed+json")
        if kind in {"atom_xml_base", "atom_relative"}:
            base = site.url("/articles/") if kind == "atom_xml_base" else ""
            attr = f' xml:base="{base}"' if base else ""
            href = "item" if base else "/articles/item"
            body = (
                f'<?xml version="1.0"?><feed xmlns="http://www.w3.org/2005/Atom"{attr}>'
                f"<title>t</title><id>urn:t</id><updated>2026-11-30T10:00:00Z</updated>"
                f'<entry><id>urn:1</id><title>A</title><link href="{href}"/>'
                "<updated>2026-11-30T10:00:00Z</updated></entry></feed>"
            ).encode()
            return respond(body, content_type="application/atom+xml")
        if kind == "rdf":
            body = (
                '<?xml version="1.0"?><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"'
                ' xmlns="http://purl.org/rss/1.0/">'
                '<channel rdf:about="x"><title>t</title></channel>'
                f'<item rdf:about="{site.url("/articles/item")}"><title>R</title>'
                f"<link>{site.url('/articles/item')}</link></item></rdf:RDF>"
            ).encode()
            return respond(body, content_type="application/rdf+xml")
        body = gzip.compress(rss_of([site.url("/articles/item")]))
        return respond(
            body, content_type="application/rss+xml", headers={"Content-Encoding": "gzip"}
        )

    return kind, route


def _sitemaps(rng: random.Random) -> tuple[str, Callable[[Site], Route]]:
    kind = rng.choice(["self_index", "50k_urls", "entities", "deep"])

    def route(site: Site) -> Route:
        site.route("/item", respond(CANARY))
        ns = 'xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"'
        if kind == "self_index":
            child = f"<sitemap><loc>{site.url('/feed')}</loc></sitemap>"
            body = f"<sitemapindex {ns}>{child}</sitemapindex>"
        elif kind == "50k_urls":
            urls = "".join(
                f"<url><loc>{site.url('/item')}?n={i}</loc></url>" for i in range(50_000)
            )
            body = f"<urlset {ns}>{urls}</urlset>"
        elif kind == "entities":
            body = (
                '<!DOCTYPE u [<!ENTITY x SYSTEM "file:///etc/passwd">]>'
                f"<urlset {ns}><url><loc>&x;</loc></url></urlset>"
            )
        else:
            body = f"<urlset {ns}>" + "<url>" * 100_000 + "</url>" * 100_000 + "</urlset>"
        return respond(body.encode(), content_type="application/xml")

    return kind, route


PAGE_FAMILIES: dict[str, Callable[[random.Random], tuple[str, Callable[[Site], Route]]]] = {
    "bombs": _bomb,
    "endless": _endless,
    "slowloris": _slowloris,
    "redirects": _redirects,
    "forbidden": _forbidden,
    "charsets": _charsets,
    "binary": _binary,
    "content_length": _content_length,
    "garbage": _garbage,
    "big_pages": _big_pages,
    "pauses": _pauses,
}
SOURCE_FAMILIES: dict[str, Callable[[random.Random], tuple[str, Callable[[Site], Route]]]] = {
    "malformed_feed": _malformed_feed,
    "huge_feed": _huge_feed,
    "deep_feed": _deep_feed,
    "entities": _entities,
    "formats": _formats,
    "source_slowloris": _slowloris,
    "source_garbage": _garbage,
}
SITEMAP_FAMILIES = {"sitemaps": _sitemaps}


def generate(seed: int, count: int) -> list[Case]:
    """`count` cases, the same for the same seed; families in turn, variants drawn."""
    rng = random.Random(seed)
    families = (
        [(name, make, "page") for name, make in PAGE_FAMILIES.items()]
        + [(name, make, "rss") for name, make in SOURCE_FAMILIES.items()]
        + [(name, make, "sitemap") for name, make in SITEMAP_FAMILIES.items()]
    )
    cases = []
    for number in range(count):
        name, make, where = families[number % len(families)]
        variant, route = make(random.Random(rng.random()))
        if where == "page":
            build = feed_case(route)
        else:
            build = source_case(route, kind="sitemap" if where == "sitemap" else "rss")
        expect = ("/articles/item",) if name == "formats" else ()
        cases.append(Case(number, name, variant, build, where == "page", expect))
    return cases


# --- running ------------------------------------------------------------------------------


def _runner(specs: list[SourceSpec]) -> tuple[ConnectorRunner, ListSink, ListSink]:
    metrics = ConnectorMetrics.create(CollectorRegistry())
    http = HttpClient(LIMITS, AddressPolicy(parse_networks("127.0.0.1/32")))
    gate = HostGate(max_concurrent=2, min_delay_s=0.0)
    fetcher = Fetcher(http, gate, RobotsCache(http, gate, "newswire-corpus"), metrics)
    raw_sink, dead = ListSink(MAX_EVENT_BYTES), ListSink()
    options = options_for_tests(
        page_workers=4,
        max_page_attempts=1,
        max_items_per_poll=50,
        max_entries=200,
    )
    runner = ConnectorRunner(specs, fetcher, raw_sink, dead, MemoryStateStore(), metrics, options)
    return runner, raw_sink, dead


def run_case(case: Case, seed: int = 0) -> Result:
    with RealWebServer() as server:
        site = Site(server, random.Random(seed * 100_003 + case.number))
        started = time.monotonic()
        crash = None
        try:
            spec = case.build(site)
            server.routes.setdefault("/canary", respond(CANARY))
            canary = SourceSpec("canary", "urls", server.url("/canary-list"))
            server.routes["/canary-list"] = respond(
                (server.url("/canary") + "\n").encode(), content_type="text/plain"
            )
            runner, raw_sink, dead = _runner([spec, canary])
            try:
                report = runner.poll_due(force=True)
            finally:
                runner.close()
        except Exception as exc:  # the corpus counts crashes instead of stopping
            return Result(case, time.monotonic() - started, 0, False, [], None, 0, repr(exc))
        seconds = time.monotonic() - started
        canary_url = server.url("/canary")
    state = runner.store.source("case")
    source_reason = state.last_error.split(":", 1)[0] if state.last_error else None
    reasons = [str(event["failure"]) for event in dead.events]
    urls = [event["url"] for event in raw_sink.events]
    missing = [p for p in case.expect_paths if canary_url.replace("/canary", p) not in urls]
    result = Result(
        case,
        seconds,
        len(urls),
        canary_url in urls,
        reasons,
        source_reason,
        report.deferred,
        crash,
    )
    canary_state = runner.store.source("canary")
    result.canary_deferred = any(
        item["link"] == canary_url for item in state.pending + canary_state.pending
    ) or (canary_state.last_error or "").startswith("paused")
    result.problems.extend(f"{path} not produced" for path in missing)
    _check(result)
    return result


def _check(result: Result) -> None:
    problems = result.problems
    if result.seconds > CASE_BUDGET_S:
        problems.append(f"took {result.seconds:.1f}s")
    if not result.canary and not result.canary_deferred:
        problems.append("canary lost")
    for reason in result.dead_reasons:
        if reason not in PAGE_REASONS:
            problems.append(f"dead letter reason {reason!r} outside the closed set")
    if result.source_reason is not None and result.source_reason not in SOURCE_REASONS:
        problems.append(f"source reason {result.source_reason!r} outside the closed set")


def max_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def run(cases: list[Case], seed: int, jobs: int = 1, progress: bool = False) -> list[Result]:
    """Cases in parallel threads (each on its own server and runner): most of a hostile
    case's time is waiting for a timeout."""
    results: list[Result] = []
    with ThreadPoolExecutor(max_workers=jobs, thread_name_prefix="case") as pool:
        for result in pool.map(lambda case: run_case(case, seed), cases):
            results.append(result)
            if progress and len(results) % 100 == 0:
                print(f"  {len(results)} of {len(cases)} cases", file=sys.stderr)
    return results


def table(results: list[Result]) -> str:
    by_family: dict[str, list[Result]] = defaultdict(list)
    for result in results:
        by_family[result.case.family].append(result)
    lines = [
        f"{'family':18} {'cases':>5} {'events':>6} {'dead':>5} {'src_err':>7} {'defer':>5} "
        f"{'max_s':>6} {'problems':>8}  reasons"
    ]
    for family, group in sorted(by_family.items()):
        reasons = Counter(r for res in group for r in res.dead_reasons)
        reasons.update(res.source_reason for res in group if res.source_reason)
        lines.append(
            f"{family:18} {len(group):5} {sum(r.produced for r in group):6} "
            f"{sum(len(r.dead_reasons) for r in group):5} "
            f"{sum(1 for r in group if r.source_reason):7} {sum(r.deferred for r in group):5} "
            f"{max(r.seconds for r in group):6.2f} "
            f"{sum(1 for r in group if r.problems or r.crash):8}  "
            + ", ".join(f"{k} {v}" for k, v in reasons.most_common())
        )
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seed", type=int, default=13)
    parser.add_argument("--cases", type=int, default=1200)
    parser.add_argument("--family", default=None, help="only this family")
    parser.add_argument("--jobs", type=int, default=4, help="cases run at the same time")
    args = parser.parse_args(argv)
    cases = generate(args.seed, args.cases)
    if args.family:
        cases = [c for c in cases if c.family == args.family]
    started = time.monotonic()
    logging.basicConfig(level=logging.ERROR)
    results = run(cases, args.seed, args.jobs, progress=True)
    print(table(results))
    bad = [r for r in results if r.problems or r.crash]
    print(
        f"\n{len(results)} cases in {time.monotonic() - started:.0f}s, seed {args.seed}; "
        f"{len(bad)} with problems; max RSS {max_rss_mb():.0f} MB"
    )
    for result in bad[:30]:
        case = result.case
        print(f"  #{case.number} {case.family}/{case.variant}: {result.crash or result.problems}")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
