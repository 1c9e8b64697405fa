"""The guest page over plain HTTP on the websocket's port, and the websocket's origin check."""

from __future__ import annotations

import asyncio
import gzip
import http.client
import re
from pathlib import Path

import pytest
from websockets.asyncio.client import connect
from websockets.exceptions import InvalidStatus

from server.app import DebateServer, ServerSettings
from server.debate import DebateService
from server.web import site as site_module
from server.web.site import ASSETS, WebSite
from shared.joinlink import http_url_of, join_link_for_qr
from tests.conftest import join_participant


def request(
    port: int, path: str, method: str = "GET", headers: dict[str, str] | None = None
) -> tuple[int, dict[str, str], bytes]:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
    connection.request(method, path, headers=headers or {})
    response = connection.getresponse()
    body = response.read()
    connection.close()
    return response.status, {k.lower(): v for k, v in response.getheaders()}, body


async def get(
    port: int, path: str, method: str = "GET", **headers: str
) -> tuple[int, dict[str, str], bytes]:
    named = {k.replace("_", "-"): v for k, v in headers.items()}
    return await asyncio.to_thread(request, port, path, method, named)


async def test_the_guest_page_is_served_with_strict_headers(server: DebateServer) -> None:
    status, headers, body = await get(server.port, "/")
    assert status == 200
    assert headers["content-type"] == "text/html; charset=utf-8"
    assert headers["x-content-type-options"] == "nosniff"
    csp = headers["content-security-policy"]
    for directive in ("default-src 'self'", "script-src 'self'", "frame-ancestors 'none'"):
        assert directive in csp
    assert "unsafe-inline" not in csp and "unsafe-eval" not in csp
    assert headers["connection"] == "close"
    assert int(headers["content-length"]) == len(body)
    assert b'<script type="module" src="/app.js">' in body
    # No inline script, no reference to anything outside this server.
    assert not re.search(rb"<script(?![^>]*\bsrc=)", body)
    assert not re.search(rb"(src|href)=\"(https?:)?//", body)
    assert f'content="http://localhost:{server.port}/"'.encode() in body


@pytest.mark.parametrize("path", ["/j/ABCDEF", "/J/abcdef", "/j/abcdef/", "/?code=ABCDEF"])
async def test_the_join_link_serves_the_guest_page(server: DebateServer, path: str) -> None:
    status, _headers, body = await get(server.port, path)
    assert status == 200 and b"/app.js" in body


async def test_every_file_has_its_content_type(server: DebateServer) -> None:
    expected = {".js": "text/javascript", ".css": "text/css", ".txt": "text/plain", ".svg": "image/svg+xml"}
    for path in ASSETS:
        status, headers, body = await get(server.port, path)
        assert status == 200, path
        assert headers["content-type"].startswith(expected[Path(path).suffix]), path
        assert headers["x-content-type-options"] == "nosniff"
        assert body == (Path(site_module.__file__).parent / ASSETS[path]).read_bytes()
    status, headers, _ = await get(server.port, "/screen?code=ABCDEF")
    assert status == 200 and headers["content-type"].startswith("text/html")


async def test_gzip_etag_and_304(server: DebateServer) -> None:
    status, headers, body = await get(server.port, "/app.js", accept_encoding="gzip, deflate")
    assert status == 200 and headers["content-encoding"] == "gzip"
    assert headers["vary"] == "Accept-Encoding"
    plain = (Path(site_module.__file__).parent / "app.js").read_bytes()
    assert gzip.decompress(body) == plain and len(body) < len(plain)
    etag = headers["etag"]
    status, headers, body = await get(server.port, "/app.js", accept_encoding="gzip", if_none_match=etag)
    assert status == 304 and body == b"" and headers["etag"] == etag
    # The identity variant has its own ETag: the gzipped one does not validate it.
    status, headers, body = await get(server.port, "/app.js", if_none_match=etag)
    assert status == 200 and "content-encoding" not in headers and body == plain
    status, _, _ = await get(server.port, "/app.js", if_none_match=headers["etag"])
    assert status == 304


async def test_head_has_the_headers_and_no_body(server: DebateServer) -> None:
    _, get_headers, get_body = await get(server.port, "/style.css")
    status, headers, body = await get(server.port, "/style.css", "HEAD")
    assert status == 200 and body == b""
    assert headers["content-length"] == str(len(get_body)) and headers["etag"] == get_headers["etag"]


@pytest.mark.parametrize(
    "path", ["/nope", "/server/app.py", "/app.py", "/../pyproject.toml", "/site.py", "/vendor/", "/j/"]
)
async def test_nothing_else_is_served(server: DebateServer, path: str) -> None:
    status, headers, _ = await get(server.port, path)
    assert status == 404
    assert headers["x-content-type-options"] == "nosniff"


async def test_other_methods_are_refused(server: DebateServer) -> None:
    status, headers, _ = await get(server.port, "/", "POST")
    assert status == 405 and headers["allow"] == "GET, HEAD"


async def test_the_qr_code_is_an_svg_of_any_well_formed_code(server: DebateServer) -> None:
    status, headers, body = await get(server.port, "/qr.svg?code=abcdef")
    assert status == 200 and headers["content-type"] == "image/svg+xml"
    assert body.startswith(b"<svg") and b"viewBox" in body
    assert f"HTTP://LOCALHOST:{server.port}/J/ABCDEF".encode() in body  # its title
    for bad in ("", "ab%20cd", "x" * 33, "<script>"):
        status, _, _ = await get(server.port, f"/qr.svg?code={bad}")
        assert status == 404


