"""Snapshots of the word filter and the moderators' notes (issue 12): the moderator's
chat with a held message, the notes tab, and the author's chat with theirs awaiting review."""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from textual.pilot import Pilot

from client.tokens import Saved, TokenStore
from server.app import DebateServer, ServerSettings
from server.core import Actor
from server.debate import DebateService
from shared import protocol as p
from tests.client.test_snapshots import (
    JOIN_CODE,
    MODERATOR_KEY,
    SERVER_TIME,
    SnapCompare,
    _app,
    _seed,
    _settled,
)


@pytest.fixture
def filter_server(tmp_path: Path) -> Iterator[DebateServer]:
    service = DebateService.open(
        tmp_path / "snap.db",
        title="L'IA, de l'innovation au passage à l'échelle",
        join_code=JOIN_CODE,
        moderator_key=MODERATOR_KEY,
        clock=lambda: SERVER_TIME,
    )
    service.set_word_filter(["blockchain"], True, "hold")
    _seed(service)
    guest, token, _ = service.join("Chloé Durand", "participant")
    mod = next(x for x in service.state.participants.values() if x.role == "moderator")
    for actor, frame in (
        (
            Actor(guest.participant_id, "participant", guest.name),
            {"type": "post_message", "text": "Quel c.o.n, ce POC"},
        ),
        (
            Actor(mod.participant_id, "moderator", mod.name),
            {"type": "post_note", "text": "Deux questions, puis le sondage."},
        ),
    ):
        command = p.client_frame_adapter.validate_python({"id": f"filter-{frame['type']}", **frame})
        assert isinstance(service.execute(command, actor).reply, p.Ack)
    server = DebateServer(service, ServerSettings(coalesce_seconds=0.05))
    loop = asyncio.new_event_loop()
    started = threading.Event()

    def serve() -> None:
        asyncio.set_event_loop(loop)
        loop.run_until_complete(server.start("127.0.0.1", 0))
        started.set()
        loop.run_forever()

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    assert started.wait(5)
    # The participant app is Chloé, the held message's author, coming back with her token.
    url = f"ws://127.0.0.1:{server.port}/"
    TokenStore(tmp_path / "tokens").save(url, "participant", Saved(token, service.epoch, guest.name))
    yield server
    asyncio.run_coroutine_threadsafe(server.stop(), loop).result(20)
    loop.call_soon_threadsafe(loop.stop)
    thread.join(5)
    service.close()


@pytest.mark.parametrize(
    ("role", "keys"), [("moderator", ("f2",)), ("moderator", ("f10",)), ("participant", ("f2",))]
)
def test_held_message_and_notes(
    snap_compare: SnapCompare,
    filter_server: DebateServer,
    tmp_path: Path,
    role: p.Role,
    keys: tuple[str, ...],
) -> None:
    """The moderator sees the held message marked, and the notes tab; its author,
    her message awaiting review."""
    app = _app(filter_server, role, tmp_path)

    async def before(pilot: Pilot[Any]) -> None:
        await _settled(pilot, *keys)

    assert snap_compare(app, terminal_size=(80, 24), run_before=before)
