"""Read a debate's event log for an export, without disturbing a running server.

The database is opened read-only, and the meta and every event are read in one
read transaction: in WAL mode that is a consistent snapshot at one seq, and the
server keeps writing meanwhile (readers never block the writer in WAL).
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from pathlib import Path

from pydantic import ValidationError

from server.storage import DEFAULT_DEBATE, is_postgres_url, redacted_url
from server.store import SCHEMA_VERSION
from shared.events import EventBase, event_adapter


class ExportError(Exception):
    """The database cannot be exported; the message is one line for the user.

    ``key`` and ``values`` let the command line say it in the user's language
    (``server.cli_text``); ``str(error)`` is the English line.
    """

    def __init__(self, key: str, **values: object) -> None:
        from server.cli_text import CliText

        super().__init__(CliText("en")(f"export_error.{key}", **values))
        self.key = key
        self.values = values


@dataclass(frozen=True)
class LogSnapshot:
    events: list[EventBase]
    meta: dict[str, str]

    @property
    def seq(self) -> int:
        return self.events[-1].seq if self.events else 0


def read_log(path: str | Path, debate: str = DEFAULT_DEBATE) -> LogSnapshot:
    """Every event of the debate in ``path`` (a file, or a PostgreSQL URL and
    the ``debate`` in it), as one consistent snapshot."""
    if is_postgres_url(str(path)):
        try:
            from server.pg.reader import read_pg_log
        except ImportError as error:
            raise ExportError("cannot_open", path=redacted_url(str(path)), error="psycopg missing") from error
        meta, rows = read_pg_log(str(path), debate)
        return _snapshot(redacted_url(str(path)), meta, rows)
    file = Path(path)
    if not file.exists():
        raise ExportError("no_file", path=path)
    if not file.is_file():
        raise ExportError("not_a_file", path=path)
    try:
        db = sqlite3.connect(f"{file.resolve().as_uri()}?mode=ro", uri=True, isolation_level=None)
    except sqlite3.Error as error:
        raise ExportError("cannot_open", path=path, error=error) from error
    try:
        db.execute("BEGIN")  # one read transaction: one snapshot of meta and events
        try:
            meta = {str(k): str(v) for k, v in db.execute("SELECT key, value FROM meta")}
            version = meta.get("schema_version")
            if version is None or not version.isdigit():
                raise ExportError("not_convive", path=path)
            if int(version) > SCHEMA_VERSION:
                raise ExportError("newer", path=path, version=version, known=SCHEMA_VERSION)
            rows = db.execute("SELECT seq, payload FROM events ORDER BY seq").fetchall()
        finally:
            db.execute("COMMIT")
    except sqlite3.DatabaseError as error:
        # "file is not a database", "no such table: meta", a locked or damaged file…
        raise ExportError("not_convive_because", path=path, error=error) from error
    finally:
        db.close()
    return _snapshot(str(path), meta, rows)


def _snapshot(path: str, meta: dict[str, str], rows: list[tuple[int, str]]) -> LogSnapshot:
    events: list[EventBase] = []
    validate = event_adapter.validate_json
    for seq, payload in rows:
        try:
            event = validate(payload)
        except ValidationError as error:
            raise ExportError("damaged", path=path, seq=seq) from error
        if event.seq != len(events) + 1:
            raise ExportError("gap", path=path, seq=event.seq)
        events.append(event)
    return LogSnapshot(events, meta)
