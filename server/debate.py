"""The debate service: the core, the log and idempotency, without any network.

Synchronous on purpose: the websocket layer calls it and fans out what it
returns; tests and exports can drive it directly.
"""

from __future__ import annotations

import json
import logging
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from server import secrets_
from server.clock import utc_now
from server.core import Actor, DebateState, DomainError, apply, authorship, decide, decide_join, erasure, fold
from server.core.decide import Decision, decide_create, decide_device, decide_word_filter
from server.core.snapshot import GUEST_WINDOW, build_snapshot, has_personal_view, history_page, window_for
from server.core.state import Participant
from server.core.visibility import Audience, Viewer, replay_form, with_audiences
from server.storage import (
    DEFAULT_DEBATE,
    Batch,
    CommandRecord,
    Invitation,
    Store,
    StoredCommand,
    open_store,
)
from shared import limits
from shared import protocol as p
from shared.events import EventBase, FilterAction, ParticipantDeviceAdded, ParticipantJoined, Snapshot
from shared.names import name_keys

log = logging.getLogger(__name__)

DEFAULT_TITLE = "Dîner-débat"
# Replies kept in memory per actor (the log keeps the acks of named commands;
# an anonymous question's ack and errors live only here). Per actor, so that
# nobody else's flood can push out a guest's pending retry.
_REPLIES_PER_ACTOR = 1_000


@dataclass(frozen=True)
class Outcome:
    """The reply to the sender and the events to fan out (already durable)."""

    reply: p.Ack | p.Error
    events: list[tuple[EventBase, Audience]] = field(default_factory=list)


# Events another process appended, just folded into the state: for the caller to fan out.
Foreign = Callable[[list[tuple[EventBase, Audience]]], None]


class _AlreadyApplied(Exception):
    """A named command another process applied meanwhile: its stored answer."""

    def __init__(self, stored: StoredCommand) -> None:
        self.stored = stored


