"""The network side of the client: one long-lived loop, run in a Textual worker.

It says hello (resuming from the last seq it saw), turns every server frame
into a typed message for the UI, and reconnects with backoff and jitter when
the link drops. The UI hands it typed commands (``shared.protocol`` models)
and the connection gives each its id. Commands wait in an outbox until the
server answers them; on reconnect the unanswered ones are resent with the same
id, which the server applies at most once.
"""

from __future__ import annotations

import asyncio
import logging
import random
import ssl
import uuid
from collections.abc import Callable
from typing import Any, TypeVar

from pydantic import ValidationError
from textual.message import Message
from websockets.asyncio.client import ClientConnection, connect
from websockets.exceptions import ConnectionClosed, InvalidHandshake, InvalidStatus, InvalidURI

from client import messages as m
from client.tokens import Saved, TokenStore
from shared import limits
from shared import protocol as p
from shared.events import EventBase
from shared.joinlink import is_invitation_code

log = logging.getLogger(__name__)

# Refusals that another attempt would not change: the user must act.
FATAL_HELLO_ERRORS = frozenset({"bad_credentials", "name_required", "unsupported_protocol", "invite_only"})


AnyCommand = TypeVar("AnyCommand", bound=p.Command)

# Refusals of the websocket handshake (an HTTP status and a body that starts with
# the code) that another attempt would not change.
FATAL_HTTP_REFUSALS: frozenset[p.ErrorCode] = frozenset({"too_many_connections"})


def _refusal_of(error: InvalidStatus) -> p.Error | None:
    """The server's refusal of the handshake, when it is one the user must act on."""
    body = (error.response.body or b"").decode("utf-8", "replace")
    code, _, message = body.partition(":")
    for fatal in FATAL_HTTP_REFUSALS:
        if code.strip() == fatal:
            return p.Error(code=fatal, message=message.strip())
    return None


def new_command_id() -> str:
    # Random, not a counter: a restarted client keeps its identity (the resume
    # token), and the server remembers command ids per identity.
    return uuid.uuid4().hex


def frame_json(frame: p.ClientModel) -> str:
    # Absent optional fields stay absent on the wire, as a hand-written frame would.
    return frame.model_dump_json(exclude_none=True)


