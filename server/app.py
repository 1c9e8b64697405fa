"""The websocket transport: handshake, parse, authorise, apply, fan out.

No debate rule lives here: the core decides, the service makes it durable,
the hub delivers. Logs name connections by a serial number and a peer address,
never by participant, so that nothing logged can unmask an anonymous question.
"""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import json
import logging
import traceback
from collections import deque
from dataclasses import dataclass
from http import HTTPStatus
from typing import Any

from pydantic import ValidationError
from websockets.asyncio.server import Server, ServerConnection, serve
from websockets.exceptions import ConnectionClosed
from websockets.http11 import Request, Response
from websockets.protocol import State

from server import secrets_
from server.addresses import guest_hosts, url_for
from server.core import Actor
from server.core.visibility import (
    Audience,
    Viewer,
    is_anonymous_author,
    poll_counts_audience,
    poll_counts_form,
    poll_words_form,
    polls_with_new_counts,
    presence_names_visible,
    split,
)
from server.debate import DebateService
from server.export.live import answer
from server.hub import Client, Hub
from server.presence import PresenceBook
from server.ratelimit import RateLimiter
from server.storage import Invitation, SharedPresence, StoreUnavailable
from server.web.site import WebSite
from shared import limits
from shared import protocol as p
from shared.events import EventBase, JoinRateSet, ServerModel
from shared.joinlink import http_url_of
from shared.text import strip_controls

log = logging.getLogger(__name__)

_NOBODY: frozenset[ServerConnection] = frozenset()
# A process of a shared log says it is alive this often (server.pg.presence).
HEARTBEAT_SECONDS = 5.0
_MODERATOR = Viewer("", is_moderator=True)
_GUEST = Viewer("", is_moderator=False)

CLOSE_HELLO_TIMEOUT = 1008  # policy violation: no valid hello in time
# Private-use close code: a newer connection of the same participant took this
# one's place (the oldest goes when a participant holds too many).
CLOSE_REPLACED = p.CLOSE_REPLACED
# How long a connection over its address's cap may take to send its request (and
# be told why it is refused) before it is dropped.
_OVER_CAP_GRACE_SECONDS = 1.0
# The key of the debate-wide budget of failed hellos (all addresses together).
_WHOLE_DEBATE = "*"

# websockets logs whole frames at DEBUG (hello frames hold keys and tokens):
# its logger never goes below INFO, whatever --log-level says.
transport_log = logging.getLogger("server.transport")
transport_log.setLevel(logging.INFO)


@dataclass
class ServerSettings:
    hello_timeout: float = limits.HELLO_TIMEOUT_SECONDS
    max_frame_bytes: int = limits.MAX_FRAME_BYTES
    ping_interval: float = 20.0
    ping_timeout: float = 20.0
    # How long a closing connection may take to answer its close frame before
    # the TCP connection is dropped: a dead peer leaves presence within
    # ping_interval + ping_timeout + close_timeout.
    close_timeout: float = 5.0
    backlog_cap_bytes: int = 4 * 1024 * 1024
    # Pending TCP connections the kernel keeps (asyncio's default, 100, drops
    # SYNs when hundreds of guests join at once: each retry costs them 1 s).
    listen_backlog: int = 1024
    coalesce_seconds: float = 0.2
    command_burst: int = 20  # any command of a participant, chat and questions included
    command_per_second: float = 5.0
    chat_burst: int = limits.CHAT_BURST
    chat_per_second: float = limits.CHAT_REFILL_PER_SECOND
    question_burst: int = limits.QUESTION_BURST
    question_per_second: float = limits.QUESTION_REFILL_PER_SECOND
    hello_failures_burst: int = 10
    hello_failures_per_second: float = 0.2
    # Failed hellos of all addresses together: many addresses (a botnet, or a
    # venue's IPv6 privacy addresses) must not multiply the guessing rate.
    debate_hello_failures_burst: int = 100
    debate_hello_failures_per_second: float = 2.0
    # Connections one address holds at once, counted from the TCP accept (so a
    # connection that never says hello counts too). A venue NAT with 40 guests,
    # each with a phone and a laptop, some reconnecting, stays well below it.
    max_connections_per_address: int = 200
    # Connections one participant holds at once: a newer one closes the oldest
    # (code 4009), which is usually a dead one after a change of network.
    max_connections_per_participant: int = 4
    # Successful hellos (resumes) per participant: a burst, then this rate; each
    # one may cost a replay, and one token must not replay in a loop.
    participant_hello_burst: int = 6
    participant_hellos_per_second: float = 0.2
    # A replay is built this many events at a time, yielding to the event loop
    # in between, so that a long catch-up never stalls the others.
    replay_chunk_events: int = 500
    # A catch-up larger than this is answered with a (bounded) snapshot instead:
    # a phone back from sleep in a busy chat downloads less.
    max_catch_up_bytes: int = limits.WELCOME_MAX_BYTES
    # The guests' presence count: at most this many count frames per second in
    # all, so a large room gets it less often (moderators get every change).
    presence_count_frames_per_second: float = 2_000.0
    # --- new identities (issue 14, item 2) ---
    # Only personal invitation codes join someone new (--invite-only): the shared
    # join code, which the projector shows to the room, then joins nobody new.
    invite_only: bool = False
    # New identities made with the shared code, per address: a room of 40 behind
    # one NAT joins at once (each with a phone and a laptop, some twice), then 1 per second.
    join_burst: int = 100
    join_per_second: float = 1.0
    # ... and for the whole debate, per minute (the moderator tunes it live with
    # set_join_rate; this is the default until they do).
    debate_joins_per_minute: int = 300
    # Origins a browser's websocket may come from besides the page's own (--origin).
    origins: list[str] | None = None
    # Behind a reverse proxy every peer is the proxy: take the client's address
    # from the last X-Forwarded-For entry (the one the proxy added) instead.
    trust_forwarded_for: bool = False