class DebateService:
    def __init__(self, store: Store, clock: Callable[[], str] = utc_now) -> None:
        self.store = store
        self.clock = clock
        # Called with the events other processes wrote, as soon as they are folded in.
        self.on_foreign: Foreign = lambda events: None
        self.state: DebateState = fold(store.events())
        epoch = store.get_meta("epoch")
        join_code = store.get_meta("join_code")
        moderator_key = store.get_meta("moderator_key")
        if epoch is None or join_code is None or moderator_key is None:
            raise ValueError("the database has no debate yet: use DebateService.open")
        self.epoch, self.join_code, self.moderator_key = epoch, join_code, moderator_key
        self._invitations: dict[str, Invitation] = {}
        self._reserved_names: frozenset[str] = frozenset()
        self.reload_invitations()
        # (actor, command id) -> reply; the log keeps the acks of named commands
        # across restarts, this keeps the rest (anonymous questions, errors).
        self._replies: dict[str, OrderedDict[str, p.Ack | p.Error]] = {}
        # What a participant without personal data sees changes with every
        # event but a join; the snapshot JSON is kept until then, so that a
        # storm of joins does not rebuild the same snapshot for each guest.
        self._view_version = 0
        self._shared_snapshot: tuple[int, str] | None = None

    @classmethod
    def open(
        cls,
        path: str | Path,
        *,
        debate: str = DEFAULT_DEBATE,
        title: str | None = None,
        join_code: str | None = None,
        moderator_key: str | None = None,
        durability: str = "normal",
        clock: Callable[[], str] = utc_now,
    ) -> DebateService:
        """Open the database (a file, or a PostgreSQL URL and a ``debate``),
        creating the debate (and its secrets) if new; two processes creating it
        at once agree on one.

        A join code or moderator key given for an existing database replaces
        the stored one, so an operator can rotate them.
        """
        store = open_store(path, debate=debate, durability=durability)
        try:
            fresh = store.get_meta("epoch") is None
            store.init_meta(
                {
                    "epoch": secrets_.new_epoch(),
                    "join_code": join_code or secrets_.new_join_code(),
                    "moderator_key": moderator_key or secrets_.new_moderator_key(),
                    "created_at": clock(),
                }
            )
            if not fresh and join_code:
                store.set_meta("join_code", join_code)
            if not fresh and moderator_key:
                store.set_meta("moderator_key", moderator_key)
            service = cls(store, clock)
            # Under the log's lock: the first writer creates, the others find it done.
            service._commit(
                lambda: (
                    decide_create(service.state, title or DEFAULT_TITLE, clock())
                    if service.state.seq == 0
                    else None
                )
            )
        except BaseException:
            store.close()
            raise
        return service

    def close(self) -> None:
        self.store.close()

    # --- credentials ---------------------------------------------------------

    def check_join_code(self, given: str) -> bool:
        return secrets_.same_secret(secrets_.normalise_join_code(given), self.join_code)

    def check_moderator_key(self, given: str) -> bool:
        return secrets_.same_secret(given, self.moderator_key)

    def screen_token(self) -> str:
        """What a projector resumes with (any projector of this debate)."""
        return secrets_.screen_token(self.moderator_key, self.epoch, self.join_code)

    def check_screen_token(self, given: str) -> bool:
        return secrets_.same_secret(given, self.screen_token())

    def find_by_token(self, token: str) -> Participant | None:
        return self.state.participant_by_token_hash(secrets_.token_hash(token))

    # --- invitations ------------------------------------------------------------

    def reload_invitations(self) -> None:
        """Read the invited guests again (after ``plan.sync_guests``)."""
        invitations = self.store.invitations()
        # Indexed by the code's digest: a lookup's timing tells at most a digest
        # prefix, nothing about any code; the match is then confirmed in constant time.
        self._invitations = {secrets_.token_hash(i.code): i for i in invitations}
        self._reserved_names = frozenset().union(*(name_keys(i.name) for i in invitations))

    @property
    def invitations(self) -> list[Invitation]:
        return sorted(self._invitations.values(), key=lambda invitation: invitation.guest)

    def find_invitation(self, given: str) -> Invitation | None:
        """The invitation whose personal code this is, or None."""
        code = secrets_.normalise_join_code(given)
        if not secrets_.valid_invitation_code(code):
            return None
        invitation = self._invitations.get(secrets_.token_hash(code))
        if invitation is None or not secrets_.same_secret(code, invitation.code):
            return None
        return invitation

    def invited_participant(self, invitation: Invitation) -> Participant | None:
        """The participant this invitation made, once its guest has joined."""
        participant_id = self.state.by_invitation.get(invitation.guest)
        return None if participant_id is None else self.state.participants[participant_id]

    def add_device(self, participant: Participant) -> str:
        """A resume token for one more device of an invited guest (the same participant).

        Each device gets a random token of its own, of which the log keeps the hash
        only: a token derived from the code would let whoever reads the database
        derive the guest's anonymous-question secrets too.
        """
        token = secrets_.new_resume_token()
        token_hash = secrets_.token_hash(token)
        self._commit(lambda: decide_device(self.state, participant.participant_id, token_hash, self.clock()))
        return token

    def join(
        self, name: str, role: str, invitation: Invitation | None = None
    ) -> tuple[Participant, str, list[tuple[EventBase, Audience]]]:
        """Register a new participant; returns it, its resume token and the events.

        An invited guest joins under the invited name (the log records which
        invitation); anyone else may not take an invited guest's name (it gets a
        " (2)" like a name in use).
        """
        token = secrets_.new_resume_token()
        if invitation is not None:
            name, reserved = invitation.name, frozenset[str]()
        else:
            reserved = self._reserved_names
        participant_id = secrets_.new_participant_id()
        committed = self._commit(
            lambda: decide_join(
                self.state,
                participant_id,
                name,
                role,
                secrets_.token_hash(token),
                self.clock(),
                reserved,
                invitation.guest if invitation is not None else None,
                # Issue 13: seated at the table the invitation names, if it exists and has room.
                table=invitation.table if invitation is not None else None,
            )
        )[1]
        return self.state.participants[participant_id], token, committed

    def set_word_filter(
        self, words: list[str], builtin: bool, action: FilterAction
    ) -> list[tuple[EventBase, Audience]]:
        """The plan's ``[filter]`` (``server.plan``), recorded in the log."""
        return self._commit(lambda: decide_word_filter(self.state, words, builtin, action, self.clock()))[1]

    # --- commands ------------------------------------------------------------

    def execute(self, command: p.Command, actor: Actor, *, checked: bool = False) -> Outcome:
        """Apply a command once; a retry with the same id gets the same reply.

        ``checked``: the caller has just asked ``cached_reply`` and got None, so
        the lookup (a query of the log when the id is not in memory) is not
        repeated.
        """
        key = (actor.participant_id or "", command.id)
        cached = None if checked else self._cached_reply(key)
        if cached is not None:
            return Outcome(cached)
        # An anonymous question's author gets a secret that alone can withdraw it;
        # only its hash is kept (in the log), the secret only in the ack. With the
        # author's key (from their token) the core derives it; without, it is drawn.
        secret = None
        if isinstance(command, p.SubmitQuestion) and command.anonymous and actor.author_key is None:
            secret = secrets_.new_question_secret()
        # An anonymous question, or an open answer (anonymous by nature), must
        # leave no link to its author in the log: its retry record is in memory only.
        anonymous = (isinstance(command, p.SubmitQuestion) and command.anonymous) or (
            isinstance(command, p.CastBallot) and command.text is not None
        )
        shared = self.store.shared
        # In a shared log an anonymous command leaves a keyed tag, which links
        # to no one, instead of its author: its retry on another process finds it.
        # (SQLite: in this process's memory only, as ever.)
        tag = None
        if anonymous and shared and actor.author_key is not None:
            tag = authorship.retry_tag(actor.author_key, command.id)
        record_key = ("", tag) if tag is not None else key

        def decided() -> Decision:
            if shared and (tag is not None or not anonymous):
                # Under the log's lock: another process may have applied this very
                # command (its ack lost, the guest retried here).
                stored = self.store.find_command(*record_key)
                if stored is not None:
                    raise _AlreadyApplied(stored)
            return decide(
                self.state,
                command,
                actor,
                self.clock(),
                secret_hash=erasure.secret_hash(secret) if secret else None,
            )

        def record(decision: Decision) -> CommandRecord | None:
            if anonymous and tag is None:
                return None
            return CommandRecord(record_key[0], record_key[1], decision.created)

        try:
            decision, committed = self._commit(decided, record)
        except DomainError as error:
            reply: p.Ack | p.Error = p.Error(id=command.id, code=error.code, message=error.message)
            self._remember(key, reply)
            return Outcome(reply)
        except _AlreadyApplied as done:
            created = done.stored.created
            if anonymous and actor.author_key is not None and created is not None:
                secret = erasure.question_secret(actor.author_key, created)
            reply = p.Ack(id=command.id, seq=done.stored.seq, created=created, secret=secret)
            self._remember(key, reply)
            return Outcome(reply)
        assert decision is not None
        if anonymous and actor.author_key is not None and decision.created is not None:
            secret = erasure.question_secret(actor.author_key, decision.created)
        reply = p.Ack(id=command.id, seq=self.state.seq, created=decision.created, secret=secret)
        self._remember(key, reply)
        return Outcome(reply, committed)

    def cached_reply(self, command_id: str, actor: Actor) -> p.Ack | p.Error | None:
        """The reply already given to this command id, if any (no side effect)."""
        return self._cached_reply((actor.participant_id or "", command_id))

    def _cached_reply(self, key: tuple[str, str]) -> p.Ack | p.Error | None:
        actor, command_id = key
        replies = self._replies.get(actor)
        reply = replies.get(command_id) if replies is not None else None
        if reply is not None:
            return reply
        stored = self.store.find_command(actor, command_id)
        if stored is not None:
            return p.Ack(id=command_id, seq=stored.seq, created=stored.created)
        return None

    def _remember(self, key: tuple[str, str], reply: p.Ack | p.Error) -> None:
        actor, command_id = key
        replies = self._replies.setdefault(actor, OrderedDict())
        replies[command_id] = reply
        if len(replies) > _REPLIES_PER_ACTOR:
            replies.popitem(last=False)

    def _commit(
        self,
        decided: Callable[[], Decision | None],
        record: Callable[[Decision], CommandRecord | None] = lambda decision: None,
    ) -> tuple[Decision | None, list[tuple[EventBase, Audience]]]:
        """Decide on the current state of the log, make the events durable, then
        fold them into the state.

        Under the log's lock, the events other processes wrote since this
        state's seq are folded in first (and handed to ``on_foreign``), so the
        decision sees every earlier event and takes the next seq.
        """
        made: list[tuple[Decision, list[tuple[EventBase, Audience]]]] = []

        def build(missed: list[tuple[EventBase, Audience]]) -> Batch | None:
            self._absorb(missed)
            decision = decided()
            if decision is None:
                return None
            committed = with_audiences(self.state, decision.events)
            made.append((decision, committed))
            return Batch(committed, record(decision), self._redactions(decision.events))

        self.store.write(self.state.seq, build)
        if not made:
            return None, []
        decision, committed = made[0]
        self._fold(committed)
        return decision, committed

    def _fold(self, events: list[tuple[EventBase, Audience]]) -> None:
        for event, _ in events:
            apply(self.state, event)
            if not isinstance(event, ParticipantJoined | ParticipantDeviceAdded):
                self._view_version += 1

    def _absorb(self, events: list[tuple[EventBase, Audience]]) -> None:
        """Fold in events other processes wrote, and hand them on for fan-out."""
        if not events:
            return
        self._fold(events)
        self.on_foreign(events)

    def pull(self) -> int:
        """Fold in (and hand to ``on_foreign``) what other processes appended
        since this state's seq; returns how many events. Raises
        ``StoreUnavailable`` when the database cannot be reached."""
        missed = list(self.store.events_with_audience(self.state.seq))
        self._absorb(missed)
        return len(missed)

    def _redactions(self, events: list[EventBase]) -> list[tuple[EventBase, Audience | None]]:
        """The earlier events an erasure rewrites (texts and links leave the log)."""
        erasures = [event for event in events if erasure.is_erasure(event)]
        if not erasures:
            return []
        return erasure.redactions(self.store.events_of_types(erasure.REDACTABLE_TYPES), erasures)

    # --- catching up -----------------------------------------------------------

    def can_replay(self, after_seq: int) -> bool:
        """Whether a connection that saw up to ``after_seq`` may catch up by a
        replay; otherwise it gets a snapshot."""
        return after_seq <= self.state.seq and self.state.seq - after_seq <= limits.MAX_REPLAY_EVENTS

    def replay(
        self, after_seq: int, participant_id: str | None, is_moderator: bool
    ) -> list[dict[str, object]] | None:
        """Every event after ``after_seq`` this connection may see, or None when
        a replay is not possible and a snapshot must be sent instead."""
        if not self.can_replay(after_seq):
            return None
        return self.replay_forms(after_seq, self.state.seq, Viewer(participant_id, is_moderator))

    def replay_forms(self, after_seq: int, upto_seq: int, viewer: Viewer) -> list[dict[str, object]]:
        """The forms of the events in (after_seq, upto_seq] that ``viewer`` may see."""
        forms = []
        for event, audience in self.store.events_with_audience(after_seq, upto_seq):
            form = replay_form(self.state, event, audience, viewer)
            if form is not None:
                forms.append(form)
        return forms

    def snapshot(self, participant_id: str | None, is_moderator: bool) -> Snapshot:
        """Everything this connection may see (unbounded: the reference)."""
        return build_snapshot(self.state, Viewer(participant_id, is_moderator))

    def snapshot_json(self, participant_id: str | None, is_moderator: bool, newcomer: bool = False) -> str:
        """The bounded snapshot a welcome carries, as JSON text; the one shared
        by every guest without personal data (upvotes, ballots, questions of
        their own) is cached. A ``newcomer`` (who just joined) has none: no
        need to look through the evening for theirs."""
        viewer = Viewer(participant_id, is_moderator)
        personal = not newcomer and has_personal_view(self.state, participant_id)
        if participant_id is None or is_moderator or personal:
            return _json(build_snapshot(self.state, viewer, window_for(viewer)))
        cached = self._shared_snapshot
        if cached is None or cached[0] != self._view_version:
            shared = build_snapshot(self.state, Viewer(None, False), GUEST_WINDOW)
            cached = self._shared_snapshot = (self._view_version, _json(shared))
        return cached[1]

    def history(self, command: p.FetchHistory, participant_id: str | None, is_moderator: bool) -> p.History:
        """A page of the chat or questions before the connection's window."""
        return history_page(self.state, Viewer(participant_id, is_moderator), command, command.id)


def _json(snapshot: Snapshot) -> str:
    return json.dumps(snapshot.model_dump(mode="json"), ensure_ascii=False, separators=(",", ":"))
