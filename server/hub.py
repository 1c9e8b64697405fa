"""Live connections grouped by audience, and the fan-out.

Each event is serialised once per audience (the shared form, and the
recipient's private form when there is one), never once per connection, and
written with ``broadcast()``, which never waits for a slow reader. A reader
whose backlog passes the cap is closed instead of growing without bound.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from websockets.asyncio.server import ServerConnection, broadcast

from server.core.visibility import Audience, recipient_form_json, shared_form_json, split
from shared.events import EventBase

log = logging.getLogger(__name__)

_NOBODY: frozenset[ServerConnection] = frozenset()

# Private-use close code (4000-4999): the reader fell too far behind.
CLOSE_TOO_SLOW = 4008


@dataclass(eq=False)
class Client:
    ws: ServerConnection
    serial: int
    role: str
    participant_id: str | None
    name: str | None
    # From the resume token, in memory only: see ``server.core.state.Actor``.
    author_key: str | None = field(default=None, repr=False)

    @property
    def is_moderator(self) -> bool:
        return self.role == "moderator"


# (question id, a connection's author key) -> whether that key wrote the question.
AuthorCheck = Callable[[str, str | None], bool]


class Hub:
    def __init__(
        self, backlog_cap_bytes: int = 4 * 1024 * 1024, is_anonymous_author: AuthorCheck | None = None
    ) -> None:
        self.backlog_cap_bytes = backlog_cap_bytes
        # Reaches an anonymous question's author without knowing who they are
        # (``Audience.anonymous_author_of``); None: such events reach nobody.
        self.is_anonymous_author = is_anonymous_author
        self.clients: dict[ServerConnection, Client] = {}
        self.everyone: set[ServerConnection] = set()
        self.moderators: set[ServerConnection] = set()
        self.by_participant: dict[str, set[ServerConnection]] = {}
        self._closing: set[ServerConnection] = set()

    # --- membership ----------------------------------------------------------

    def register(self, client: Client) -> None:
        self.clients[client.ws] = client
        self.everyone.add(client.ws)
        if client.is_moderator:
            self.moderators.add(client.ws)
        if client.participant_id is not None:
            self.by_participant.setdefault(client.participant_id, set()).add(client.ws)

    def unregister(self, ws: ServerConnection) -> Client | None:
        client = self.clients.pop(ws, None)
        self.everyone.discard(ws)
        self.moderators.discard(ws)
        self._closing.discard(ws)
        if client is not None and client.participant_id is not None:
            sockets = self.by_participant.get(client.participant_id)
            if sockets is not None:
                sockets.discard(ws)
                if not sockets:
                    del self.by_participant[client.participant_id]
        return client

    # --- sending ---------------------------------------------------------------

    def send(self, ws: ServerConnection, data: str) -> None:
        """Queue one frame for one connection, in order, without waiting."""
        self.send_many((ws,), data)

    def send_many(self, sockets: Iterable[ServerConnection], data: str) -> None:
        healthy = [ws for ws in sockets if self._within_backlog(ws)]
        broadcast(healthy, data)

    def _within_backlog(self, ws: ServerConnection) -> bool:
        if ws in self._closing:
            return False
        transport = ws.transport
        if transport is None or transport.get_write_buffer_size() <= self.backlog_cap_bytes:
            return True
        self._closing.add(ws)
        log.warning("closing connection #%s: backlog over %d bytes", self._serial(ws), self.backlog_cap_bytes)
        asyncio.get_running_loop().create_task(_close_slow(ws))
        return False

    def _serial(self, ws: ServerConnection) -> int | str:
        client = self.clients.get(ws)
        return client.serial if client else "?"

    def fan_out(
        self, events: list[tuple[EventBase, Audience]], origin: ServerConnection | None = None
    ) -> None:
        for event, audience in events:
            recipients = (
                self.by_participant.get(audience.recipient, _NOBODY)
                if audience.recipient is not None
                else self._anonymous_author(audience.anonymous_author_of)
            )
            shared, private = split(audience, self.everyone, self.moderators, recipients, origin)
            if shared:
                shared_json = shared_form_json(event)
                if shared_json is not None:
                    self.send_many(shared, shared_json)
            if private:
                self.send_many(private, recipient_form_json(event))

    def _anonymous_author(self, question_id: str | None) -> frozenset[ServerConnection]:
        """The connections whose key wrote this anonymous question (a scan:
        merges are rare, and the key is all that links a question to anyone)."""
        check = self.is_anonymous_author
        if question_id is None or check is None:
            return _NOBODY
        return frozenset(
            ws
            for ws, client in self.clients.items()
            if client.author_key is not None and check(question_id, client.author_key)
        )


async def _close_slow(ws: ServerConnection) -> None:
    try:
        await asyncio.wait_for(ws.close(CLOSE_TOO_SLOW, "too slow: backlog over cap"), 5)
    except (TimeoutError, Exception):
        # The peer does not read its close frame either: drop the TCP connection.
        if ws.transport is not None:
            ws.transport.abort()
