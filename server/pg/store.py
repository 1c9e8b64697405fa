"""The event log in PostgreSQL: one debate of a database several processes share.

Every command is one transaction: lock the debate's row (``SELECT … FOR
UPDATE``), read the events other processes appended since this process's
cursor, decide, insert the events (``(debate, seq)`` is the key), the
idempotency record and an erasure's rewrites, move the debate's seq on, and
``pg_notify('convive', '<debate> <seq>')``. The lock makes seq gap-free and +1
across processes; the notification is only a wake-up for the others.

The connection is synchronous, as SQLite's: the event loop waits for a commit,
and a command's events are folded in the order they were written. When the
database is away, every call raises ``StoreUnavailable`` at once, and a new
connection is tried at most every so often (backoff capped at 5 s).
"""

from __future__ import annotations

import contextlib
import logging
import threading
import time
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any

import psycopg

from server.core.visibility import Audience, audience_from_columns
from server.storage import (
    Batch,
    Builder,
    Invitation,
    StoredCommand,
    StoreError,
    StoreUnavailable,
    redacted_url,
)
from shared.events import EventBase, event_adapter

if TYPE_CHECKING:
    from server.pg.presence import PgPresence

log = logging.getLogger(__name__)

SCHEMA_VERSION = 1
CHANNEL = "convive"
# Any constant: the advisory lock that serialises the creation of the tables.
_SCHEMA_LOCK = 0x636F6E76
BACKOFF_FIRST_SECONDS = 0.2
BACKOFF_CAP_SECONDS = 5.0
CONNECT_TIMEOUT_SECONDS = 3

_SCHEMA = """
CREATE TABLE IF NOT EXISTS debates (
    slug TEXT PRIMARY KEY,
    seq BIGINT NOT NULL DEFAULT 0
);
CREATE TABLE IF NOT EXISTS meta (
    debate TEXT NOT NULL REFERENCES debates(slug),
    key TEXT NOT NULL,
    value TEXT NOT NULL,
    PRIMARY KEY (debate, key)
);
CREATE TABLE IF NOT EXISTS events (
    debate TEXT NOT NULL REFERENCES debates(slug),
    seq BIGINT NOT NULL,
    type TEXT NOT NULL,
    at TEXT NOT NULL,
    payload TEXT NOT NULL,
    scope TEXT NOT NULL,
    recipient TEXT,
    PRIMARY KEY (debate, seq)
);
CREATE TABLE IF NOT EXISTS commands (
    debate TEXT NOT NULL REFERENCES debates(slug),
    actor TEXT NOT NULL,
    command_id TEXT NOT NULL,
    seq BIGINT NOT NULL,
    created TEXT,
    PRIMARY KEY (debate, actor, command_id)
);
CREATE TABLE IF NOT EXISTS invitations (
    guest BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    debate TEXT NOT NULL REFERENCES debates(slug),
    name TEXT NOT NULL,
    table_name TEXT,
    code TEXT NOT NULL UNIQUE,
    withdrawn BOOLEAN NOT NULL DEFAULT false
);
CREATE TABLE IF NOT EXISTS presence (
    debate TEXT NOT NULL REFERENCES debates(slug),
    process TEXT NOT NULL,
    participant_id TEXT NOT NULL,
    role TEXT NOT NULL,
    name TEXT NOT NULL,
    PRIMARY KEY (debate, process, participant_id)
);
CREATE TABLE IF NOT EXISTS processes (
    debate TEXT NOT NULL REFERENCES debates(slug),
    process TEXT NOT NULL,
    seen_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    PRIMARY KEY (debate, process)
);
"""

# The errors that mean "the link is gone" (a restart, a network cut), not a bug.
LINK_ERRORS = (psycopg.OperationalError, psycopg.InterfaceError)


