"""Issue 14, item 2: one guest, one voice. Personal invitations bind a code to a guest;
``--invite-only`` closes the shared code to new identities; without invitations, new
identities with the shared code are limited per address and for the whole debate."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest

from server.app import DebateServer, ServerSettings
from server.debate import DebateService
from server.plan import PlanError, read_plan, sync_guests
from server.store import Invitation
from tests import logscan
from tests.conftest import join_participant
from tests.stores import sqlite_store
from tests.wire import WireClient

GUESTS = """
title = "Dîner"
lang = "fr"

[[guests]]
name = "Alice Martin"
table = "Table 1"

[[guests]]
name = "Bob <b>Durand</b>"

[[guests]]
name = "Alice Martin"
table = "Table 2"
"""


def invite(service: DebateService, tmp_path: Path, text: str = GUESTS) -> list[Invitation]:
    """Load the plan's guests into the running debate, as ``convive serve --plan`` does."""
    plan_file = tmp_path / "plan.toml"
    plan_file.write_text(text, encoding="utf-8")
    sync_guests(service.store, read_plan(plan_file))
    service.reload_invitations()
    for invitation in service.invitations:
        logscan.remember(invitation.code)
    return service.invitations


def test_codes_are_created_once_and_survive_a_restart(db_path: Path, tmp_path: Path) -> None:
    service = DebateService.open(db_path)
    first = invite(service, tmp_path)
    assert [(i.name, i.table) for i in first] == [
        ("Alice Martin", "Table 1"),
        ("Bob <b>Durand</b>", None),
        ("Alice Martin", "Table 2"),
    ]
    codes = [i.code for i in first]
    assert len(set(codes)) == 3
    assert all(len(code) == 10 and set(code) <= set("ABCDEFGHJKMNPQRSTUVWXYZ23456789") for code in codes)
    service.close()
    # Restart, the same plan again, then one more guest and a table changed: codes stay.
    service = DebateService.open(db_path)
    assert [i.code for i in service.invitations] == codes
    again = invite(
        service, tmp_path, GUESTS.replace('"Table 2"', '"Table 3"') + '[[guests]]\nname = "Chloé"\n'
    )
    assert [i.code for i in again[:3]] == codes
    assert again[2].table == "Table 3" and again[3].name == "Chloé"
    assert service.find_invitation(codes[1].lower()[:5] + "-" + codes[1][5:]) == again[1]
    assert service.find_invitation(codes[1][:9] + ("A" if codes[1][9] != "A" else "B")) is None
    assert service.find_invitation(service.join_code) is None
    service.close()


async def test_a_guest_taken_out_of_the_plan_is_withdrawn(
    server: DebateServer, url: str, tmp_path: Path
) -> None:
    alice, bob, _ = invite(server.service, tmp_path)
    # Bob's name was misspelt: corrected in the plan, the old card's code joins nobody.
    fixed = GUESTS.replace("Bob <b>Durand</b>", "Bob Durand")
    (_, _, corrected) = invite(server.service, tmp_path, fixed)
    assert corrected.name == "Bob Durand" and corrected.code != bob.code
    assert server.service.find_invitation(bob.code) is None
    assert [i.name for i in server.service.invitations] == ["Alice Martin", "Alice Martin", "Bob Durand"]
    old_card = await WireClient.open(url)
    assert (await old_card.hello(role="participant", join_code=bob.code))["code"] == "bad_credentials"
    await old_card.close()
    # Alice joins, then cannot come after all: she stays in, her code joins nobody new.
    phone = await WireClient.join(url, role="participant", join_code=alice.code)
    assert phone.welcome is not None
    invite(server.service, tmp_path, '[[guests]]\nname = "Bob Durand"\n[[guests]]\nname = "Zoé"\n')
    assert server.service.find_invitation(alice.code) is None
    back = await WireClient.join(url, role="participant", resume_token=phone.welcome["resume_token"])
    assert back.welcome is not None and back.welcome["name"] == "Alice Martin"
    # Put back in the plan, a guest has their code again.
    assert invite(server.service, tmp_path, GUESTS)[0].code == alice.code
    assert server.service.find_invitation(bob.code) == server.service.invitations[1]
    for client in (phone, back):
        await client.close()


