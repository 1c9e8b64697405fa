"""The moderator's undo over real websockets (issue 9, section 2)."""

from __future__ import annotations

from server.app import DebateServer
from tests.conftest import join_participant
from tests.wire import WireClient


async def test_a_hidden_message_is_kept_marked_for_its_author_then_comes_back(
    server: DebateServer, url: str, moderator: WireClient
) -> None:
    alice = await join_participant(server, url, "Alice")
    bob = await join_participant(server, url, "Bob")
    try:
        assert (await alice.command("post_message", text="Un avis tranché"))["created"] == "m1"
        assert (await moderator.command("hide_message", message_id="m1"))["type"] == "ack"
        for client in (alice, bob, moderator):
            await client.wait_event("message_hidden", message_id="m1")

        # A fresh connection: the author's snapshot keeps it, marked; another guest's does not.
        token = alice.welcome["resume_token"]  # type: ignore[index]
        again = await WireClient.join(url, role="participant", resume_token=token)
        [mine] = again.welcome["snapshot"]["messages"]  # type: ignore[index]
        assert mine["hidden"] and mine["text"] == "Un avis tranché"
        late = await join_participant(server, url, "Carol")
        assert late.welcome["snapshot"]["messages"] == []  # type: ignore[index]

        refused = await moderator.command("unhide_message", message_id="m9")
        assert refused["code"] == "message_not_found"
        refused = await bob.command("unhide_message", message_id="m1")
        assert refused["code"] == "forbidden"
        assert (await moderator.command("unhide_message", message_id="m1"))["type"] == "ack"
        for client in (bob, late, again):
            back = await client.wait_event("message_unhidden", message_id="m1")
            assert back["text"] == "Un avis tranché" and back["author_name"] == "Alice"
        assert (await moderator.command("unhide_message", message_id="m1"))["code"] == "not_hidden"
        await again.close()
        await late.close()
    finally:
        await alice.close()
        await bob.close()


async def test_a_rejection_is_told_to_its_author_only_and_a_restore_brings_it_back(
    server: DebateServer, url: str, moderator: WireClient
) -> None:
    alice = await join_participant(server, url, "Alice")
    bob = await join_participant(server, url, "Bob")
    try:
        assert (await alice.command("submit_question", text="Nommée ?"))["created"] == "q1"
        anonymous = await bob.command("submit_question", text="Anonyme ?", anonymous=True)
        assert anonymous["created"] == "q2"
        await moderator.wait_event("question_submitted", question_id="q2")
        assert (await moderator.command("reject_question", question_id="q1"))["type"] == "ack"
        assert (await moderator.command("reject_question", question_id="q2"))["type"] == "ack"
        await alice.wait_event("question_rejected", question_id="q1")
        # Bob's anonymous question: he gets the bare id, like everyone; nobody learns it was his.
        rejected = await bob.wait_event("question_rejected", question_id="q2")
        assert set(rejected) == {"type", "seq", "at", "question_id"}
        await alice.wait_event("question_rejected", question_id="q2")
        await moderator.wait_event("question_rejected", question_id="q2")
        assert not [f for f in await bob.drain(0.2) if f.get("question_id") == "q1"]

        # The moderators' snapshot keeps rejected questions, to restore them.
        again = await WireClient.join(url, role="moderator", moderator_key=server.service.moderator_key)
        statuses = {q["question_id"]: q["status"] for q in again.welcome["snapshot"]["questions"]}  # type: ignore[index]
        assert statuses == {"q1": "rejected", "q2": "rejected"}
        await again.close()

        assert (await moderator.command("restore_question", question_id="q1"))["type"] == "ack"
        back = await alice.wait_event("question_restored", question_id="q1")
        assert back["text"] == "Nommée ?" and back["author_name"] == "Alice"
        assert (await moderator.command("restore_question", question_id="q2"))["type"] == "ack"
        await moderator.wait_event("question_restored", question_id="q2")
        assert not [f for f in await bob.drain(0.2) if f["type"] == "question_restored"]
        refused = await moderator.command("restore_question", question_id="q1")
        assert refused["code"] == "question_not_rejected"
        assert (await alice.command("restore_question", question_id="q1"))["code"] == "forbidden"
    finally:
        await alice.close()
        await bob.close()


async def test_an_ended_round_resumes_where_it_stopped(
    server: DebateServer, url: str, moderator: WireClient
) -> None:
    for title in ("Un", "Deux"):
        await moderator.command("add_round", title=title, theme="t", minutes=20)
    await moderator.command("start_round", round_id="r1")
    await moderator.command("start_round", round_id="r2")
    assert (await moderator.command("reopen_round", round_id="r1"))["type"] == "ack"
    reopened = await moderator.wait_event("round_reopened", round_id="r1")
    assert reopened["spent_seconds"] >= 0
    screen = await WireClient.join(url, role="screen", join_code=server.service.join_code)
    rounds = {r["round_id"]: r for r in screen.welcome["snapshot"]["rounds"]}  # type: ignore[index]
    assert rounds["r1"]["status"] == "live" and rounds["r1"]["resumed_at"] == reopened["at"]
    assert rounds["r1"]["ended_at"] is None and rounds["r2"]["status"] == "ended"
    assert (await moderator.command("reopen_round", round_id="r1"))["code"] == "round_not_ended"
    await screen.close()
