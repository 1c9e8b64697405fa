from __future__ import annotations

import os
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import pytest

from server.app import DebateServer, ServerSettings
from server.debate import DebateService
from tests import logscan
from tests.pgcluster import PASSWORD, Cluster, pg_bin_dir
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


# The key promise tests run on both stores: ``@BOTH_STORES`` on a test (or
# ``pytestmark = BOTH_STORES``) runs it with ``db`` a SQLite file, then a fresh
# PostgreSQL database of the session's cluster.
STORES = ("sqlite", "postgres")
BOTH_STORES = pytest.mark.parametrize("db", STORES, indirect=True)


@pytest.fixture(scope="session")
def pg_cluster() -> Iterator[Cluster]:
    """A real PostgreSQL cluster for the session (skipped where PostgreSQL is
    missing, except on CI, which installs it)."""
    if pg_bin_dir() is None:
        if os.environ.get("CI"):
            pytest.fail("PostgreSQL is not installed (.ci/run installs it)")
        pytest.skip("PostgreSQL is not installed")
    cluster = Cluster.create()
    logscan.remember(PASSWORD)  # in every URL the tests use: never in a log
    yield cluster
    cluster.destroy()


@pytest.fixture
def db(request: pytest.FixtureRequest, db_path: Path) -> str | Path:
    """The database a test's server opens: the SQLite file, or (parametrized
    with ``BOTH_STORES``) a fresh PostgreSQL database."""
    if getattr(request, "param", "sqlite") == "sqlite":
        return db_path
    cluster: Cluster = request.getfixturevalue("pg_cluster")
    return cluster.new_database()


@pytest.fixture
def settings() -> ServerSettings:
    return ServerSettings(coalesce_seconds=0.05)


@pytest.fixture
async def server(db: str | Path, settings: ServerSettings) -> AsyncIterator[DebateServer]:
    service = DebateService.open(db, title="Test debate")
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
