"""Merged questions and written answers (issue 12), in the pure core."""

from __future__ import annotations

import pytest

from server.core import Actor, DomainError, fold
from server.core.erasure import question_secret, redactions
from server.core.snapshot import Window, build_snapshot
from server.core.visibility import (
    ANONYMOUS_AUTHOR_SCOPE,
    Audience,
    Viewer,
    audience_from_columns,
    audience_of,
)
from shared import events as ev
from tests.core.debate import CoreDebate


def _votes(d: CoreDebate, question_id: str) -> int:
    shown = {q.question_id: q for q in build_snapshot(d.state, Viewer(None, False)).questions}
    return shown[question_id].votes


def _refused(d: CoreDebate, actor: Actor, type_: str, **fields: object) -> str:
    before = d.state.seq
    with pytest.raises(DomainError) as error:
        d.run(actor, type_, **fields)
    assert d.state.seq == before, "a refused command changes nothing"
    return error.value.code


def _debate() -> tuple[CoreDebate, dict[str, Actor]]:
    """Three approved questions: q1 by Alice, q2 anonymous (Alice's key), q3 by Bob."""
    d = CoreDebate()
    people = {name: d.join(name.title()) for name in ("alice", "bob", "carol", "dan")}
    alice = people["alice"]
    people["alice"] = Actor(alice.participant_id, "participant", alice.name, author_key="alice-key")
    d.mod("set_moderation", enabled=False)
    d.run(people["alice"], "submit_question", text="Quel budget pour l'IA ?")
    d.run(people["alice"], "submit_question", text="Combien pour l'IA ?", anonymous=True)
    d.run(people["bob"], "submit_question", text="Le budget IA ?")
    return d, people


def test_a_merge_makes_variants_and_counts_each_voter_once() -> None:
    d, people = _debate()
    d.run(people["bob"], "upvote_question", question_id="q1")
    d.run(people["carol"], "upvote_question", question_id="q1")
    d.run(people["carol"], "upvote_question", question_id="q2")
    d.run(people["dan"], "upvote_question", question_id="q3")
    merged = d.mod("merge_questions", keep_id="q1", merged_ids=["q2", "q3"])
    assert d.types(merged) == ["questions_merged", "merge_notified", "merge_notified"]
    event = merged.events[0]
    assert isinstance(event, ev.QuestionsMerged) and event.merged_ids == ["q2", "q3"]
    assert event.votes == 3  # bob, carol (twice given, once counted), dan
    assert _votes(d, "q1") == 3 and _votes(d, "q2") == _votes(d, "q3") == 0
    assert d.state.questions["q1"].variant_ids == ["q2", "q3"]
    # Each keeps its own voters, so that an unmerge gives them back.
    assert d.state.questions["q2"].voters == {people["carol"].participant_id}
    # A guest counted through a variant has upvoted the kept question already.
    assert _refused(d, people["carol"], "upvote_question", question_id="q1") == "already_upvoted"
    assert _refused(d, people["dan"], "upvote_question", question_id="q1") == "already_upvoted"
    # The author of a variant may upvote the question theirs was merged into.
    d.run(people["bob"], "withdraw_upvote", question_id="q1")
    added = d.run(people["bob"], "upvote_question", question_id="q1")
    assert added.events[0].votes == 3  # type: ignore[attr-defined]


def test_unmerge_gives_a_question_its_own_voters_back() -> None:
    d, people = _debate()
    d.run(people["carol"], "upvote_question", question_id="q1")
    d.run(people["carol"], "upvote_question", question_id="q3")
    d.run(people["dan"], "upvote_question", question_id="q3")
    d.mod("merge_questions", keep_id="q1", merged_ids=["q3"])
    assert _votes(d, "q1") == 2
    split = d.mod("unmerge_question", question_id="q3")
    assert d.types(split) == ["question_unmerged"]
    event = split.events[0]
    assert isinstance(event, ev.QuestionUnmerged)
    assert (event.question_id, event.keep_id, event.votes, event.keep_votes) == ("q3", "q1", 2, 1)
    assert _votes(d, "q1") == 1 and _votes(d, "q3") == 2
    assert d.state.questions["q1"].variant_ids == [] and d.state.questions["q3"].merged_into is None


def test_withdrawing_from_a_group_withdraws_from_each_question_holding_the_vote() -> None:
    d, people = _debate()
    carol = people["carol"]
    d.run(carol, "upvote_question", question_id="q1")
    d.run(carol, "upvote_question", question_id="q3")
    d.mod("merge_questions", keep_id="q1", merged_ids=["q3"])
    withdrawn = d.run(carol, "withdraw_upvote", question_id="q1")
    assert [(e.question_id, e.votes) for e in withdrawn.events] == [("q1", 1), ("q3", 0)]  # type: ignore[attr-defined]
    # The first one changes no count the room sees: it goes to Carol only.
    before = fold(d.log[: withdrawn.events[0].seq - 1])
    assert audience_of(before, withdrawn.events[0]) == Audience(recipient=carol.participant_id)
    assert audience_of(before, withdrawn.events[1]).everyone
    assert _votes(d, "q1") == 0
    d.mod("unmerge_question", question_id="q3")
    assert _votes(d, "q3") == 0