def test_guests_may_be_added_once_the_evening_has_begun(db_path: Path, tmp_path: Path) -> None:
    """Guests are no debate content: a plan with one more guest is not a new plan."""
    from server.plan import PLAN_ACTOR, load_plan
    from shared import protocol as p

    plan_file = tmp_path / "plan.toml"
    agenda = '[[rounds]]\ntitle = "R"\ntheme = "t"\nminutes = 5\n'
    plan_file.write_text(agenda + '[[guests]]\nname = "A"\n', encoding="utf-8")
    service = DebateService.open(db_path)
    plan = read_plan(plan_file)
    sync_guests(service.store, plan)
    assert load_plan(service, plan) is True
    service.execute(p.PostMessage(id="x", text="Bonsoir"), PLAN_ACTOR)
    plan_file.write_text(agenda + '[[guests]]\nname = "A"\n[[guests]]\nname = "B"\n', encoding="utf-8")
    plan = read_plan(plan_file)
    assert sync_guests(service.store, plan) == 1
    assert load_plan(service, plan) is False  # the agenda is the same: nothing to load
    # A database that recorded the whole file's digest (earlier versions) is still recognised.
    service.store.set_meta("plan_digest", plan.file_digest)
    assert load_plan(service, plan) is False
    service.close()


def test_a_bad_guest_entry_is_refused(tmp_path: Path) -> None:
    plan_file = tmp_path / "plan.toml"
    for bad in (
        '[[guests]]\nname = ""\n',
        '[[guests]]\nname = "A"\nseat = 3\n',
        "guests = 3\n",
        'lang = "de"\n',
    ):
        plan_file.write_text(bad, encoding="utf-8")
        with pytest.raises(PlanError):
            read_plan(plan_file)


async def test_a_personal_code_joins_as_its_guest_on_every_device(
    server: DebateServer, url: str, tmp_path: Path, moderator: WireClient
) -> None:
    alice, bob, _ = invite(server.service, tmp_path)
    # The invited name wins over the one typed; no name is needed at all.
    phone = await WireClient.join(url, role="participant", join_code=alice.code, name="Someone else")
    assert phone.welcome is not None and phone.welcome["name"] == "Alice Martin"
    laptop = await WireClient.join(url, role="participant", join_code=alice.code.lower())
    assert laptop.welcome is not None
    assert laptop.welcome["participant_id"] == phone.welcome["participant_id"]
    # Each device has a token of its own (the log keeps their hashes only), so that
    # nothing in the database derives a guest's token, nor their anonymous questions' secrets.
    tokens = {phone.welcome["resume_token"], laptop.welcome["resume_token"]}
    assert len(tokens) == 2
    raw = Path(sqlite_store(server.service.store).path).read_bytes() + (
        Path(sqlite_store(server.service.store).path + "-wal").read_bytes()
        if Path(sqlite_store(server.service.store).path + "-wal").exists()
        else b""
    )
    assert not any(token.encode() in raw for token in tokens)
    # Each device resumes with its own token, or with the code again (no new device then).
    seq = server.service.state.seq
    again = await WireClient.join(
        url, role="participant", join_code=alice.code, resume_token=laptop.welcome["resume_token"]
    )
    assert again.welcome is not None and again.welcome["resume_token"] == laptop.welcome["resume_token"]
    assert server.service.state.seq == seq
    await again.close()
    # Both connections live: what one posts, the other sees as its own.
    ack = await phone.command("post_message", text="Bonsoir")
    seen = await laptop.wait_event("message_posted", message_id=ack["created"])
    assert seen["author_id"] == phone.welcome["participant_id"]
    # A device that kept another identity becomes the invited guest with the code.
    walk_in = await join_participant(server, url, "Walk-in")
    assert walk_in.welcome is not None
    switched = await WireClient.join(
        url, role="participant", join_code=bob.code, resume_token=walk_in.welcome["resume_token"]
    )
    assert switched.welcome is not None and switched.welcome["name"] == "Bob <b>Durand</b>"
    assert switched.welcome["participant_id"] != walk_in.welcome["participant_id"]
    # One participant per invitation, however many devices.
    invited = [p for p in server.service.state.participants.values() if p.name.startswith("Alice Martin")]
    assert len(invited) == 1
    for client in (phone, laptop, walk_in, switched):
        await client.close()


