"""A whole mini-debate where every client sees exactly what its role should."""

from __future__ import annotations

from typing import Any

from server.app import DebateServer
from tests.server.scenario import run_mini_debate
from tests.wire import WireClient


def types(client: WireClient) -> list[str]:
    return [e["type"] for e in client.events()]


def by_type(client: WireClient, type_: str) -> list[dict[str, Any]]:
    return [e for e in client.events() if e["type"] == type_]


async def test_every_role_sees_what_it_should(server: DebateServer, url: str) -> None:
    d = await run_mini_debate(server, url)
    try:
        everyone = [d.moderator, d.alice, d.bob, d.carol, d.screen]
        for client in everyone:
            seen = types(client)
            # Public facts reach everyone, in log order.
            for expected in (
                "round_added",
                "round_started",
                "message_posted",
                "message_hidden",
                "question_approved",
                "question_pinned",
                "question_answered",
                "upvote_added",
                "upvote_withdrawn",
                "poll_opened",
                "poll_closed",
            ):
                assert expected in seen, (client.welcome, expected)
            seqs = [e["seq"] for e in client.events()]
            assert seqs == sorted(seqs) and len(seqs) == len(set(seqs))
            closed = by_type(client, "poll_closed")[0]
            assert closed["counts"] == [1, 2, 0] and closed["voters"] == 3
            assert all(
                "participant_id" not in e
                for e in by_type(client, "upvote_added")
                if client is not d.carol and client is not d.alice and client is not d.bob
            )

        # Moderators only: joins, drafts, pending questions.
        assert by_type(d.moderator, "participant_joined")
        assert by_type(d.moderator, "poll_created")
        assert {e["question_id"] for e in by_type(d.moderator, "question_submitted")} == {"q1", "q2"}
        for client in (d.alice, d.bob, d.carol, d.screen):
            assert not by_type(client, "participant_joined")
            assert not by_type(client, "poll_created")

        # A pending question reaches its named author, and the anonymous author's
        # connection live, but no other guest.
        assert [e["question_id"] for e in by_type(d.alice, "question_submitted")] == ["q1"]
        assert [e["question_id"] for e in by_type(d.bob, "question_submitted")] == ["q2"]
        assert not by_type(d.carol, "question_submitted")
        assert not by_type(d.screen, "question_submitted")

        # Ballots never leave the server, except each voter's own.
        for client in (d.moderator, d.screen):
            assert not by_type(client, "ballot_cast")
        assert [e["choices"] for e in by_type(d.carol, "ballot_cast")] == [[2], [0]]
        assert all(
            e["participant_id"] == d.carol.welcome["participant_id"]  # type: ignore[index]
            for e in by_type(d.carol, "ballot_cast")
        )

        # Upvotes: the voter learns it was theirs; others only see the count.
        carol_upvote = by_type(d.carol, "upvote_added")[0]
        assert carol_upvote["participant_id"] == d.carol.welcome["participant_id"]  # type: ignore[index]
        assert "participant_id" not in by_type(d.screen, "upvote_added")[0]

        # Live counts arrived coalesced, and presence counts guests only.
        assert any(f["type"] == "poll_counts" for f in d.screen.frames)
        presence = [f for f in d.screen.frames if f["type"] == "presence"]
        assert presence and "connected" not in presence[-1]
        assert len(d.moderator.presence()[1]) == 4
    finally:
        await d.close()


async def test_a_new_connection_gets_the_visible_state(server: DebateServer, url: str) -> None:
    d = await run_mini_debate(server, url)
    try:
        late = await WireClient.join(url, role="screen", join_code=server.service.join_code)
        snapshot = late.welcome["snapshot"]  # type: ignore[index]
        assert [m["text"] for m in snapshot["messages"]] == ["Bonsoir à tous"]
        questions = {q["question_id"]: q for q in snapshot["questions"]}
        assert set(questions) == {"q1", "q2"}
        # Pinned in round 1, it left the floor when round 2 started (issue 9).
        assert not questions["q2"]["pinned"] and questions["q2"]["votes"] == 1
        assert questions["q1"]["answered"] and questions["q1"]["author_name"] == "Alice"
        assert questions["q2"]["author_name"] is None
        assert [r["status"] for r in snapshot["rounds"]] == ["ended", "live"]
        assert snapshot["polls"][0]["counts"] == [1, 2, 0]
        await late.close()
    finally:
        await d.close()