def dumps(frame: ServerModel) -> str:
    return frame.model_dump_json(exclude_none=True)


class HelloRefused(Exception):
    def __init__(
        self,
        code: p.ErrorCode,
        message: str,
        retry_after_ms: int | None = None,
        *,
        failure: bool = True,
    ) -> None:
        super().__init__(message)
        self.code: p.ErrorCode = code
        self.message = message
        self.retry_after_ms = retry_after_ms
        # A failure (a wrong code or key) spends the failed-hello budgets.
        self.failure = failure


class DebateServer:
    def __init__(self, service: DebateService, settings: ServerSettings | None = None) -> None:
        self.service = service
        self.settings = settings or ServerSettings()
        self.hub = Hub(
            self.settings.backlog_cap_bytes,
            lambda question_id, key: is_anonymous_author(self.service.state, question_id, key),
        )
        s = self.settings
        self.command_limiter = RateLimiter(s.command_burst, s.command_per_second)
        self.chat_limiter = RateLimiter(s.chat_burst, s.chat_per_second)
        self.question_limiter = RateLimiter(s.question_burst, s.question_per_second)
        self.hello_limiter = RateLimiter(s.hello_failures_burst, s.hello_failures_per_second)
        self.debate_hello_limiter = RateLimiter(
            s.debate_hello_failures_burst, s.debate_hello_failures_per_second
        )
        self.participant_hello_limiter = RateLimiter(
            s.participant_hello_burst, s.participant_hellos_per_second
        )
        self.join_limiter = RateLimiter(s.join_burst, s.join_per_second)
        self.debate_join_limiter = RateLimiter(1, 1.0)
        self.apply_join_rate()
        # New identities and refused ones (loop times), for the moderators' screen.
        self._recent_joins: deque[float] = deque()
        self._recent_refused_joins: deque[float] = deque()
        self._join_stats_sent: p.JoinStats | None = None
        # Connections per address, from TCP accept (or, behind a trusted proxy,
        # from the HTTP request) until closed.
        self._per_address: dict[str, int] = {}
        self._address_of: dict[ServerConnection, str] = {}
        self._over_cap: set[ServerConnection] = set()
        self._closing_tasks: set[asyncio.Task[None]] = set()
        self._serials = itertools.count(1)
        self._dirty_polls: set[str] = set()
        self.presence = PresenceBook()
        # The guests' count goes out when it changed, at most this often (see
        # presence_count_frames_per_second); the loop's clock.
        self._count_changed = False
        self._next_count_at = 0.0
        self._flusher: asyncio.Task[None] | None = None
        self._exports: set[asyncio.Task[None]] = set()
        self._export_lock = asyncio.Lock()
        self.server: Server | None = None
        # Events other processes wrote (a shared PostgreSQL log) reach this one's connections.
        self.service.on_foreign = self._deliver
        self._follower: asyncio.Task[None] | None = None
        self._heartbeat: asyncio.Task[None] | None = None
        # Presence across the processes of a shared log (None: this process alone).
        self._shared_presence = self.service.store.shared_presence(secrets_.new_process_id())
        self._presence_stale = self._shared_presence is not None
        # The guest page and the projector page, made once the port is known.
        self.site: WebSite | None = None
        # The address guests use (banner, projector, the pages' QR code), when the
        # command line knows a better one than whatever address a client connected with.
        self._public_url: str | None = None

    # --- lifecycle -------------------------------------------------------------

    async def start(self, host: str = "127.0.0.1", port: int = 0, **serve_options: Any) -> Server:
        self.server = await serve(
            self.handler,
            host,
            port,
            process_request=self._admit_request,
            create_connection=self._connection_class(),
            max_size=self.settings.max_frame_bytes,
            ping_interval=self.settings.ping_interval,
            ping_timeout=self.settings.ping_timeout,
            close_timeout=self.settings.close_timeout,
            backlog=self.settings.listen_backlog,
            logger=transport_log,
            **serve_options,
        )
        tls = serve_options.get("ssl") is not None
        own = self._public_url or url_for(guest_hosts(host)[0], self.port, tls)
        self.site = WebSite(http_url_of(own), self.settings.origins or ())
        self._flusher = asyncio.get_running_loop().create_task(self._flush_loop())
        loop = asyncio.get_running_loop()
        if self.service.store.shared:
            follow = self.service.store.follow(self.pull, self._presence_changed_elsewhere)
            self._follower = loop.create_task(follow)
        if self._shared_presence is not None:
            self._heartbeat = loop.create_task(self._heartbeat_loop(self._shared_presence))
        return self.server

    @property
    def public_url(self) -> str | None:
        """The guests' websocket address when known better than the connection's (ws:// or wss://)."""
        return self._public_url

    @public_url.setter
    def public_url(self, url: str | None) -> None:
        self._public_url = url
        if self.site is not None and url is not None:
            self.site.set_public_url(http_url_of(url))

    @property
    def guest_page_url(self) -> str:
        """The guest page's address (http:// or https://), as the QR code gives it."""
        assert self.site is not None
        return self.site.public_url

    @property
    def port(self) -> int:
        assert self.server is not None
        return int(self.server.sockets[0].getsockname()[1])

    async def stop(self, code: int = 1012, reason: str = "service restart") -> None:
        """Close every connection with ``code`` (1012: come back soon)."""
        if self._flusher is not None:
            self._flusher.cancel()
        for task in (self._follower, self._heartbeat):
            if task is not None:
                task.cancel()
        if self._shared_presence is not None:
            with contextlib.suppress(StoreUnavailable):
                self._shared_presence.leave()
        for task in self._exports:
            task.cancel()
        if self.server is not None:
            self.server.close(code=code, reason=reason)
            await self.server.wait_closed()

    # --- connections per address ---------------------------------------------------

    def _connection_class(self) -> type[ServerConnection]:
        """A connection that counts against its address from accept to close."""
        owner = self

        class CountedConnection(ServerConnection):
            def connection_made(self, transport: asyncio.BaseTransport) -> None:
                super().connection_made(transport)
                # Behind a trusted proxy every peer is the proxy: count later,
                # by the forwarded address, when the request is read.
                if not owner.settings.trust_forwarded_for:
                    peer = transport.get_extra_info("peername")
                    owner._count_connection(self, str(peer[0]) if peer else "?")

            def connection_lost(self, exc: Exception | None) -> None:
                super().connection_lost(exc)
                owner._uncount_connection(self)

        return CountedConnection

    def _count_connection(self, connection: ServerConnection, address: str) -> None:
        self._address_of[connection] = address
        held = self._per_address[address] = self._per_address.get(address, 0) + 1
        if held > self.settings.max_connections_per_address:
            # Refused with a 503 once it sends its request; one that stays
            # silent is dropped soon, so that it holds no file for long.
            self._over_cap.add(connection)
            asyncio.get_running_loop().call_later(
                _OVER_CAP_GRACE_SECONDS, self._drop_if_silent, connection
            )

    def _uncount_connection(self, connection: ServerConnection) -> None:
        self._over_cap.discard(connection)
        address = self._address_of.pop(connection, None)
        if address is None:
            return
        held = self._per_address.get(address, 0) - 1
        if held > 0:
            self._per_address[address] = held
        else:
            self._per_address.pop(address, None)

    def _drop_if_silent(self, connection: ServerConnection) -> None:
        if connection in self._over_cap and connection.protocol.state is State.CONNECTING:
            connection.transport.abort()

    def connections_from(self, address: str) -> int:
        """How many connections ``address`` holds now (for tests and logs)."""
        return self._per_address.get(address, 0)

    def _admit_request(self, connection: ServerConnection, request: Request) -> Response | None:
        """Refuse a connection over its address's cap, then serve the request."""
        if self.settings.trust_forwarded_for and connection not in self._address_of:
            self._count_connection(connection, _peer_host(connection, True))
        if connection in self._over_cap:
            log.info("connection refused: too many connections from %s", _peer_host(
                connection, self.settings.trust_forwarded_for
            ))
            response = connection.respond(
                HTTPStatus.SERVICE_UNAVAILABLE,
                "too_many_connections: too many connections from your address; "
                "close some and retry.\n",
            )
            response.headers["Retry-After"] = "5"
            return response
        return self.process_request(connection, request)

    def process_request(self, connection: ServerConnection, request: Request) -> Response | None:
        """Websocket upgrades go on to the handshake; anything else is plain HTTP."""
        if "websocket" in ", ".join(request.headers.get_all("Upgrade")).lower():
            if self.site is not None and not self.site.origin_allowed(request):
                log.info("websocket refused: origin not allowed")
                return connection.respond(HTTPStatus.FORBIDDEN, "This origin may not connect.\n")
            return None
        if request.path == "/healthz":
            return connection.respond(HTTPStatus.OK, "OK\n")
        if self.site is None:  # still starting
            return connection.respond(HTTPStatus.SERVICE_UNAVAILABLE, "Starting.\n")
        return self.site.respond(request)

    # --- one connection --------------------------------------------------------

    async def handler(self, ws: ServerConnection) -> None:
        serial = next(self._serials)
        peer = _peer_host(ws, self.settings.trust_forwarded_for)
        log.info("connection #%d opened from %s", serial, peer)
        client: Client | None = None
        try:
            client = await self._handshake(ws, serial, peer)
            if client is None:
                return
            async for raw in ws:
                try:
                    self._on_frame(client, raw)
                except Exception as error:
                    # A bug must cost one command, not the connection or the server.
                    self._internal_error(ws, serial, error)
        except ConnectionClosed:
            pass
        finally:
            if client is not None:
                self.hub.unregister(ws)
                if client.participant_id is not None:
                    self.presence.touch(client.participant_id)
            log.info("connection #%d closed (code %s)", serial, ws.close_code)

    async def _handshake(self, ws: ServerConnection, serial: int, peer: str) -> Client | None:
        loop = asyncio.get_running_loop()
        deadline = loop.time() + self.settings.hello_timeout
        while True:
            try:
                raw = await asyncio.wait_for(ws.recv(), max(0.0, deadline - loop.time()))
            except TimeoutError:
                log.info("connection #%d refused: no hello in time", serial)
                await ws.close(CLOSE_HELLO_TIMEOUT, "no valid hello in time")
                return None
            try:
                frame = self._parse(ws, raw)
            except Exception as error:
                self._internal_error(ws, serial, error)
                continue
            if frame is None:
                continue
            if not isinstance(frame, p.Hello):
                self._send_error(ws, frame.id, "hello_required", "Send hello before any command.")
                continue
            if self._ahead_of_us(frame):
                self.pull()
            # Failed hellos are limited per peer address and for the whole debate, so
            # join codes cannot be guessed. A credential beyond guessing (a resume
            # token, the projectors' token, the moderator key) passes anyway: guests
            # behind one NAT address reconnect, and the projector and the moderator
            # get in, whatever others' typos (or a troll) spent.
            if not self._unguessable_credential(frame):
                wait_ms = max(
                    self.hello_limiter.wait_ms(peer), self.debate_hello_limiter.wait_ms(_WHOLE_DEBATE)
                )
                if wait_ms:
                    log.info("connection #%d hello refused: rate_limited", serial)
                    self._send_error(
                        ws, None, "rate_limited", "Too many failed attempts; wait and retry.", wait_ms
                    )
                    continue
            try:
                return await self._welcome(ws, frame, serial, peer)
            except StoreUnavailable as down:
                log.info("connection #%d hello refused: unavailable", serial)
                self._send_error(
                    ws,
                    None,
                    "unavailable",
                    "The database is unreachable; say hello again in a moment.",
                    down.retry_after_ms,
                )
            except HelloRefused as refusal:
                if refusal.failure:
                    self.hello_limiter.take(peer)
                    self.debate_hello_limiter.take(_WHOLE_DEBATE)
                log.info("connection #%d hello refused: %s", serial, refusal.code)
                self._send_error(ws, None, refusal.code, refusal.message, refusal.retry_after_ms)

    def _ahead_of_us(self, hello: p.Hello) -> bool:
        """With a shared log: whether this hello may know what this process has
        not read yet (a guest coming from another process: it saw later events,
        or its token was made there). Then the log is read first; otherwise
        what this process has not read yet reaches the guest after its welcome."""
        service = self.service
        if not service.store.shared:
            return False
        if hello.last_seq is not None and hello.last_seq > service.state.seq:
            return True
        token = hello.resume_token
        return token is not None and hello.role != "screen" and service.find_by_token(token) is None

    def _unguessable_credential(self, hello: p.Hello) -> bool:
        """A valid credential of 128 bits or more, which no guessing finds."""
        service = self.service
        if (
            hello.moderator_key is not None
            and hello.role in ("moderator", "screen")
            and service.check_moderator_key(hello.moderator_key)
        ):
            return True
        if hello.resume_token is None:
            return False
        if hello.role == "screen":
            return service.check_screen_token(hello.resume_token)
        known = service.find_by_token(hello.resume_token)
        return known is not None and known.role == hello.role

    async def _welcome(self, ws: ServerConnection, hello: p.Hello, serial: int, peer: str = "?") -> Client:
        if hello.protocol != limits.PROTOCOL_VERSION:
            raise HelloRefused(
                "unsupported_protocol",
                f"This server speaks protocol {limits.PROTOCOL_VERSION}, not {hello.protocol}.",
            )
        service = self.service
        token: str | None = None
        participant_id: str | None = None
        name: str | None = None
        joined: list[Any] = []
        new_participant = False
        invitation: Invitation | None = None
        if hello.role == "screen":
            if not (
                (hello.join_code and service.check_join_code(hello.join_code))
                or (hello.moderator_key and service.check_moderator_key(hello.moderator_key))
                or (hello.resume_token and service.check_screen_token(hello.resume_token))
            ):
                raise HelloRefused("bad_credentials", "Wrong join code.")
            # Projectors resume with a token like participants do, so that a
            # troll's failed hellos on the venue's address never keep them out.
            token = service.screen_token()
        else:
            if hello.role == "moderator" and not (
                hello.moderator_key and service.check_moderator_key(hello.moderator_key)
            ):
                raise HelloRefused("bad_credentials", "Wrong moderator key.")
            # A personal invitation code decides who this is: its guest, on
            # every device (each with a token of its own), whatever token this
            # device kept from an earlier identity.
            invitation = (
                service.find_invitation(hello.join_code)
                if hello.role == "participant" and hello.join_code
                else None
            )
            if invitation is not None:
                known = service.invited_participant(invitation)
                # This device's own token, when it has one; else it gets one (below).
                same = known is not None and hello.resume_token is not None and (
                    service.find_by_token(hello.resume_token) is known
                )
                known_token: str | None = hello.resume_token if same else None
            else:
                known = service.find_by_token(hello.resume_token) if hello.resume_token else None
                known_token = hello.resume_token
            if known is not None and known.role == hello.role:
                participant_id, name, token = known.participant_id, known.name, known_token
                if known.role == "participant":
                    # Each resume may cost a replay: one token must not loop on it.
                    wait_ms = self.participant_hello_limiter.take(participant_id)
                    if wait_ms:
                        raise HelloRefused(
                            "too_many_hellos",
                            "This guest has connected too often; wait and retry.",
                            wait_ms,
                            failure=False,
                        )
                if token is None:  # an invited guest's new device
                    token = service.add_device(known)
            else:
                if hello.role == "participant" and invitation is None:
                    if not (hello.join_code and service.check_join_code(hello.join_code)):
                        raise HelloRefused("bad_credentials", "Wrong join code.")
                    if self.settings.invite_only:
                        raise HelloRefused(
                            "invite_only",
                            "This evening is by invitation: join with your personal code.",
                            failure=False,
                        )
                    if not hello.name:
                        raise HelloRefused("name_required", "Choose a display name to join.")
                    self._take_join_budget(peer)
                new_participant = True
        is_moderator = hello.role == "moderator"
        replayed: list[str] | None = None
        caught_up_to = 0
        # A resuming guest's key also finds the notices to their anonymous questions.
        resume_key = secrets_.author_key(token) if token is not None and participant_id is not None else None
        if hello.epoch == service.epoch and hello.last_seq is not None and service.can_replay(hello.last_seq):
            # A newcomer has no personal events yet: it sees what anyone would.
            try:
                caught_up = await self.catch_up(
                    hello.last_seq, Viewer(participant_id, is_moderator, resume_key)
                )
            except StoreUnavailable:
                caught_up = None  # the database is away: a snapshot from memory instead
            if caught_up is not None:
                replayed, caught_up_to = caught_up
        # From here on, no await until the connection is registered: the welcome
        # precedes every live event, and none is missed.
        if new_participant:
            bound = service.invited_participant(invitation) if invitation is not None else None
            if bound is not None:
                # Another device of the same guest joined while this one waited.
                participant_id, name, replayed = bound.participant_id, bound.name, None
                token = service.add_device(bound)
            else:
                participant, token, joined = service.join(hello.name or "Moderator", hello.role, invitation)
                participant_id, name = participant.participant_id, participant.name
                if hello.role == "participant":
                    self._counted_join(self._recent_joins)
        if replayed is not None:
            viewer = Viewer(participant_id, is_moderator, resume_key)
            try:
                replayed.append(_json_items(service.replay_forms(caught_up_to, service.state.seq, viewer)))
                if sum(map(len, replayed)) > self.settings.max_catch_up_bytes:
                    replayed = None  # a bounded snapshot is smaller than this catch-up
            except StoreUnavailable:
                replayed = None
        welcome: dict[str, Any] = {
            "type": "welcome",
            "participant_id": participant_id,
            "role": hello.role,
            "name": name,
            "resume_token": token,
            "epoch": service.epoch,
            "seq": service.state.seq,
            "at": service.clock(),
            "recovered": replayed is not None,
        }
        if self.public_url is not None:
            welcome["join_url"] = self.public_url
        text = json.dumps(welcome, ensure_ascii=False, separators=(",", ":"))
        if replayed is not None:
            # Spliced in as text: the replay was serialised chunk by chunk.
            events = ",".join(part for part in replayed if part)
            text = f'{text[:-1]},"events":[{events}]}}'
        else:
            # Spliced in as text: the snapshot JSON is shared between joins.
            snapshot = service.snapshot_json(participant_id, is_moderator, newcomer=new_participant)
            text = f'{text[:-1]},"snapshot":{snapshot}}}'
        # A screen's token is the projectors' one: it writes no questions.
        key = secrets_.author_key(token) if token is not None and participant_id is not None else None
        client = Client(ws, serial, hello.role, participant_id, name, author_key=key)
        if participant_id is not None:
            self._make_room_for(participant_id)
        self.hub.send(ws, text)
        self.hub.register(client)
        self.hub.fan_out(joined)
        self._send_poll_counts_to(client)
        self._send_presence_to(client)
        if participant_id is not None:
            self.presence.touch(participant_id)
        how = "resumed" if replayed is not None else "snapshot"
        log.info("connection #%d welcomed as %s (%s)", serial, hello.role, how)
        return client

    # --- new identities ------------------------------------------------------------

    def apply_join_rate(self) -> None:
        """Set the debate-wide budget of new identities from the moderators' setting."""
        per_minute = self.join_rate_per_minute
        self.debate_join_limiter.burst = per_minute
        self.debate_join_limiter.per_second = per_minute / 60

    @property
    def join_rate_per_minute(self) -> int:
        """New identities per minute for the whole debate: the moderators' setting, else the default."""
        chosen = self.service.state.join_rate_per_minute
        return chosen if chosen is not None else self.settings.debate_joins_per_minute

    def _take_join_budget(self, peer: str) -> None:
        """A new identity with the shared code spends the address's budget and the debate's."""
        wait_ms = max(self.join_limiter.wait_ms(peer), self.debate_join_limiter.wait_ms(_WHOLE_DEBATE))
        if wait_ms:
            self._counted_join(self._recent_refused_joins)
            raise HelloRefused(
                "too_many_joins",
                "Too many new guests at once from here; wait and retry.",
                wait_ms,
                failure=False,
            )
        self.join_limiter.take(peer)
        self.debate_join_limiter.take(_WHOLE_DEBATE)

    def _counted_join(self, times: deque[float]) -> None:
        times.append(asyncio.get_running_loop().time())

    def join_stats(self) -> p.JoinStats:
        """What the moderators see: the rate in force, and the last minute's new and refused identities."""
        horizon = asyncio.get_running_loop().time() - 60.0
        for times in (self._recent_joins, self._recent_refused_joins):
            while times and times[0] < horizon:
                times.popleft()
        return p.JoinStats(
            per_minute=self.join_rate_per_minute,
            joined_last_minute=len(self._recent_joins),
            refused_last_minute=len(self._recent_refused_joins),
            invite_only=self.settings.invite_only,
        )

    async def catch_up(self, after_seq: int, viewer: Viewer) -> tuple[list[str], int] | None:
        """The replay of a resuming connection, built ``replay_chunk_events`` at a
        time with a turn of the event loop between chunks: a long catch-up (or
        sixteen at once) never stalls the room. Returns the chunks (JSON array
        items) and the seq they reach (the caller adds the tail without
        waiting), or None once it outgrows a welcome: a snapshot is sent instead."""
        chunk = max(1, self.settings.replay_chunk_events)
        parts: list[str] = []
        size = 0
        done = after_seq
        while self.service.state.seq - done > chunk:
            upto = done + chunk
            parts.append(_json_items(self.service.replay_forms(done, upto, viewer)))
            size += len(parts[-1])
            if size > self.settings.max_catch_up_bytes:
                return None
            done = upto
            await asyncio.sleep(0)
        return parts, done

    def _make_room_for(self, participant_id: str) -> None:
        """Close a participant's oldest connections beyond the cap (code 4009)."""
        sockets = self.hub.by_participant.get(participant_id)
        excess = len(sockets or ()) - self.settings.max_connections_per_participant + 1
        if sockets is None or excess <= 0:
            return
        clients = sorted((self.hub.clients[ws] for ws in sockets), key=lambda c: c.serial)
        for client in clients[:excess]:
            self.hub.unregister(client.ws)
            self.presence.touch(participant_id)
            log.info("connection #%d replaced by a newer one of the same participant", client.serial)
            task = asyncio.get_running_loop().create_task(
                client.ws.close(CLOSE_REPLACED, "replaced by a newer connection of the same guest")
            )
            self._closing_tasks.add(task)
            task.add_done_callback(self._closing_tasks.discard)

    # --- frames after the welcome ------------------------------------------------

    def _on_frame(self, client: Client, raw: str | bytes) -> None:
        frame = self._parse(client.ws, raw)
        if frame is None:
            return
        if isinstance(frame, p.Hello):
            self._send_error(client.ws, None, "already_joined", "This connection has already said hello.")
            return
        if isinstance(frame, p.ExportTranscript):
            self._export(client, frame)
            return
        try:
            self._on_command(client, frame)
        except StoreUnavailable as down:
            # Nothing was applied, and this answer is not remembered: the same id,
            # sent again once the database is back, is applied then.
            self._send_error(
                client.ws,
                frame.id,
                "unavailable",
                "The database is unreachable; nothing was applied. Retry in a moment.",
                down.retry_after_ms,
            )

    def _on_command(self, client: Client, frame: p.Command) -> None:
        actor = Actor(client.participant_id, client.role, client.name, client.author_key)  # type: ignore[arg-type]
        # A read is never remembered: no need to look its id up (in a shared
        # log, a query; it must go on while the database is away).
        cached = None if isinstance(frame, p.FetchHistory) else self.service.cached_reply(frame.id, actor)
        if cached is not None:
            self.hub.send(client.ws, dumps(cached))
            return
        wait_ms = self._rate_limit(client, frame)
        if wait_ms:
            self._send_error(
                client.ws, frame.id, "rate_limited", "Too fast: wait a moment before sending again.", wait_ms
            )
            return
        if isinstance(frame, p.FetchHistory):
            self._history(client, frame)
            return
        outcome = self.service.execute(frame, actor, checked=True)  # cached_reply said None
        # Durable already; the sender hears its ack before anyone sees the events.
        self.hub.send(client.ws, dumps(outcome.reply))
        self._deliver(outcome.events, origin=client.ws)

    def _deliver(
        self, events: list[tuple[EventBase, Audience]], origin: ServerConnection | None = None
    ) -> None:
        """Fan durable events out to this process's connections (a command's, or
        those another process wrote, as soon as they are folded in)."""
        self.hub.fan_out(events, origin=origin)
        self._dirty_polls |= polls_with_new_counts([event for event, _ in events])
        if any(isinstance(event, JoinRateSet) for event, _ in events):
            self.apply_join_rate()

    def pull(self) -> None:
        """Read what other processes appended to a shared log, fold it in, fan it
        out (on a notification, on reconnecting, before a welcome)."""
        if not self.service.store.shared:
            return
        with contextlib.suppress(StoreUnavailable):  # serve what we have; the follower retries
            self.service.pull()

    def _internal_error(self, ws: ServerConnection, serial: int, error: Exception) -> None:
        """Log a bug without the exception's message, which may quote the frame."""
        trace = "".join(traceback.format_tb(error.__traceback__))
        log.error("connection #%d: a frame failed with %s\n%s", serial, type(error).__name__, trace)
        self._send_error(ws, None, "internal_error", "The server failed on this frame.")

    def _history(self, client: Client, command: p.FetchHistory) -> None:
        """A read, answered at once by a ``history`` frame: it follows every event
        this connection was sent, so the page is as current as its view."""
        if client.role not in command.roles:
            self._send_error(client.ws, command.id, "forbidden", "The projector shows no history.")
            return
        page = self.service.history(command, client.participant_id, client.is_moderator)
        # Whole (not ``dumps``): a message's null ``round_id`` is part of its view.
        self.hub.send(client.ws, page.model_dump_json())

    def _export(self, client: Client, command: p.ExportTranscript) -> None:
        """Moderators only; answered by a ``transcript`` frame once built (in a thread)."""
        if not client.is_moderator:
            self._send_error(client.ws, command.id, "forbidden", "Only a moderator can do this.")
            return

        async def run() -> None:
            async with self._export_lock:  # one at a time: each reads the whole log
                frame = await answer(self.service.store, command)
            if client.ws in self.hub.clients:
                self.hub.send(client.ws, dumps(frame))

        task = asyncio.get_running_loop().create_task(run())
        self._exports.add(task)
        task.add_done_callback(self._exports.discard)

    def _rate_limit(self, client: Client, frame: p.Command) -> int:
        # Keyed on the connection's participant, in memory only.
        if client.is_moderator or client.participant_id is None:
            return 0
        # Every command may broadcast an event (upvote, withdraw, upvote...): a
        # budget for all of them, then tighter ones for chat and questions. The
        # wait is the longest of them, and nothing is taken unless all allow it.
        limiters = [self.command_limiter]
        bucket = frame.budget()
        if bucket == "chat":
            limiters.append(self.chat_limiter)
        elif bucket == "question":
            limiters.append(self.question_limiter)
        wait = max(limiter.wait_ms(client.participant_id) for limiter in limiters)
        if wait == 0:
            for limiter in limiters:
                limiter.take(client.participant_id)
        return wait

    def _parse(self, ws: ServerConnection, raw: str | bytes) -> p.Hello | p.Command | None:
        if isinstance(raw, bytes):
            self._send_error(ws, None, "binary_frame", "Frames must be JSON text, not binary.")
            return None
        try:
            return p.parse_client_frame(raw)
        except ValidationError as error:
            code, message = _describe(error)
            self._send_error(ws, _command_id_of(raw), code, message)
            return None

    def _send_error(
        self,
        ws: ServerConnection,
        command_id: str | None,
        code: p.ErrorCode,
        message: str,
        retry_after_ms: int | None = None,
    ) -> None:
        self.hub.send(
            ws, dumps(p.Error(id=command_id, code=code, message=message, retry_after_ms=retry_after_ms))
        )

    # --- coalesced updates -------------------------------------------------------

    async def _flush_loop(self) -> None:
        while True:
            await asyncio.sleep(self.settings.coalesce_seconds)
            try:
                self.flush()
            except Exception:  # a bug here must not stop live updates for good
                log.exception("flushing coalesced updates failed")

    def flush(self) -> None:
        """Send the coalesced poll counts and presence, if anything changed."""
        dirty, self._dirty_polls = self._dirty_polls, set()
        for poll_id in dirty:
            poll = self.service.state.polls.get(poll_id)
            if poll is None or poll.status != "open":
                continue
            shared, _ = split(poll_counts_audience(poll), self.hub.everyone, self.hub.moderators, _NOBODY)
            # One frame per form: moderators follow hidden results, the rest get the voters only.
            for viewer, group in (
                (_MODERATOR, shared & self.hub.moderators),
                (_GUEST, shared - self.hub.moderators),
            ):
                counts, voters = poll_counts_form(poll, viewer)
                words = poll_words_form(poll, viewer)
                frame = p.PollCounts(poll_id=poll_id, counts=counts, voters=voters, words=words)
                self.hub.send_many(group, dumps(frame))
        self._flush_presence()
        self._flush_join_stats()

    def _flush_join_stats(self) -> None:
        """Moderators get the new identities' figures when they change."""
        stats = self.join_stats()
        if stats != self._join_stats_sent:
            self._join_stats_sent = stats
            self.hub.send_many(self.hub.moderators, dumps(stats))

    def _flush_presence(self) -> None:
        """Moderators get who came and went; guests the count, less often in a
        large room (``presence_count_frames_per_second`` frames in all)."""
        connected = self._connected_now()
        if connected is not None:
            joined, left = self.presence.settle(connected)
            if joined or left:
                self._count_changed = True
                if presence_names_visible(_MODERATOR):
                    for frame in self.presence.deltas(joined, left):
                        self.hub.send_many(self.hub.moderators, dumps(frame))
        now = asyncio.get_running_loop().time()
        if self._count_changed and now >= self._next_count_at:
            self._count_changed = False
            guests = self.hub.everyone - self.hub.moderators
            self.hub.send_many(guests, dumps(p.Presence(count=self.presence.count)))
            rate = self.settings.presence_count_frames_per_second
            self._next_count_at = now + (len(guests) / rate if rate > 0 else 0.0)

    def _connected_now(self) -> dict[str, p.ConnectedView | None] | None:
        """The touched participants' entries (None: no connection any more), or
        None when nothing changed. With a shared log, the connections of every
        process of the debate count: this one's changes are published, and
        everyone's read back when they (or another process's) changed."""
        local: dict[str, p.ConnectedView | None] = {}
        for participant_id in self.presence.touched:
            sockets = self.hub.by_participant.get(participant_id)
            client = self.hub.clients.get(next(iter(sockets))) if sockets else None
            local[participant_id] = (
                p.ConnectedView(participant_id=participant_id, name=client.name or "", role=client.role)
                if client is not None
                else None
            )
        shared = self._shared_presence
        if shared is None or not (local or self._presence_stale):
            return local or None
        try:
            if local:
                shared.publish(local)
            everyone = shared.everyone()
        except StoreUnavailable:
            return local or None  # this process's changes alone, until the database is back
        self._presence_stale = False
        self.presence.touched |= set(everyone) | set(self.presence.shown)
        return {participant_id: everyone.get(participant_id) for participant_id in self.presence.touched}

    def _presence_changed_elsewhere(self) -> None:
        self._presence_stale = True

    async def _heartbeat_loop(self, shared: SharedPresence) -> None:
        """Tell the others this process is alive (its guests count while it is)."""
        while True:
            with contextlib.suppress(StoreUnavailable):
                shared.heartbeat()
            await asyncio.sleep(HEARTBEAT_SECONDS)

    def _send_presence_to(self, client: Client) -> None:
        """Right after a welcome: the whole list for a moderator, the count for others."""
        if client.is_moderator and presence_names_visible(_MODERATOR):
            for frame in self.presence.whole_list():
                self.hub.send(client.ws, dumps(frame))
            self.hub.send(client.ws, dumps(self.join_stats()))
        else:
            # Counting itself, which the next broadcast (maybe seconds away in a
            # large room) would otherwise be the first to do.
            arriving = client.role == "participant" and client.participant_id not in self.presence.shown
            self.hub.send(client.ws, dumps(p.Presence(count=self.presence.count + arriving)))

    def _send_poll_counts_to(self, client: Client) -> None:
        poll_id = self.service.state.open_poll_id
        if poll_id is None:
            return
        poll = self.service.state.polls[poll_id]
        viewer = Viewer(client.participant_id, client.is_moderator)
        counts, voters = poll_counts_form(poll, viewer)
        words = poll_words_form(poll, viewer)
        frame = p.PollCounts(poll_id=poll_id, counts=counts, voters=voters, words=words)
        self.hub.send(client.ws, dumps(frame))


