"""Merged questions and written answers over real websockets (issue 12)."""

from __future__ import annotations

from server.app import DebateServer
from tests.conftest import join_participant
from tests.stores import sqlite_store
from tests.wire import WireClient


async def _resume(url: str, client: WireClient) -> WireClient:
    assert client.welcome is not None
    return await WireClient.join(
        url,
        role="participant",
        resume_token=client.welcome["resume_token"],
        epoch=client.welcome["epoch"],
        last_seq=client.welcome["seq"],
    )


async def test_the_authors_of_merged_questions_are_told_privately_anonymous_ones_included(
    server: DebateServer, url: str, moderator: WireClient
) -> None:
    alice = await join_participant(server, url, "Alice")
    bob = await join_participant(server, url, "Bob")
    carol = await join_participant(server, url, "Carol")
    clients = [alice, bob, carol, moderator]
    try:
        assert (await moderator.command("set_moderation", enabled=False))["type"] == "ack"
        assert (await bob.command("submit_question", text="Quel budget ?"))["created"] == "q1"
        assert (await alice.command("submit_question", text="Le budget ?"))["created"] == "q2"
        asked = await alice.command("submit_question", text="Combien ?", anonymous=True)
        assert asked["created"] == "q3"
        assert (await carol.command("upvote_question", question_id="q1"))["type"] == "ack"
        assert (await carol.command("upvote_question", question_id="q3"))["type"] == "ack"
        assert (await bob.command("upvote_question", question_id="q3"))["type"] == "ack"

        refused = await alice.command("merge_questions", keep_id="q1", merged_ids=["q2"])
        assert refused["code"] == "forbidden"
        refused = await moderator.command("merge_questions", keep_id="q1", merged_ids=["q1"])
        assert refused["code"] == "merge_into_itself"
        refused = await moderator.command("merge_questions", keep_id="q1", merged_ids=["q2", "q2"])
        assert refused["code"] == "invalid_frame"
        merged = await moderator.command("merge_questions", keep_id="q1", merged_ids=["q2", "q3"])
        assert merged["type"] == "ack", merged
        for client in clients:
            event = await client.wait_event("questions_merged", keep_id="q1")
            assert event["votes"] == 2  # carol once, bob once (his own question's voter set aside)
        # Alice wrote both: she alone is told, for the named one by id, for the
        # anonymous one through her key; nobody else gets a notice.
        for question_id in ("q2", "q3"):
            await alice.wait_event("merge_notified", question_id=question_id, keep_id="q1")
        for client in (bob, carol, moderator):
            await client.drain(quiet=0.2)
            assert not [f for f in client.frames if f["type"] == "merge_notified"]
        assert (await carol.command("upvote_question", question_id="q1"))["code"] == "already_upvoted"
        assert (await carol.command("upvote_question", question_id="q3"))["code"] == "question_merged"

        # On resume too: a new connection of Alice's replays both notices (her key finds
        # the anonymous one), one of Bob's neither.
        assert alice.welcome is not None
        alice_again = await _resume(url, alice)
        bob_again = await _resume(url, bob)
        assert alice_again.welcome is not None and bob_again.welcome is not None
        replayed = [e for e in alice_again.welcome["events"] if e["type"] == "merge_notified"]
        assert {e["question_id"] for e in replayed} == {"q2", "q3"}
        assert not [e for e in bob_again.welcome["events"] if e["type"] == "merge_notified"]
        # The log keeps the anonymous notice's audience as the question's id only.
        rows = (
            sqlite_store(server.service.store)
            ._db.execute("SELECT scope, recipient FROM events WHERE type = 'merge_notified' ORDER BY seq")
            .fetchall()
        )
        assert rows == [("none", alice.welcome["participant_id"]), ("anonymous_author", "q3")]

        unmerged = await moderator.command("unmerge_question", question_id="q3")
        assert unmerged["type"] == "ack"
        event = await carol.wait_event("question_unmerged", question_id="q3")
        assert (event["votes"], event["keep_votes"]) == (2, 1)
        assert (await moderator.command("unmerge_question", question_id="q3"))["code"] == "not_merged"
        await alice_again.close()
        await bob_again.close()
    finally:
        for client in (alice, bob, carol):
            await client.close()


async def test_a_written_answer_reaches_everyone_and_a_second_replaces_it(
    server: DebateServer, url: str, moderator: WireClient
) -> None:
    alice = await join_participant(server, url, "Alice")
    try:
        assert (await moderator.command("set_moderation", enabled=False))["type"] == "ack"
        assert (await alice.command("submit_question", text="Quel budget ?"))["created"] == "q1"
        refused = await alice.command("answer_question", question_id="q1", text="Moi")
        assert refused["code"] == "forbidden"
        refused = await moderator.command("answer_question", question_id="q1", text="x" * 2001)
        assert refused["code"] == "too_long"
        for text in ("Environ 2 %.", "Plutôt 3 %."):
            assert (await moderator.command("answer_question", question_id="q1", text=text))["type"] == "ack"
            assert (await alice.wait_event("answer_written", question_id="q1"))["text"] == text
        late = await join_participant(server, url, "Late")
        assert late.welcome is not None
        [question] = late.welcome["snapshot"]["questions"]
        assert question["answer"] == "Plutôt 3 %." and not question["answered"]
        await late.close()
    finally:
        await alice.close()
