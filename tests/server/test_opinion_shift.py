"""Opinion shift (issue 13) over real websockets: a poll asked again, its errors,
the shift every role receives when it closes, and the same shift after a restart."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from server.app import DebateServer
from server.core import Actor
from server.debate import DebateService
from shared import protocol as p
from tests.conftest import join_participant
from tests.stores import query
from tests.wire import WireClient


async def test_a_repeat_and_its_shift_reach_every_role(
    server: DebateServer, url: str, moderator: WireClient, db_path: Path
) -> None:
    guests = [await join_participant(server, url, name) for name in ("Ann", "Ben", "Cid", "Dee")]
    screen = await WireClient.join(url, role="screen", join_code=server.service.join_code)
    assert (await moderator.command("create_poll", question="Pour ?", options=["Oui", "Non"]))[
        "created"
    ] == "p1"
    assert (await moderator.command("create_poll", question="Un mot ?", kind="words"))["created"] == "p2"

    # Refused, each with its code, and nothing created.
    refused: dict[str, dict[str, Any]] = {
        "repeat_mismatch": {"repeat_of": "p1", "options": ["Non", "Oui"]},
        "not_repeatable": {"repeat_of": "p2"},
        "poll_not_found": {"repeat_of": "p9"},
        "invalid_frame": {"options": ["Oui", "Non"]},  # no question and no repeat_of
    }
    for code, fields in refused.items():
        reply = await moderator.command("create_poll", **fields)
        assert (reply["type"], reply["code"]) == ("error", code), reply
    assert set(server.service.state.polls) == {"p1", "p2"}

    created = await moderator.command("create_poll", repeat_of="p1", question="Pour ?")
    assert created["created"] == "p3"
    draft = await moderator.wait_event("poll_created", poll_id="p3")
    assert (draft["question"], draft["options"], draft["repeat_of"]) == ("Pour ?", ["Oui", "Non"], "p1")
    assert (await moderator.command("open_poll", poll_id="p3"))["code"] == "original_not_closed"
    for poll_id, choices in (("p1", [0, 0, 0, 1]), ("p3", [1, 1, 1, 1])):
        assert (await moderator.command("open_poll", poll_id=poll_id))["type"] == "ack"
        opened = await guests[0].wait_event("poll_opened", poll_id=poll_id)
        assert opened["repeat_of"] == ("p1" if poll_id == "p3" else None)
        for guest, choice in zip(guests, choices, strict=True):
            assert (await guest.command("cast_ballot", poll_id=poll_id, choices=[choice]))["type"] == "ack"
        assert (await moderator.command("close_poll", poll_id=poll_id))["type"] == "ack"
    expected = {
        "before_poll_id": "p1",
        "options": [
            {"before": 75.0, "after": 0.0, "points": -75.0},
            {"before": 25.0, "after": 100.0, "points": 75.0},
        ],
        "both": 4,
        "changed": 3,
        "transitions": [{"before": [0], "after": [1], "guests": 3}],
        "other_changes": 0,
    }
    for client in (moderator, screen, *guests):
        closed = await client.wait_event("poll_closed", poll_id="p3")
        assert closed["shift"] == expected
    first = await screen.wait_event("poll_closed", poll_id="p1")
    assert first["shift"] is None

    # A newcomer's snapshot, and the log replayed by a restarted service, carry the same shift.
    late = await join_participant(server, url, "Eve")
    assert late.welcome is not None
    polls = {poll["poll_id"]: poll for poll in late.welcome["snapshot"]["polls"]}
    assert polls["p3"]["shift"] == expected and polls["p3"]["repeat_of"] == "p1"
    for client in (screen, late, *guests):
        await client.close()
    await server.stop()
    server.service.close()
    replayed = DebateService.open(db_path, title="Test debate")
    try:
        shift = replayed.state.polls["p3"].shift
        assert shift is not None and shift.model_dump() == expected
    finally:
        replayed.close()


def test_an_erased_ballot_keeps_no_retry_record_and_a_retry_is_refused(tmp_path: Path) -> None:
    """The record of a command names its actor and the seq of its event: an erasure
    drops those of the ballots it unlinks (they would tie a guest's two ballots
    together), and a retry of one after a restart is refused, never counted twice."""
    db = tmp_path / "retry.db"
    service = DebateService.open(db, title="Retry")
    mod, _, _ = service.join("Mod", "moderator")
    guest, _, _ = service.join("Ann", "participant")
    moderator = Actor(mod.participant_id, "moderator", mod.name)
    ann = Actor(guest.participant_id, "participant", guest.name)

    def run(actor: Actor, **frame: Any) -> p.Ack | p.Error:
        command = p.client_frame_adapter.validate_python(frame)
        reply = service.execute(command, actor).reply
        assert isinstance(reply, p.Ack | p.Error)
        return reply

    run(moderator, type="create_poll", id="m1", question="Pour ?", options=["Oui", "Non"])
    run(moderator, type="open_poll", id="m2", poll_id="p1")
    ballot = {"type": "cast_ballot", "id": "a1", "poll_id": "p1", "choices": [0]}
    assert isinstance(run(ann, **ballot), p.Ack)
    assert isinstance(run(ann, type="erase_my_contributions", id="a2"), p.Ack)
    actors = {actor for (actor,) in query(service.store, "SELECT actor FROM commands")}
    assert ann.participant_id in actors  # the erasure's own record: the log keeps that she erased
    rows = query(service.store, "SELECT command_id FROM commands WHERE actor = ?", (ann.participant_id,))
    assert [command_id for (command_id,) in rows] == ["a2"]
    service.close()
    service = DebateService.open(db, title="Retry")
    try:
        retry = run(ann, **ballot)
        assert isinstance(retry, p.Error) and retry.code == "erased_earlier"
        assert service.state.polls["p1"].voters == 1
    finally:
        service.close()