def _json_items(forms: list[dict[str, object]]) -> str:
    """JSON array items without the brackets, to splice chunks together."""
    return json.dumps(forms, ensure_ascii=False, separators=(",", ":"))[1:-1]


def _peer_host(ws: ServerConnection, trust_forwarded_for: bool = False) -> str:
    if trust_forwarded_for and ws.request is not None:
        forwarded = ws.request.headers.get("X-Forwarded-For")
        if forwarded:
            return forwarded.rsplit(",", 1)[-1].strip()[:64] or "?"
    address = ws.remote_address
    return str(address[0]) if address else "?"


def _command_id_of(raw: str) -> str | None:
    """The id of a refused frame, when it has a usable one, to label the error."""
    try:
        data = json.loads(raw)
    except (ValueError, RecursionError):  # RecursionError: deeply nested arrays
        return None
    if isinstance(data, dict):
        command_id = data.get("id")
        if (
            isinstance(command_id, str)
            and 0 < len(command_id) <= limits.COMMAND_ID_MAX
            and strip_controls(command_id) == command_id  # e.g. no lone surrogate
        ):
            return command_id
    return None


_CODES: dict[str, p.ErrorCode] = {
    "json_invalid": "bad_json",
    "json_type": "bad_json",
    "union_tag_invalid": "unknown_type",
    "string_too_long": "too_long",
    "too_long": "too_long",
}


def _describe(error: ValidationError) -> tuple[p.ErrorCode, str]:
    first = error.errors(include_url=False, include_input=False)[0]
    kind = first["type"]
    if kind == "model_type" or kind == "model_attributes_type":
        return "invalid_frame", "A frame must be a JSON object with a 'type'."
    code = _CODES.get(kind, "invalid_frame")
    if kind == "union_tag_not_found":
        return "invalid_frame", "A frame must have a 'type'."
    if kind == "union_tag_invalid":
        return code, "Unknown frame type."
    if kind in ("string_too_short", "too_short") and first["loc"][-1] == "name":
        return "name_required", "Choose a display name to join (visible letters)."
    location = ".".join(str(part) for part in first["loc"][1:])  # drop the tag
    return code, f"{location or 'frame'}: {first['msg']}"