async def test_the_whole_page_weighs_less_than_100_kb_gzipped(server: DebateServer) -> None:
    assert server.site is not None
    weight = server.site.weight_gzipped
    assert weight < 100_000, weight
    print(f"guest page, gzipped: {weight} bytes")


# --- the origin check of websocket upgrades ---------------------------------------------


async def test_websockets_from_the_page_and_the_terminal_are_accepted(server: DebateServer, url: str) -> None:
    for origin in (None, f"http://127.0.0.1:{server.port}"):
        headers = {"Origin": origin} if origin else {}
        async with connect(url, additional_headers=headers) as ws:
            await ws.send('{"type": "hello", "protocol": 1, "role": "screen", "join_code": "x"}')
            assert "bad_credentials" in str(await ws.recv())
    # The page reached at another of this machine's addresses is its own origin too.
    async with connect(
        f"ws://localhost:{server.port}/", additional_headers={"Origin": f"http://localhost:{server.port}"}
    ):
        pass
    assert (await join_participant(server, url, "Terminal")).welcome is not None


@pytest.mark.parametrize(
    "origin",
    ["https://evil.example", "http://127.0.0.1:1", "null", "http://evil.example:{port}"],
)
async def test_websockets_from_other_origins_are_refused(server: DebateServer, url: str, origin: str) -> None:
    with pytest.raises(InvalidStatus) as refused:
        async with connect(url, additional_headers={"Origin": origin.format(port=server.port)}):
            pass
    assert refused.value.response.status_code == 403


async def test_a_rebound_dns_name_is_not_our_own_origin(server: DebateServer, url: str) -> None:
    # A hostile page whose name now points here sends a matching Host and Origin.
    host = f"rebound.example:{server.port}"
    upgrade = {
        "Host": host,
        "Origin": f"http://{host}",
        "Upgrade": "websocket",
        "Connection": "Upgrade",
        "Sec-WebSocket-Key": "dGhlIHNhbXBsZSBub25jZQ==",
        "Sec-WebSocket-Version": "13",
    }
    status, _, _ = await asyncio.to_thread(request, server.port, "/", "GET", upgrade)
    assert status == 403
    # A header sent twice is refused, not a crash.
    assert (await get(server.port, "/", Host="a", X="b"))[0] == 200


async def test_origin_option_and_public_url_are_accepted(db_path: Path) -> None:
    service = DebateService.open(db_path, title="Proxy")
    debate_server = DebateServer(service, ServerSettings(origins=["https://debate.example.org"]))
    await debate_server.start("127.0.0.1", 0)
    # What convive serve --public-url wss://convive.example.net/ does once listening.
    debate_server.public_url = "wss://convive.example.net/"
    try:
        for origin in ("https://debate.example.org", "https://convive.example.net"):
            ws_url = f"ws://127.0.0.1:{debate_server.port}/"
            async with connect(ws_url, additional_headers={"Origin": origin}):
                pass
        _, _, body = await get(debate_server.port, "/")
        assert b'content="https://convive.example.net/"' in body
    finally:
        await debate_server.stop()
        service.close()


# --- the address guests are given ----------------------------------------------------------


def test_the_guest_page_follows_the_public_url() -> None:
    site = WebSite("http://localhost:8765/")
    site.set_public_url(http_url_of("wss://debate.example.org/"))
    assert b'content="https://debate.example.org/"' in site.pages["guest"].body
    assert "https://debate.example.org" in site.allowed_origins
    assert join_link_for_qr(site.public_url, "abcdef") == "HTTPS://DEBATE.EXAMPLE.ORG/J/ABCDEF"
    # A path of its own (a proxy's prefix) keeps its case.
    assert join_link_for_qr("https://x.example/Diner/", "abcdef") == "https://x.example/Diner/j/ABCDEF"


def test_the_page_carries_the_public_url_escaped() -> None:
    site = WebSite('http://x.example/"><script>/')
    body = site.pages["guest"].body
    assert b"<script>/" not in body and b"&quot;&gt;&lt;script&gt;" in body


async def test_the_page_is_served_over_https_with_wss(db_path: Path, tmp_path: Path) -> None:
    import ssl

    from tests.server.test_tls import make_self_signed

    cert, key = make_self_signed(tmp_path)
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(cert, key)
    service = DebateService.open(db_path, title="TLS")
    debate_server = DebateServer(service, ServerSettings())
    await debate_server.start("127.0.0.1", 0, ssl=context)
    trusting = ssl.create_default_context(cafile=str(cert))

    def fetch() -> tuple[int, str, bytes]:
        connection = http.client.HTTPSConnection("localhost", debate_server.port, context=trusting, timeout=5)
        connection.request("GET", f"/j/{service.join_code}")
        response = connection.getresponse()
        return response.status, response.getheader("Content-Security-Policy") or "", response.read()

    try:
        status, csp, body = await asyncio.to_thread(fetch)
        assert status == 200 and b"/app.js" in body
        assert f"wss://localhost:{debate_server.port}" in csp
        assert f'content="https://localhost:{debate_server.port}/"'.encode() in body
    finally:
        await debate_server.stop()
        service.close()
