"""Issue 11 (and 14, §3): a guest's welcome stays small however long the evening.

The debate of the join-storm benchmark (5,000 events: about 3,000 messages and
340 questions) gave each guest an 870 KB welcome. Now a welcome holds the recent
part of the chat and of the questions, and ``fetch_history`` brings the rest, a
page at a time, until the view is the server's whole snapshot.
"""

from __future__ import annotations

import json
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from benchmarks.seed import seed_database
from server.app import DebateServer, ServerSettings
from shared import events as ev
from shared import limits
from shared import protocol as p
from shared.view import View, apply_history, from_snapshot
from tests.conftest import join_participant
from tests.wire import WireClient


@pytest.fixture(scope="module")
def seeded(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    path = tmp_path_factory.mktemp("seeded") / "evening.db"
    seed_database(path, 5000, guests=150)
    yield path


@pytest.fixture
def settings() -> ServerSettings:
    # Fetching a whole evening back is ~70 pages: past a guest's command budget,
    # which a client scrolling back meets only at great speed.
    return ServerSettings(coalesce_seconds=0.05, command_burst=1_000)


@pytest.fixture
def db_path(tmp_path: Path, seeded: Path) -> Path:
    copy = tmp_path / "debate.db"
    shutil.copy(seeded, copy)
    return copy


async def fetch_everything(client: WireClient, view: View) -> int:
    """Fetch every earlier page, as a client scrolling back would; the pages."""
    pages = 0
    kinds: tuple[p.HistoryKind, ...] = ("messages", "questions")
    for kind in kinds:
        while (before := view.messages_before if kind == "messages" else view.questions_before) is not None:
            await client.send({"type": "fetch_history", "id": f"h{pages}", "kind": kind, "before": before})
            raw = await client.wait_for(lambda f, n=pages: f["type"] == "history" and f["id"] == f"h{n}")
            page = p.History.model_validate(raw)
            assert len(page.messages) + len(page.questions) <= limits.HISTORY_PAGE_MAX
            assert apply_history(view, page)
            pages += 1
    return pages


def welcome_bytes(client: WireClient) -> int:
    return len(client.raw[0].encode("utf-8"))


async def test_a_guest_welcome_is_bounded_and_history_brings_the_rest(server: DebateServer, url: str) -> None:
    full_messages = len(server.service.snapshot(None, False).messages)
    assert full_messages > 2_000, "the seeded evening is long"
    guest = await join_participant(server, url, "Late guest")
    welcome = guest.welcome
    assert welcome is not None and welcome["recovered"] is False
    assert welcome_bytes(guest) <= limits.WELCOME_MAX_BYTES
    snapshot = ev.Snapshot.model_validate(welcome["snapshot"])
    assert snapshot.messages_before is not None and snapshot.questions_before is not None
    # The recent part: the newest messages, in order, up to the last one posted.
    assert snapshot.messages[-1] == server.service.snapshot(None, False).messages[-1]
    view = from_snapshot(snapshot, welcome["seq"], welcome["participant_id"], False)
    pages = await fetch_everything(guest, view)
    assert pages > full_messages // limits.HISTORY_PAGE_MAX
    whole = server.service.snapshot(welcome["participant_id"], False)
    assert view.snapshot().model_dump(mode="json") == whole.model_dump(mode="json")
    await guest.close()


async def test_the_most_upvoted_questions_come_with_the_welcome(server: DebateServer, url: str) -> None:
    guest = await join_participant(server, url, "Curious")
    assert guest.welcome is not None
    held = {q["question_id"] for q in guest.welcome["snapshot"]["questions"]}
    approved = [q for q in server.service.snapshot(None, False).questions if q.status == "approved"]
    top = sorted(approved, key=lambda q: -q.votes)[: limits.WINDOW_TOP_QUESTIONS]
    assert {q.question_id for q in top} <= held
    assert len(held) < len(approved)
    await guest.close()


async def test_moderators_and_projectors_get_every_question_and_the_recent_chat(
    server: DebateServer, url: str
) -> None:
    whole = server.service.snapshot(None, True)
    moderator = await WireClient.join(
        url, role="moderator", moderator_key=server.service.moderator_key, name="Mod"
    )
    assert moderator.welcome is not None
    snapshot = moderator.welcome["snapshot"]
    assert len(snapshot["questions"]) == len(whole.questions) and snapshot["questions_before"] is None
    assert len(snapshot["messages"]) <= limits.WINDOW_MESSAGES and snapshot["messages_before"] is not None
    screen = await WireClient.join(url, role="screen", moderator_key=server.service.moderator_key)
    assert screen.welcome is not None and screen.welcome["snapshot"]["questions_before"] is None
    refused = await screen.command("fetch_history", kind="messages", before="m10")
    assert refused["code"] == "forbidden"
    await moderator.close()
    await screen.close()


async def test_a_long_catch_up_becomes_a_bounded_snapshot(server: DebateServer, url: str) -> None:
    guest = await join_participant(server, url, "Sleepy phone")
    assert guest.welcome is not None
    token, epoch, seq = guest.welcome["resume_token"], guest.welcome["epoch"], guest.welcome["seq"]
    await guest.close()
    moderator = await WireClient.join(
        url, role="moderator", moderator_key=server.service.moderator_key, name="Mod"
    )
    for i in range(600):  # a busy chat while the phone sleeps: about 100 KB of events
        await moderator.send({"type": "post_message", "id": f"busy-{i}", "text": f"message {i} " + "x" * 120})
    await moderator.wait_for(lambda f: f.get("id") == "busy-599")
    back = await WireClient.join(url, role="participant", resume_token=token, epoch=epoch, last_seq=seq)
    assert back.welcome is not None and back.welcome["recovered"] is False
    assert back.welcome["participant_id"] == guest.welcome["participant_id"]
    assert welcome_bytes(back) <= limits.WELCOME_MAX_BYTES
    # A short absence is still a replay, exactly once.
    last = back.welcome["seq"]
    await back.close()
    posted = await moderator.command("post_message", text="just one")
    again = await WireClient.join(url, role="participant", resume_token=token, epoch=epoch, last_seq=last)
    assert again.welcome is not None and again.welcome["recovered"] is True
    assert [e["seq"] for e in again.welcome["events"]] == [posted["seq"]]
    await again.close()
    await moderator.close()


async def test_a_page_is_what_the_guest_may_see(server: DebateServer, url: str) -> None:
    """Hidden messages of others and pending questions of others never come back in a page."""
    moderator = await WireClient.join(
        url, role="moderator", moderator_key=server.service.moderator_key, name="Mod"
    )
    first = server.service.snapshot(None, True).messages[0].message_id
    assert (await moderator.command("hide_message", message_id=first))["type"] == "ack"
    guest = await join_participant(server, url, "Reader")
    assert guest.welcome is not None
    snapshot = ev.Snapshot.model_validate(guest.welcome["snapshot"])
    view = from_snapshot(snapshot, guest.welcome["seq"], guest.welcome["participant_id"], False)
    await fetch_everything(guest, view)
    assert first not in view.messages
    frames: list[Any] = [json.loads(raw) for raw in guest.raw if '"history"' in raw]
    assert frames and all(q["status"] == "approved" for f in frames for q in f["questions"])
    await guest.close()
    await moderator.close()
