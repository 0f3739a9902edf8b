"""The HTTP client against a server that behaves like real ones (support/realweb_server.py)."""

from __future__ import annotations

import time
from collections.abc import Iterator

import pytest

from connectors.addresses import AddressPolicy, parse_networks
from connectors.http import HTML_TYPES, FetchFailure, HttpClient
from tests.support.connector_harness import limits_for_tests
from tests.support.realweb_server import (
    RealWebServer,
    brotli_bomb,
    endless,
    gzip_bomb,
    redirect,
    respond,
    slowloris,
)

LOOPBACK = AddressPolicy(parse_networks("127.0.0.1/32"))
PAGE = b"<html><body><p>" + b"A story. " * 100 + b"</p></body></html>"


@pytest.fixture
def web() -> Iterator[RealWebServer]:
    with RealWebServer() as server:
        yield server


def client(**limits: float) -> HttpClient:
    return HttpClient(limits_for_tests(**limits), LOOPBACK)


def test_empty_body_redirect_on_a_kept_alive_connection(web: RealWebServer) -> None:
    web.routes["/old"] = redirect("/new")
    web.routes["/new"] = respond(PAGE)
    web.routes["/other"] = respond(PAGE)
    http = client()
    assert http.get(web.url("/old")).final_url == web.url("/new")
    assert http.get(web.url("/other")).body == PAGE  # the next request on the pooled connection
    assert web.connections == 1  # one connection, reused for all three requests


def test_redirect_with_a_body_is_drained_before_reuse(web: RealWebServer) -> None:
    web.routes["/old"] = redirect("/new", body=b"<a href='/new'>moved</a>" * 20)
    web.routes["/new"] = respond(PAGE)
    http = client()
    for _ in range(3):
        assert http.get(web.url("/old")).body == PAGE


def test_redirect_loop_is_too_many_redirects(web: RealWebServer) -> None:
    web.routes["/a"] = redirect("/b")
    web.routes["/b"] = redirect("/a")
    with pytest.raises(FetchFailure) as caught:
        client().get(web.url("/a"))
    assert caught.value.reason == "too_many_redirects"


def test_long_redirect_chain_is_too_many_redirects(web: RealWebServer) -> None:
    for hop in range(10):
        web.routes[f"/r{hop}"] = redirect(f"/r{hop + 1}", status=302)
    web.routes["/r10"] = respond(PAGE)
    with pytest.raises(FetchFailure) as caught:
        client().get(web.url("/r0"))
    assert caught.value.reason == "too_many_redirects"


@pytest.mark.parametrize("stage", ["status", "headers", "body"])
def test_slowloris_ends_at_the_total_timeout(web: RealWebServer, stage: str) -> None:
    web.routes["/slow"] = slowloris(PAGE, interval_s=0.2, stage=stage)
    started = time.monotonic()
    with pytest.raises(FetchFailure) as caught:
        client(total_timeout_s=1.5, read_timeout_s=1.0).get(web.url("/slow"))
    assert caught.value.reason == "timeout"
    assert time.monotonic() - started < 2.5


def test_endless_body_ends_at_the_size_cap_or_deadline(web: RealWebServer) -> None:
    web.routes["/endless"] = endless(b"<p>" + b"x" * 4000 + b"</p>")
    with pytest.raises(FetchFailure) as caught:
        client(max_bytes=200_000).get(web.url("/endless"))
    assert caught.value.reason in {"too_large", "timeout"}


def test_timed_out_connection_is_not_reused(web: RealWebServer) -> None:
    web.routes["/slow"] = slowloris(PAGE, interval_s=0.2, stage="body")
    web.routes["/ok"] = respond(PAGE)
    http = client(total_timeout_s=1.0)
    with pytest.raises(FetchFailure):
        http.get(web.url("/slow"))
    started = time.monotonic()
    assert http.get(web.url("/ok")).body == PAGE
    assert time.monotonic() - started < 0.8
    assert web.connections == 2


def test_short_content_length_does_not_poison_the_pool(web: RealWebServer) -> None:
    web.routes["/short"] = respond(PAGE, content_length=len(PAGE) + 500)
    web.routes["/ok"] = respond(PAGE)
    http = client(total_timeout_s=1.0, read_timeout_s=0.5)
    with pytest.raises(FetchFailure) as caught:
        http.get(web.url("/short"))
    assert caught.value.reason in {"timeout", "network"}
    assert http.get(web.url("/ok")).body == PAGE


def test_gzip_bomb_is_too_large(web: RealWebServer) -> None:
    web.routes["/bomb"] = gzip_bomb(50_000_000)
    with pytest.raises(FetchFailure) as caught:
        client(max_bytes=1_000_000).get(web.url("/bomb"))
    assert caught.value.reason == "too_large"


def test_brotli_bomb_is_too_large(web: RealWebServer) -> None:
    web.routes["/bomb"] = brotli_bomb(50_000_000)
    with pytest.raises(FetchFailure) as caught:
        client(max_bytes=1_000_000).get(web.url("/bomb"), accept_types=HTML_TYPES)
    assert caught.value.reason in {"too_large", "bad_encoding"}


def test_binary_body_labelled_html_is_refused(web: RealWebServer) -> None:
    body = bytes(range(32)) * 4000
    web.routes["/bin"] = respond(body, content_type="text/html")
    with pytest.raises(FetchFailure) as caught:
        client().get(web.url("/bin"), accept_types=HTML_TYPES)
    assert caught.value.reason == "binary_body"
