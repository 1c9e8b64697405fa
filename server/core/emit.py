"""Numbers the events one command produces, following the state's seq."""

from __future__ import annotations

from typing import Any, TypeVar

from shared.events import EventBase

E = TypeVar("E", bound=EventBase)


class Emitter:
    def __init__(self, last_seq: int, now: str) -> None:
        self._last_seq = last_seq
        self._now = now
        self.events: list[EventBase] = []

    def emit(self, model: type[E], **fields: Any) -> E:
        event = model(seq=self._last_seq + len(self.events) + 1, at=self._now, **fields)
        self.events.append(event)
        return event
