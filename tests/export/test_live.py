"""The moderator's ``export_transcript`` over the websocket equals ``convive export``."""

from __future__ import annotations

import base64
from pathlib import Path

import pytest

from convive.cli import main
from server import export
from server.app import DebateServer
from server.export import live, model
from server.export.reader import ExportError
from shared import protocol as p
from tests.conftest import join_participant
from tests.wire import WireClient


async def _activity(server: DebateServer, url: str, moderator: WireClient) -> None:
    alice = await join_participant(server, url, "Alice")
    bob = await join_participant(server, url, "Bob")
    round_id = (await moderator.command("add_round", title="R1", theme="T", minutes=5))["created"]
    await moderator.command("start_round", round_id=round_id)
    await alice.command("post_message", text="<script>x</script> # hi")
    question = await bob.command("submit_question", text="Anonyme ?", anonymous=True)
    await moderator.command("approve_question", question_id=question["created"])
    poll = await moderator.command("create_poll", question="Q?", options=["a", "b"])
    await moderator.command("open_poll", poll_id=poll["created"])
    await alice.command("cast_ballot", poll_id=poll["created"], choices=[1])
    for client in (alice, bob):
        await client.close()


@pytest.mark.parametrize("fmt", ["md", "html", "json", "csv"])
async def test_moderator_export_equals_cli_export(
    server: DebateServer,
    url: str,
    moderator: WireClient,
    db_path: Path,
    tmp_path: Path,
    fmt: str,
) -> None:
    await _activity(server, url, moderator)
    lang = "en" if fmt == "html" else "fr"
    await moderator.send({"type": "export_transcript", "id": "x1", "format": fmt, "lang": lang})
    frame = await moderator.wait_for(lambda f: f.get("id") == "x1", timeout=10)
    assert frame["type"] == "transcript", frame
    assert frame["seq"] == server.service.state.seq  # a running debate, at the current seq
    assert frame["format"] == fmt
    out = tmp_path / frame["filename"]
    assert main(["export", "--db", str(db_path), "--format", fmt, "--lang", lang, "--out", str(out)]) == 0
    if fmt == "csv":
        assert frame["encoding"] == "base64"
        assert base64.b64decode(frame["content"]) == out.read_bytes()
    else:
        assert frame["encoding"] == "utf-8"
        assert frame["content"].encode() == out.read_bytes()
    assert "Bob" not in (frame["content"] if fmt != "csv" else "")


async def test_participants_and_screens_may_not_export(server: DebateServer, url: str) -> None:
    alice = await join_participant(server, url, "Alice")
    reply = await alice.command("export_transcript", format="md")
    assert (reply["type"], reply["code"]) == ("error", "forbidden")
    screen = await WireClient.join(url, role="screen", join_code=server.service.join_code)
    await screen.send({"type": "export_transcript", "id": "s1"})
    reply = await screen.wait_for(lambda f: f.get("id") == "s1")
    assert (reply["type"], reply["code"]) == ("error", "forbidden")
    assert not [f for f in alice.frames + screen.frames if f["type"] == "transcript"]
    for client in (alice, screen):
        await client.close()


async def test_export_keeps_the_connection_live(
    server: DebateServer, url: str, moderator: WireClient
) -> None:
    """Several exports in a row all get answered, and commands still work meanwhile."""
    for number in range(3):
        await moderator.send({"type": "export_transcript", "id": f"e{number}", "format": "json"})
    ack = await moderator.command("add_round", title="R", theme="T", minutes=5)
    assert ack["type"] == "ack"
    for number in range(3):
        frame = await moderator.wait_for(lambda f, n=number: f.get("id") == f"e{n}", timeout=10)
        assert frame["type"] == "transcript"


@pytest.mark.parametrize(
    ("failure", "code"),
    [
        (ExportError("damaged", path="debate.db", seq=7), "export_failed"),
        (RuntimeError("bug"), "internal_error"),
    ],
)
async def test_a_failed_export_is_an_error_frame(
    server: DebateServer,
    moderator: WireClient,
    monkeypatch: pytest.MonkeyPatch,
    failure: Exception,
    code: str,
) -> None:
    def fail(*_args: object) -> None:
        raise failure

    monkeypatch.setattr(live, "read_log", fail)
    await moderator.send({"type": "export_transcript", "id": "f1", "format": "md"})
    frame = await moderator.wait_for(lambda f: f.get("id") == "f1")
    assert (frame["type"], frame["code"]) == ("error", code)
    # The connection goes on.
    assert (await moderator.command("add_round", title="R", theme="T", minutes=5))["type"] == "ack"


def test_the_reply_frame_and_the_export_document_have_distinct_names() -> None:
    # ``Transcript`` is the export document only; the reply frame is ``TranscriptFrame``.
    assert not hasattr(p, "Transcript")
    frame = p.parse_server_frame(
        '{"type": "transcript", "id": "x", "seq": 1, "format": "md", "filename": "a.md", "content": "#"}'
    )
    assert isinstance(frame, p.TranscriptFrame)
    assert "Transcript" in export.__all__ and export.Transcript is model.Transcript


@pytest.mark.parametrize("chatham", [False, True])
async def test_moderator_report_equals_cli_report(
    server: DebateServer, url: str, moderator: WireClient, db_path: Path, tmp_path: Path, chatham: bool
) -> None:
    """Issue 13: the organiser's report (and under the Chatham House rule) from the screen."""
    await _activity(server, url, moderator)
    command = {"type": "export_transcript", "id": "r1", "format": "html", "lang": "fr", "report": True}
    await moderator.send({**command, "chatham_house": chatham})
    frame = await moderator.wait_for(lambda f: f.get("id") == "r1", timeout=10)
    assert frame["type"] == "transcript", frame
    assert frame["filename"].endswith("-rapport-chatham-house.html" if chatham else "-rapport.html")
    out = tmp_path / frame["filename"]
    flags = ["--report", *(["--chatham-house"] if chatham else [])]
    assert (
        main(["export", "--db", str(db_path), "--format", "html", "--lang", "fr", *flags, "--out", str(out)])
        == 0
    )
    assert frame["content"].encode() == out.read_bytes()
    # Bob's anonymous question is the top one: "Anonyme" without the rule, no author under it.
    assert ('<span class="author"><bdi>Anonyme</bdi></span>' in frame["content"]) is not chatham
    assert "Alice" not in frame["content"] and "Bob" not in frame["content"]


async def test_a_report_is_md_or_html(moderator: WireClient) -> None:
    await moderator.send({"type": "export_transcript", "id": "r2", "format": "csv", "report": True})
    frame = await moderator.wait_for(lambda f: f.get("id") == "r2")
    assert frame["type"] == "error"
    assert "md or html" in frame["message"]
    assert not [f for f in moderator.frames if f["type"] == "transcript"]
