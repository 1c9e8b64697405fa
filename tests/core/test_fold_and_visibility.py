"""State is the fold of the log; each event has the audience the rules promise."""

from __future__ import annotations

from server.core import fold
from server.core.snapshot import build_snapshot
from server.core.visibility import Audience, Viewer, audience_of, form_for, shared_form
from tests.core.debate import CoreDebate


def evening() -> tuple[CoreDebate, dict[str, str]]:
    d = CoreDebate()
    alice, bob = d.join("Alice"), d.join("Bob")
    d.mod("add_round", title="Innover", theme="t", minutes=20)
    d.mod("start_round", round_id="r1")
    d.run(alice, "post_message", text="Bonsoir")
    d.run(bob, "post_message", text="à cacher")
    d.mod("hide_message", message_id="m2")
    d.run(alice, "submit_question", text="Nommée ?")
    d.run(bob, "submit_question", text="Anonyme ?", anonymous=True)
    d.run(alice, "submit_question", text="En attente")
    d.mod("approve_question", question_id="q1")
    d.mod("approve_question", question_id="q2")
    d.run(bob, "upvote_question", question_id="q1")
    d.mod("pin_question", question_id="q2")
    d.mod("create_poll", question="Combien ?", options=["A", "B"])
    d.mod("create_poll", question="Brouillon", options=["A", "B"])
    d.mod("open_poll", poll_id="p1")
    d.run(alice, "cast_ballot", poll_id="p1", choices=[1])
    ids = {"alice": alice.participant_id or "", "bob": bob.participant_id or ""}
    return d, ids


def test_replaying_the_log_rebuilds_the_same_state() -> None:
    d, _ = evening()
    replayed = fold(d.log)
    assert replayed == d.state


def test_audiences_follow_the_rules() -> None:
    d, ids = evening()
    prior = fold([])
    seen: dict[str, Audience] = {}
    for event in d.log:
        seen[f"{event.seq}:{event.type}"] = audience_of(prior, event)
    by_type = {key.split(":")[1]: value for key, value in seen.items()}
    assert by_type["participant_joined"].moderators and not by_type["participant_joined"].everyone
    assert by_type["poll_created"].moderators and not by_type["poll_created"].everyone
    assert by_type["ballot_cast"].recipient == ids["alice"]
    assert not by_type["ballot_cast"].everyone
    assert by_type["upvote_added"].everyone and by_type["upvote_added"].recipient == ids["bob"]
    assert by_type["message_posted"].everyone


def test_pending_questions_reach_moderators_and_their_named_author_only() -> None:
    d, ids = evening()
    submitted = [e for e in d.log if e.type == "question_submitted"]
    named, anonymous = submitted[0], submitted[1]
    named_audience = audience_of(d.state, named)
    assert form_for(named, named_audience, Viewer(ids["alice"], False)) is not None
    assert form_for(named, named_audience, Viewer(ids["bob"], False)) is None
    assert form_for(named, named_audience, Viewer(None, True)) is not None
    anonymous_audience = audience_of(d.state, anonymous)
    assert anonymous_audience.recipient is None and anonymous_audience.origin
    assert form_for(anonymous, anonymous_audience, Viewer(ids["bob"], False)) is None


def test_secrets_and_voters_never_leave_in_the_shared_form() -> None:
    d, _ids = evening()
    for event in d.log:
        form = shared_form(event)
        if form is None:
            assert event.type == "ballot_cast"
            continue
        assert "token_hash" not in form
        if event.type.startswith("upvote"):
            assert "participant_id" not in form


def test_snapshots_by_role() -> None:
    d, ids = evening()
    guest = build_snapshot(d.state, Viewer(ids["bob"], False))
    assert [m.text for m in guest.messages] == ["Bonsoir"]
    assert {q.question_id for q in guest.questions} == {"q1", "q2"}
    assert guest.my_upvotes == ["q1"]
    assert [p.poll_id for p in guest.polls] == ["p1"]
    assert guest.participants is None
    pinned = [q for q in guest.questions if q.pinned]
    assert [q.question_id for q in pinned] == ["q2"]
    anonymous = next(q for q in guest.questions if q.question_id == "q2")
    assert anonymous.author_id is None and anonymous.author_name is None

    author = build_snapshot(d.state, Viewer(ids["alice"], False))
    assert {q.question_id for q in author.questions} == {"q1", "q2", "q3"}
    assert author.my_ballots == {"p1": [1]}

    moderator = build_snapshot(d.state, Viewer(d.moderator.participant_id, True))
    assert {q.question_id for q in moderator.questions} == {"q1", "q2", "q3"}
    assert {p.poll_id for p in moderator.polls} == {"p1", "p2"}
    assert moderator.participants is not None and len(moderator.participants) == 3

    screen = build_snapshot(d.state, Viewer(None, False))
    assert screen.my_upvotes == [] and screen.my_ballots == {}
