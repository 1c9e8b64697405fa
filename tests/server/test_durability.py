"""SIGKILL right after an ack loses nothing; SIGTERM closes cleanly with 1012."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest
from websockets.exceptions import ConnectionClosed

from server.debate import DebateService
from tests.server.process import ServeProcess
from tests.wire import WireClient


async def start(db_path: Path) -> ServeProcess:
    return await asyncio.to_thread(ServeProcess.start, db_path)


async def test_sigkill_after_an_ack_loses_nothing(tmp_path: Path) -> None:
    db_path = tmp_path / "crash.db"
    first = await start(db_path)
    try:
        moderator = await WireClient.join(first.url, role="moderator", moderator_key=first.moderator_key)
        guest = await WireClient.join(first.url, role="participant", join_code=first.join_code, name="Alice")
        await moderator.command("add_round", title="R", theme="t", minutes=10)
        await moderator.command("start_round", round_id="r1")
        await guest.wait_event("round_started")
        last_seen = max(e["seq"] for e in guest.events())
        ack = await guest.command("post_message", text="acked just before the crash")
        assert ack["type"] == "ack"
    finally:
        first.kill()  # no chance to flush anything more

    second = await start(db_path)
    try:
        # Same debate, same secrets, and the acked event is there.
        assert (second.join_code, second.moderator_key) == (first.join_code, first.moderator_key)
        back = await WireClient.open(second.url)
        welcome = await back.hello(
            role="participant",
            resume_token=guest.welcome["resume_token"],  # type: ignore[index]
            epoch=guest.welcome["epoch"],  # type: ignore[index]
            last_seq=last_seen,
        )
        assert welcome["recovered"] is True
        texts = [e["text"] for e in welcome["events"] if e["type"] == "message_posted"]
        assert texts == ["acked just before the crash"]
        assert welcome["seq"] == ack["seq"]
        # The debate goes on where it stood.
        assert (await back.command("post_message", text="after restart"))["seq"] == ack["seq"] + 1
        # Retrying the acked command returns the original ack, applied once.
        again = await back.command("post_message", id=ack["id"], text="acked just before the crash")
        assert again == ack
        await back.close()
    finally:
        second.terminate()

    service = DebateService.open(db_path)
    try:
        messages = [m.text for m in service.state.messages.values()]
        assert messages == ["acked just before the crash", "after restart"]
    finally:
        service.close()


async def test_sigterm_closes_connections_with_1012_and_exits_0(tmp_path: Path) -> None:
    serve = await start(tmp_path / "term.db")
    client = await WireClient.join(serve.url, role="participant", join_code=serve.join_code, name="Alice")
    ack = await client.command("post_message", text="kept")
    exit_code = await asyncio.to_thread(serve.terminate)
    with pytest.raises(ConnectionClosed):
        while True:
            await asyncio.wait_for(client.ws.recv(), 5)
    assert client.ws.close_code == 1012
    assert exit_code == 0
    service = DebateService.open(tmp_path / "term.db")
    try:
        assert service.state.seq >= ack["seq"]
        assert [m.text for m in service.state.messages.values()] == ["kept"]
    finally:
        service.close()
