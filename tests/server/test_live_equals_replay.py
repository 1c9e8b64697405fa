"""The live fan-out and the replay send each connection the same events.

Both go through ``visibility.split``; this checks it end to end, over real
connections: what each client received live equals what a resume from its
welcome would have replayed, but for the one live-only frame by design (the
echo of an anonymous question to the connection that sent it, which no log
can link to its author) and the text of a message hidden since, which a replay
leaves out. And the view reducer, fed the welcome's snapshot and
the live frames, ends on the server's own snapshot for that connection.
"""

from __future__ import annotations

from typing import Any

from server.app import DebateServer
from shared import events as ev
from shared import protocol as p
from shared.view import View, apply_event, apply_poll_counts, from_snapshot
from tests.server.scenario import run_mini_debate
from tests.wire import WireClient


def live_events(client: WireClient) -> list[dict[str, Any]]:
    """Events after the welcome's seq (a join's own event, sent after its
    welcome, is already in the snapshot and ignored by the reducer)."""
    assert client.welcome is not None
    after = client.welcome["seq"]
    return [
        f
        for f in client.frames
        if f["type"] not in ("welcome", "ack", "error") and "seq" in f and f["seq"] > after
    ]


def is_origin_echo(frame: dict[str, Any], welcome: dict[str, Any]) -> bool:
    """An anonymous question still pending, heard by the connection that asked it."""
    return (
        welcome["role"] == "participant"
        and frame["type"] == "question_submitted"
        and frame["anonymous"]
        and not frame["approved"]
    )


async def test_each_connection_gets_live_what_a_replay_gives(server: DebateServer, url: str) -> None:
    d = await run_mini_debate(server, url)
    await d.moderator.command("post_message", text="Dernier mot")
    for client in d.clients:
        await client.wait_event("message_posted", text="Dernier mot")
        await client.drain(quiet=0.2)  # the coalesced poll counts and presence too
    echoes = 0
    for client in d.clients:
        welcome = client.welcome
        assert welcome is not None
        is_moderator = welcome["role"] == "moderator"
        replayed = server.service.replay(welcome["seq"], welcome["participant_id"], is_moderator)
        assert replayed is not None
        # A replay serves a message hidden since as hidden (no text); live, it was shown first.
        hidden = {m.message_id for m in server.service.state.messages.values() if m.hidden}
        live = [
            {**f, "text": ""} if f["type"] == "message_posted" and f["message_id"] in hidden else f
            for f in live_events(client)
        ]
        echoes += sum(is_origin_echo(frame, welcome) for frame in live)
        assert [f for f in live if not is_origin_echo(f, welcome)] == replayed, welcome["role"]
    assert echoes == 1  # Bob heard back about his anonymous question, live only

    for client in d.clients:
        welcome = client.welcome
        assert welcome is not None and welcome["snapshot"] is not None
        is_moderator = welcome["role"] == "moderator"
        view: View = from_snapshot(
            ev.Snapshot.model_validate(welcome["snapshot"]),
            welcome["seq"],
            welcome["participant_id"],
            is_moderator,
        )
        for raw in client.raw:
            frame = p.parse_server_frame(raw)
            if isinstance(frame, p.PollCounts):
                apply_poll_counts(view, frame)
            elif isinstance(frame, ev.EventBase):
                apply_event(view, frame)
        expected = server.service.snapshot(welcome["participant_id"], is_moderator)
        assert view.snapshot() == expected, welcome["role"]
    await d.close()
