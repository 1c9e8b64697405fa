"""The word filter and the moderators' notes over real websockets (issue 12).

The plan is loaded before anyone connects, as ``convive serve --plan`` does.
"""

from __future__ import annotations

from pathlib import Path

from server.app import DebateServer
from server.debate import DebateService
from server.plan import load_plan, read_plan
from server.store import EventStore
from tests.conftest import join_participant
from tests.wire import WireClient


def _load(server: DebateServer, tmp_path: Path, action: str) -> None:
    plan = tmp_path / "plan.toml"
    plan.write_text(
        f'title = "Filtre"\n[filter]\nwords = ["blockchain"]\naction = "{action}"\n', encoding="utf-8"
    )
    assert load_plan(server.service, read_plan(plan))


async def _moderator(server: DebateServer, url: str, name: str = "Mod") -> WireClient:
    return await WireClient.join(url, role="moderator", moderator_key=server.service.moderator_key, name=name)


async def test_a_held_message_reaches_the_moderators_and_its_author_until_released(
    server: DebateServer, url: str, tmp_path: Path
) -> None:
    _load(server, tmp_path, "hold")
    moderator = await _moderator(server, url)
    assert moderator.welcome["snapshot"]["word_filter"] == {  # type: ignore[index]
        "words": ["blockchain"],
        "builtin": True,
        "action": "hold",
    }
    alice = await join_participant(server, url, "Alice")
    bob = await join_participant(server, url, "Bob")
    screen = await WireClient.join(url, role="screen", join_code=server.service.join_code)
    assert screen.welcome["snapshot"]["word_filter"] is None  # type: ignore[index]
    try:
        assert (await alice.command("post_message", text="Quel c.o.n, ce POC"))["created"] == "m1"
        mine = await alice.wait_event("message_posted", message_id="m1")
        assert mine["held"] is True
        assert (await moderator.wait_event("message_posted", message_id="m1"))["held"] is True
        assert (await bob.command("post_message", text="Bonsoir"))["created"] == "m2"
        await bob.wait_event("message_posted", message_id="m2")
        for client in (bob, screen):
            assert not [f for f in await client.drain(0.2) if "c.o.n" in str(f)]
            assert "c.o.n" not in "".join(client.raw)

        # Resuming: the author's snapshot keeps it, marked; another guest's has none.
        again = await WireClient.join(url, role="participant", resume_token=alice.welcome["resume_token"])  # type: ignore[index]
        assert [(m["message_id"], m["held"]) for m in again.welcome["snapshot"]["messages"]] == [  # type: ignore[index]
            ("m1", True),
            ("m2", False),
        ]
        late = await join_participant(server, url, "Carol")
        assert [m["message_id"] for m in late.welcome["snapshot"]["messages"]] == ["m2"]  # type: ignore[index]

        assert (await bob.command("release_message", message_id="m1"))["code"] == "forbidden"
        assert (await moderator.command("release_message", message_id="m2"))["code"] == "not_held"
        assert (await moderator.command("release_message", message_id="m1"))["type"] == "ack"
        for client in (bob, screen, late, again):
            released = await client.wait_event("message_released", message_id="m1")
            assert released["text"] == "Quel c.o.n, ce POC" and released["author_name"] == "Alice"

        # A second held message, dropped: only the moderators and its author hear of it.
        assert (await alice.command("post_message", text="La BLOCKCHAINS, encore"))["created"] == "m3"
        await moderator.wait_event("message_posted", message_id="m3")
        assert (await moderator.command("hide_message", message_id="m3"))["type"] == "ack"
        await alice.wait_event("message_hidden", message_id="m3")
        await moderator.wait_event("message_hidden", message_id="m3")
        for client in (bob, screen, late):
            assert not [f for f in await client.drain(0.2) if f.get("message_id") == "m3"]
        await again.close()
        await late.close()
    finally:
        for client in (moderator, alice, bob, screen):
            await client.close()


