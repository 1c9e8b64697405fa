"""What the debate service needs of a log, whichever database holds it.

Two stores keep the same promises: ``server.store`` (SQLite, one file, the
default) and ``server.pg.store`` (PostgreSQL, shared by several processes).
``open_store`` picks one from the ``--db`` argument: a ``postgresql://`` URL
or a file path.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol
from urllib.parse import urlsplit, urlunsplit

from server.core.visibility import Audience
from shared.events import EventBase
from shared.protocol import ConnectedView

DEFAULT_DEBATE = "default"
_SLUG = re.compile(r"[a-z0-9-]{1,40}")
_URL_SCHEMES = ("postgresql://", "postgres://")


class StoreError(Exception):
    """The database is not one we can use (the message is one line for the user)."""


class StoreUnavailable(StoreError):
    """The database cannot be reached now; retry after ``retry_after_ms``."""

    def __init__(self, message: str, retry_after_ms: int = 1000) -> None:
        super().__init__(message)
        self.retry_after_ms = retry_after_ms


@dataclass(frozen=True)
class Invitation:
    """One invited guest: the name they join under, their table, their code."""

    guest: int
    name: str
    table: str | None
    code: str
    withdrawn: bool = False  # taken out of the plan: the code joins nobody any more


@dataclass(frozen=True)
class StoredCommand:
    seq: int
    created: str | None


@dataclass(frozen=True)
class CommandRecord:
    """Which command produced events, so a retry returns the same ack."""

    actor: str
    command_id: str
    created: str | None


@dataclass(frozen=True)
class Batch:
    """One command's writes: its events, its dedup record, an erasure's rewrites."""

    events: list[tuple[EventBase, Audience]]
    command: CommandRecord | None = None
    rewrites: Sequence[tuple[EventBase, Audience | None]] = field(default_factory=list)

    @property
    def unlinked_seqs(self) -> list[int]:
        """The seqs of the ballots and upvotes an erasure unlinks. Their commands'
        dedup records name the actor and that seq: they would give the link back
        (and tie one guest's ballots in a poll and its repeat together), so every
        store deletes them with the rewrite. A retry of such a command is refused
        anyway (``erased_earlier``)."""
        return [e.seq for e, _ in self.rewrites if e.type in UNLINKED_TYPES]


# The events an erasure unlinks from their author (see server/core/erasure.py).
UNLINKED_TYPES = frozenset({"ballot_cast", "upvote_added", "upvote_withdrawn"})


# Given the events other writers appended since the caller's cursor (already in
# the log, in seq order), return what to write, or None to write nothing.
Builder = Callable[[list[tuple[EventBase, Audience]]], Batch | None]


class Store(Protocol):
    """The log of one debate."""

    @property
    def location(self) -> str:
        """Where the log is, to show (a file path, or a URL without its password)."""
        ...

    @property
    def shared(self) -> bool:
        """Whether other processes may write to this log too."""
        ...

    @property
    def available(self) -> bool:
        """Whether the database is reachable now (as far as the store knows)."""
        ...

    def close(self) -> None: ...

    def export_source(self) -> tuple[str, str]:
        """The database and debate an export reads (with its own connection)."""
        ...

    def get_meta(self, key: str) -> str | None: ...

    def set_meta(self, key: str, value: str) -> None: ...

    def init_meta(self, values: Mapping[str, str]) -> None:
        """Set the keys not set yet, at once: two processes opening a new debate
        together agree on one set of values."""
        ...

    def invitations(self, *, withdrawn: bool = False) -> list[Invitation]: ...

    def update_invitations(
        self,
        added: Sequence[tuple[str, str | None, str]],
        kept: Sequence[tuple[int, str | None]],
        withdrawn: Sequence[int],
    ) -> None: ...

    def write(self, after_seq: int, build: Builder) -> None:
        """One transaction: take the debate's next seq (a lock), read the events
        after ``after_seq``, call ``build`` with them, write what it returns.
        An exception from ``build`` rolls everything back and propagates."""
        ...

    def last_seq(self) -> int: ...

    def events(self, after: int = 0) -> Iterator[EventBase]: ...

    def events_with_audience(
        self, after: int, upto: int | None = None
    ) -> Iterator[tuple[EventBase, Audience]]: ...

    def events_of_types(self, types: Sequence[str]) -> Iterator[EventBase]: ...

    def find_command(self, actor: str, command_id: str) -> StoredCommand | None: ...

    async def follow(self, wake: Callable[[], None], presence: Callable[[], None] = ...) -> None:
        """A shared log: call ``wake`` whenever other processes may have written
        (a notification, a reconnection, now and then), ``presence`` when their
        connected guests may have changed; runs until cancelled."""
        ...

    def shared_presence(self, process: str) -> SharedPresence | None:
        """Who is connected to any process of this debate (None: this process alone)."""
        ...


class SharedPresence(Protocol):
    def publish(self, local: Mapping[str, ConnectedView | None]) -> None: ...

    def heartbeat(self) -> None: ...

    def everyone(self) -> dict[str, ConnectedView]: ...

    def leave(self) -> None: ...


def is_postgres_url(db: str | Path) -> bool:
    return isinstance(db, str) and db.startswith(_URL_SCHEMES)


def valid_slug(debate: str) -> bool:
    return _SLUG.fullmatch(debate) is not None


def redacted_url(url: str) -> str:
    """The URL without its password, to print or log."""
    parts = urlsplit(url)
    if parts.password is None:
        return url
    host = parts.hostname or ""
    if ":" in host:
        host = f"[{host}]"
    netloc = f"{parts.username or ''}:***@{host}" + (f":{parts.port}" if parts.port else "")
    return urlunsplit((parts.scheme, netloc, parts.path, parts.query, parts.fragment))


def open_store(db: str | Path, *, debate: str = DEFAULT_DEBATE, durability: str = "normal") -> Store:
    """The store ``db`` names: PostgreSQL for a URL, else a SQLite file."""
    if not valid_slug(debate):
        raise StoreError(f"--debate {debate!r}: lower-case letters, digits and '-', up to 40.")
    if is_postgres_url(str(db)):
        try:
            from server.pg.store import PgStore
        except ImportError as error:
            raise StoreError(
                "PostgreSQL needs the psycopg driver: pip install 'convive[postgres]'."
            ) from error
        return PgStore(str(db), debate)
    if debate != DEFAULT_DEBATE:
        raise StoreError("--debate needs a PostgreSQL database: a SQLite file holds one debate.")
    from server.store import EventStore

    return EventStore(db, durability=durability)
