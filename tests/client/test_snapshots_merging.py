"""Snapshots of merged questions and written answers (issue 12): the guest's and the
moderator's Questions tab and the projector's question slide, at 80×24."""

from __future__ import annotations

import asyncio
import itertools
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from textual.pilot import Pilot

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


def _merge_and_answer(service: DebateService) -> None:
    """On top of the shared seed: two duplicates of q1 merged into it, and answers."""
    ids = itertools.count(1)
    people = {x.name: x for x in service.state.participants.values()}

    def run(name: str, **frame: Any) -> str | None:
        who = people[name]
        command = p.client_frame_adapter.validate_python({"id": f"merge{next(ids)}", **frame})
        reply = service.execute(command, Actor(who.participant_id, who.role, who.name)).reply
        assert isinstance(reply, p.Ack), reply
        return reply.created

    duplicates = [
        run("Bruno Petit", type="submit_question", text="Qui décide des cas d'usage ?"),
        run("Alice Martin", type="submit_question", text="Les arbitrages, qui les fait ?", anonymous=True),
    ]
    for question_id in duplicates:
        run("Modératrice", type="approve_question", question_id=question_id)
    run("Modératrice", type="merge_questions", keep_id="q1", merged_ids=duplicates)
    run("Modératrice", type="answer_question", question_id="q1", text="Un comité métiers-DSI, chaque mois.")
    run("Modératrice", type="set_spotlight", kind="question", item_id="q1")


@pytest.fixture
def merged_server(tmp_path: Path) -> Iterator[DebateServer]:
    service = DebateService.open(
        tmp_path / "snap.db",
        title="L'IA, de l'innovation au passage à l'échelle",
        join_code=JOIN_CODE,
        moderator_key=MODERATOR_KEY,
        clock=lambda: SERVER_TIME,
    )
    _seed(service)
    _merge_and_answer(service)
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
    yield server
    asyncio.run_coroutine_threadsafe(server.stop(), loop).result(20)
    loop.call_soon_threadsafe(loop.stop)
    thread.join(5)
    service.close()


@pytest.mark.parametrize(
    ("role", "lang", "keys"),
    [("participant", "en", ("f3",)), ("moderator", "fr", ("f3",)), ("screen", "fr", ())],
    ids=["guest-questions", "moderator-questions", "projector-question"],
)
def test_merged_questions_and_answers_at_80x24(
    snap_compare: SnapCompare,
    merged_server: DebateServer,
    tmp_path: Path,
    role: p.Role,
    lang: str,
    keys: tuple[str, ...],
) -> None:
    app = _app(merged_server, role, tmp_path, lang=lang)

    async def before(pilot: Pilot[Any]) -> None:
        await _settled(pilot, *keys)

    assert snap_compare(app, terminal_size=(80, 24), run_before=before)
