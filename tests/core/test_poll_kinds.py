"""Poll kinds (issue 12): rating, words and open polls in the pure core."""

from __future__ import annotations

import pytest

from server.core import DomainError, fold
from server.core.erasure import redactions
from server.core.snapshot import build_snapshot
from server.core.visibility import SCREEN, Viewer, audience_of
from shared import events as ev
from shared.words import clean_word, word_cloud, word_key
from tests.core.debate import CoreDebate


def code_of(debate: CoreDebate, actor: object, type_: str, **fields: object) -> str:
    before = debate.state.seq
    with pytest.raises(DomainError) as error:
        debate.run(actor, type_, **fields)  # type: ignore[arg-type]
    assert debate.state.seq == before  # a refused command changes nothing
    return error.value.code


# --- creating: the fields must fit the kind -------------------------------------


@pytest.mark.parametrize(
    "fields",
    [
        {"kind": "choice"},  # no options
        {"kind": "choice", "options": ["a", "b"], "scale_max": 5},
        {"kind": "rating", "options": ["a", "b"]},
        {"kind": "rating", "multiple": True},
        {"kind": "words", "options": ["a", "b"]},
        {"kind": "words", "scale_max": 4},
        {"kind": "open", "scale_labels": ["bas", "haut"]},
        {"kind": "open", "options": ["a", "b"]},
    ],
)
def test_fields_that_do_not_fit_the_kind_are_refused(fields: dict[str, object]) -> None:
    d = CoreDebate()
    assert code_of(d, d.moderator, "create_poll", question="Q", **fields) == "kind_mismatch"


def test_a_poll_without_kind_is_a_choice_poll_and_a_rating_defaults_to_five() -> None:
    d = CoreDebate()
    d.mod("create_poll", question="Q", options=["a", "b"])
    d.mod("create_poll", question="R", kind="rating")
    assert d.state.polls["p1"].kind == "choice"
    assert (d.state.polls["p2"].kind, d.state.polls["p2"].scale_max) == ("rating", 5)


def test_an_old_log_without_kind_replays_unchanged() -> None:
    """Events written before poll kinds have no kind field: they fold as choice polls."""
    old = [
        {"type": "debate_created", "seq": 1, "at": "2026-01-01T00:00:00Z", "title": "D"},
        {
            "type": "participant_joined",
            "seq": 2,
            "at": "2026-01-01T00:00:00Z",
            "participant_id": "u1",
            "name": "A",
            "role": "participant",
        },
        {
            "type": "poll_created",
            "seq": 3,
            "at": "2026-01-01T00:00:00Z",
            "poll_id": "p1",
            "question": "Q",
            "options": ["a", "b"],
            "multiple": False,
            "hide_results": False,
        },
        {
            "type": "poll_opened",
            "seq": 4,
            "at": "2026-01-01T00:00:00Z",
            "poll_id": "p1",
            "question": "Q",
            "options": ["a", "b"],
            "multiple": False,
            "hide_results": False,
            "round_id": None,
        },
        {
            "type": "ballot_cast",
            "seq": 5,
            "at": "2026-01-01T00:00:00Z",
            "poll_id": "p1",
            "participant_id": "u1",
            "choices": [1],
        },
        {
            "type": "poll_closed",
            "seq": 6,
            "at": "2026-01-01T00:00:00Z",
            "poll_id": "p1",
            "counts": [0, 1],
            "voters": 1,
        },
    ]
    state = fold(ev.event_adapter.validate_python(e) for e in old)
    poll = state.polls["p1"]
    assert (poll.kind, poll.counts(), poll.voters, poll.ballots) == ("choice", [0, 1], 1, {"u1": [1]})


# --- rating ------------------------------------------------------------------------


@pytest.fixture
def rating() -> CoreDebate:
    d = CoreDebate()
    d.mod("create_poll", question="Maturité ?", kind="rating", scale_max=4, scale_labels=["bas", "haut"])
    d.mod("open_poll", poll_id="p1")
    return d


def test_a_rating_is_counted_per_point_and_may_change(rating: CoreDebate) -> None:
    alice, bob = rating.join("Alice"), rating.join("Bob")
    rating.run(alice, "cast_ballot", poll_id="p1", rating=3)
    rating.run(bob, "cast_ballot", poll_id="p1", rating=1)
    rating.run(bob, "cast_ballot", poll_id="p1", rating=4)
    poll = rating.state.polls["p1"]
    assert (poll.counts(), poll.voters) == ([0, 0, 1, 1], 2)
    closed = rating.mod("close_poll", poll_id="p1").events[0]
    assert isinstance(closed, ev.PollClosed) and closed.counts == [0, 0, 1, 1]


