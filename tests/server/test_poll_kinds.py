"""Poll kinds (issue 12) over real websockets: live counts, word clouds, open answers."""

from __future__ import annotations

from server.app import DebateServer
from tests.conftest import join_participant
from tests.wire import WireClient


async def test_a_rating_poll_live_and_closed(server: DebateServer, url: str, moderator: WireClient) -> None:
    alice = await join_participant(server, url, "Alice")
    bob = await join_participant(server, url, "Bob")
    created = await moderator.command(
        "create_poll", question="Maturité ?", kind="rating", scale_max=4, scale_labels=["bas", "haut"]
    )
    assert created["created"] == "p1"
    await moderator.command("open_poll", poll_id="p1")
    opened = await bob.wait_event("poll_opened")
    assert (opened["kind"], opened["scale_max"], opened["scale_labels"]) == ("rating", 4, ["bas", "haut"])
    assert (await alice.command("cast_ballot", poll_id="p1", rating=3))["type"] == "ack"
    mine = await alice.wait_event("ballot_cast")
    assert mine["rating"] == 3
    wrong = await bob.command("cast_ballot", poll_id="p1", choices=[0])
    assert wrong["code"] == "kind_mismatch"
    off = await bob.command("cast_ballot", poll_id="p1", rating=5)
    assert off["code"] == "invalid_rating"
    counts = await bob.wait_for(lambda f: f["type"] == "poll_counts" and f["voters"] == 1)
    assert counts["counts"] == [0, 0, 1, 0]
    await moderator.command("close_poll", poll_id="p1")
    closed = await bob.wait_event("poll_closed")
    assert (closed["counts"], closed["voters"]) == ([0, 0, 1, 0], 1)
    for client in (alice, bob):
        await client.close()


async def test_words_reach_guests_as_counts_and_hidden_clouds_wait(
    server: DebateServer, url: str, moderator: WireClient
) -> None:
    alice = await join_participant(server, url, "Alice")
    bob = await join_participant(server, url, "Bob")
    await moderator.command("create_poll", question="Un mot ?", kind="words")
    await moderator.command("open_poll", poll_id="p1")
    await alice.command("cast_ballot", poll_id="p1", words=["Confiance", "coûts"])
    await bob.command("cast_ballot", poll_id="p1", words=["confiance !"])
    frame = await bob.wait_for(lambda f: f["type"] == "poll_counts" and f["voters"] == 2)
    assert frame["words"] == [{"word": "Confiance", "count": 2}, {"word": "coûts", "count": 1}]
    assert "Alice" not in str(frame) and "participant_id" not in frame
    # Alice's own words come back to her alone (the others never see a ballot).
    assert not [
        f for f in bob.frames if f["type"] == "ballot_cast" and f.get("words") == ["Confiance", "coûts"]
    ]
    await moderator.command("close_poll", poll_id="p1")

    await moderator.command("create_poll", question="Caché ?", kind="words", hide_results=True)
    await moderator.command("open_poll", poll_id="p2")
    await alice.command("cast_ballot", poll_id="p2", words=["secret"])
    hidden = await bob.wait_for(
        lambda f: f["type"] == "poll_counts" and f["poll_id"] == "p2" and f["voters"] == 1
    )
    assert "words" not in hidden and "counts" not in hidden
    seen = await moderator.wait_for(
        lambda f: f["type"] == "poll_counts" and f["poll_id"] == "p2" and f["voters"] == 1
    )
    assert seen["words"] == [{"word": "secret", "count": 1}]
    await moderator.command("close_poll", poll_id="p2")
    closed = await bob.wait_event("poll_closed", poll_id="p2")
    assert closed["words"] == [{"word": "secret", "count": 1}]
    for client in (alice, bob):
        await client.close()


async def test_open_answers_draw_on_the_questions_budget(
    server: DebateServer, url: str, moderator: WireClient
) -> None:
    """Free text for the moderators to review: limited like questions (3, then 1 per 5 s)."""
    alice = await join_participant(server, url, "Alice")
    await moderator.command("create_poll", question="Un frein ?", kind="open")
    await moderator.command("open_poll", poll_id="p1")
    replies = [await alice.command("cast_ballot", poll_id="p1", text=f"Réponse {n}") for n in range(4)]
    assert [r["type"] for r in replies] == ["ack", "ack", "ack", "error"]
    assert replies[3]["code"] == "rate_limited" and replies[3]["retry_after_ms"] > 0
    assert [r["created"] for r in replies[:3]] == ["o1", "o2", "o3"]
    # The moderators review them; nobody else heard of them.
    pending = await moderator.wait_event("answer_submitted", answer_id="o3")
    assert pending["text"] == "Réponse 2"
    assert not [f for f in alice.frames if f["type"].startswith("answer_")]
    assert (await moderator.command("approve_answer", poll_id="p1", answer_id="o2"))["type"] == "ack"
    shown = await alice.wait_event("answer_approved")
    assert (shown["answer_id"], shown["text"]) == ("o2", "Réponse 1")
    refused = await alice.command("reject_answer", poll_id="p1", answer_id="o2")
    assert refused["code"] == "forbidden"
    await alice.close()


async def test_bad_poll_kind_frames_get_a_clear_code_and_change_nothing(
    server: DebateServer, url: str, moderator: WireClient
) -> None:
    alice = await join_participant(server, url, "Alice")
    await moderator.command("create_poll", question="Un mot ?", kind="words")
    await moderator.command("open_poll", poll_id="p1")
    cases: list[tuple[WireClient, str, dict[str, object], str]] = [
        (moderator, "create_poll", {"question": "Q", "kind": "rating", "scale_max": 11}, "invalid_frame"),
        (
            moderator,
            "create_poll",
            {"question": "Q", "kind": "rating", "scale_labels": ["a"]},
            "invalid_frame",
        ),
        (moderator, "create_poll", {"question": "Q", "kind": "poll"}, "invalid_frame"),
        (
            moderator,
            "create_poll",
            {"question": "Q", "kind": "words", "options": ["a", "b"]},
            "kind_mismatch",
        ),
        (
            moderator,
            "create_poll",
            {"question": "Q", "kind": "rating", "scale_labels": ["a", "b" * 41]},
            "too_long",
        ),
        (alice, "cast_ballot", {"poll_id": "p1", "words": ["x" * 41]}, "too_long"),
        (alice, "cast_ballot", {"poll_id": "p1", "words": []}, "invalid_frame"),
        (alice, "cast_ballot", {"poll_id": "p1", "words": ["a", "b", "c", "d"]}, "too_long"),
        (alice, "cast_ballot", {"poll_id": "p1", "words": ["Café", "cafe !"]}, "invalid_words"),
        (alice, "cast_ballot", {"poll_id": "p1", "text": "Une réponse"}, "kind_mismatch"),
        (alice, "cast_ballot", {"poll_id": "p1", "rating": 0}, "invalid_frame"),
        (alice, "approve_answer", {"poll_id": "p1", "answer_id": "o1"}, "forbidden"),
        (moderator, "approve_answer", {"poll_id": "p1", "answer_id": "o1"}, "answer_not_found"),
        (moderator, "reject_answer", {"poll_id": "p9", "answer_id": "o1"}, "poll_not_found"),
    ]
    before = server.service.state.seq
    for client, type_, fields, code in cases:
        reply = await client.command(type_, **fields)
        assert (reply["type"], reply["code"]) == ("error", code), (type_, fields, reply)
        assert reply["message"]
    assert server.service.state.seq == before
    await alice.close()
