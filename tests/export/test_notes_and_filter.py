"""Exports: the moderators' notes only when asked (--include-notes); a message
the word filter held is in the record only once a moderator released it."""

from __future__ import annotations

import io
import json
import zipfile
from pathlib import Path

import pytest

from convive.cli import main
from server.debate import DebateService
from server.export import FORMATS, export_events
from tests.export.fixture import Driver, fixed_clock

NOTE = "Deux questions encore, puis le sondage <b>vite</b>"
HELD = "Quelle m.e.r.d.e, ce POC retenu"
RELEASED = "Merde alors, relâché"


def _debate(path: Path) -> DebateService:
    service = DebateService.open(path, title="Filtre et notes", clock=fixed_clock())
    service.set_word_filter(["blockchain"], True, "hold")
    d = Driver(service)
    d.join("Modératrice", "moderator")
    d.join("Alice")
    d.do("Modératrice", "add_round", title="Ouverture", theme="Thème", minutes=10)
    d.do("Modératrice", "start_round", round_id="r1")
    d.do("Alice", "post_message", text=HELD)
    d.do("Alice", "post_message", text=RELEASED)
    d.do("Alice", "post_message", text="Bonsoir")
    d.do("Modératrice", "release_message", message_id="m2")
    d.do("Modératrice", "post_note", text=NOTE)
    return service


def _text(fmt: str, content: bytes) -> str:
    if fmt == "csv":
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            return "\n".join(archive.read(name).decode("utf-8-sig") for name in archive.namelist())
    return content.decode()


@pytest.mark.parametrize("fmt", FORMATS)
def test_notes_are_left_out_unless_asked_and_held_messages_until_released(tmp_path: Path, fmt: str) -> None:
    service = _debate(tmp_path / "d.db")
    events = list(service.store.events())
    _, rendered = export_events(events, fmt, "fr")  # type: ignore[arg-type]
    default = _text(fmt, rendered.content)
    assert "Deux questions encore" not in default and "m.e.r.d.e" not in default
    assert "relâché" in default and "Bonsoir" in default
    _, rendered = export_events(events, fmt, "en", include_notes=True)  # type: ignore[arg-type]
    asked = _text(fmt, rendered.content)
    assert "Deux questions encore" in asked and "m.e.r.d.e" not in asked
    assert "<b>vite</b>" not in asked or fmt in ("json", "csv")  # escaped in md and html
    if fmt == "json":
        assert json.loads(rendered.content)["notes"][0]["author_name"] == "Modératrice"
    if fmt == "csv":
        with zipfile.ZipFile(io.BytesIO(rendered.content)) as archive:
            assert "notes.csv" in archive.namelist()
    service.close()


def test_the_cli_includes_notes_only_when_asked(
    tmp_path: Path, capsysbinary: pytest.CaptureFixture[bytes]
) -> None:
    path = tmp_path / "d.db"
    _debate(path).close()
    assert main(["export", "--db", str(path), "--format", "md", "--lang", "en"]) == 0
    assert b"Deux questions encore" not in capsysbinary.readouterr().out
    assert main(["export", "--db", str(path), "--format", "md", "--lang", "en", "--include-notes"]) == 0
    out = capsysbinary.readouterr().out.decode()
    assert "## Notes between moderators" in out and "Deux questions encore" in out
