import gzip
from collections.abc import Iterator
from dataclasses import replace

import pytest

from connectors.addresses import AddressPolicy, ForbiddenAddress, parse_networks
from connectors.assembly import http_limits
from connectors.charset import decode_body
from connectors.http import HTML_TYPES, FetchFailure, HttpClient, retry_after_seconds
from pipeline.core.settings import Settings
from tests.support.httpserver import LocalServer, Reply

DEFAULT_LIMITS = http_limits(Settings())

LOOPBACK = AddressPolicy(parse_networks("127.0.0.1/32"))


@pytest.fixture
def server() -> Iterator[LocalServer]:
    with LocalServer() as local:
        yield local


def client(**limits: object) -> HttpClient:
    return HttpClient(replace(DEFAULT_LIMITS, **{"total_timeout_s": 5.0, **limits}), LOOPBACK)  # type: ignore[arg-type]


def test_fetch_decodes_declared_charset_and_reports_facts(server: LocalServer) -> None:
    body = "<html><body><p>Übernahme für 5 €</p></body></html>".encode("cp1252")
    server.routes["/p"] = Reply(
        body=body, headers={"Content-Type": "text/html; charset=windows-1252"}
    )
    page = client().get(server.url("/p"))
    assert "Übernahme für 5 €" in page.text
    assert page.status == 200 and page.content_type == "text/html"
    assert page.byte_count == len(body) and page.fetched_at.endswith("Z")


def test_utf8_survives_a_wrong_latin1_header(server: LocalServer) -> None:
    body = "<p>Größere Verluste bei Zalando</p>".encode()
    server.routes["/p"] = Reply(
        body=body, headers={"Content-Type": "text/html; charset=iso-8859-1"}
    )
    assert "Größere" in client().get(server.url("/p")).text


def test_undeclared_latin1_is_detected() -> None:
    text = "Die Bürgerinnen und Bürger zahlen höhere Gebühren für Strom und Wärme. " * 4
    assert decode_body(text.encode("latin-1"), None) == text


@pytest.mark.parametrize(
    ("status", "reason"),
    [(403, "http_403"), (410, "http_4xx"), (429, "http_429"), (503, "http_5xx")],
)
def test_http_errors_carry_a_reason(server: LocalServer, status: int, reason: str) -> None:
    server.routes["/x"] = Reply(status=status, body=b"no", headers={"Retry-After": "120"})
    with pytest.raises(FetchFailure) as caught:
        client().get(server.url("/x"))
    assert caught.value.reason == reason
    assert caught.value.retry_after_s == (120.0 if status in {429, 503} else None)


def test_retry_after_as_http_date() -> None:
    assert retry_after_seconds("Wed, 21 Oct 2015 07:28:00 GMT") == 0.0
    assert retry_after_seconds("30") == 30.0
    assert retry_after_seconds("soon") is None


def test_conditional_request_is_answered_by_304(server: LocalServer) -> None:
    server.routes["/feed"] = Reply(status=304, headers={"ETag": '"v1"'})
    response = client().get(
        server.url("/feed"), etag='"v1"', last_modified="Tue, 24 Nov 2026 10:00:00 GMT"
    )
    assert response.not_modified and response.body == b""
    _, headers, _ = server.requests[-1]
    assert headers["If-None-Match"] == '"v1"'
    assert headers["If-Modified-Since"] == "Tue, 24 Nov 2026 10:00:00 GMT"


def test_body_over_the_cap_is_aborted_while_streaming(server: LocalServer) -> None:
    def endless() -> Iterator[bytes]:
        for _ in range(10_000):
            yield b"x" * 65536

    server.routes["/endless"] = Reply(chunks=endless, headers={"Content-Type": "text/html"})
    with pytest.raises(FetchFailure, match="larger than 100000 bytes") as caught:
        client(max_bytes=100_000).get(server.url("/endless"))
    assert caught.value.reason == "too_large"


