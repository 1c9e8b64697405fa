"""A log written before events carried the author's role still replays with
the real roles: in the snapshot and in a resume from far back (issue 14, item 4)."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

from server.app import DebateServer, ServerSettings
from server.debate import DebateService
from tests.wire import WireClient


def _drop_roles(db_path: Path) -> int:
    """Rewrite the log as an older server wrote it: no ``author_role`` anywhere."""
    with sqlite3.connect(db_path) as db:
        rows = db.execute("SELECT seq, payload FROM events").fetchall()
        dropped = 0
        for seq, payload in rows:
            event = json.loads(payload)
            if event.pop("author_role", None) is not None:
                dropped += 1
                db.execute("UPDATE events SET payload = ? WHERE seq = ?", (json.dumps(event), seq))
    return dropped


async def test_an_older_log_replays_with_the_authors_roles(db_path: Path) -> None:
    service = DebateService.open(db_path, title="Ancien journal")
    server = DebateServer(service, ServerSettings(coalesce_seconds=0.05))
    await server.start("127.0.0.1", 0)
    url = f"ws://127.0.0.1:{server.port}/"
    key = service.moderator_key
    moderator = await WireClient.join(url, role="moderator", moderator_key=key, name="Claire")
    guest = await WireClient.join(url, role="participant", join_code=service.join_code, name="Cl\u0430ire")
    await moderator.command("set_moderation", enabled=False)
    await moderator.command("post_message", text="Bonsoir")
    await guest.command("post_message", text="Bonsoir aussi")
    await moderator.command("submit_question", text="Par la modération", anonymous=False)
    token = guest.welcome["resume_token"] if guest.welcome else None
    await moderator.close()
    await guest.close()
    await server.stop()
    service.close()
    assert _drop_roles(db_path) >= 3

    service = DebateService.open(db_path)
    server = DebateServer(service, ServerSettings(coalesce_seconds=0.05))
    await server.start("127.0.0.1", 0)
    url = f"ws://127.0.0.1:{server.port}/"
    try:
        # A full snapshot: built from the state, where the fold derived the roles.
        fresh = await WireClient.join(url, role="participant", join_code=service.join_code, name="Zoé")
        assert fresh.welcome is not None
        snapshot = fresh.welcome["snapshot"]
        assert [m["author_role"] for m in snapshot["messages"]] == ["moderator", "participant"]
        assert [q["author_role"] for q in snapshot["questions"]] == ["moderator"]
        # A resume from the start: the old events, with the roles filled in.
        resumed = await WireClient.join(
            url, role="participant", resume_token=token, epoch=service.epoch, last_seq=0
        )
        assert resumed.welcome is not None and resumed.welcome["recovered"]
        replayed = resumed.welcome["events"]
        posted = [e["author_role"] for e in replayed if e["type"] == "message_posted"]
        asked = [e["author_role"] for e in replayed if e["type"] == "question_submitted"]
        assert (posted, asked) == (["moderator", "participant"], ["moderator"])
        await fresh.close()
        await resumed.close()
    finally:
        await server.stop()
        service.close()
