"""The client joins a wss:// server whose self-signed certificate it is told to trust."""

from __future__ import annotations

import ssl
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from client.app import ConviveApp
from client.cli import tls_context
from client.tokens import TokenStore
from convive.cli import main
from server.app import DebateServer, ServerSettings
from server.debate import DebateService
from shared import protocol as p
from tests.client.conftest import screen_text, wait_until
from tests.server.test_tls import make_self_signed


@pytest.fixture
async def tls_server(tmp_path: Path) -> AsyncIterator[tuple[DebateServer, Path]]:
    cert, key = make_self_signed(tmp_path)
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(cert, key)
    service = DebateService.open(tmp_path / "tls.db", title="Chiffré")
    server = DebateServer(service, ServerSettings(coalesce_seconds=0.05))
    await server.start("127.0.0.1", 0, ssl=context)
    yield server, cert
    await server.stop()
    service.close()


async def test_join_over_wss_with_a_custom_ca(
    tls_server: tuple[DebateServer, Path], tokens: TokenStore
) -> None:
    server, cert = tls_server
    url = f"wss://localhost:{server.port}/"
    app = ConviveApp(
        url,
        "participant",
        join_code=server.service.join_code,
        name="Alice",
        lang="en",
        tokens=tokens,
        backoff_base=0.05,
        ssl_context=tls_context(url, str(cert)),
    )
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_until(pilot, lambda: app.link.status == "connected", what="a wss connection")
        app.send_command(lambda id_: p.PostMessage(id=id_, text="over TLS"))
        await wait_until(pilot, lambda: len(server.service.state.messages) == 1)
    assert [m.text for m in server.service.state.messages.values()] == ["over TLS"]


async def test_an_untrusted_certificate_never_connects(
    tls_server: tuple[DebateServer, Path], tokens: TokenStore
) -> None:
    server, _ = tls_server
    app = ConviveApp(
        f"wss://localhost:{server.port}/",
        "participant",
        join_code=server.service.join_code,
        name="Mallory",
        lang="en",
        tokens=tokens,
        backoff_base=0.05,
    )
    async with app.run_test(size=(80, 24)) as pilot:
        # Retrying would not help: the app stops and says what to do.
        await wait_until(pilot, lambda: app.link.status == "disconnected", what="a refusal")
        await pilot.pause(0.2)
        assert "--cafile" in screen_text(app)
        assert app.connection.attempt == 0
    assert server.service.state.participants == {} or all(
        p.name != "Mallory" for p in server.service.state.participants.values()
    )


@pytest.mark.parametrize(
    ("url", "cafile", "message"),
    [
        ("ws://localhost:8765/", "cert.pem", "goes with a wss:// URL"),
        ("wss://localhost:8765/", "missing.pem", "cannot read the CA file"),
        ("wss://localhost:8765/", "notes.txt", "not a PEM certificate"),
    ],
)
def test_bad_cafile_options_are_refused_clearly(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    url: str,
    cafile: str,
    message: str,
) -> None:
    monkeypatch.chdir(tmp_path)
    make_self_signed(tmp_path)
    (tmp_path / "notes.txt").write_text("not a certificate")
    assert main(["join", url, "--cafile", cafile, "--code", "ABCDEF", "--name", "x"]) == 2
    err = capsys.readouterr().err
    assert message in err and "Traceback" not in err
