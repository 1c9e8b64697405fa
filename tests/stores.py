"""Typed access to the SQLite store where a test reads its file directly."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import psycopg

from server.pg.store import PgStore
from server.storage import Store
from server.store import EventStore


def sqlite_store(store: Store) -> EventStore:
    assert isinstance(store, EventStore), "this test reads the SQLite file"
    return store


def query(store: Store, sql: str, params: tuple[object, ...] = ()) -> list[tuple[Any, ...]]:
    """Rows of ``sql`` (``?`` placeholders) on the store's own database."""
    if isinstance(store, EventStore):
        return store._db.execute(sql, params).fetchall()
    assert isinstance(store, PgStore)
    with psycopg.connect(store.url) as conn:
        return conn.execute(sql.replace("%", "%%").replace("?", "%s"), params).fetchall()


def database_text(store: Store) -> bytes:
    """Everything the database holds: a SQLite file's bytes (and its WAL's),
    or for PostgreSQL every row of every table, as text (but the ephemeral
    presence tables: who is connected now, by participant id and name, which
    moderators see anyway and which link to nothing anyone wrote)."""
    if isinstance(store, EventStore):
        return b"".join(
            Path(f"{store.path}{suffix}").read_bytes()
            for suffix in ("", "-wal", "-shm", "-journal")
            if Path(f"{store.path}{suffix}").exists()
        )
    assert isinstance(store, PgStore)
    with psycopg.connect(store.url) as conn:
        tables = [
            name
            for (name,) in conn.execute(
                "SELECT tablename FROM pg_tables WHERE schemaname = 'public' "
                "AND tablename NOT IN ('presence', 'processes') ORDER BY tablename"
            )
        ]
        return "\n".join(
            "\t".join(str(value) for value in row)
            for table in tables
            for row in conn.execute(f'SELECT * FROM "{table}"')  # our own table names
        ).encode()
