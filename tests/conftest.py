from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import pytest

from server.app import DebateServer, ServerSettings
from server.debate import DebateService
from tests import logscan
from tests.wire import WireClient


@pytest.fixture(scope="session", autouse=True)
def server_log_is_scanned_for_secrets() -> Iterator[None]:
    """Issue 6, item 8: the whole run's server log holds no secret."""
    logscan.install()
    yield
    logscan.uninstall()
    leaks = logscan.leaks()
    assert not leaks, f"{len(leaks)} secrets in the server log, e.g. {leaks[0][1][:200]!r}"


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "debate.db"


@pytest.fixture
def settings() -> ServerSettings:
    return ServerSettings(coalesce_seconds=0.05)


@pytest.fixture
async def server(db_path: Path, settings: ServerSettings) -> AsyncIterator[DebateServer]:
    service = DebateService.open(db_path, title="Test debate")
    logscan.remember(service.moderator_key)
    logscan.remember(service.join_code)
    debate_server = DebateServer(service, settings)
    await debate_server.start("127.0.0.1", 0)
    yield debate_server
    await debate_server.stop()
    service.close()


@pytest.fixture
def url(server: DebateServer) -> str:
    return f"ws://127.0.0.1:{server.port}/"


@pytest.fixture
async def moderator(server: DebateServer, url: str) -> AsyncIterator[WireClient]:
    client = await WireClient.join(
        url, role="moderator", moderator_key=server.service.moderator_key, name="Mod"
    )
    yield client
    await client.close()


async def join_participant(server: DebateServer, url: str, name: str) -> WireClient:
    return await WireClient.join(url, role="participant", join_code=server.service.join_code, name=name)
