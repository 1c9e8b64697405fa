"""The anonymous author's identity is linked to their question nowhere.

The author also joined by name (moderators see who is connected), so the
promise is about the question: no frame and no row that carries it names or
identifies its author, and the server log names nobody at all.
"""

from __future__ import annotations

import logging
from pathlib import Path

import pytest

from server.app import DebateServer
from tests.server.scenario import ANONYMOUS_AUTHOR, run_mini_debate
from tests.stores import sqlite_store


async def test_no_frame_and_no_row_reveals_the_anonymous_author(
    server: DebateServer, url: str, db_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    d = await run_mini_debate(server, url)
    bob_id = d.bob.welcome["participant_id"]  # type: ignore[index]
    try:
        # The anonymous question itself reached everyone, without its author.
        for client in d.clients:
            approved = [
                e for e in client.events() if e["type"] == "question_approved" and e["question_id"] == "q2"
            ]
            assert approved and approved[0]["author_id"] is None and approved[0]["author_name"] is None
        # Frames: the anonymous question's frames never name Bob. (Bob's other,
        # named actions, such as joining, are not anonymous.)
        for client in d.clients:
            for raw in client.raw:
                if '"q2"' in raw:
                    assert bob_id not in raw and ANONYMOUS_AUTHOR not in raw, raw
        # The database: no row about q2 mentions Bob, in any table.
        store = sqlite_store(server.service.store)
        rows = store._db.execute("SELECT payload FROM events WHERE payload LIKE '%\"q2\"%'").fetchall()
        assert rows
        for (payload,) in rows:
            assert bob_id not in payload and ANONYMOUS_AUTHOR not in payload
        commands = store._db.execute("SELECT actor, command_id, created FROM commands").fetchall()
        assert not [row for row in commands if row[2] == "q2"]
        assert not [row for row in commands if row[0] == bob_id and row[2] and row[2].startswith("q")]
        # The log names no participant and holds no secret.
        logged = "\n".join(
            record.getMessage() for record in caplog.records if record.name.startswith("server")
        )
        assert "connection #" in logged
        for client in d.clients:
            welcome = client.welcome or {}
            for secret in (welcome.get("participant_id"), welcome.get("resume_token"), welcome.get("name")):
                if secret:
                    assert secret not in logged
        assert server.service.moderator_key not in logged
    finally:
        await d.close()


async def test_anonymous_author_is_unlinkable_even_by_a_moderator(server: DebateServer, url: str) -> None:
    d = await run_mini_debate(server, url)
    try:
        submitted = [
            e for e in d.moderator.events() if e["type"] == "question_submitted" and e["question_id"] == "q2"
        ]
        assert submitted[0]["author_id"] is None and submitted[0]["author_name"] is None
        assert submitted[0]["anonymous"] is True
    finally:
        await d.close()