class Connection:
    def __init__(
        self,
        url: str,
        role: p.Role,
        post: Callable[[Message], object],
        *,
        join_code: str | None = None,
        name: str | None = None,
        moderator_key: str | None = None,
        tokens: TokenStore | None = None,
        backoff_base: float = 0.5,
        backoff_cap: float = 15.0,
        ssl_context: ssl.SSLContext | None = None,
        new_identity: bool = False,
    ) -> None:
        self.url = url
        # Only for wss:// (websockets refuses an SSL context with ws://).
        self.ssl_context = ssl_context if url.startswith("wss://") else None
        self.role = role
        self.post = post
        self.join_code = join_code
        self.name = name
        self.moderator_key = moderator_key
        self.tokens = tokens
        self.backoff_base = backoff_base
        self.backoff_cap = backoff_cap
        # The identity saved on this machine: the last one used, or the one known by the
        # --name given (another name joins as someone new, as does --new).
        saved = None
        # A personal invitation code says who this is: the server gives its guest's
        # token back, and another identity's secrets must not come along.
        invited = role == "participant" and join_code is not None and is_invitation_code(join_code)
        if tokens is not None and role != "screen" and not new_identity and not invited:
            saved = tokens.load(url, role, name if role == "participant" else None)
        self.resume_token: str | None = saved.token if saved else None
        self.epoch: str | None = saved.epoch if saved else None
        # The secrets of this identity's anonymous questions, kept across restarts.
        self.saved_secrets: dict[str, str] = dict(saved.secrets) if saved else {}
        self.last_seq: int | None = None
        self.outbox: dict[str, p.Command] = {}
        # Commands being sent again (rate limited, database away): told once, not at every try.
        self._told_retrying: set[str] = set()
        self.attempt = 0
        self.ws: ClientConnection | None = None
        self._queue: asyncio.Queue[p.Command] | None = None
        self.status: m.LinkStatus = "connecting"

    # --- called by the UI ------------------------------------------------------

    @property
    def connected(self) -> bool:
        return self._queue is not None

    def send(self, build: Callable[[str], AnyCommand]) -> AnyCommand:
        """Queue the command ``build`` makes with the id given here; it is sent
        now, or on reconnect with the same id (the outbox keeps the model)."""
        command = build(new_command_id())
        self.outbox[command.id] = command
        if self._queue is not None:
            self._queue.put_nowait(command)
        else:
            self._status(self.status)  # shows how many commands wait
        return command

    # --- the loop --------------------------------------------------------------

    async def run(self) -> None:
        """Connect, serve, reconnect; returns only when the server refuses us."""
        self._status("connecting")
        while True:
            try:
                async with connect(self.url, **self._connect_options()) as ws:
                    self.ws = ws
                    if not await self._session(ws):
                        self._status("disconnected")
                        return
            except ConnectionClosed as error:
                if error.rcvd is not None and error.rcvd.code == p.CLOSE_REPLACED:
                    # This guest connected again elsewhere (another window, another
                    # device): reconnecting would take the seat back, and the two
                    # would replace each other in a loop. The user decides.
                    log.info("connection replaced by a newer one of the same participant")
                    self.post(m.JoinRefused(p.Error(code="replaced", message=error.rcvd.reason)))
                    self._status("disconnected")
                    return
                log.info("connection lost: %s", error)
            except InvalidStatus as error:
                refusal = _refusal_of(error)
                if refusal is not None:
                    # Too many connections from this address (the venue's network):
                    # retrying adds one more; the user closes some and joins again.
                    log.info("connection refused: %s", refusal.code)
                    self.post(m.JoinRefused(refusal))
                    self._status("disconnected")
                    return
                log.info("connection lost: %s", error)
            except ssl.SSLCertVerificationError as error:
                # Retrying cannot help: the user must trust the certificate (--cafile).
                log.info("certificate not trusted: %s", error.verify_message)
                self.post(m.JoinRefused(p.Error(code="tls_untrusted", message=str(error.verify_message))))
                self._status("disconnected")
                return
            except (OSError, TimeoutError, InvalidHandshake) as error:
                log.info("connection lost: %s", error)
            except InvalidURI as error:
                self.post(m.JoinRefused(p.Error(code="bad_url", message=str(error))))
                self._status("disconnected")
                return
            finally:
                self.ws = None
                self._queue = None
            self.attempt += 1
            self._status("reconnecting")
            await asyncio.sleep(self.delay())

    def _connect_options(self) -> dict[str, Any]:
        options: dict[str, Any] = {"max_size": 64 * 1024 * 1024, "open_timeout": 10, "close_timeout": 2}
        if self.ssl_context is not None:
            # websockets refuses ssl=None for wss:// (it means the system's CAs).
            options["ssl"] = self.ssl_context
        return options

    def delay(self) -> float:
        """Exponential backoff with jitter, so a room does not reconnect in step."""
        ceiling = min(self.backoff_cap, self.backoff_base * 2 ** max(0, self.attempt - 1))
        return random.uniform(ceiling / 2, ceiling)

    def _hello(self) -> str:
        hello = p.Hello(
            protocol=limits.PROTOCOL_VERSION,
            role=self.role,
            join_code=self.join_code,
            name=self.name,
            resume_token=self.resume_token,
            moderator_key=self.moderator_key,
            epoch=self.epoch,
            last_seq=self.last_seq if self.epoch is not None else None,
        )
        return frame_json(hello)

    async def _session(self, ws: ClientConnection) -> bool:
        """One connection's life; False when the server refused the hello for good."""
        welcome = await self._handshake(ws)
        if welcome is None:
            return False
        self.attempt = 0
        queue: asyncio.Queue[p.Command] = asyncio.Queue()
        for command in self.outbox.values():  # unanswered commands, same ids, in order
            queue.put_nowait(command)
        self._queue = queue
        self._status("connected")
        writer = asyncio.get_running_loop().create_task(self._write(ws, queue))
        try:
            async for raw in ws:
                self._dispatch(raw)
        finally:
            writer.cancel()
        return True

    async def _handshake(self, ws: ClientConnection) -> p.Welcome | None:
        await ws.send(self._hello())
        while True:
            frame = self._parse(await ws.recv())
            if isinstance(frame, p.Welcome):
                self._welcomed(frame)
                return frame
            if not isinstance(frame, p.Error):
                continue
            if frame.code in ("rate_limited", "too_many_hellos", "too_many_joins", "unavailable"):
                await asyncio.sleep((frame.retry_after_ms or 1000) / 1000)
                await ws.send(self._hello())
                continue
            if frame.code == "bad_credentials" and self.resume_token and self.join_code:
                # The saved identity is unknown here (another debate): join anew.
                self._forget_identity()
                await ws.send(self._hello())
                continue
            # Anything else (FATAL_HELLO_ERRORS and the unexpected) needs the user.
            if frame.code == "bad_credentials":
                self._forget_identity()
            self.post(m.JoinRefused(frame))
            return None

    def _forget_identity(self) -> None:
        if self.tokens is not None and self.resume_token is not None:
            self.tokens.forget(self.url, self.role, self.resume_token)
        self.resume_token = None
        self.epoch = None
        self.last_seq = None
        self.saved_secrets = {}

    def _welcomed(self, welcome: p.Welcome) -> None:
        if welcome.epoch != self.epoch:
            self.last_seq = None
        self.epoch = welcome.epoch
        if welcome.recovered:
            self.last_seq = max(self.last_seq or 0, welcome.seq)
        else:
            self.last_seq = welcome.seq
        if welcome.resume_token:
            self.resume_token = welcome.resume_token
            if self.tokens is not None:
                self.tokens.save(
                    self.url,
                    self.role,
                    Saved(welcome.resume_token, welcome.epoch, welcome.name, asked=self.name),
                )
        self.post(m.Welcomed(welcome))

    async def _write(self, ws: ClientConnection, queue: asyncio.Queue[p.Command]) -> None:
        while True:
            command = await queue.get()
            if command.id not in self.outbox:
                continue  # answered meanwhile
            try:
                await ws.send(frame_json(command))
            except ConnectionClosed:
                return  # the reader sees the close and the loop reconnects

    def _parse(self, raw: str | bytes) -> Any:
        try:
            return p.parse_server_frame(raw)
        except ValidationError:
            log.warning("ignored a frame that is not valid protocol")
            return None

    def _dispatch(self, raw: str | bytes) -> None:
        frame = self._parse(raw)
        if frame is None:
            return
        if isinstance(frame, EventBase):
            self.last_seq = max(self.last_seq or 0, frame.seq)
            self.post(m.EventReceived(frame))
        elif isinstance(frame, p.Ack):
            command = self.outbox.pop(frame.id, None)
            if command is not None:
                self.post(m.CommandAcked(command, frame))
                self._status("connected")
        elif isinstance(frame, p.Error):
            self._on_error(frame)
        elif isinstance(frame, p.History):
            self.outbox.pop(frame.id, None)
            self.post(m.HistoryReceived(frame))
        elif isinstance(frame, p.TranscriptFrame):
            self.outbox.pop(frame.id, None)
            self.post(m.TranscriptReceived(frame))
            self._status("connected")
        elif isinstance(frame, p.Presence | p.PresenceChanged):
            self.post(m.PresenceReceived(frame))
        elif isinstance(frame, p.PollCounts):
            self.post(m.PollCountsReceived(frame))
        elif isinstance(frame, p.JoinStats):
            self.post(m.JoinStatsReceived(frame))

    def _on_error(self, error: p.Error) -> None:
        command = self.outbox.get(error.id) if error.id is not None else None
        if command is not None and error.code in ("rate_limited", "unavailable"):
            # Not applied: send it again (same id) when the server allows (or
            # when its shared database is back).
            delay = (error.retry_after_ms or 1000) / 1000
            asyncio.get_running_loop().call_later(delay, self._retry, command)
            if command.id not in self._told_retrying:
                self._told_retrying.add(command.id)
                self.post(m.CommandRefused(command, error))
            return
        if error.id is not None:
            self.outbox.pop(error.id, None)
        self.post(m.CommandRefused(command, error))
        self._status("connected")

    def _retry(self, command: p.Command) -> None:
        if command.id not in self.outbox:
            self._told_retrying.discard(command.id)  # answered meanwhile
        elif self._queue is not None:
            self._queue.put_nowait(command)

    def _status(self, status: m.LinkStatus) -> None:
        self.status = status
        self.post(m.LinkChanged(status, self.attempt, len(self.outbox)))
