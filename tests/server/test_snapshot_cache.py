"""The shared snapshot JSON is reused between joins, never served stale."""

from __future__ import annotations

import json
from pathlib import Path

from server.core import Actor
from server.debate import DebateService
from shared import protocol as p


def _fresh(service: DebateService, participant_id: str | None, moderator: bool = False) -> str:
    snapshot = service.snapshot(participant_id, moderator).model_dump(mode="json")
    return json.dumps(snapshot, ensure_ascii=False, separators=(",", ":"))


def test_snapshot_json_matches_a_fresh_build_after_each_change(db_path: Path) -> None:
    service = DebateService.open(db_path, title="Dîner")
    try:
        alice, _, _ = service.join("Alice", "participant")
        actor = Actor(alice.participant_id, "participant", "Alice")
        first = service.snapshot_json(alice.participant_id, False)
        assert first == _fresh(service, alice.participant_id)

        bob, _, _ = service.join("Bob", "participant")  # a join: the view is unchanged
        assert service.snapshot_json(bob.participant_id, False) is first

        service.execute(p.PostMessage(type="post_message", id="c1", text="Bonjour"), actor)
        after_post = service.snapshot_json(bob.participant_id, False)
        assert "Bonjour" in after_post
        assert after_post == _fresh(service, bob.participant_id)

        outcome = service.execute(
            p.SubmitQuestion(type="submit_question", id="c2", text="Pourquoi ?"), actor
        )
        assert isinstance(outcome.reply, p.Ack)
        # Alice has a personal view now (her pending question, or her upvote).
        mine = service.snapshot_json(alice.participant_id, False)
        assert mine == _fresh(service, alice.participant_id)
        assert service.snapshot_json(bob.participant_id, False) == _fresh(
            service, bob.participant_id
        )
        assert service.snapshot_json(None, True) == _fresh(service, None, True)
    finally:
        service.close()
