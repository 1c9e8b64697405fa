"""Tables over real websockets (issue 13): seating is public, syntheses are the tables'."""

from __future__ import annotations

from pathlib import Path

from server.app import DebateServer
from server.plan import load_plan, read_plan
from tests.conftest import join_participant
from tests.wire import WireClient

ROOT = Path(__file__).resolve().parents[2]


async def test_seating_spokesperson_and_syntheses_reach_everyone(
    server: DebateServer, url: str, moderator: WireClient
) -> None:
    alice = await join_participant(server, url, "Alice")
    bob = await join_participant(server, url, "Bob")
    screen = await WireClient.join(url, role="screen", join_code=server.service.join_code)
    try:
        alice_id, bob_id = alice.welcome["participant_id"], bob.welcome["participant_id"]  # type: ignore[index]
        assert (await moderator.command("add_table", name="Lovelace", seats=1))["created"] == "t1"
        assert (await moderator.command("add_table", name="Turing", seats=8))["created"] == "t2"
        assert (await alice.command("add_table", name="X", seats=2))["code"] == "forbidden"
        assert (await alice.command("choose_table", table_id="t1"))["type"] == "ack"
        # Seating is public: bob and the projector see who sits where, by name.
        for client in (bob, screen, moderator):
            seated = await client.wait_event("guest_seated", table_id="t1")
            assert (seated["participant_id"], seated["name"]) == (alice_id, "Alice")
        assert (await bob.command("choose_table", table_id="t1"))["code"] == "table_full"
        assert (await bob.command("choose_table", table_id="t9"))["code"] == "table_not_found"
        refused = await moderator.command("seat_guest", participant_id=bob_id, table_id="t1")
        assert refused["code"] == "table_full"
        assert (await moderator.command("seat_guest", participant_id=bob_id, table_id="t2"))["type"] == "ack"
        refused = await moderator.command("set_spokesperson", table_id="t1", participant_id=bob_id)
        assert refused["code"] == "not_at_table"
        assert (await moderator.command("set_spokesperson", table_id="t1", participant_id=alice_id))[
            "type"
        ] == "ack"

        await moderator.command("add_round", title="Un", theme="t", minutes=20)
        refused = await alice.command("post_synthesis", round_id="r1", text="Trop tôt")
        assert refused["code"] == "round_not_live"
        await moderator.command("start_round", round_id="r1")
        assert (await bob.command("post_synthesis", round_id="r1", text="Moi"))["code"] == "not_spokesperson"
        too_long = await alice.command("post_synthesis", round_id="r1", text="x" * 1001)
        assert too_long["code"] == "too_long"
        assert (await alice.command("post_synthesis", round_id="r1", text="Premier jet"))["type"] == "ack"
        assert (await alice.command("post_synthesis", round_id="r1", text="Version finale"))["type"] == "ack"
        for client in (bob, screen):
            posted = await client.wait_event("synthesis_posted", text="Version finale")
            # Attributed to the table: no person is named in the frame.
            assert set(posted) == {"type", "seq", "at", "round_id", "table_id", "text"}
            assert posted["table_id"] == "t1"
        assert (await moderator.command("set_spotlight", kind="syntheses"))["type"] == "ack"
        await screen.wait_event("spotlight_set", kind="syntheses")

        # A newcomer gets the tables and the syntheses in the snapshot.
        late = await join_participant(server, url, "Carol")
        snapshot = late.welcome["snapshot"]  # type: ignore[index]
        assert [
            (t["name"], [g["name"] for g in t["guests"]], t["spokesperson_id"]) for t in snapshot["tables"]
        ] == [
            ("Lovelace", ["Alice"], alice_id),
            ("Turing", ["Bob"], None),
        ]
        assert [(s["table_name"], s["text"]) for s in snapshot["syntheses"]] == [
            ("Lovelace", "Version finale")
        ]
        await late.close()

        # Seats never drop below the guests seated; removing a table unseats them, and says whom.
        assert (await moderator.command("update_table", table_id="t2", seats=1))["type"] == "ack"
        # Alice is told she lost her seat (her id is in the event every client receives).
        assert (await moderator.command("remove_table", table_id="t1"))["type"] == "ack"
        removed = await alice.wait_event("table_removed", table_id="t1")
        assert removed["unseated"] == [alice_id]
        await moderator.command("end_round")
        refused = await alice.command("post_synthesis", round_id="r1", text="Trop tard")
        assert refused["code"] == "not_spokesperson"
    finally:
        await alice.close()
        await bob.close()
        await screen.close()


def test_the_example_plan_lists_three_tables() -> None:
    plan = read_plan(ROOT / "examples" / "ai-dinner.toml")
    tables = [command for command in plan.commands if command.type == "add_table"]  # type: ignore[attr-defined]
    assert [(t.name, t.seats) for t in tables] == [  # type: ignore[attr-defined]
        ("Table 1", 8),
        ("Table 2", 8),
        ("Table 3", 8),
    ]


async def test_a_plan_loads_its_tables(server: DebateServer) -> None:
    assert load_plan(server.service, read_plan(ROOT / "examples" / "ai-dinner.toml"))
    assert [t.name for t in server.service.state.tables.values()] == [
        "Table 1",
        "Table 2",
        "Table 3",
    ]


async def test_an_invited_guest_is_seated_at_their_invitations_table_on_first_join(
    server: DebateServer, url: str, moderator: WireClient, tmp_path: Path
) -> None:
    from tests.server.test_invitations import invite

    await moderator.command("add_table", name="Table 1", seats=1)
    plan = """
[[guests]]
name = "Alice Martin"
table = "Table 1"

[[guests]]
name = "Bruno Petit"
table = "Table 1"

[[guests]]
name = "Chloé"
table = "Table 9"
"""
    alice, bruno, chloe = invite(server.service, tmp_path, plan)
    first = await WireClient.join(url, role="participant", join_code=alice.code)
    try:
        snapshot = first.welcome["snapshot"]  # type: ignore[index]
        [table] = snapshot["tables"]
        assert [g["name"] for g in table["guests"]] == ["Alice Martin"]
        seated = await moderator.wait_event("guest_seated", table_id="t1")
        assert seated["name"] == "Alice Martin"
        # Table 1 is now full, and "Table 9" does not exist: both join unseated, and choose.
        for invitation in (bruno, chloe):
            other = await WireClient.join(url, role="participant", join_code=invitation.code)
            assert other.welcome is not None
            assert other.welcome["participant_id"] not in server.service.state.seat_of
            await other.close()
        # A second device of Alice's is the same guest: still one seat.
        again = await WireClient.join(url, role="participant", join_code=alice.code)
        assert list(server.service.state.seat_of.values()) == ["t1"]
        await again.close()
    finally:
        await first.close()