@pytest.mark.parametrize(
    ("fields", "code"),
    [
        ({"keep_id": "q9", "merged_ids": ["q2"]}, "question_not_found"),
        ({"keep_id": "q1", "merged_ids": ["q9"]}, "question_not_found"),
        ({"keep_id": "q1", "merged_ids": ["q1", "q2"]}, "merge_into_itself"),
        ({"keep_id": "q4", "merged_ids": ["q1"]}, "question_not_approved"),  # pending
        ({"keep_id": "q1", "merged_ids": ["q4"]}, "question_not_approved"),
        ({"keep_id": "q1", "merged_ids": ["q5"]}, "question_not_approved"),  # rejected
        ({"keep_id": "q1", "merged_ids": ["q3"]}, "already_merged"),
        ({"keep_id": "q3", "merged_ids": ["q1"]}, "question_merged"),
    ],
)
def test_what_cannot_be_merged(fields: dict[str, object], code: str) -> None:
    d, people = _debate()
    d.mod("merge_questions", keep_id="q2", merged_ids=["q3"])
    d.mod("set_moderation", enabled=True)
    d.run(people["carol"], "submit_question", text="En attente ?")  # q4, pending
    d.run(people["carol"], "submit_question", text="Rejetée")  # q5
    d.mod("reject_question", question_id="q5")
    assert _refused(d, d.moderator, "merge_questions", **fields) == code


def test_what_a_merged_question_refuses() -> None:
    d, people = _debate()
    d.mod("merge_questions", keep_id="q1", merged_ids=["q3"])
    for type_, actor in (
        ("upvote_question", people["carol"]),
        ("withdraw_upvote", people["carol"]),
        ("pin_question", d.moderator),
        ("mark_answered", d.moderator),
    ):
        assert _refused(d, actor, type_, question_id="q3") == "question_merged", type_
    assert _refused(d, d.moderator, "answer_question", question_id="q3", text="Oui") == "question_merged"
    assert (
        _refused(d, d.moderator, "set_spotlight", kind="question", item_id="q3") == "question_merged"
    )
    assert _refused(d, d.moderator, "unmerge_question", question_id="q1") == "not_merged"
    assert _refused(d, people["alice"], "merge_questions", keep_id="q1", merged_ids=["q2"]) == "forbidden"
    assert _refused(d, people["alice"], "unmerge_question", question_id="q3") == "forbidden"


def test_a_kept_question_merged_in_turn_brings_its_variants() -> None:
    d, _ = _debate()
    d.mod("merge_questions", keep_id="q2", merged_ids=["q3"])
    merged = d.mod("merge_questions", keep_id="q1", merged_ids=["q2"])
    assert merged.events[0].merged_ids == ["q2", "q3"]  # type: ignore[attr-defined]
    assert d.state.questions["q1"].variant_ids == ["q2", "q3"]
    assert d.state.questions["q3"].merged_into == "q1"
    assert [e.question_id for e in merged.events if isinstance(e, ev.MergeNotified)] == ["q2", "q3"]


def test_a_merged_question_leaves_the_floor_and_the_projector_follows() -> None:
    d, _ = _debate()
    d.mod("pin_question", question_id="q3")
    d.mod("set_spotlight", kind="question", item_id="q3")
    merged = d.mod("merge_questions", keep_id="q1", merged_ids=["q3"])
    assert d.types(merged) == ["question_unpinned", "questions_merged", "spotlight_set", "merge_notified"]
    assert d.state.pinned_question_id is None
    assert d.state.spotlight == ("question", "q1")


def test_the_author_is_told_privately_and_an_anonymous_one_by_key_only() -> None:
    d, people = _debate()
    before = fold(d.log)
    merged = d.mod("merge_questions", keep_id="q3", merged_ids=["q1", "q2"])
    named, anonymous = [e for e in merged.events if isinstance(e, ev.MergeNotified)]
    assert audience_of(before, named) == Audience(recipient=people["alice"].participant_id)
    audience = audience_of(before, anonymous)
    assert audience == Audience(anonymous_author_of="q2")
    # The log keeps the question's id, which names no one.
    assert audience.as_columns() == (ANONYMOUS_AUTHOR_SCOPE, "q2")
    assert audience_from_columns(*audience.as_columns()) == audience
    assert str(people["alice"].participant_id) not in anonymous.model_dump_json()
    assert question_secret("alice-key", "q2")  # the key that made its secret finds it


def test_erasing_a_merged_question_splits_it_off_first() -> None:
    d, people = _debate()
    d.run(people["carol"], "upvote_question", question_id="q1")
    d.run(people["dan"], "upvote_question", question_id="q3")
    d.mod("merge_questions", keep_id="q3", merged_ids=["q1"])
    assert _votes(d, "q3") == 2
    erased = d.run(people["alice"], "erase_my_contributions")
    assert d.types(erased) == ["question_unmerged", "contributions_erased"]
    assert "q1" not in d.state.questions and d.state.questions["q3"].variant_ids == []
    assert _votes(d, "q3") == 1
    # Its text leaves the log, as any erased question's.
    rewritten = {e.seq: e for e, _ in redactions(d.log, erased.events)}
    assert any(isinstance(e, ev.QuestionSubmitted) and e.question_id == "q1" for e in rewritten.values())
    assert all(getattr(e, "text", "") == "" for e in rewritten.values())


