"""Run a debate through the pure core and record what each role is sent.

The recording follows the server exactly, through the same core functions:
each command's events get their audiences from ``visibility.with_audiences``,
each role is sent the form ``visibility.form_for`` gives (the replay's rule,
which the live fan-out shares through ``visibility.split``), and after each
command the polls whose counts changed send a ``poll_counts`` frame to
``visibility.poll_counts_audience``, as the server's coalesced flush does.
Frames go through JSON and ``parse_server_frame``, as on the wire.
"""

from __future__ import annotations

import copy
import itertools
import json
from dataclasses import dataclass, field
from typing import Any

from pydantic import TypeAdapter

from server.core import Actor, DebateState, DomainError, apply, decide, decide_join
from server.core.decide import decide_create, decide_word_filter
from server.core.erasure import secret_hash
from server.core.snapshot import Window, build_snapshot, history_page
from server.core.visibility import (
    Viewer,
    form_for,
    poll_counts_audience,
    poll_counts_form,
    poll_words_form,
    polls_with_new_counts,
    split,
    with_audiences,
)
from shared import events as ev
from shared import protocol as p
from shared.view import View, apply_event, apply_history, apply_poll_counts, from_snapshot, id_order

_command_adapter: TypeAdapter[Any] = TypeAdapter(p.ClientCommand)

# The people of every recorded debate, and the roles whose view is checked.
PEOPLE = {"mod": "moderator", "alice": "participant", "bob": "participant", "carol": "participant"}
# "alice" writes (named and anonymous), "bob" watches and votes, "screen" is the projector.
VIEWERS = ("mod", "alice", "bob", "screen")
# A window small enough that the short debates here outgrow it: the newest message
# and question, plus one earlier question that matters (pinned, top, own).
TINY = 10**6
TINY_WINDOW = Window(
    messages=1, message_bytes=TINY, questions=1, question_bytes=TINY, top_questions=1, own_questions=1
)
TINY_STAFF_WINDOW = Window(messages=1, message_bytes=TINY, questions=None)


def tiny_window_for(viewer: Viewer) -> Window:
    return TINY_WINDOW if viewer.participant_id is not None and not viewer.is_moderator else TINY_STAFF_WINDOW


@dataclass
class Step:
    """The state after one command, and the frames each role was sent for it."""

    state: DebateState
    frames: dict[str, list[dict[str, Any]]] = field(default_factory=dict)


