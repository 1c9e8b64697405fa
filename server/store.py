"""The SQLite event log: the source of truth, durable before anything is sent.

WAL mode; one transaction per command (its events and its dedup record).
``synchronous=NORMAL`` survives a crash of the process (the default);
``synchronous=FULL`` also survives a power loss, at the cost of an fsync per
commit (``convive serve --durability full``).
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from pathlib import Path

from server.core.visibility import Audience, audience_from_columns
from server.storage import Batch, Builder, CommandRecord, Invitation, StoredCommand, StoreError
from shared.events import EventBase, event_adapter

__all__ = ["SCHEMA_VERSION", "CommandRecord", "EventStore", "Invitation", "StoreError", "StoredCommand"]

SCHEMA_VERSION = 1

_SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS events (
    seq INTEGER PRIMARY KEY,
    type TEXT NOT NULL,
    at TEXT NOT NULL,
    payload TEXT NOT NULL,
    scope TEXT NOT NULL,
    recipient TEXT
);
CREATE TABLE IF NOT EXISTS commands (
    actor TEXT NOT NULL,
    command_id TEXT NOT NULL,
    seq INTEGER NOT NULL,
    created TEXT,
    PRIMARY KEY (actor, command_id)
);
-- Personal invitations: one code per guest of the plan, created once (a secret,
-- like the join code: outside the event log, which is replayed to clients). A
-- guest taken out of the plan is withdrawn: their code joins nobody any more.
CREATE TABLE IF NOT EXISTS invitations (
    guest INTEGER PRIMARY KEY,
    name TEXT NOT NULL,
    table_name TEXT,
    code TEXT NOT NULL UNIQUE,
    withdrawn INTEGER NOT NULL DEFAULT 0
);
"""


_CLEANUP_KEY = "erasure_cleanup"