def test_slow_body_hits_the_total_timeout(server: LocalServer) -> None:
    import time

    def slow() -> Iterator[bytes]:
        for _ in range(50):
            time.sleep(0.2)
            yield b"<p>drip</p>" * 10

    server.routes["/slow"] = Reply(chunks=slow, headers={"Content-Type": "text/html"})
    with pytest.raises(FetchFailure) as caught:
        client(total_timeout_s=1.0, read_timeout_s=1.0).get(server.url("/slow"))
    assert caught.value.reason == "timeout"


def test_gzip_bomb_is_refused(server: LocalServer) -> None:
    bomb = gzip.compress(b"\0" * 5_000_000)
    server.routes["/bomb"] = Reply(
        body=bomb, headers={"Content-Encoding": "gzip", "Content-Type": "text/html"}
    )
    assert len(bomb) < 100_000
    with pytest.raises(FetchFailure, match="larger than") as caught:
        client(max_bytes=100_000).get(server.url("/bomb"))
    assert caught.value.reason == "too_large"


def test_gzip_body_is_decompressed(server: LocalServer) -> None:
    server.routes["/z"] = Reply(
        body=gzip.compress(b"<p>hello</p>"),
        headers={"Content-Encoding": "gzip", "Content-Type": "text/html"},
    )
    assert client().get(server.url("/z")).text == "<p>hello</p>"


def test_redirect_loop_is_an_error(server: LocalServer) -> None:
    server.routes["/a"] = Reply(status=302, headers={"Location": server.url("/b")})
    server.routes["/b"] = Reply(status=302, headers={"Location": server.url("/a")})
    with pytest.raises(FetchFailure) as caught:
        client().get(server.url("/a"))
    assert caught.value.reason == "too_many_redirects"


def test_redirect_is_followed_and_reported(server: LocalServer) -> None:
    server.routes["/old"] = Reply(status=301, headers={"Location": "/new"})
    server.routes["/new"] = Reply(body=b"<p>new</p>", headers={"Content-Type": "text/html"})
    response = client().get(server.url("/old"))
    assert response.final_url == server.url("/new") and response.text == "<p>new</p>"


def test_non_html_page_is_not_downloaded(server: LocalServer) -> None:
    server.routes["/f.pdf"] = Reply(
        body=b"%PDF" * 1000, headers={"Content-Type": "application/pdf"}
    )
    response = client().get(server.url("/f.pdf"), accept_types=HTML_TYPES)
    assert response.skipped and response.body == b"" and response.content_type == "application/pdf"


@pytest.mark.parametrize(
    "url",
    [
        "http://169.254.169.254/latest/meta-data/",
        "http://10.0.0.1/",
        "http://[::1]/",
        "http://224.0.0.1/",
        "http://0.0.0.0/",
    ],
)
def test_internal_addresses_are_refused(url: str) -> None:
    with pytest.raises(ForbiddenAddress):
        client().get(url)


def test_loopback_is_refused_without_the_allow_list(server: LocalServer) -> None:
    server.routes["/p"] = Reply(body=b"<p>x</p>")
    strict = HttpClient(replace(DEFAULT_LIMITS, total_timeout_s=5.0), AddressPolicy())
    with pytest.raises(ForbiddenAddress):
        strict.get(server.url("/p"))
    assert server.requests == [], "nothing was sent"


def test_redirect_to_a_forbidden_address_is_refused(server: LocalServer) -> None:
    server.routes["/jump"] = Reply(status=302, headers={"Location": "http://169.254.169.254/x"})
    with pytest.raises(ForbiddenAddress):
        client().get(server.url("/jump"))


def test_unreachable_host_is_a_network_failure() -> None:
    with pytest.raises(FetchFailure) as caught:
        client(total_timeout_s=2.0).get("http://127.0.0.1:9/nothing")
    assert caught.value.reason == "network"


def test_charset_from_meta_tag_when_header_has_none() -> None:
    body = '<meta charset="iso-8859-1"><p>Bär</p>'.encode("iso-8859-1")
    assert "Bär" in decode_body(body, None)


def test_allow_list_must_be_cidrs() -> None:
    with pytest.raises(ValueError, match="CIDR"):
        parse_networks("localhost")
