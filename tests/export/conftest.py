from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from server.debate import DebateService
from shared.events import EventBase
from tests.export.fixture import build_fixture

GOLDEN = Path(__file__).parent / "golden"
PARIS = ZoneInfo("Europe/Paris")


@pytest.fixture(scope="session")
def fixture_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("export") / "fixture.db"
    build_fixture(path).close()
    return path


@pytest.fixture
def fixture_service(fixture_db: Path) -> Iterator[DebateService]:
    service = DebateService.open(fixture_db)
    yield service
    service.close()


@pytest.fixture(scope="session")
def fixture_events(fixture_db: Path) -> list[EventBase]:
    from server.export.reader import read_log

    return read_log(fixture_db).events


def check_golden(name: str, content: bytes) -> None:
    """Compare with tests/export/golden/<name>; UPDATE_GOLDEN=1 rewrites it."""
    path = GOLDEN / name
    if os.environ.get("UPDATE_GOLDEN") == "1":
        path.write_bytes(content)
    assert path.exists(), f"no golden file {name}: run with UPDATE_GOLDEN=1 and review it"
    assert content == path.read_bytes(), f"{name} differs from its golden file"


@pytest.fixture(scope="session")
def report_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The evening of tests/export/report_fixture.py: three tables, two rounds, a shift."""
    from tests.export.report_fixture import build_report_fixture

    path = tmp_path_factory.mktemp("report") / "report.db"
    build_report_fixture(path).close()
    return path


@pytest.fixture(scope="session")
def report_events(report_db: Path) -> list[EventBase]:
    from server.export.reader import read_log

    return read_log(report_db).events
