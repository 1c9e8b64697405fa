"""Exports of an empty debate, and reading a database while it is being written."""

from __future__ import annotations

import json
import threading
from pathlib import Path

import pytest

from server.debate import DebateService
from server.export import FORMATS, Format, export_database, export_events
from server.export.reader import read_log
from server.store import EventStore
from shared import events as ev
from tests.export.fixture import Driver, fixed_clock


@pytest.mark.parametrize("fmt", FORMATS)
def test_a_new_debate_exports_in_every_format(tmp_path: Path, fmt: Format) -> None:
    DebateService.open(tmp_path / "new.db", title="Soirée", clock=fixed_clock()).close()
    transcript, rendered = export_database(tmp_path / "new.db", fmt, "fr")
    assert transcript.seq == 1
    assert rendered.content
    assert rendered.filename.startswith("soiree-2026-11-26.")


@pytest.mark.parametrize("fmt", FORMATS)
def test_no_events_at_all(fmt: Format) -> None:
    transcript, rendered = export_events([], fmt, "en")
    assert transcript.seq == 0 and transcript.title == ""
    assert rendered.filename.startswith("convive.")


def test_a_store_without_a_debate_is_empty(tmp_path: Path) -> None:
    EventStore(tmp_path / "bare.db").close()
    assert read_log(tmp_path / "bare.db").events == []


def test_poll_without_voters_and_live_round() -> None:
    at = "2026-11-26T19:00:00.000Z"
    events: list[ev.EventBase] = [
        ev.DebateCreated(seq=1, at=at, title="T"),
        ev.RoundAdded(seq=2, at=at, round_id="r1", title="R", theme="t", minutes=5, position=0),
        ev.RoundStarted(seq=3, at=at, round_id="r1"),
        ev.PollCreated(
            seq=4, at=at, poll_id="p1", question="Q", options=["a", "b"], multiple=False, hide_results=True
        ),
        ev.PollOpened(
            seq=5,
            at=at,
            poll_id="p1",
            question="Q",
            options=["a", "b"],
            multiple=False,
            hide_results=True,
            round_id="r1",
        ),
    ]
    _, rendered = export_events(events, "json")
    data = json.loads(rendered.content)
    assert data["started_at"] == at and data["ended_at"] is None  # still going
    assert data["rounds"][0]["status"] == "live"
    assert data["rounds"][0]["actual_minutes"] is None
    poll = data["rounds"][0]["polls"][0]
    assert (poll["status"], poll["voters"], [o["percent"] for o in poll["options"]]) == (
        "open",
        0,
        [0.0, 0.0],
    )
    for fmt in ("md", "html"):
        text = export_events(events, fmt, "fr")[1].content.decode()
        assert "en cours" in text


def test_reading_does_not_block_the_writer(tmp_path: Path) -> None:
    """Exports read while the server keeps writing, each a snapshot at one seq."""
    path = tmp_path / "busy.db"
    service = DebateService.open(path, title="Busy")
    driver = Driver(service)
    driver.join("Mod", "moderator")
    driver.join("Ann")
    stop = threading.Event()
    seqs: list[int] = []

    errors: list[BaseException] = []

    def read() -> None:
        try:
            while not stop.is_set():
                snapshot = read_log(path)
                # Gap-free from 1 (the reader checks it): the last seq is the count.
                assert snapshot.seq == len(snapshot.events)
                seqs.append(snapshot.seq)
        except BaseException as error:
            errors.append(error)

    reader = threading.Thread(target=read)
    reader.start()
    try:
        for number in range(300):
            driver.do("Ann", "post_message", text=f"message {number}")
    finally:
        stop.set()
        reader.join()
    final = service.state.seq
    service.close()
    assert errors == []
    assert len(set(seqs)) > 1 and max(seqs) <= final  # snapshots at several seqs
    assert read_log(path).seq == final
