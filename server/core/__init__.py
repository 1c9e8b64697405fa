"""The debate rules: pure, synchronous and event-sourced.

``decide(state, command, actor, now)`` checks a command against the state and
returns the events it produces (or raises ``DomainError``); ``apply(state,
event)`` folds one event into the state. Nothing here does I/O.
"""

# The concerns' modules register their appliers when imported; decide imports
# them all, and participants holds the creation and joins.
from server.core import participants as _participants  # noqa: F401
from server.core.decide import decide, decide_join
from server.core.errors import DomainError
from server.core.state import Actor, DebateState, apply, fold

__all__ = ["Actor", "DebateState", "DomainError", "apply", "decide", "decide_join", "fold"]
