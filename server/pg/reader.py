"""Read one debate's log from PostgreSQL for an export: one read-only,
repeatable-read transaction, so meta and events are one snapshot at one seq
while the servers keep writing."""

from __future__ import annotations

import psycopg

from server.export.reader import ExportError
from server.storage import redacted_url


def read_pg_log(url: str, debate: str) -> tuple[dict[str, str], list[tuple[int, str]]]:
    """The meta and the ``(seq, payload)`` rows of ``debate``, in seq order."""
    shown = redacted_url(url)
    try:
        conn = psycopg.connect(url, connect_timeout=5, application_name="convive export")
    except psycopg.Error as error:
        raise ExportError("cannot_open", path=shown, error=type(error).__name__) from error
    try:
        conn.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY")
        meta = {
            str(key): str(value)
            for key, value in conn.execute("SELECT key, value FROM meta WHERE debate = %s", (debate,))
        }
        if "schema_version" not in meta:
            raise ExportError("not_convive", path=f"{shown} (debate {debate})")
        rows = [
            (int(seq), str(payload))
            for seq, payload in conn.execute(
                "SELECT seq, payload FROM events WHERE debate = %s ORDER BY seq", (debate,)
            )
        ]
        conn.rollback()
    except psycopg.errors.UndefinedTable as error:
        raise ExportError("not_convive", path=shown) from error
    except psycopg.Error as error:
        raise ExportError("not_convive_because", path=shown, error=type(error).__name__) from error
    finally:
        conn.close()
    return meta, rows