def test_a_rating_off_the_scale_or_a_wrong_field_is_refused(rating: CoreDebate) -> None:
    alice = rating.join("Alice")
    assert code_of(rating, alice, "cast_ballot", poll_id="p1", rating=5) == "invalid_rating"
    assert code_of(rating, alice, "cast_ballot", poll_id="p1", choices=[0]) == "kind_mismatch"
    assert code_of(rating, alice, "cast_ballot", poll_id="p1", words=["x"]) == "kind_mismatch"
    assert code_of(rating, alice, "cast_ballot", poll_id="p1", rating=2, text="x") == "kind_mismatch"
    assert code_of(rating, alice, "cast_ballot", poll_id="p1") == "kind_mismatch"


def test_erasing_unlinks_a_rating_without_moving_the_counts(rating: CoreDebate) -> None:
    alice, bob = rating.join("Alice"), rating.join("Bob")
    rating.run(alice, "cast_ballot", poll_id="p1", rating=1)
    rating.run(alice, "cast_ballot", poll_id="p1", rating=2)
    rating.run(bob, "cast_ballot", poll_id="p1", rating=4)
    before = rating.state.polls["p1"].counts()
    erased = rating.run(alice, "erase_my_contributions").events
    poll = rating.state.polls["p1"]
    assert poll.counts() == before and "u2" not in poll.ratings and poll.unlinked_ratings == [2]
    assert code_of(rating, alice, "cast_ballot", poll_id="p1", rating=3) == "erased_earlier"
    # The log as rewritten folds to the same state: the last rating kept, the earlier one emptied.
    stored = [e for e in rating.log if isinstance(e, ev.BallotCast)]
    rewritten = {e.seq: e for e, _ in redactions(stored, erased)}
    ballots = [e for e in rewritten.values() if isinstance(e, ev.BallotCast)]
    assert [(e.participant_id, e.rating) for e in ballots] == [(None, None), (None, 2)]
    log = [rewritten.get(e.seq, e) for e in rating.log]
    assert fold(log).polls["p1"].counts() == before


# --- words -------------------------------------------------------------------------


def test_words_are_grouped_by_case_accents_and_punctuation() -> None:
    assert clean_word("  « Café  crème » !") == "Café crème"
    assert word_key("CAFÉ!") == word_key("cafe") == "cafe"
    assert word_key("?!") == ""
    cloud = word_cloud([["Café", "IA"], ["cafe !"], ["ia", "Café"], ["café"]])
    assert cloud == [("Café", 4), ("IA", 2)]


@pytest.fixture
def words() -> CoreDebate:
    d = CoreDebate()
    d.mod("create_poll", question="Un mot ?", kind="words")
    d.mod("open_poll", poll_id="p1")
    return d


def test_each_guest_sends_up_to_three_words_counted_once(words: CoreDebate) -> None:
    alice, bob = words.join("Alice"), words.join("Bob")
    words.run(alice, "cast_ballot", poll_id="p1", words=["Confiance", " coûts. "])
    words.run(bob, "cast_ballot", poll_id="p1", words=["confiance !", "risque"])
    poll = words.state.polls["p1"]
    assert poll.word_ballots["u2"] == ["Confiance", "coûts"]
    assert poll.word_cloud() == [("Confiance", 2), ("coûts", 1), ("risque", 1)]
    closed = words.mod("close_poll", poll_id="p1").events[0]
    assert isinstance(closed, ev.PollClosed) and closed.words is not None
    assert [(w.word, w.count) for w in closed.words] == [("Confiance", 2), ("coûts", 1), ("risque", 1)]


def test_repeated_or_empty_words_and_a_fourth_word_are_refused(words: CoreDebate) -> None:
    alice = words.join("Alice")
    assert code_of(words, alice, "cast_ballot", poll_id="p1", words=["IA", "ia!"]) == "invalid_words"
    assert code_of(words, alice, "cast_ballot", poll_id="p1", words=["…"]) == "invalid_words"
    assert code_of(words, alice, "cast_ballot", poll_id="p1", choices=[0]) == "kind_mismatch"
    with pytest.raises(ValueError):  # the frame itself: at most 3 words, 40 characters each
        words.command("cast_ballot", poll_id="p1", words=["a", "b", "c", "d"])
    with pytest.raises(ValueError):
        words.command("cast_ballot", poll_id="p1", words=["x" * 41])


