"""Presence across processes: who is connected to any process of one debate.

Each process writes its own connected participants (``presence`` rows under
its random process id) when they change, and beats its heart in ``processes``
every few seconds; everyone's view is the union of the rows of processes that
beat recently, so a SIGKILLed process's guests leave the count within
``STALE_SECONDS`` (they have reconnected elsewhere by then). A change sends
``pg_notify('convive', '<debate> presence')`` so the others read it at their
next flush. Participant ids, names and roles only: what moderators see anyway.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING

from shared import protocol as p

if TYPE_CHECKING:
    from server.pg.store import PgStore

STALE_SECONDS = 30
HEARTBEAT_SECONDS = 5.0


class PgPresence:
    def __init__(self, store: PgStore, process: str) -> None:
        self.store = store
        self.process = process

    def publish(self, local: Mapping[str, p.ConnectedView | None]) -> None:
        """This process's changes: an entry for who holds a connection here now,
        None for who holds none any more (one transaction, then a notification)."""
        debate, process = self.store.debate, self.process
        here = [(debate, process, e.participant_id, e.role, e.name) for e in local.values() if e is not None]
        gone = [(debate, process, pid) for pid, entry in local.items() if entry is None]
        with self.store.transaction() as cursor:
            cursor.execute(
                "INSERT INTO processes(debate, process) VALUES (%s, %s) "
                "ON CONFLICT (debate, process) DO UPDATE SET seen_at = now()",
                (debate, process),
            )
            if here:
                cursor.executemany(
                    "INSERT INTO presence(debate, process, participant_id, role, name) "
                    "VALUES (%s, %s, %s, %s, %s) ON CONFLICT (debate, process, participant_id) "
                    "DO UPDATE SET role = excluded.role, name = excluded.name",
                    here,
                )
            if gone:
                cursor.executemany(
                    "DELETE FROM presence WHERE debate = %s AND process = %s AND participant_id = %s", gone
                )
            cursor.execute("SELECT pg_notify(%s, %s)", ("convive", f"{debate} presence"))

    def heartbeat(self) -> None:
        with self.store.transaction() as cursor:
            cursor.execute(
                "INSERT INTO processes(debate, process) VALUES (%s, %s) "
                "ON CONFLICT (debate, process) DO UPDATE SET seen_at = now()",
                (self.store.debate, self.process),
            )
            # Forget the processes gone for good (killed): their rows are stale.
            cursor.execute(
                "DELETE FROM presence p USING processes r WHERE p.debate = r.debate "
                "AND p.process = r.process AND r.debate = %s "
                f"AND r.seen_at < now() - interval '{10 * STALE_SECONDS} seconds'",
                (self.store.debate,),
            )

    def everyone(self) -> dict[str, p.ConnectedView]:
        """Who is connected to a live process of this debate."""
        with self.store.transaction() as cursor:
            rows = cursor.execute(
                "SELECT DISTINCT ON (p.participant_id) p.participant_id, p.role, p.name "
                "FROM presence p JOIN processes r ON r.debate = p.debate AND r.process = p.process "
                f"WHERE p.debate = %s AND r.seen_at > now() - interval '{STALE_SECONDS} seconds' "
                "ORDER BY p.participant_id, p.process",
                (self.store.debate,),
            ).fetchall()
        return {
            str(pid): p.ConnectedView(participant_id=str(pid), role=role, name=str(name))
            for pid, role, name in rows
        }

    def leave(self) -> None:
        """This process stops: its guests are no longer connected through it."""
        with self.store.transaction() as cursor:
            cursor.execute(
                "DELETE FROM presence WHERE debate = %s AND process = %s", (self.store.debate, self.process)
            )
            cursor.execute(
                "DELETE FROM processes WHERE debate = %s AND process = %s", (self.store.debate, self.process)
            )
            cursor.execute("SELECT pg_notify(%s, %s)", ("convive", f"{self.store.debate} presence"))
