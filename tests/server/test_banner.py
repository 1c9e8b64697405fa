"""Issue 9 §4–5: the start-up banner speaks the user's language and never sends guests
to ``localhost`` when the server listens on the network; the projector shows the same
guest-facing address."""

from __future__ import annotations

import asyncio
import os
import socket
import subprocess
import sys
from pathlib import Path

from server.addresses import local_addresses
from tests.server.process import ServeProcess
from tests.wire import WireClient


async def test_listening_everywhere_shows_a_network_address(tmp_path: Path) -> None:
    addresses = local_addresses()
    assert addresses, "this machine has no network address to test with"
    serve = await asyncio.to_thread(ServeProcess.start, tmp_path / "d.db", "--host", "0.0.0.0")
    try:
        assert "localhost" not in "\n".join(serve.banner)
        host = serve.url.split("//", 1)[1].rsplit(":", 1)[0]
        assert host == addresses[0]
        # Guests can use it, and every client is told it (the projector shows it).
        screen = await WireClient.join(serve.url, role="screen", join_code=serve.join_code)
        assert screen.welcome["join_url"] == serve.url  # type: ignore[index]
        await screen.close()
        port = serve.url.rsplit(":", 1)[1].strip("/")
        local = await WireClient.join(f"ws://127.0.0.1:{port}/", role="screen", join_code=serve.join_code)
        assert local.welcome["join_url"] == serve.url  # type: ignore[index]
        await local.close()
    finally:
        assert await asyncio.to_thread(serve.terminate) == 0


async def test_a_public_url_is_shown_and_announced(tmp_path: Path) -> None:
    public = "wss://debat.example.org/"
    port = _free_port()
    serve = await asyncio.to_thread(
        ServeProcess.start,
        tmp_path / "d.db",
        "--host",
        "0.0.0.0",
        "--public-url",
        public,
        "--port",
        str(port),
    )
    try:
        assert serve.url == public
        screen = await WireClient.join(f"ws://127.0.0.1:{port}/", role="screen", join_code=serve.join_code)
        assert screen.welcome["join_url"] == public  # type: ignore[index]
        await screen.close()
    finally:
        assert await asyncio.to_thread(serve.terminate) == 0


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _banner(tmp_path: Path, *args: str, env: dict[str, str] | None = None) -> str:
    process = subprocess.Popen(
        [sys.executable, "-m", "convive.cli", "serve", "--db", str(tmp_path / "d.db"), "--port", "0", *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
        env={**os.environ, "PYTHONUNBUFFERED": "1", **(env or {})},
    )
    try:
        assert process.stdout is not None
        return "".join(process.stdout.readline() for _ in range(5))
    finally:
        process.terminate()
        process.wait(10)


def test_the_banner_speaks_french(tmp_path: Path) -> None:
    banner = _banner(tmp_path, "--title", "Soirée", "--lang", "fr")
    assert "convive\u00a0: «\u00a0Soirée\u00a0»" in banner
    assert "adresse des invités" in banner and "code d'accès" in banner
    assert "clé de modération" in banner and "base de données" in banner
    assert "cette machine seulement" in banner  # 127.0.0.1: say guests cannot reach it
    assert "websocket URL" not in banner


def test_the_banner_follows_the_locale(tmp_path: Path) -> None:
    env = {"LC_ALL": "", "LC_MESSAGES": "", "LANGUAGE": "", "LANG": "fr_FR.UTF-8"}
    assert "code d'accès" in _banner(tmp_path, env=env)
    env["LANG"] = "en_US.UTF-8"
    assert "join code" in _banner(tmp_path, env=env)


def test_guest_addresses() -> None:
    import ipaddress

    from server.addresses import guest_hosts, url_for

    for address in local_addresses(ipv6=True):
        parsed = ipaddress.ip_address(address)
        assert not (parsed.is_loopback or parsed.is_link_local or parsed.is_unspecified)
    assert guest_hosts("127.0.0.1") == ["localhost"]
    assert guest_hosts("10.1.2.3") == ["10.1.2.3"]
    assert "localhost" not in guest_hosts("::") and "localhost" not in guest_hosts("0.0.0.0")
    assert url_for("fd00::2", 8765, tls=False) == "ws://[fd00::2]:8765/"
    assert url_for("192.0.2.2", 8765, tls=True) == "wss://192.0.2.2:8765/"
