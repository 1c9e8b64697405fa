"""Messages and named questions carry their author's role, decided by the core
from who sent them, never from the name (issue 14, item 4)."""

from __future__ import annotations

from server.core import fold
from server.core.snapshot import build_snapshot
from server.core.visibility import EVERYONE, SCREEN, Viewer, replay_form
from shared import events as ev
from tests.core.debate import CoreDebate


def test_a_look_alike_of_the_moderator_is_still_a_guest() -> None:
    d = CoreDebate()
    impostor = d.join("M\u043ed")  # a Cyrillic "о": the moderator is "Mod"
    d.run(impostor, "post_message", text="Je suis la modération")
    d.mod("post_message", text="Bonsoir")
    posted = [e for e in d.log if isinstance(e, ev.MessagePosted)]
    assert [(e.author_name, e.author_role) for e in posted] == [
        (impostor.name, "participant"),
        ("Mod", "moderator"),
    ]
    shown = build_snapshot(d.state, SCREEN).messages
    assert [m.author_role for m in shown] == ["participant", "moderator"]


def test_named_questions_carry_the_role_and_anonymous_ones_none() -> None:
    d = CoreDebate()
    alice = d.join("Alice")
    d.mod("set_moderation", enabled=False)
    d.mod("submit_question", text="Par la modération ?")
    d.mod("submit_question", text="Anonyme ?", anonymous=True)
    d.run(alice, "submit_question", text="Par Alice ?")
    submitted = [e for e in d.log if isinstance(e, ev.QuestionSubmitted)]
    assert [e.author_role for e in submitted] == ["moderator", None, "participant"]
    shown = build_snapshot(d.state, SCREEN).questions
    assert [q.author_role for q in shown] == ["moderator", None, "participant"]
    # Restored after a rejection, the question keeps its author's role.
    d.mod("reject_question", question_id="q1")
    restored = d.mod("restore_question", question_id="q1").events[-1]
    assert isinstance(restored, ev.QuestionRestored) and restored.author_role == "moderator"


def test_an_older_log_without_roles_replays_with_the_authors_roles() -> None:
    d = CoreDebate()
    alice = d.join("Alice")
    d.mod("post_message", text="Bonsoir")
    d.run(alice, "post_message", text="Bonsoir aussi")
    d.mod("submit_question", text="Par la modération ?")
    # An older server wrote these events without the field.
    old_log = [ev.event_adapter.validate_python(e.model_dump(exclude={"author_role"})) for e in d.log]
    state = fold(old_log)
    assert [m.author_role for m in state.messages.values()] == ["moderator", "participant"]
    assert state.questions["q1"].author_role == "moderator"
    moderator_view = Viewer(d.moderator.participant_id, is_moderator=True)
    replayed = [replay_form(state, e, EVERYONE, moderator_view) for e in old_log]
    roles = [form["author_role"] for form in replayed if form and "message_id" in form]
    assert roles == ["moderator", "participant"]
    question = next(form for form in replayed if form and form.get("question_id") == "q1")
    assert question["author_role"] == "moderator"
