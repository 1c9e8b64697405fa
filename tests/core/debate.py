"""Drive the pure core as the server would, without sockets or storage."""

from __future__ import annotations

import itertools
from typing import Any

from pydantic import TypeAdapter

from server.core import Actor, DebateState, apply, decide, decide_join
from server.core.decide import Decision, decide_create, decide_word_filter
from shared import protocol as p
from shared.events import EventBase

_command_adapter: TypeAdapter[Any] = TypeAdapter(p.ClientCommand)


class CoreDebate:
    """A debate held in memory: commands in, events folded into ``state``."""

    def __init__(self, title: str = "Dîner") -> None:
        self.state = DebateState()
        self.log: list[EventBase] = []
        self._clock = itertools.count(1)
        self._ids = itertools.count(1)
        self._commit(decide_create(self.state, title, self.now()))
        self.moderator = self.join("Mod", "moderator")

    def now(self) -> str:
        tick = next(self._clock)
        return f"2026-09-24T{19 + tick // 3600:02d}:{tick // 60 % 60:02d}:{tick % 60:02d}.000Z"

    def _commit(self, decision: Decision) -> Decision:
        for event in decision.events:
            apply(self.state, event)
            self.log.append(event)
        return decision

    def join(self, name: str, role: str = "participant") -> Actor:
        participant_id = f"u{len(self.state.participants) + 1}"
        decision = decide_join(self.state, participant_id, name, role, f"hash-{participant_id}", self.now())
        self._commit(decision)
        joined = self.state.participants[participant_id]
        return Actor(participant_id, joined.role, joined.name)

    def command(self, type_: str, **fields: Any) -> p.Command:
        command: p.Command = _command_adapter.validate_python(
            {"type": type_, "id": f"c{next(self._ids)}", **fields}
        )
        return command

    def run(self, actor: Actor, type_: str, **fields: Any) -> Decision:
        """Decide and apply; raises DomainError like the core."""
        return self._commit(decide(self.state, self.command(type_, **fields), actor, self.now()))

    def mod(self, type_: str, **fields: Any) -> Decision:
        return self.run(self.moderator, type_, **fields)

    def set_filter(self, words: list[str] | None = None, builtin: bool = True, action: str = "hold") -> None:
        """The plan's ``[filter]``, as ``convive serve --plan`` loads it."""
        self._commit(decide_word_filter(self.state, words or [], builtin, action, self.now()))  # type: ignore[arg-type]

    def types(self, decision: Decision) -> list[str]:
        return [event.type for event in decision.events]