class PgStore:
    def __init__(self, url: str, debate: str) -> None:
        self.url = url
        self.debate = debate
        self._shown = f"{redacted_url(url)} (debate {debate})"
        self._conn: psycopg.Connection[Any] | None = None
        self._seen = 0  # the highest seq read or written here
        self._followed = False  # a follower watches the link (see ``follow``)
        self._backoff = BACKOFF_FIRST_SECONDS
        self._next_try = 0.0
        try:
            conn = self._connect()
        except StoreUnavailable as error:
            raise StoreError(f"cannot reach {redacted_url(url)}: {error}") from error
        try:
            with conn.transaction():
                conn.execute("SELECT pg_advisory_xact_lock(%s)", (_SCHEMA_LOCK,))
                conn.execute(_SCHEMA)
                conn.execute("INSERT INTO debates(slug) VALUES (%s) ON CONFLICT DO NOTHING", (self.debate,))
        except psycopg.Error as error:
            self.close()
            raise StoreError(f"{redacted_url(url)} is not a database convive can use ({error}).") from error
        self.init_meta({"schema_version": str(SCHEMA_VERSION)})
        version = self.get_meta("schema_version")
        if version is not None and int(version) > SCHEMA_VERSION:
            self.close()
            raise StoreError(
                f"{redacted_url(url)} was written by a newer convive (schema {version}); upgrade convive."
            )

    # --- the link ----------------------------------------------------------------

    @property
    def location(self) -> str:
        return self._shown

    def export_source(self) -> tuple[str, str]:
        return self.url, self.debate

    @property
    def shared(self) -> bool:
        return True

    @property
    def available(self) -> bool:
        return self._conn is not None and not self._conn.closed

    def close(self) -> None:
        if self._conn is not None:
            self._conn.close()
            self._conn = None

    def wake(self) -> None:
        """The database is back (the follower got through): try again now."""
        self._next_try = 0.0

    def _connect(self) -> psycopg.Connection[Any]:
        if self._conn is not None and not self._conn.closed:
            return self._conn
        now = time.monotonic()
        if now < self._next_try:
            wait = min(self._next_try - now, BACKOFF_CAP_SECONDS)
            raise StoreUnavailable("The database is unreachable; retry soon.", max(100, int(wait * 1000)))
        try:
            self._conn = psycopg.connect(
                self.url, autocommit=True, connect_timeout=CONNECT_TIMEOUT_SECONDS, application_name="convive"
            )
        except LINK_ERRORS as error:
            # With a follower, its own (asynchronous) connection finds out when the
            # database is back and says so (``wake``): no more tries here until
            # then, so a link that hangs (a network cut) stalls no command twice.
            self._next_try = float("inf") if self._followed else now + self._backoff
            retry = int(self._backoff * 1000)
            self._backoff = min(self._backoff * 2, BACKOFF_CAP_SECONDS)
            # The driver's message names host and port, never the password.
            log.warning("database unreachable (%s); next try in %.1f s", type(error).__name__, retry / 1000)
            raise StoreUnavailable("The database is unreachable; retry soon.", retry) from error
        self._backoff = BACKOFF_FIRST_SECONDS
        log.info("connected to %s", self._shown)
        return self._conn

    def _lost(self, error: Exception) -> StoreUnavailable:
        log.warning("database link lost (%s)", type(error).__name__)
        if self._conn is not None:
            with contextlib.suppress(Exception):  # closing a broken link
                self._conn.close()
            self._conn = None
        self._next_try = 0.0  # try at the next call, then back off
        return StoreUnavailable("The database link was lost; retry soon.", int(BACKOFF_FIRST_SECONDS * 1000))

    def _rows(self, query: str, params: Sequence[object] = ()) -> list[tuple[Any, ...]]:
        conn = self._connect()
        try:
            return conn.execute(query, params).fetchall()
        except LINK_ERRORS as error:
            raise self._lost(error) from error

    def _run(self, query: str, params: Sequence[object] = ()) -> None:
        conn = self._connect()
        try:
            conn.execute(query, params)
        except LINK_ERRORS as error:
            raise self._lost(error) from error

    @contextmanager
    def transaction(self) -> Iterator[psycopg.Cursor[Any]]:
        """A cursor in one transaction; a lost link raises ``StoreUnavailable``."""
        conn = self._connect()
        try:
            with conn.transaction(), conn.cursor() as cursor:
                yield cursor
        except LINK_ERRORS as error:
            raise self._lost(error) from error

    def shared_presence(self, process: str) -> PgPresence:
        from server.pg.presence import PgPresence

        return PgPresence(self, process)

    # --- meta ----------------------------------------------------------------------

    def get_meta(self, key: str) -> str | None:
        rows = self._rows("SELECT value FROM meta WHERE debate = %s AND key = %s", (self.debate, key))
        return str(rows[0][0]) if rows else None

    def set_meta(self, key: str, value: str) -> None:
        self._run(
            "INSERT INTO meta(debate, key, value) VALUES (%s, %s, %s) "
            "ON CONFLICT (debate, key) DO UPDATE SET value = excluded.value",
            (self.debate, key, value),
        )

    def init_meta(self, values: Mapping[str, str]) -> None:
        conn = self._connect()
        try:
            with conn.transaction(), conn.cursor() as cursor:
                cursor.executemany(
                    "INSERT INTO meta(debate, key, value) VALUES (%s, %s, %s) ON CONFLICT DO NOTHING",
                    [(self.debate, key, value) for key, value in values.items()],
                )
        except LINK_ERRORS as error:
            raise self._lost(error) from error

    # --- invitations ----------------------------------------------------------------

    def invitations(self, *, withdrawn: bool = False) -> list[Invitation]:
        return [
            Invitation(int(guest), str(name), table, str(code), bool(out))
            for guest, name, table, code, out in self._rows(
                "SELECT guest, name, table_name, code, withdrawn FROM invitations "
                "WHERE debate = %s AND (NOT withdrawn OR %s) ORDER BY guest",
                (self.debate, withdrawn),
            )
        ]

    def update_invitations(
        self,
        added: Sequence[tuple[str, str | None, str]],
        kept: Sequence[tuple[int, str | None]],
        withdrawn: Sequence[int],
    ) -> None:
        conn = self._connect()
        try:
            with conn.transaction(), conn.cursor() as cursor:
                cursor.executemany(
                    "INSERT INTO invitations(debate, name, table_name, code) VALUES (%s, %s, %s, %s)",
                    [(self.debate, *row) for row in added],
                )
                cursor.executemany(
                    "UPDATE invitations SET table_name = %s, withdrawn = false "
                    "WHERE guest = %s AND debate = %s",
                    [(table, guest, self.debate) for guest, table in kept],
                )
                cursor.executemany(
                    "UPDATE invitations SET withdrawn = true WHERE guest = %s AND debate = %s",
                    [(guest, self.debate) for guest in withdrawn],
                )
        except LINK_ERRORS as error:
            raise self._lost(error) from error

    # --- events ------------------------------------------------------------------------

    def write(self, after_seq: int, build: Builder) -> None:
        conn = self._connect()
        try:
            with conn.transaction(), conn.cursor() as cursor:
                row = cursor.execute(
                    "SELECT seq FROM debates WHERE slug = %s FOR UPDATE", (self.debate,)
                ).fetchone()
                if row is None:
                    raise StoreError(f"the debate {self.debate} is gone from the database")
                missed = list(self._read(cursor, after_seq, int(row[0]))) if int(row[0]) > after_seq else []
                batch = build(missed)
                if batch is None:
                    return
                with conn.pipeline():  # the writes need no answer: one round trip for all
                    self._write(cursor, batch)
        except LINK_ERRORS as error:
            # An error at COMMIT leaves it unknown whether it was written: the
            # caller's retry (same id) finds out from the idempotency record.
            raise self._lost(error) from error
        if batch.rewrites:
            # The rewritten rows' old versions stay in the table's pages until
            # a vacuum: one now, beside the event loop (erasures are rare).
            threading.Thread(target=_vacuum_events, args=(self.url,), daemon=True).start()

    def _write(self, cursor: psycopg.Cursor[Any], batch: Batch) -> None:
        events, command, rewrites = batch.events, batch.command, batch.rewrites
        if rewrites:
            cursor.executemany(
                "UPDATE events SET payload = %s WHERE debate = %s AND seq = %s",
                [(e.model_dump_json(), self.debate, e.seq) for e, _ in rewrites],
            )
            cursor.executemany(
                "UPDATE events SET scope = %s, recipient = %s WHERE debate = %s AND seq = %s",
                [
                    (*audience.as_columns(), self.debate, e.seq)
                    for e, audience in rewrites
                    if audience is not None
                ],
            )
            cursor.executemany(
                "DELETE FROM commands WHERE debate = %s AND seq = %s",
                [(self.debate, seq) for seq in batch.unlinked_seqs],
            )
        if events:
            cursor.executemany(
                "INSERT INTO events(debate, seq, type, at, payload, scope, recipient) "
                "VALUES (%s, %s, %s, %s, %s, %s, %s)",
                [
                    (self.debate, e.seq, e.type, e.at, e.model_dump_json(), *audience.as_columns())
                    for e, audience in events
                ],
            )
            last = events[-1][0].seq
            self._seen = max(self._seen, last)
            cursor.execute("UPDATE debates SET seq = %s WHERE slug = %s", (last, self.debate))
            cursor.execute("SELECT pg_notify(%s, %s)", (CHANNEL, f"{self.debate} {last}"))
        if command is not None:
            cursor.execute(
                "INSERT INTO commands(debate, actor, command_id, seq, created) "
                "VALUES (%s, %s, %s, (SELECT seq FROM debates WHERE slug = %s), %s)",
                (self.debate, command.actor, command.command_id, self.debate, command.created),
            )

    def _read(
        self, cursor: psycopg.Cursor[Any], after: int, upto: int
    ) -> Iterator[tuple[EventBase, Audience]]:
        rows = cursor.execute(
            "SELECT payload, scope, recipient FROM events "
            "WHERE debate = %s AND seq > %s AND seq <= %s ORDER BY seq",
            (self.debate, after, upto),
        ).fetchall()
        for payload, scope, recipient in rows:
            event = event_adapter.validate_json(payload)
            self._seen = max(self._seen, event.seq)
            yield event, audience_from_columns(scope, recipient)

    def last_seq(self) -> int:
        rows = self._rows("SELECT seq FROM debates WHERE slug = %s", (self.debate,))
        return int(rows[0][0]) if rows else 0

    def events(self, after: int = 0) -> Iterator[EventBase]:
        for (payload,) in self._rows(
            "SELECT payload FROM events WHERE debate = %s AND seq > %s ORDER BY seq", (self.debate, after)
        ):
            yield event_adapter.validate_json(payload)

    def events_with_audience(
        self, after: int, upto: int | None = None
    ) -> Iterator[tuple[EventBase, Audience]]:
        rows = self._rows(
            "SELECT payload, scope, recipient FROM events "
            "WHERE debate = %s AND seq > %s AND seq <= %s ORDER BY seq",
            (self.debate, after, upto if upto is not None else 2**62),
        )
        for payload, scope, recipient in rows:
            event = event_adapter.validate_json(payload)
            self._seen = max(self._seen, event.seq)
            yield event, audience_from_columns(scope, recipient)

    def events_of_types(self, types: Sequence[str]) -> Iterator[EventBase]:
        for (payload,) in self._rows(
            "SELECT payload FROM events WHERE debate = %s AND type = ANY(%s) ORDER BY seq",
            (self.debate, list(types)),
        ):
            yield event_adapter.validate_json(payload)

    async def follow(self, wake: Callable[[], None], presence: Callable[[], None] = lambda: None) -> None:
        from server.pg.follower import follow

        self._followed = True
        await follow(self.url, self.debate, wake, self.last_seen, self.wake, presence)

    def last_seen(self) -> int:
        """The highest seq this process read or wrote (the follower's filter)."""
        return self._seen

    def find_command(self, actor: str, command_id: str) -> StoredCommand | None:
        rows = self._rows(
            "SELECT seq, created FROM commands WHERE debate = %s AND actor = %s AND command_id = %s",
            (self.debate, actor, command_id),
        )
        return StoredCommand(int(rows[0][0]), rows[0][1]) if rows else None


def _vacuum_events(url: str) -> None:
    """Remove the dead row versions an erasure left (best effort)."""
    try:
        with psycopg.connect(url, autocommit=True, connect_timeout=CONNECT_TIMEOUT_SECONDS) as conn:
            conn.execute("VACUUM events")
    except psycopg.Error as error:
        log.warning("vacuum after an erasure failed (%s); autovacuum will do it", type(error).__name__)
