"""The debate rules: pure, synchronous and event-sourced.

``decide(state, command, actor, now)`` checks a command against the state and
returns the events it produces (or raises ``DomainError``); ``apply(state,
event)`` folds one event into the state. Nothing here does I/O.
"""

from server.core.decide import decide, decide_join
from server.core.errors import DomainError
from server.core.state import Actor, DebateState, apply, fold

__all__ = ["Actor", "DebateState", "DomainError", "apply", "decide", "decide_join", "fold"]
