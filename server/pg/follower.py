"""Follow a shared log: LISTEN, and wake the process when others have written.

One connection of its own, LISTENing on the ``convive`` channel. A
notification names a debate and a seq; one of this process's debate, beyond
what it has folded, wakes it, and it reads the events after its cursor (the
notification is only a wake-up: what it says is never trusted as data). The
process is also woken after each (re)connection, and every ``POLL_SECONDS``
without news, so a missed notification costs a delay, never an event.

When the database goes away the connection is retried with a backoff that
doubles from 0.2 s up to 5 s.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable

import psycopg

from server.pg.store import BACKOFF_CAP_SECONDS, BACKOFF_FIRST_SECONDS, CHANNEL, CONNECT_TIMEOUT_SECONDS

log = logging.getLogger(__name__)

POLL_SECONDS = 5.0


async def follow(
    url: str,
    debate: str,
    wake: Callable[[], None],
    cursor: Callable[[], int],
    reconnected: Callable[[], None] = lambda: None,
    presence: Callable[[], None] = lambda: None,
) -> None:
    """Run until cancelled. ``cursor`` says the seq this process has folded;
    ``reconnected`` is called when the database answers again after a loss;
    ``presence`` when another process's connected guests changed."""
    backoff = BACKOFF_FIRST_SECONDS
    lost = False
    while True:
        try:
            conn = await psycopg.AsyncConnection.connect(
                url, autocommit=True, connect_timeout=CONNECT_TIMEOUT_SECONDS, application_name="convive"
            )
        except (psycopg.OperationalError, OSError) as error:
            if not lost:
                log.warning("listener: database unreachable (%s)", type(error).__name__)
            lost = True
            await asyncio.sleep(backoff)
            backoff = min(backoff * 2, BACKOFF_CAP_SECONDS)
            continue
        try:
            async with conn:
                await conn.execute(f"LISTEN {CHANNEL}")
                if lost:
                    log.info("listener: database back")
                    reconnected()
                lost, backoff = False, BACKOFF_FIRST_SECONDS
                wake()  # whatever was written while we were not listening
                while True:
                    async for notify in conn.notifies(timeout=POLL_SECONDS):
                        name, _, what = notify.payload.partition(" ")
                        if name != debate:
                            continue
                        if what == "presence":
                            presence()
                        elif not what.isdigit() or int(what) > cursor():
                            wake()
                    await conn.execute("SELECT 1")  # now and then: find a dead link out,
                    reconnected()  # tell the store the database answers (its own link may be new),
                    wake()  # and read the log, in case a notification went missing
                    presence()
        except (psycopg.OperationalError, psycopg.InterfaceError) as error:
            log.warning("listener: database link lost (%s)", type(error).__name__)
            lost = True
            await asyncio.sleep(backoff)
