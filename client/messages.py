"""The app-level messages the connection worker posts; the UI reacts to them."""

from __future__ import annotations

from collections.abc import Callable
from typing import Literal

from textual.message import Message

from shared import protocol as p
from shared.events import EventBase

LinkStatus = Literal["connecting", "connected", "reconnecting", "disconnected"]


class Welcomed(Message):
    """The server said welcome: a catch-up or a snapshot to rebuild from."""

    def __init__(self, welcome: p.Welcome) -> None:
        super().__init__()
        self.welcome = welcome


class EventReceived(Message):
    def __init__(self, event: EventBase) -> None:
        super().__init__()
        self.event = event


class PresenceReceived(Message):
    def __init__(self, presence: p.Presence | p.PresenceChanged) -> None:
        super().__init__()
        self.presence = presence


class JoinStatsReceived(Message):
    """Moderators: the rate of new identities in force, and the last minute's."""

    def __init__(self, stats: p.JoinStats) -> None:
        super().__init__()
        self.stats = stats


class PollCountsReceived(Message):
    def __init__(self, counts: p.PollCounts) -> None:
        super().__init__()
        self.counts = counts


class CommandAcked(Message):
    def __init__(self, command: p.Command, ack: p.Ack) -> None:
        super().__init__()
        self.command = command
        self.ack = ack


class CommandRefused(Message):
    """An error from the server, for one of our commands (or for none)."""

    def __init__(self, command: p.Command | None, error: p.Error) -> None:
        super().__init__()
        self.command = command
        self.error = error


class HistoryReceived(Message):
    """A page of earlier messages or questions (the answer to ``fetch_history``)."""

    def __init__(self, page: p.History) -> None:
        super().__init__()
        self.page = page


class TranscriptReceived(Message):
    def __init__(self, transcript: p.TranscriptFrame) -> None:
        super().__init__()
        self.transcript = transcript


class LinkChanged(Message):
    """The connection's state: connected, reconnecting (attempt n)…"""

    def __init__(self, status: LinkStatus, attempt: int = 0, pending: int = 0) -> None:
        super().__init__()
        self.status = status
        self.attempt = attempt
        self.pending = pending


class JoinRefused(Message):
    """The server refused our hello for good (wrong code, name needed…)."""

    def __init__(self, error: p.Error) -> None:
        super().__init__()
        self.error = error


class StateChanged(Message):
    """Posted to the active screen after the local state changed."""

    def __init__(self, areas: frozenset[str]) -> None:
        super().__init__()
        self.areas = areas


class CommandWanted(Message):
    """A widget asks for a command; its screen sends it (widgets send nothing).

    Posted to the screen itself, not bubbled: a message made while another
    widget's handler runs (a button that votes for the options list) has that
    widget as its sender, and Textual stops bubbling above the sender.
    ``build`` makes the command from the id the connection gives it, so that a
    resend keeps the same id.
    """

    def __init__(self, build: Callable[[str], p.Command]) -> None:
        super().__init__()
        self.build = build