async def test_nobody_takes_an_invited_guests_name(server: DebateServer, url: str, tmp_path: Path) -> None:
    alice, _, second_alice = invite(server.service, tmp_path)
    impostor = await join_participant(server, url, "alice martin")
    assert impostor.welcome is not None and impostor.welcome["name"] == "alice martin (2)"
    real = await WireClient.join(url, role="participant", join_code=alice.code)
    assert real.welcome is not None and real.welcome["name"] == "Alice Martin"
    # Two guests of the same name are two people.
    namesake = await WireClient.join(url, role="participant", join_code=second_alice.code)
    assert namesake.welcome is not None
    assert namesake.welcome["participant_id"] != real.welcome["participant_id"]
    assert namesake.welcome["name"] == "Alice Martin (3)"
    for client in (impostor, real, namesake):
        await client.close()


async def test_a_wrong_personal_code_spends_the_failed_hello_budget(
    server: DebateServer, url: str, tmp_path: Path
) -> None:
    (alice, *_) = invite(server.service, tmp_path)
    wrong = alice.code[:9] + ("A" if alice.code[9] != "A" else "B")
    answers = []
    for _ in range(server.settings.hello_failures_burst + 1):
        guesser = await WireClient.open(url)
        answers.append(await guesser.hello(role="participant", join_code=wrong))
        await guesser.close()
    assert [a["code"] for a in answers[:-1]] == ["bad_credentials"] * server.settings.hello_failures_burst
    assert answers[-1]["code"] == "rate_limited"
    # While limited, the right personal code is not confirmed either.
    guesser = await WireClient.open(url)
    assert (await guesser.hello(role="participant", join_code=alice.code))["code"] == "rate_limited"
    await guesser.close()


class TestInviteOnly:
    @pytest.fixture
    def settings(self) -> ServerSettings:
        return ServerSettings(coalesce_seconds=0.05, invite_only=True)

    async def test_invite_only_closes_the_shared_code_to_new_guests_only(
        self, server: DebateServer, url: str, tmp_path: Path
    ) -> None:
        (alice, *_) = invite(server.service, tmp_path)
        code = server.service.join_code
        stranger = await WireClient.open(url)
        refused = await stranger.hello(role="participant", join_code=code, name="Stranger")
        assert refused["type"] == "error" and refused["code"] == "invite_only"
        assert "invitation" in refused["message"]
        # The same connection may then join with a personal code.
        welcome = await stranger.hello(role="participant", join_code=alice.code)
        assert welcome["type"] == "welcome" and welcome["name"] == "Alice Martin"
        # Its token resumes; the projector (join code) and the moderator still get in.
        back = await WireClient.join(url, role="participant", resume_token=welcome["resume_token"])
        screen = await WireClient.join(url, role="screen", join_code=code)
        mod = await WireClient.join(
            url, role="moderator", moderator_key=server.service.moderator_key, name="M"
        )
        for client in (back, screen, mod):
            assert client.welcome is not None
        assert not any(p.name == "Stranger" for p in server.service.state.participants.values())
        # invite_only is no failure: it spends nothing of the guessing budget.
        knocker = await WireClient.open(url)
        for _ in range(server.settings.hello_failures_burst + 2):
            assert (await knocker.hello(role="participant", join_code=code, name="S"))[
                "code"
            ] == "invite_only"
        for client in (stranger, knocker, back, screen, mod):
            await client.close()


async def _join_many(url: str, code: str, count: int) -> list[dict[str, object]]:
    """``count`` hellos with the shared code from this address, each on a new connection."""

    async def one(index: int) -> dict[str, object]:
        client = await WireClient.open(url)
        try:
            return await client.hello(role="participant", join_code=code, name=f"Bot {index}")
        finally:
            await client.close()

    return list(await asyncio.gather(*(one(index) for index in range(count))))


