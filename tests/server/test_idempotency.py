"""Issue 6, item 3: the same command id, sent 3 times across two reconnects,
applies once and gets the same ack each time."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from server.app import DebateServer
from server.core import Actor
from server.debate import DebateService
from shared import protocol as p
from tests.conftest import BOTH_STORES, join_participant
from tests.wire import WireClient


async def _reconnect(url: str, client: WireClient) -> WireClient:
    """Drop the connection (without a close handshake) and resume."""
    assert client.welcome is not None
    assert client.ws.transport is not None
    client.ws.transport.abort()
    resumed = await WireClient.join(
        url,
        role="participant",
        resume_token=client.welcome["resume_token"],
        epoch=client.welcome["epoch"],
        last_seq=client.welcome["seq"],
    )
    assert resumed.welcome is not None
    assert resumed.welcome["participant_id"] == client.welcome["participant_id"]
    return resumed


@BOTH_STORES
@pytest.mark.parametrize("kind", ["post", "question", "anonymous_question", "upvote", "ballot"])
async def test_same_command_id_three_times_across_two_reconnects(
    server: DebateServer, url: str, moderator: WireClient, kind: str
) -> None:
    assert (await moderator.command("set_moderation", enabled=False))["type"] == "ack"
    poll = await moderator.command("create_poll", question="Cloud?", options=["Oui", "Non"])
    assert (await moderator.command("open_poll", poll_id=poll["created"]))["type"] == "ack"
    author = await join_participant(server, url, "Author")
    asked = await author.command("submit_question", text="Souveraineté ?")
    question_id = asked["created"]

    commands: dict[str, tuple[str, dict[str, Any]]] = {
        "post": ("post_message", {"text": "Bonsoir"}),
        "question": ("submit_question", {"text": "Et le coût ?"}),
        "anonymous_question": ("submit_question", {"text": "Et le coût ?", "anonymous": True}),
        "upvote": ("upvote_question", {"question_id": question_id}),
        "ballot": ("cast_ballot", {"poll_id": poll["created"], "choices": [1]}),
    }
    type_, fields = commands[kind]
    client = await join_participant(server, url, "Guest")
    seq_before = server.service.state.seq

    replies = [await client.command(type_, id="same-id-1", **fields)]
    for _ in range(2):
        client = await _reconnect(url, client)
        replies.append(await client.command(type_, id="same-id-1", **fields))

    assert replies[0]["type"] == "ack"
    assert replies[0] == replies[1] == replies[2]
    state = server.service.state
    assert state.seq == seq_before + 1, "applied exactly once"
    events = list(server.service.store.events(seq_before))
    assert [e.seq for e in events] == [seq_before + 1]
    guest = client.welcome["participant_id"] if client.welcome else None
    if kind == "post":
        assert sum(m.author_id == guest for m in state.messages.values()) == 1
    elif kind in ("question", "anonymous_question"):
        assert sum(q.text == "Et le coût ?" for q in state.questions.values()) == 1
    elif kind == "upvote":
        assert state.questions[question_id].voters == {guest}
    else:
        assert state.polls[poll["created"]].counts() == [0, 1]
    await client.close()
    await author.close()


@BOTH_STORES
async def test_a_failed_command_is_answered_the_same_on_retry(server: DebateServer, url: str) -> None:
    client = await join_participant(server, url, "Guest")
    first = await client.command("upvote_question", id="x1", question_id="q404")
    client = await _reconnect(url, client)
    second = await client.command("upvote_question", id="x1", question_id="q404")
    assert first["type"] == "error" and first == second
    await client.close()


def test_an_anonymous_questions_retry_survives_a_flood_of_others(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Its reply lives in memory only (no log record links it to its author):
    others' commands must not push it out, only the author's own."""
    from server import debate as debate_module

    monkeypatch.setattr(debate_module, "_REPLIES_PER_ACTOR", 5)
    service = DebateService.open(tmp_path / "d.db")
    try:
        service.execute(p.SetModeration(type="set_moderation", id="m", enabled=False), _moderator(service))
        author = _guest(service, "Author")
        first = service.execute(
            p.SubmitQuestion(type="submit_question", id="anon-1", text="Qui décide ?", anonymous=True), author
        )
        for number in range(3):
            other = _guest(service, f"Other {number}")
            for count in range(10):
                service.execute(p.PostMessage(type="post_message", id=f"x{count}", text="flood"), other)
        again = service.execute(
            p.SubmitQuestion(type="submit_question", id="anon-1", text="Qui décide ?", anonymous=True), author
        )
        assert again.reply == first.reply and not again.events
        assert len(service.state.questions) == 1
    finally:
        service.close()


def _guest(service: DebateService, name: str) -> Actor:
    participant, _, _ = service.join(name, "participant")
    return Actor(participant.participant_id, "participant", name)


def _moderator(service: DebateService) -> Actor:
    participant, _, _ = service.join("Mod", "moderator")
    return Actor(participant.participant_id, "moderator", "Mod")