class RecordedDebate:
    """A debate driven command by command, keeping the state after each one."""

    def __init__(self, title: str = "Dîner-débat IA") -> None:
        self.state = DebateState()
        self._clock = itertools.count(1)
        self._ids = itertools.count(1)
        self._secrets = itertools.count(1)
        # Known before anyone joins, so the recording starts with the debate itself.
        self.actors: dict[str, Actor] = {
            name: Actor(f"u{number}", role, name.title())  # type: ignore[arg-type]
            for number, (name, role) in enumerate(PEOPLE.items(), start=1)
        }
        self.secrets: dict[str, str] = {}  # question id -> secret (anonymous ones)
        # Step 0 is the empty debate, before it is even created.
        self.steps: list[Step] = [Step(copy.deepcopy(self.state), {name: [] for name in VIEWERS})]
        self._commit(decide_create(self.state, title, self.now()).events)
        for actor in self.actors.values():
            assert actor.participant_id is not None and actor.name is not None
            decision = decide_join(
                self.state,
                actor.participant_id,
                actor.name,
                actor.role,
                f"hash-{actor.participant_id}",
                self.now(),
            )
            self._commit(decision.events)

    def now(self) -> str:
        tick = next(self._clock)
        return f"2026-11-30T{19 + tick // 3600:02d}:{tick // 60 % 60:02d}:{tick % 60:02d}.000Z"

    def viewer(self, name: str) -> Viewer:
        if name == "screen":
            return Viewer(None, False)
        actor = self.actors[name]
        return Viewer(actor.participant_id, actor.role == "moderator")

    def run(self, who: str, type_: str, **fields: Any) -> bool:
        """Send one command as ``who``; False when the core refused it.

        ``("plan", "word_filter", {words, builtin, action})`` is the plan's
        ``[filter]``, which no one sends: the server loads it at start."""
        if (who, type_) == ("plan", "word_filter"):
            self._commit(decide_word_filter(self.state, **fields, now=self.now()).events)
            return True
        fields = dict(fields)
        if type_ == "withdraw_question" and fields.get("question_id") in self.secrets:
            fields["secret"] = self.secrets[fields["question_id"]]
        command = _command_adapter.validate_python({"type": type_, "id": f"c{next(self._ids)}", **fields})
        secret = None
        if isinstance(command, p.SubmitQuestion) and command.anonymous:
            secret = f"secret-{next(self._secrets)}"
        try:
            decision = decide(
                self.state,
                command,
                self.actors[who],
                self.now(),
                secret_hash=secret_hash(secret) if secret else None,
            )
        except DomainError:
            return False
        if secret is not None and decision.created is not None:
            self.secrets[decision.created] = secret
        self._commit(decision.events)
        return True

    def _commit(self, events: list[ev.EventBase]) -> None:
        committed = with_audiences(self.state, events)
        for event, _ in committed:
            apply(self.state, event)
        step = Step(copy.deepcopy(self.state))
        for name in VIEWERS:
            viewer = self.viewer(name)
            frames = []
            for event, audience in committed:
                form = form_for(event, audience, viewer)
                if form is not None:
                    frames.append(form)
            frames.extend(self._poll_counts_for(viewer, [event for event, _ in committed]))
            step.frames[name] = frames
        self.steps.append(step)

    def _poll_counts_for(self, viewer: Viewer, events: list[ev.EventBase]) -> list[dict[str, Any]]:
        frames = []
        me = frozenset({viewer})
        for poll_id in sorted(polls_with_new_counts(events)):
            poll = self.state.polls.get(poll_id)
            if poll is None or poll.status != "open":
                continue
            audience = poll_counts_audience(poll)
            shared, _ = split(audience, me, me if viewer.is_moderator else frozenset(), frozenset())
            if shared:
                counts, voters = poll_counts_form(poll, viewer)
                words = poll_words_form(poll, viewer)
                frame = p.PollCounts(poll_id=poll_id, counts=counts, voters=voters, words=words)
                frames.append(frame.model_dump(mode="json"))
        return frames

    # --- what a role sees ---------------------------------------------------------

    def snapshot_at(self, step: int, name: str, windowed: bool = False) -> ev.Snapshot:
        """What ``name`` sees at ``step``: all of it, or the bounded form of a
        welcome (with the tiny window, so that it is bounded here too)."""
        viewer = self.viewer(name)
        return build_snapshot(self.steps[step].state, viewer, tiny_window_for(viewer) if windowed else None)

    def history_pages(self, step: int, name: str, view: View, limit: int = 1) -> list[dict[str, Any]]:
        """The ``history`` frames a client fetching every earlier item at ``step``
        is sent (each request continues where ``view`` then starts); each is
        applied to ``view`` as it comes."""
        frames: list[dict[str, Any]] = []
        kinds: tuple[p.HistoryKind, ...] = ("messages", "questions")
        for kind in kinds:
            while (before := _start_of(view, kind)) is not None:
                command = p.FetchHistory(id=f"h{len(frames) + 1}", kind=kind, before=before, limit=limit)
                page = history_page(self.steps[step].state, self.viewer(name), command, command.id)
                frame = page.model_dump(mode="json")  # as the server sends it
                take(view, on_the_wire(frame))
                frames.append(frame)
        return frames

    def frames_between(self, start: int, end: int, name: str) -> list[dict[str, Any]]:
        """The frames ``name`` is sent after step ``start`` up to step ``end``."""
        return [frame for step in self.steps[start + 1 : end + 1] for frame in step.frames[name]]


def on_the_wire(frame: dict[str, Any]) -> Any:
    return p.parse_server_frame(json.dumps(frame, ensure_ascii=False))


def fold_frames(view: View, frames: list[dict[str, Any]]) -> View:
    for frame in frames:
        take(view, on_the_wire(frame))
    return view


def take(view: View, frame: Any) -> None:
    if isinstance(frame, p.PollCounts):
        apply_poll_counts(view, frame)
    elif isinstance(frame, p.History):
        apply_history(view, frame)
    else:
        apply_event(view, frame)


def _start_of(view: View, kind: p.HistoryKind) -> str | None:
    return view.messages_before if kind == "messages" else view.questions_before


def held_part(full: ev.Snapshot, view: View) -> ev.Snapshot:
    """What a bounded view must equal: the server's whole snapshot, keeping of the
    chat and the questions only what the view holds or must hold (every item
    from where its list starts). Anything the view holds that the server does
    not show, or shows otherwise, and any gap in its recent part, differs."""

    def kept(item_id: str, start: str | None, held: dict[str, Any]) -> bool:
        return start is None or item_id in held or id_order(item_id) >= id_order(start)

    messages = [m for m in full.messages if kept(m.message_id, view.messages_before, view.messages)]
    questions = [q for q in full.questions if kept(q.question_id, view.questions_before, view.questions)]
    held_questions = {q.question_id for q in questions}
    return full.model_copy(
        update={
            "messages": messages,
            "questions": questions,
            "my_upvotes": [q for q in full.my_upvotes if q in held_questions],
            "messages_before": view.messages_before,
            "questions_before": view.questions_before,
        }
    )


def view_from(debate: RecordedDebate, step: int, name: str, windowed: bool = False) -> View:
    viewer = debate.viewer(name)
    snapshot = ev.Snapshot.model_validate_json(debate.snapshot_at(step, name, windowed).model_dump_json())
    return from_snapshot(snapshot, debate.steps[step].state.seq, viewer.participant_id, viewer.is_moderator)
