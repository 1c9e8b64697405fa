"""Tables (issue 13): seating, spokespersons, syntheses, through the pure core."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from server.core import DomainError, fold
from server.core.snapshot import build_snapshot
from server.core.visibility import SCREEN, Viewer
from tests.core.debate import CoreDebate


@pytest.fixture
def d() -> CoreDebate:
    debate = CoreDebate()
    debate.alice = debate.join("Alice")  # type: ignore[attr-defined]
    debate.bob = debate.join("Bob")  # type: ignore[attr-defined]
    debate.carol = debate.join("Carol")  # type: ignore[attr-defined]
    debate.mod("add_table", name="Lovelace", seats=2)
    debate.mod("add_table", name="Turing", seats=8)
    return debate


def error_of(d: CoreDebate, actor: object, type_: str, **fields: object) -> str:
    before = d.state.seq
    with pytest.raises(DomainError) as raised:
        d.run(actor, type_, **fields)  # type: ignore[arg-type]
    assert d.state.seq == before  # a refused command changes nothing
    return raised.value.code


def test_tables_are_added_renamed_and_get_their_ids(d: CoreDebate) -> None:
    assert [(t.table_id, t.name, t.seats) for t in d.state.tables.values()] == [
        ("t1", "Lovelace", 2),
        ("t2", "Turing", 8),
    ]
    d.mod("update_table", table_id="t2", name="Hopper")
    assert (d.state.tables["t2"].name, d.state.tables["t2"].seats) == ("Hopper", 8)
    assert error_of(d, d.moderator, "update_table", table_id="t9", name="X") == "table_not_found"


def test_a_guest_chooses_a_table_then_moves_and_a_full_table_refuses(d: CoreDebate) -> None:
    a, b, c = d.alice, d.bob, d.carol  # type: ignore[attr-defined]
    assert d.types(d.run(a, "choose_table", table_id="t1")) == ["guest_seated"]
    d.run(b, "choose_table", table_id="t1")
    assert error_of(d, c, "choose_table", table_id="t1") == "table_full"
    assert error_of(d, a, "choose_table", table_id="t1") == "already_at_table"
    d.run(a, "choose_table", table_id="t2")  # a move frees her seat
    assert d.state.tables["t1"].guests == [b.participant_id]
    assert d.state.tables["t2"].guests == [a.participant_id]
    d.run(c, "choose_table", table_id="t1")
    assert d.state.seat_of == {a.participant_id: "t2", b.participant_id: "t1", c.participant_id: "t1"}


def test_only_a_guest_chooses_a_table_and_the_moderator_seats_guests_only(d: CoreDebate) -> None:
    assert error_of(d, d.moderator, "choose_table", table_id="t1") == "forbidden"
    assert error_of(d, d.alice, "seat_guest", participant_id="u3", table_id="t1") == "forbidden"  # type: ignore[attr-defined]
    assert (
        error_of(d, d.moderator, "seat_guest", participant_id="u1", table_id="t1") == "participant_not_found"
    )
    assert (
        error_of(d, d.moderator, "seat_guest", participant_id="u99", table_id="t1") == "participant_not_found"
    )
    d.mod("seat_guest", participant_id="u3", table_id="t1")
    assert d.state.seat_of == {"u3": "t1"}


def test_seats_never_drop_below_the_guests_seated(d: CoreDebate) -> None:
    d.run(d.alice, "choose_table", table_id="t2")  # type: ignore[attr-defined]
    d.run(d.bob, "choose_table", table_id="t2")  # type: ignore[attr-defined]
    assert error_of(d, d.moderator, "update_table", table_id="t2", seats=1) == "too_few_seats"
    d.mod("update_table", table_id="t2", seats=2)
    assert d.state.tables["t2"].seats == 2


def test_removing_a_table_unseats_its_guests_and_names_them(d: CoreDebate) -> None:
    d.run(d.alice, "choose_table", table_id="t1")  # type: ignore[attr-defined]
    d.mod("set_spokesperson", table_id="t1", participant_id="u2")
    decision = d.mod("remove_table", table_id="t1")
    assert [e.model_dump(include={"type", "unseated"}) for e in decision.events] == [
        {"type": "table_removed", "unseated": ["u2"]}
    ]
    assert d.state.seat_of == {}
    assert error_of(d, d.alice, "choose_table", table_id="t1") == "table_not_found"  # type: ignore[attr-defined]
    assert [t.table_id for t in build_snapshot(d.state, SCREEN).tables] == ["t2"]


def test_the_spokesperson_sits_at_the_table_and_loses_the_role_on_leaving(d: CoreDebate) -> None:
    assert error_of(d, d.moderator, "set_spokesperson", table_id="t1", participant_id="u2") == "not_at_table"
    d.run(d.alice, "choose_table", table_id="t1")  # type: ignore[attr-defined]
    d.mod("set_spokesperson", table_id="t1", participant_id="u2")
    assert d.state.tables["t1"].spokesperson_id == "u2"
    d.run(d.alice, "choose_table", table_id="t2")  # type: ignore[attr-defined]
    assert d.state.tables["t1"].spokesperson_id is None


def test_the_spokesperson_posts_for_the_live_round_and_replaces_until_it_ends(d: CoreDebate) -> None:
    alice, bob = d.alice, d.bob  # type: ignore[attr-defined]
    d.mod("add_round", title="Agents", theme="t", minutes=20)
    d.mod("add_round", title="Données", theme="t", minutes=20)
    d.run(alice, "choose_table", table_id="t1")
    d.run(bob, "choose_table", table_id="t1")
    d.mod("set_spokesperson", table_id="t1", participant_id="u2")
    assert error_of(d, alice, "post_synthesis", round_id="r1", text="Trop tôt") == "round_not_live"
    d.mod("start_round", round_id="r1")
    assert error_of(d, bob, "post_synthesis", round_id="r1", text="Pas moi") == "not_spokesperson"
    assert error_of(d, alice, "post_synthesis", round_id="r2", text="Pas ce tour") == "round_not_live"
    assert error_of(d, alice, "post_synthesis", round_id="r9", text="?") == "round_not_found"
    posted = d.run(alice, "post_synthesis", round_id="r1", text="Premier jet")
    # Attributed to the table: the event names no person.
    assert posted.events[0].model_dump(exclude={"seq", "at"}) == {
        "type": "synthesis_posted",
        "round_id": "r1",
        "table_id": "t1",
        "text": "Premier jet",
    }
    d.run(alice, "post_synthesis", round_id="r1", text="Version finale")
    assert [(s.table_id, s.text) for s in d.state.syntheses.values()] == [("t1", "Version finale")]
    d.mod("end_round")
    assert error_of(d, alice, "post_synthesis", round_id="r1", text="Trop tard") == "round_not_live"
    snapshot = build_snapshot(d.state, Viewer("u3", False))
    assert [(s.table_name, s.text) for s in snapshot.syntheses] == [("Lovelace", "Version finale")]
    # A removed table's syntheses stay, under its name.
    d.mod("remove_table", table_id="t1")
    assert [s.table_name for s in build_snapshot(d.state, SCREEN).syntheses] == ["Lovelace"]
    assert fold(d.log) == d.state


def test_the_spotlight_shows_every_synthesis_or_one_tables(d: CoreDebate) -> None:
    d.mod("set_spotlight", kind="syntheses")
    assert build_snapshot(d.state, SCREEN).spotlight.model_dump() == {"kind": "syntheses", "item_id": None}
    d.mod("set_spotlight", kind="syntheses", item_id="t2")
    assert build_snapshot(d.state, SCREEN).spotlight.model_dump() == {"kind": "syntheses", "item_id": "t2"}
    assert error_of(d, d.moderator, "set_spotlight", kind="syntheses", item_id="t9") == "table_not_found"


def test_seating_is_public_with_names(d: CoreDebate) -> None:
    d.run(d.bob, "choose_table", table_id="t2")  # type: ignore[attr-defined]
    for viewer in (SCREEN, Viewer("u2", False), Viewer("u1", True)):
        (_, turing) = build_snapshot(d.state, viewer).tables
        assert [(g.participant_id, g.name) for g in turing.guests] == [("u3", "Bob")]


def test_an_invited_guest_is_seated_at_the_table_their_invitation_names(d: CoreDebate) -> None:
    from server.core import decide_join

    def join(participant_id: str, name: str, table: str | None) -> list[str]:
        # As the service joins an invited guest: their invitation's table comes along.
        decision = decide_join(
            d.state, participant_id, name, "participant", participant_id, d.now(), table=table
        )
        return d.types(d._commit(decision))

    d.run(d.alice, "choose_table", table_id="t1")  # type: ignore[attr-defined]
    assert join("u10", "Dora", "Turing") == ["participant_joined", "guest_seated"]
    assert d.state.seat_of["u10"] == "t2" and d.state.tables["t2"].guests == ["u10"]
    assert join("u11", "Eve", "Lovelace") == ["participant_joined", "guest_seated"]  # its last seat
    # A full table, or one that does not exist: they join unseated, and choose.
    assert join("u12", "Fred", "Lovelace") == ["participant_joined"]
    assert join("u13", "Gus", "Nowhere") == ["participant_joined"]
    assert "u12" not in d.state.seat_of and "u13" not in d.state.seat_of
    assert fold(d.log) == d.state


@settings(max_examples=200, deadline=None)
@given(
    seats=st.lists(st.sampled_from([None, "t1", "t2", "t3"]), min_size=0, max_size=14),
    ballots=st.data(),
)
def test_results_by_table_never_show_a_group_of_fewer_than_3(
    seats: list[str | None], ballots: st.DataObject
) -> None:
    """The k ≥ 3 rule, whatever the seating and the ballots: every table shown and
    the "other tables" each count at least 3 voters, and a single small table is
    never what the rest gives back."""
    d = CoreDebate()
    for name, seats_ in (("A", 20), ("B", 20), ("C", 20)):
        d.mod("add_table", name=name, seats=seats_)
    guests = [d.join(f"G{i}") for i in range(len(seats))]
    for guest, table_id in zip(guests, seats, strict=True):
        if table_id is not None:
            d.run(guest, "choose_table", table_id=table_id)
    d.mod("create_poll", question="Q", options=["a", "b", "c"], multiple=True)
    d.mod("open_poll", poll_id="p1")
    for guest in guests:
        if ballots.draw(st.booleans()):
            choices = ballots.draw(st.lists(st.integers(0, 2), min_size=1, max_size=3, unique=True))
            d.run(guest, "cast_ballot", poll_id="p1", choices=choices)
    closed = d.mod("close_poll", poll_id="p1").events[0]
    by_table = closed.by_table  # type: ignore[attr-defined]
    poll = d.state.polls["p1"]
    if not by_table:
        return
    assert all(group.voters >= 3 for group in by_table)
    assert sum(group.voters for group in by_table) == poll.voters
    shown = [group.table_id for group in by_table if group.table_id is not None]
    assert shown and len(set(shown)) == len(shown)
    others = [group for group in by_table if group.table_id is None]
    if others:  # the rest holds two groups or more (tables or the unseated), never one small table
        voters_at = {
            t: sum(
                1 for g, s in zip(guests, seats, strict=True) if s == t and g.participant_id in poll.ballots
            )
            for t in ("t1", "t2", "t3", None)
        }
        merged = [t for t, n in voters_at.items() if n and t not in shown]
        assert len(merged) >= 2 or merged == [None]


def test_a_closed_poll_gives_its_results_by_table_and_says_other_tables(d: CoreDebate) -> None:
    """Three voters at Turing are shown; the two at Lovelace are merged with the
    unseated voter into "other tables"."""
    guests = [d.join(f"G{i}") for i in range(6)]
    for guest, table_id in zip(guests, ["t2", "t2", "t2", "t1", "t1", None], strict=True):
        if table_id is not None:
            d.run(guest, "choose_table", table_id=table_id)
    d.mod("create_poll", question="Q", options=["oui", "non"])
    d.mod("open_poll", poll_id="p1")
    for guest, choice in zip(guests, [0, 0, 1, 1, 1, 0], strict=True):
        d.run(guest, "cast_ballot", poll_id="p1", choices=[choice])
    d.mod("close_poll", poll_id="p1")
    assert [(g.table_name, g.voters, g.counts) for g in d.state.polls["p1"].by_table] == [
        ("Turing", 3, [2, 1]),
        (None, 3, [1, 2]),
    ]
    snapshot = build_snapshot(d.state, SCREEN)
    assert snapshot.polls[0].by_table == d.state.polls["p1"].by_table


def test_no_breakdown_when_no_table_counts_three_voters(d: CoreDebate) -> None:
    d.run(d.alice, "choose_table", table_id="t2")  # type: ignore[attr-defined]
    d.run(d.bob, "choose_table", table_id="t2")  # type: ignore[attr-defined]
    d.mod("create_poll", question="Q", options=["oui", "non"])
    d.mod("open_poll", poll_id="p1")
    for guest in (d.alice, d.bob, d.carol):  # type: ignore[attr-defined]
        d.run(guest, "cast_ballot", poll_id="p1", choices=[0])
    d.mod("close_poll", poll_id="p1")
    assert d.state.polls["p1"].by_table == []


def test_a_spokesperson_who_erases_leaves_the_tables_synthesis(d: CoreDebate) -> None:
    """A synthesis is the table's text, attributed to the table: erasing one's
    contributions takes one's messages, not what one wrote for the table."""
    alice = d.alice  # type: ignore[attr-defined]
    d.mod("add_round", title="Agents", theme="t", minutes=20)
    d.mod("start_round", round_id="r1")
    d.run(alice, "choose_table", table_id="t1")
    d.mod("set_spokesperson", table_id="t1", participant_id=alice.participant_id)
    d.run(alice, "post_message", text="Mon avis à moi")
    d.run(alice, "post_synthesis", round_id="r1", text="L'avis de la table")
    erased = d.run(alice, "erase_my_contributions")
    assert erased.events[0].model_dump(include={"message_ids"}) == {"message_ids": ["m1"]}
    assert [s.text for s in d.state.syntheses.values()] == ["L'avis de la table"]
    assert d.state.seat_of[alice.participant_id] == "t1"  # a seat is no contribution either
