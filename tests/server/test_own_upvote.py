"""Issue 9 §6: a guest cannot upvote their own question, anonymous ones included, and
the log still links an anonymous question to no one."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

from server.app import DebateServer
from tests.conftest import join_participant
from tests.wire import WireClient


async def test_no_upvote_for_ones_own_questions(
    server: DebateServer, url: str, db_path: Path, moderator: WireClient
) -> None:
    alice = await join_participant(server, url, "Alice")
    bob = await join_participant(server, url, "Bob")
    named = (await alice.command("submit_question", text="Signée ?"))["created"]
    anonymous_ack = await alice.command("submit_question", text="Anonyme ?", anonymous=True)
    anonymous = anonymous_ack["created"]
    for question_id in (named, anonymous):
        await moderator.command("approve_question", question_id=question_id)
    seq = server.service.state.seq

    for question_id in (named, anonymous):
        refused = await alice.command("upvote_question", question_id=question_id)
        assert refused["type"] == "error" and refused["code"] == "own_question", refused
    assert server.service.state.seq == seq  # refused: nothing changed

    # A new connection with the same identity (resume token) is still the author.
    assert alice.welcome is not None
    token = alice.welcome["resume_token"]
    await alice.close()
    again = await WireClient.join(url, role="participant", resume_token=token)
    refused = await again.command("upvote_question", question_id=anonymous)
    assert refused["type"] == "error" and refused["code"] == "own_question"
    # Its secret still withdraws it (the ack's secret is the one the server remakes).
    assert (await bob.command("upvote_question", question_id=anonymous))["type"] == "ack"
    assert (await again.command("withdraw_question", question_id=anonymous, secret=anonymous_ack["secret"]))[
        "type"
    ] == "ack"
    await again.close()
    await bob.close()

    # In the log, the anonymous question carries neither Alice's id nor her name.
    alice_id = again.welcome["participant_id"]  # type: ignore[index]
    with sqlite3.connect(db_path) as db:
        rows = [json.loads(payload) for (payload,) in db.execute("SELECT payload FROM events")]
    submitted = next(r for r in rows if r["type"] == "question_submitted" and r["question_id"] == anonymous)
    assert alice_id not in json.dumps(submitted) and "Alice" not in json.dumps(submitted)
    assert token not in json.dumps(rows)