class TestSharedCodeBudgets:
    @pytest.fixture
    def settings(self) -> ServerSettings:
        # A slow refill so that a loaded machine cannot refill a token mid-test.
        return ServerSettings(coalesce_seconds=0.05, join_per_second=0.01)

    async def test_two_hundred_identities_from_one_address_do_not_all_get_in(
        self, server: DebateServer, url: str
    ) -> None:
        """The review's attack: 200 identities from one address with the shared code."""
        answers = await _join_many(url, server.service.join_code, 200)
        welcomed = [a for a in answers if a["type"] == "welcome"]
        refused = [a for a in answers if a["type"] == "error"]
        assert len(welcomed) == server.settings.join_burst == 100
        assert len(refused) == 100
        assert all(a["code"] == "too_many_joins" and int(a["retry_after_ms"]) > 0 for a in refused)  # type: ignore[call-overload]
        guests = [p for p in server.service.state.participants.values() if p.role == "participant"]
        assert len(guests) == 100
        # Returning guests are not new identities: their tokens still work.
        token = welcomed[0]["resume_token"]
        back = await WireClient.join(url, role="participant", resume_token=token)
        assert back.welcome is not None
        await back.close()

    async def test_the_moderator_sees_and_tunes_the_debate_wide_rate(
        self, server: DebateServer, url: str, moderator: WireClient
    ) -> None:
        stats = await moderator.wait_for(lambda f: f["type"] == "join_stats")
        assert stats["per_minute"] == server.settings.debate_joins_per_minute
        assert stats["joined_last_minute"] == 0  # the moderator is no guest
        ack = await moderator.command("set_join_rate", per_minute=3)
        assert ack["type"] == "ack"
        event = await moderator.wait_event("join_rate_set")
        assert event["per_minute"] == 3
        answers = await _join_many(url, server.service.join_code, 6)
        assert sum(a["type"] == "welcome" for a in answers) == 3
        assert {a["code"] for a in answers if a["type"] == "error"} == {"too_many_joins"}
        stats = await moderator.wait_for(
            lambda f: f["type"] == "join_stats" and f["refused_last_minute"] == 3
        )
        assert stats == {
            "type": "join_stats",
            "per_minute": 3,
            "joined_last_minute": 3,
            "refused_last_minute": 3,
            "invite_only": False,
        }
        # Guests may not tune it; a bad rate changes nothing.
        guest = await WireClient.open(url)
        await guest.hello(
            role="participant",
            resume_token=next(a for a in answers if a["type"] == "welcome")["resume_token"],
        )
        assert (await guest.command("set_join_rate", per_minute=1000))["code"] == "forbidden"
        assert (await moderator.command("set_join_rate", per_minute=0))["code"] == "invalid_frame"
        assert server.service.state.join_rate_per_minute == 3
        await guest.close()

    async def test_the_rate_survives_a_restart(
        self, db_path: Path, url: str, server: DebateServer, moderator: WireClient
    ) -> None:
        await moderator.command("set_join_rate", per_minute=42)
        restarted = DebateServer(DebateService(server.service.store), ServerSettings())
        assert restarted.join_rate_per_minute == 42
        assert restarted.debate_join_limiter.burst == 42


async def test_invited_guests_are_not_counted_against_the_address(db_path: Path, tmp_path: Path) -> None:
    service = DebateService.open(db_path)
    invitations = invite(service, tmp_path, "".join(f'[[guests]]\nname = "Guest {n}"\n' for n in range(5)))
    server = DebateServer(service, ServerSettings(join_burst=1, join_per_second=0.01))
    await server.start("127.0.0.1", 0)
    url = f"ws://127.0.0.1:{server.port}/"
    try:
        first = await join_participant(server, url, "Walk-in")
        assert first.welcome is not None
        second = await WireClient.open(url)
        assert (await second.hello(role="participant", join_code=service.join_code, name="W2"))[
            "code"
        ] == "too_many_joins"
        clients = [await WireClient.join(url, role="participant", join_code=i.code) for i in invitations]
        assert all(c.welcome is not None for c in clients)
        for client in (first, second, *clients):
            await client.close()
    finally:
        await server.stop()
        service.close()