def test_hidden_words_reach_guests_only_at_the_close() -> None:
    d = CoreDebate()
    d.mod("create_poll", question="Un mot ?", kind="words", hide_results=True)
    d.mod("open_poll", poll_id="p1")
    d.run(d.join("Alice"), "cast_ballot", poll_id="p1", words=["IA"])
    guest = build_snapshot(d.state, SCREEN).polls[0]
    moderator = build_snapshot(d.state, Viewer(d.moderator.participant_id, True)).polls[0]
    assert (guest.words, guest.voters) == (None, 1)
    assert moderator.words == [ev.WordCount(word="IA", count=1)]
    d.mod("close_poll", poll_id="p1")
    assert build_snapshot(d.state, SCREEN).polls[0].words == [ev.WordCount(word="IA", count=1)]


def test_erasing_unlinks_words_without_moving_the_cloud(words: CoreDebate) -> None:
    alice = words.join("Alice")
    words.run(alice, "cast_ballot", poll_id="p1", words=["IA"])
    words.run(alice, "erase_my_contributions")
    poll = words.state.polls["p1"]
    assert poll.word_cloud() == [("IA", 1)] and poll.word_ballots == {} and poll.unlinked_words == [["IA"]]


# --- open answers --------------------------------------------------------------------


@pytest.fixture
def open_poll() -> CoreDebate:
    d = CoreDebate()
    d.mod("create_poll", question="Un frein ?", kind="open")
    d.mod("open_poll", poll_id="p1")
    return d


def test_an_open_answer_is_linked_to_no_one_and_seen_by_moderators_only(open_poll: CoreDebate) -> None:
    alice = open_poll.join("Alice")
    decision = open_poll.run(alice, "cast_ballot", poll_id="p1", text="Les compétences")
    (event,) = decision.events
    assert decision.created == "o1"
    assert isinstance(event, ev.AnswerSubmitted)
    assert "u2" not in event.model_dump_json() and "Alice" not in event.model_dump_json()
    assert audience_of(open_poll.state, event).as_columns() == ("moderators", None)
    assert build_snapshot(open_poll.state, Viewer("u2", False)).polls[0].answers == []
    (mine,) = (
        build_snapshot(open_poll.state, Viewer(open_poll.moderator.participant_id, True)).polls[0].answers
    )
    assert (mine.text, mine.status) == ("Les compétences", "pending")
    # Several answers are allowed: nothing links them to Alice, so nothing could count hers.
    open_poll.run(alice, "cast_ballot", poll_id="p1", text="Le budget")
    assert open_poll.state.polls["p1"].voters == 2


def test_answers_are_reviewed_before_anyone_else_sees_them_even_without_moderation(
    open_poll: CoreDebate,
) -> None:
    open_poll.mod("set_moderation", enabled=False)
    alice = open_poll.join("Alice")
    open_poll.run(alice, "cast_ballot", poll_id="p1", text="Oui")
    assert build_snapshot(open_poll.state, SCREEN).polls[0].answers == []
    approved = open_poll.mod("approve_answer", poll_id="p1", answer_id="o1").events[0]
    assert audience_of(open_poll.state, approved).everyone  # results are not hidden: the room sees it
    assert [a.text for a in build_snapshot(open_poll.state, SCREEN).polls[0].answers] == ["Oui"]
    assert code_of(open_poll, open_poll.moderator, "approve_answer", poll_id="p1", answer_id="o1") == (
        "already_approved"
    )
    open_poll.mod("reject_answer", poll_id="p1", answer_id="o1")
    assert build_snapshot(open_poll.state, SCREEN).polls[0].answers == []
    assert code_of(open_poll, open_poll.moderator, "reject_answer", poll_id="p1", answer_id="o1") == (
        "already_rejected"
    )
    assert code_of(open_poll, open_poll.moderator, "approve_answer", poll_id="p1", answer_id="o9") == (
        "answer_not_found"
    )
    assert code_of(open_poll, alice, "approve_answer", poll_id="p1", answer_id="o1") == "forbidden"


def test_an_open_poll_takes_text_only(open_poll: CoreDebate) -> None:
    alice = open_poll.join("Alice")
    assert code_of(open_poll, alice, "cast_ballot", poll_id="p1", choices=[0]) == "kind_mismatch"
    assert code_of(open_poll, alice, "cast_ballot", poll_id="p1", rating=1) == "kind_mismatch"
    with pytest.raises(ValueError):
        open_poll.command("cast_ballot", poll_id="p1", text="x" * 281)


def test_a_choice_poll_refuses_the_other_kinds_fields() -> None:
    d = CoreDebate()
    d.mod("create_poll", question="Q", options=["a", "b"])
    d.mod("open_poll", poll_id="p1")
    alice = d.join("Alice")
    assert code_of(d, alice, "cast_ballot", poll_id="p1", rating=1) == "kind_mismatch"
    assert code_of(d, alice, "cast_ballot", poll_id="p1", choices=[0], text="x") == "kind_mismatch"