def test_erasing_a_kept_question_frees_its_variants() -> None:
    d, people = _debate()
    d.run(people["carol"], "upvote_question", question_id="q1")
    d.run(people["carol"], "upvote_question", question_id="q3")
    d.mod("merge_questions", keep_id="q1", merged_ids=["q2", "q3"])
    erased = d.run(people["alice"], "erase_my_contributions")
    assert d.types(erased)[:2] == ["question_unmerged", "question_unmerged"]
    assert d.state.questions["q3"].merged_into is None and _votes(d, "q3") == 1


def test_an_erasers_vote_in_a_group_stays_counted_once() -> None:
    """Erasure unlinks votes without moving counts, merged groups included."""
    d, people = _debate()
    carol = people["carol"]
    d.run(carol, "upvote_question", question_id="q1")
    d.run(carol, "upvote_question", question_id="q3")
    d.run(people["dan"], "upvote_question", question_id="q3")
    d.mod("merge_questions", keep_id="q1", merged_ids=["q3"])
    assert _votes(d, "q1") == 2
    erased = d.run(carol, "erase_my_contributions")
    assert d.types(erased) == ["upvote_withdrawn", "contributions_erased"]
    dropped = erased.events[0]
    assert isinstance(dropped, ev.UpvoteWithdrawn) and dropped.participant_id is None  # names nobody
    assert audience_of(fold(d.log[: dropped.seq - 1]), dropped) == Audience()  # and nobody is told
    assert _votes(d, "q1") == 2
    # The log as the service rewrites it (earlier events only) folds to the same state.
    earlier = d.log[: dropped.seq - 1]
    rewritten = {e.seq: e for e, _ in redactions(earlier, [erased.events[-1]])}
    replay = fold([rewritten.get(e.seq, e) for e in d.log])
    assert replay.questions == d.state.questions
    assert str(carol.participant_id) not in "".join(e.model_dump_json() for e in rewritten.values())


def test_withdrawing_an_anonymous_kept_question_splits_its_variants() -> None:
    d, people = _debate()
    d.mod("merge_questions", keep_id="q2", merged_ids=["q3"])
    secret = question_secret("alice-key", "q2")
    withdrawn = d.run(people["alice"], "withdraw_question", question_id="q2", secret=secret)
    assert d.types(withdrawn) == ["question_unmerged", "question_withdrawn"]
    assert d.state.questions["q3"].merged_into is None


def test_rejecting_a_merged_question_splits_it_off() -> None:
    d, _ = _debate()
    d.mod("merge_questions", keep_id="q1", merged_ids=["q3"])
    rejected = d.mod("reject_question", question_id="q3")
    assert d.types(rejected) == ["question_unmerged", "question_rejected"]
    assert d.state.questions["q1"].variant_ids == []


def test_a_written_answer_shows_under_its_question_and_a_second_replaces_it() -> None:
    d, people = _debate()
    written = d.mod("answer_question", question_id="q1", text="Environ 2 % du budget IT.")
    assert d.types(written) == ["answer_written"]
    assert d.state.questions["q1"].answer == "Environ 2 % du budget IT."
    assert not d.state.questions["q1"].answered  # distinct from mark_answered
    d.mod("answer_question", question_id="q1", text="Plutôt 3 %.")
    view = {q.question_id: q for q in build_snapshot(d.state, Viewer(None, False)).questions}["q1"]
    assert view.answer == "Plutôt 3 %." and view.answer_at is not None
    d.mod("set_moderation", enabled=True)
    d.run(people["carol"], "submit_question", text="En attente")
    for question_id, code in (("q4", "question_not_approved"), ("q9", "question_not_found")):
        assert _refused(d, d.moderator, "answer_question", question_id=question_id, text="Non") == code
    assert _refused(d, people["bob"], "answer_question", question_id="q1", text="Moi") == "forbidden"


def test_a_bounded_snapshot_holds_a_merged_group_whole() -> None:
    """A guest's welcome holds the recent questions: a kept question in it brings
    its older variants, and a recent variant brings the older question it is under."""
    d, people = _debate()
    for number in range(6):
        d.run(people["carol"], "submit_question", text=f"Récente {number}")  # q4..q9
    d.mod("merge_questions", keep_id="q9", merged_ids=["q1"])  # an old one under the newest
    d.mod("merge_questions", keep_id="q2", merged_ids=["q8"])  # a recent one under an old one
    window = Window(questions=3, top_questions=0, own_questions=0)
    shown = build_snapshot(d.state, Viewer(people["dan"].participant_id, False), window)
    ids = {q.question_id for q in shown.questions}
    assert {"q9", "q1", "q8", "q2"} <= ids
    assert "q3" not in ids and shown.questions_before is not None