class EventStore:
    def __init__(self, path: str | Path, *, durability: str = "normal") -> None:
        self.path = str(path)
        self._checkpoint_due = False
        self._db = sqlite3.connect(self.path, isolation_level=None, check_same_thread=False)
        try:
            self._db.execute("PRAGMA journal_mode=WAL")
            self._db.execute(f"PRAGMA synchronous={'FULL' if durability == 'full' else 'NORMAL'}")
            # Erased text must not linger in free pages of the file.
            self._db.execute("PRAGMA secure_delete=ON")
            self._db.executescript(_SCHEMA)
        except sqlite3.DatabaseError as error:
            self._db.close()
            raise StoreError(f"{self.path} is not a convive database ({error}).") from error
        if self.get_meta(_CLEANUP_KEY) is not None:
            self._finish_cleanup()  # an erasure's clean-up a crash cut short
        version = self.get_meta("schema_version")
        if version is None:
            self.set_meta("schema_version", str(SCHEMA_VERSION))
        elif int(version) > SCHEMA_VERSION:
            self._db.close()
            raise StoreError(
                f"{self.path} was written by a newer convive (schema {version}); upgrade convive."
            )

    def close(self) -> None:
        self._db.close()

    @property
    def location(self) -> str:
        return self.path

    def export_source(self) -> tuple[str, str]:
        return self.path, "default"

    async def follow(self, wake: Callable[[], None], presence: Callable[[], None] = lambda: None) -> None:
        """Nothing to follow: this process is the file's only writer."""

    def shared_presence(self, process: str) -> None:
        return None  # this process holds every connection

    @property
    def shared(self) -> bool:
        return False  # one process writes the file

    @property
    def available(self) -> bool:
        return True

    # --- meta -------------------------------------------------------------

    def get_meta(self, key: str) -> str | None:
        row = self._db.execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
        return None if row is None else str(row[0])

    def set_meta(self, key: str, value: str) -> None:
        self._db.execute(
            "INSERT INTO meta(key, value) VALUES (?, ?) "
            "ON CONFLICT(key) DO UPDATE SET value = excluded.value",
            (key, value),
        )

    def init_meta(self, values: Mapping[str, str]) -> None:
        with self._transaction():
            self._db.executemany(
                "INSERT INTO meta(key, value) VALUES (?, ?) ON CONFLICT(key) DO NOTHING", values.items()
            )

    # --- invitations -------------------------------------------------------

    def invitations(self, *, withdrawn: bool = False) -> list[Invitation]:
        """The invited guests (with ``withdrawn``, those taken out of the plan too)."""
        return [
            Invitation(int(guest), str(name), table, str(code), bool(out))
            for guest, name, table, code, out in self._db.execute(
                "SELECT guest, name, table_name, code, withdrawn FROM invitations "
                "WHERE withdrawn = 0 OR ? ORDER BY guest",
                (withdrawn,),
            )
        ]

    def update_invitations(
        self,
        added: Sequence[tuple[str, str | None, str]],
        kept: Sequence[tuple[int, str | None]],
        withdrawn: Sequence[int],
    ) -> None:
        """Add guests ``(name, table, code)``, keep guests ``(guest, table)`` (their
        table as the plan says, back if they had been withdrawn) and withdraw
        guests, in one transaction."""
        with self._transaction():
            self._db.executemany("INSERT INTO invitations(name, table_name, code) VALUES (?, ?, ?)", added)
            self._db.executemany(
                "UPDATE invitations SET table_name = ?, withdrawn = 0 WHERE guest = ?",
                [(table, guest) for guest, table in kept],
            )
            self._db.executemany(
                "UPDATE invitations SET withdrawn = 1 WHERE guest = ?", [(guest,) for guest in withdrawn]
            )

    # --- events -----------------------------------------------------------

    def append(
        self,
        events: list[tuple[EventBase, Audience]],
        command: CommandRecord | None = None,
        rewrites: Sequence[tuple[EventBase, Audience | None]] = (),
    ) -> None:
        """Write a command's events (and its dedup record) in one transaction."""
        self.write(self.last_seq(), lambda _: Batch(events, command, rewrites))

    def write(self, after_seq: int, build: Builder) -> None:
        """Write a command's events (and its dedup record) in one transaction.

        The batch's ``rewrites`` replace the payloads of earlier events, same
        seq, and their audience when one is given, in the same transaction (an
        erasure's redactions); the WAL is then checkpointed and truncated, so
        that the old text and links are left in neither file.
        """
        with self._transaction():
            # BEGIN IMMEDIATE holds the write lock: nobody appends meanwhile.
            batch = build(list(self.events_with_audience(after_seq)))
            if batch is None:
                return
            self._write(batch)
        if batch.rewrites or self._checkpoint_due:
            # A reader (an export, a backup) may hold the WAL: then retry after the next commit.
            self._finish_cleanup()

    def _write(self, batch: Batch) -> None:
        events, command, rewrites = batch.events, batch.command, batch.rewrites
        rows = [(e.seq, e.type, e.at, e.model_dump_json(), *audience.as_columns()) for e, audience in events]
        if rewrites:
            self._db.executemany(
                "UPDATE events SET payload = ? WHERE seq = ?",
                [(e.model_dump_json(), e.seq) for e, _ in rewrites],
            )
            self._db.executemany(
                "UPDATE events SET scope = ?, recipient = ? WHERE seq = ?",
                [(*audience.as_columns(), e.seq) for e, audience in rewrites if audience is not None],
            )
            unlinked = [(seq,) for seq in batch.unlinked_seqs]
            self._db.executemany("DELETE FROM commands WHERE seq = ?", unlinked)
            # Owed on disk, in the same transaction: a crash before the
            # checkpoint succeeds must not leave the old text in the WAL.
            self.set_meta(_CLEANUP_KEY, "pending")
        self._db.executemany(
            "INSERT INTO events(seq, type, at, payload, scope, recipient) VALUES (?, ?, ?, ?, ?, ?)",
            rows,
        )
        if command is not None:
            last_seq = events[-1][0].seq if events else self.last_seq()
            self._db.execute(
                "INSERT INTO commands(actor, command_id, seq, created) VALUES (?, ?, ?, ?)",
                (command.actor, command.command_id, last_seq, command.created),
            )

    def _finish_cleanup(self) -> None:
        """Checkpoint and truncate the WAL the erasure left its old text in."""
        self._checkpoint_due = not self.checkpoint()
        if not self._checkpoint_due and self.get_meta(_CLEANUP_KEY) is not None:
            self._db.execute("DELETE FROM meta WHERE key = ?", (_CLEANUP_KEY,))
            # That deletion is one more WAL frame (no user text): truncate again.
            self.checkpoint()

    def checkpoint(self) -> bool:
        """Copy the WAL into the database file and truncate it; False if busy.

        Never waits for readers (it would stall the server): a busy checkpoint
        is retried after the next commit.
        """
        (timeout,) = self._db.execute("PRAGMA busy_timeout").fetchone()
        self._db.execute("PRAGMA busy_timeout=0")
        try:
            busy, _, _ = self._db.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()
        finally:
            self._db.execute(f"PRAGMA busy_timeout={int(timeout)}")
        return not busy

    def events_of_types(self, types: Sequence[str]) -> Iterator[EventBase]:
        marks = ", ".join("?" * len(types))
        for (payload,) in self._db.execute(
            f"SELECT payload FROM events WHERE type IN ({marks}) ORDER BY seq", tuple(types)
        ):
            yield event_adapter.validate_json(payload)

    @contextmanager
    def _transaction(self) -> Iterator[None]:
        """Commit on success, roll back on error: nothing half-written."""
        self._db.execute("BEGIN IMMEDIATE")
        try:
            yield
        except BaseException:
            self._db.execute("ROLLBACK")
            raise
        self._db.execute("COMMIT")

    def last_seq(self) -> int:
        row = self._db.execute("SELECT COALESCE(MAX(seq), 0) FROM events").fetchone()
        return int(row[0])

    def events(self, after: int = 0) -> Iterator[EventBase]:
        for (payload,) in self._db.execute("SELECT payload FROM events WHERE seq > ? ORDER BY seq", (after,)):
            yield event_adapter.validate_json(payload)

    def events_with_audience(
        self, after: int, upto: int | None = None
    ) -> Iterator[tuple[EventBase, Audience]]:
        """The events after ``after`` (up to ``upto`` included, when given)."""
        for payload, scope, recipient in self._db.execute(
            "SELECT payload, scope, recipient FROM events WHERE seq > ? AND seq <= ? ORDER BY seq",
            (after, upto if upto is not None else 2**62),
        ):
            yield event_adapter.validate_json(payload), audience_from_columns(scope, recipient)

    def find_command(self, actor: str, command_id: str) -> StoredCommand | None:
        row = self._db.execute(
            "SELECT seq, created FROM commands WHERE actor = ? AND command_id = ?",
            (actor, command_id),
        ).fetchone()
        return None if row is None else StoredCommand(int(row[0]), row[1])