async def test_refuse_answers_filtered_and_posts_nothing(
    server: DebateServer, url: str, tmp_path: Path
) -> None:
    _load(server, tmp_path, "refuse")
    moderator = await _moderator(server, url)
    alice = await join_participant(server, url, "Alice")
    bob = await join_participant(server, url, "Bob")
    try:
        seq = server.service.state.seq
        refused = await alice.command("post_message", text="MEEERDE")
        assert refused["type"] == "error" and refused["code"] == "filtered"
        assert "merde" in refused["message"]
        refused = await alice.command("submit_question", text="Et la blockchain ?", anonymous=True)
        assert refused["code"] == "filtered"
        assert server.service.state.seq == seq
        assert not [f for f in await bob.drain(0.2) if f["type"] in ("message_posted", "question_submitted")]
        # A moderator is not filtered.
        assert (await moderator.command("post_message", text="Pas de « merde » ici"))["type"] == "ack"
    finally:
        for client in (moderator, alice, bob):
            await client.close()


async def test_a_matching_question_waits_for_review_with_moderation_off(
    server: DebateServer, url: str, tmp_path: Path
) -> None:
    _load(server, tmp_path, "hold")
    moderator = await _moderator(server, url)
    alice = await join_participant(server, url, "Alice")
    bob = await join_participant(server, url, "Bob")
    try:
        assert (await moderator.command("set_moderation", enabled=False))["type"] == "ack"
        assert (await alice.command("submit_question", text="Et ce putain de budget ?"))["created"] == "q1"
        submitted = await moderator.wait_event("question_submitted", question_id="q1")
        assert submitted["approved"] is False and submitted["filtered"] is True
        assert (await alice.wait_event("question_submitted", question_id="q1"))["filtered"] is True
        assert (await alice.command("submit_question", text="Et le budget ?"))["created"] == "q2"
        await bob.wait_event("question_submitted", question_id="q2")
        assert not [f for f in await bob.drain(0.2) if f.get("question_id") == "q1"]
        assert (await moderator.command("approve_question", question_id="q1"))["type"] == "ack"
        approved = await bob.wait_event("question_approved", question_id="q1")
        assert approved["text"] == "Et ce putain de budget ?"
    finally:
        for client in (moderator, alice, bob):
            await client.close()


async def test_notes_reach_the_moderators_only(server: DebateServer, url: str) -> None:
    first = await _moderator(server, url, "Mod")
    second = await _moderator(server, url, "Mod 2")
    alice = await join_participant(server, url, "Alice")
    screen = await WireClient.join(url, role="screen", join_code=server.service.join_code)
    try:
        text = "Deux questions encore, puis le sondage."
        assert (await first.command("post_note", text=text))["created"] == "n1"
        note = await second.wait_event("note_posted", note_id="n1")
        assert note["text"] == text and note["author_name"] == "Mod"
        assert (await alice.command("post_note", text="psst"))["code"] == "forbidden"
        assert (await first.command("post_note", text="x" * 1001))["code"] == "too_long"
        again = await _moderator(server, url, "Mod 3")
        assert [n["text"] for n in again.welcome["snapshot"]["notes"]] == [text]  # type: ignore[index]
        late = await join_participant(server, url, "Bob")
        assert late.welcome["snapshot"]["notes"] is None  # type: ignore[index]
        for client in (alice, screen, late):
            await client.drain(0.2)
            assert "Deux questions encore" not in "".join(client.raw)
            assert "note_posted" not in "".join(client.raw)
        await again.close()
        await late.close()
    finally:
        for client in (first, second, alice, screen):
            await client.close()


async def test_a_restart_replays_the_filter_and_what_it_held(
    server: DebateServer, url: str, tmp_path: Path, db_path: Path
) -> None:
    _load(server, tmp_path, "hold")
    alice = await join_participant(server, url, "Alice")
    assert (await alice.command("post_message", text="merde"))["created"] == "m1"
    await alice.close()
    reopened = DebateService(EventStore(db_path))
    try:
        assert reopened.state.messages["m1"].held
        assert reopened.state.word_filter == server.service.state.word_filter
    finally:
        reopened.close()
