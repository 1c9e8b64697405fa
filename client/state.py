"""The client's picture of the debate: the shared view, plus what is the client's own.

What the server decides (rounds, chat, questions, polls…) is folded by the
shared view reducer (``shared.view``), the same one the conformance cases
prove against the server. This module keeps only what belongs to this client:
who we are, the epoch, the questions we asked (anonymous ones included, which
the server cannot tell us) with their secrets, and the presence frames.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from shared import events as ev
from shared import protocol as p
from shared.view import (
    ALL,
    CHAT,
    FLOOR,
    NOTES,
    PEOPLE,
    POLLS,
    QUESTIONS,
    ROUNDS,
    SPOTLIGHT,
    TABLES,
    TITLE,
    View,
    apply_history,
    apply_poll_counts,
)
from shared.view import apply_event as fold_event

__all__ = [
    "ALL",
    "CHAT",
    "FLOOR",
    "NOTES",
    "PEOPLE",
    "POLLS",
    "QUESTIONS",
    "ROUNDS",
    "SPOTLIGHT",
    "TABLES",
    "TITLE",
    "ClientState",
    "MessageItem",
    "PollItem",
    "QuestionItem",
    "RoundItem",
    "apply_event",
    "apply_history",
    "apply_poll_counts",
    "apply_presence",
    "apply_welcome",
    "note_created",
]

# The screens read the snapshot's models as they are.
RoundItem = ev.RoundView
MessageItem = ev.MessageView
QuestionItem = ev.QuestionView
PollItem = ev.PollView


@dataclass
class ClientState(View):
    role: str = "participant"
    name: str | None = None
    epoch: str | None = None
    # Questions we asked, anonymous ones included (learnt from our acks).
    my_questions: set[str] = field(default_factory=set)
    # The secrets that alone withdraw our anonymous questions.
    my_secrets: dict[str, str] = field(default_factory=dict)
    # Open polls we sent an answer to (learnt from our acks: the server keeps no link).
    my_answered: set[str] = field(default_factory=set)
    presence: int | None = None
    connected: list[p.ConnectedView] = field(default_factory=list)
    # Moderators: new identities (the rate in force, the last minute's figures).
    join_stats: p.JoinStats | None = None

    def is_mine(self, question: ev.QuestionView) -> bool:
        return question.question_id in self.my_questions or (
            self.me is not None and question.author_id == self.me
        )

    def asked(self, question_id: str) -> bool:
        """Whether we asked this question, even one no longer in our view."""
        question = self.questions.get(question_id)
        return question_id in self.my_questions or (question is not None and self.is_mine(question))


def apply_welcome(state: ClientState, welcome: p.Welcome) -> frozenset[str]:
    """Take in a welcome: a catch-up of events, or a snapshot that replaces all."""
    if state.epoch is not None and state.epoch != welcome.epoch:
        state.my_questions.clear()  # another debate: nothing we knew still holds
        state.my_secrets.clear()
        state.my_answered.clear()
    state.epoch = welcome.epoch
    state.role = welcome.role
    state.is_moderator = welcome.role == "moderator"
    state.me = welcome.participant_id
    state.name = welcome.name
    if welcome.recovered:
        changed: set[str] = set()
        for event in welcome.events or []:
            changed |= apply_event(state, event)
        state.seq = max(state.seq, welcome.seq)
        return frozenset(changed)
    assert welcome.snapshot is not None
    state.load_snapshot(welcome.snapshot, welcome.seq)
    return ALL


def apply_event(state: ClientState, event: ev.EventBase) -> frozenset[str]:
    """One event: the shared fold, and what we keep of our own questions."""
    return forget_withdrawn(state, event) | fold_event(state, event)


def forget_withdrawn(state: ClientState, event: ev.EventBase) -> frozenset[str]:
    """A question of ours that is gone takes its secret with it (a rejected one
    keeps it: the moderators may restore it)."""
    match event:
        case ev.QuestionWithdrawn(question_id=q):
            gone = [q]
        case ev.ContributionsErased(question_ids=ids):
            gone = list(ids)
        case _:
            return frozenset()
    for question_id in gone:
        state.my_questions.discard(question_id)
        state.my_secrets.pop(question_id, None)
    return frozenset()


def apply_presence(state: ClientState, frame: p.Presence | p.PresenceChanged) -> frozenset[str]:
    """The count, and for moderators who is connected: the whole list
    (``presence``) or who came and left since (``presence_changed``)."""
    state.presence = frame.count
    if isinstance(frame, p.PresenceChanged):
        gone = set(frame.left) | {entry.participant_id for entry in frame.joined}
        state.connected = [c for c in state.connected if c.participant_id not in gone]
        state.connected.extend(frame.joined)
    elif frame.connected is not None:
        state.connected = list(frame.connected)
    return frozenset({PEOPLE})


def note_created(state: ClientState, command: p.Command, ack: p.Ack) -> frozenset[str]:
    """Remember what our own commands created (our anonymous questions, our open answers)."""
    if isinstance(command, p.SubmitQuestion) and ack.created:
        state.my_questions.add(ack.created)
        if ack.secret:
            state.my_secrets[ack.created] = ack.secret
        return frozenset({QUESTIONS})
    if isinstance(command, p.CastBallot) and command.text is not None:
        state.my_answered.add(command.poll_id)
        return frozenset({POLLS})
    return frozenset()
