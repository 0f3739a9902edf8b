import gzip
from collections.abc import Iterator

import pytest

from connectors.http import HttpClient, HttpLimits, decode_body
from pipeline.errors import FetchError
from tests.httpserver import LocalServer, Reply


@pytest.fixture
def server() -> Iterator[LocalServer]:
    with LocalServer() as local:
        yield local


def client(**limits: object) -> HttpClient:
    return HttpClient(HttpLimits(**{"timeout_s": 5.0, **limits}))  # type: ignore[arg-type]


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


def test_http_errors_raise_with_the_status(server: LocalServer) -> None:
    server.routes["/gone"] = Reply(status=410, body=b"gone")
    with pytest.raises(FetchError, match="HTTP 410"):
        client().get(server.url("/gone"))


def test_body_over_the_cap_is_aborted_while_streaming(server: LocalServer) -> None:
    def endless() -> Iterator[bytes]:
        for _ in range(10_000):
            yield b"x" * 65536

    server.routes["/endless"] = Reply(chunks=endless, headers={"Content-Type": "text/html"})
    with pytest.raises(FetchError, match="larger than 100000 bytes"):
        client(max_bytes=100_000).get(server.url("/endless"))


def test_gzip_bomb_is_refused(server: LocalServer) -> None:
    bomb = gzip.compress(b"\0" * 5_000_000)
    server.routes["/bomb"] = Reply(
        body=bomb, headers={"Content-Encoding": "gzip", "Content-Type": "text/html"}
    )
    assert len(bomb) < 100_000
    with pytest.raises(FetchError, match="decompressed body larger"):
        client(max_bytes=100_000).get(server.url("/bomb"))


def test_gzip_body_is_decompressed(server: LocalServer) -> None:
    server.routes["/z"] = Reply(
        body=gzip.compress(b"<p>hello</p>"),
        headers={"Content-Encoding": "gzip", "Content-Type": "text/html"},
    )
    assert client().get(server.url("/z")).text == "<p>hello</p>"


def test_redirect_loop_is_an_error(server: LocalServer) -> None:
    server.routes["/a"] = Reply(status=302, headers={"Location": server.url("/b")})
    server.routes["/b"] = Reply(status=302, headers={"Location": server.url("/a")})
    with pytest.raises(FetchError):
        client().get(server.url("/a"))


def test_unreachable_host_is_a_fetch_error() -> None:
    with pytest.raises(FetchError, match="cannot fetch"):
        client(timeout_s=2.0).get("http://127.0.0.1:9/nothing")


def test_charset_from_meta_tag_when_header_has_none() -> None:
    body = '<meta charset="iso-8859-1"><p>Bär</p>'.encode("iso-8859-1")
    assert "Bär" in decode_body(body, None)
