"""Speaking time in the exports: per person and per round, from the events' times."""

from __future__ import annotations

import json

from server.export import FORMATS, export_events
from server.export.i18n import Localizer, parse_time
from server.export.json_ import json_schema
from server.export.model import build_transcript
from shared import events as ev
from shared.events import EventBase
from tests.core.debate import CoreDebate
from tests.export.conftest import PARIS


def test_the_fixture_reports_speaking_time_per_person_and_round(fixture_events: list[EventBase]) -> None:
    transcript = build_transcript(fixture_events)
    evening = {s.name: (s.turns, s.seconds) for s in transcript.speaking_time}
    # Chloé is still speaking when the fixture ends: counted up to as_of.
    given = [e for e in fixture_events if isinstance(e, ev.FloorGiven)][-1]
    assert transcript.as_of is not None
    still = round((parse_time(transcript.as_of) - parse_time(given.at)).total_seconds())
    assert still >= 135
    # Each command of the fixture is 45 s after the previous one (see fixture.py).
    assert evening == {
        "Alice Martin": (2, 90),
        "<script>alert(1)</script>": (1, 90),
        "Bruno Lefèvre": (1, 90),
        "Chloé": (1, still),
    }
    first, second, unplayed = transcript.rounds
    assert [(s.name, s.turns, s.seconds) for s in first.speaking] == [
        ("<script>alert(1)</script>", 1, 90),
        ("Alice Martin", 2, 90),
    ]
    assert [s.name for s in second.speaking] == ["Bruno Lefèvre"]
    assert unplayed.speaking == []
    assert [s.name for s in transcript.lobby.speaking] == ["Chloé"]
    assert transcript.speaking_time[0].name == "Chloé"  # longest first


def test_no_export_shows_a_hands_topic(fixture_events: list[EventBase]) -> None:
    for fmt in FORMATS:
        for lang in ("fr", "en"):
            _, rendered = export_events(fixture_events, fmt, lang, PARIS)
            assert "jamais exporté".encode() not in rendered.content, (fmt, lang)


def test_speaking_time_reads_in_minutes_and_seconds() -> None:
    fr, en = Localizer("fr", PARIS), Localizer("en", PARIS)
    assert en.spoken(45) == "45 s"
    assert en.spoken(185) == "3 min 05 s"
    assert en.spoken(3725) == "1 h 02 min 05 s"
    assert fr.spoken(185) == "3\u00a0min\u00a005\u00a0s"


def test_the_json_schema_describes_speaking_time() -> None:
    schema = json_schema()
    assert "speaking_time" in schema["properties"]
    assert "ExportSpeaker" in json.dumps(schema)


def test_a_round_ending_closes_the_turn_in_that_round() -> None:
    d = CoreDebate()
    alice = d.join("Alice")
    d.mod("add_round", title="Un", theme="t", minutes=5)
    d.mod("start_round", round_id="r1")
    d.mod("give_floor", participant_id=alice.participant_id)
    for _ in range(59):
        d.run(alice, "post_message", text="…")
    d.mod("end_round")  # 60 s after the floor was given
    for _ in range(30):  # time passes after the round: not hers
        d.run(alice, "post_message", text="…")
    transcript = build_transcript(d.log)
    assert [(s.name, s.seconds) for s in transcript.rounds[0].speaking] == [("Alice", 60)]
    assert [(s.name, s.seconds) for s in transcript.speaking_time] == [("Alice", 60)]
