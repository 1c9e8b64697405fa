"""Issue 6, item 7: floods, guessing, double votes and a screen that talks."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest

from server.app import DebateServer, ServerSettings
from tests.conftest import join_participant
from tests.examples import EXAMPLES, refused_to
from tests.wire import WireClient


async def _send_many(client: WireClient, type_: str, count: int, **fields: object) -> list[dict[str, Any]]:
    """Send ``count`` commands back to back, then collect their replies."""
    ids = [f"{type_}-{i}" for i in range(count)]
    for command_id in ids:
        await client.send({"type": type_, "id": command_id, **fields})
    return [
        await client.wait_for(lambda f, i=i: f["type"] in ("ack", "error") and f.get("id") == i) for i in ids
    ]


@pytest.fixture
def settings() -> ServerSettings:
    # Failed hellos refill slowly here, so that a loaded machine cannot refill one
    # in the middle of the guessing test.
    return ServerSettings(coalesce_seconds=0.05, hello_failures_per_second=0.01)


async def test_chat_flood_is_limited_and_others_are_not(server: DebateServer, url: str) -> None:
    flooder = await join_participant(server, url, "Flooder")
    calm = await join_participant(server, url, "Calm")
    loop = asyncio.get_running_loop()
    started = loop.time()
    replies = await _send_many(flooder, "post_message", 30, text="spam")
    refilled = int((loop.time() - started) * server.settings.chat_per_second)
    acks = [r for r in replies if r["type"] == "ack"]
    limited = [r for r in replies if r["type"] == "error"]
    assert server.settings.chat_burst <= len(acks) <= server.settings.chat_burst + refilled
    assert limited and all(r["code"] == "rate_limited" for r in limited)
    assert all(0 < r["retry_after_ms"] <= 1_100 for r in limited)
    # The flooder's neighbour still talks at once.
    for i in range(server.settings.chat_burst):
        assert (await calm.command("post_message", text=f"hello {i}"))["type"] == "ack"
    # And the flooder may talk again after the advertised wait.
    await asyncio.sleep(limited[-1]["retry_after_ms"] / 1000)
    assert (await flooder.command("post_message", text="sorry"))["type"] == "ack"
    await flooder.close()
    await calm.close()


async def test_question_flood_is_limited(server: DebateServer, url: str) -> None:
    flooder = await join_participant(server, url, "Flooder")
    replies = await _send_many(flooder, "submit_question", 10, text="Why?", anonymous=True)
    assert sum(r["type"] == "ack" for r in replies) == server.settings.question_burst
    assert all(
        r["code"] == "rate_limited" and r["retry_after_ms"] > 0 for r in replies if r["type"] == "error"
    )
    other = await join_participant(server, url, "Other")
    assert (await other.command("submit_question", text="Me?"))["type"] == "ack"
    await flooder.close()
    await other.close()


async def test_moderators_are_not_limited(server: DebateServer, moderator: WireClient) -> None:
    replies = await _send_many(moderator, "post_message", 20, text="announcement")
    assert all(r["type"] == "ack" for r in replies)


async def test_join_code_guessing_is_limited_per_address(server: DebateServer, url: str) -> None:
    burst = server.settings.hello_failures_burst
    answers = []
    for attempt in range(burst + 3):
        # A new connection for each guess: the limit follows the address.
        guesser = await WireClient.open(url)
        answers.append(await guesser.hello(role="participant", join_code=f"AAAA{attempt:02d}", name="X"))
        await guesser.close()
    assert [a["code"] for a in answers[:burst]] == ["bad_credentials"] * burst
    assert all(a["code"] == "rate_limited" and a["retry_after_ms"] > 0 for a in answers[burst:])
    # While limited, even the right code is not confirmed to a guesser.
    guesser = await WireClient.open(url)
    answer = await guesser.hello(role="participant", join_code=server.service.join_code, name="X")
    assert answer["code"] == "rate_limited"
    await guesser.close()
    # Moderator keys are guarded by the same budget.
    guesser = await WireClient.open(url)
    answer = await guesser.hello(role="moderator", moderator_key="not-the-key")
    assert answer["code"] == "rate_limited"
    await guesser.close()
    assert not any(participant.name == "X" for participant in server.service.state.participants.values())


async def test_no_double_upvote_by_resending_or_reconnecting(
    server: DebateServer, url: str, moderator: WireClient
) -> None:
    await moderator.command("set_moderation", enabled=False)
    author = await join_participant(server, url, "Author")
    question_id = (await author.command("submit_question", text="Cloud ?"))["created"]
    voter = await join_participant(server, url, "Voter")
    assert (await voter.command("upvote_question", question_id=question_id))["type"] == "ack"
    again = await voter.command("upvote_question", question_id=question_id)
    assert again["code"] == "already_upvoted"
    assert voter.welcome is not None
    await voter.close()
    back = await WireClient.join(url, role="participant", resume_token=voter.welcome["resume_token"])
    assert back.welcome is not None and back.welcome["snapshot"]["my_upvotes"] == [question_id]
    again = await back.command("upvote_question", question_id=question_id)
    assert again["code"] == "already_upvoted"
    assert len(server.service.state.questions[question_id].voters) == 1
    # A poll ballot can be changed, but it counts once.
    poll_id = (await moderator.command("create_poll", question="?", options=["a", "b"]))["created"]
    await moderator.command("open_poll", poll_id=poll_id)
    await back.command("cast_ballot", poll_id=poll_id, choices=[0])
    await back.command("cast_ballot", poll_id=poll_id, choices=[0])
    assert server.service.state.polls[poll_id].counts() == [1, 0]
    await back.close()
    await author.close()


async def test_a_screen_cannot_send_anything(server: DebateServer, url: str, moderator: WireClient) -> None:
    await moderator.command("set_moderation", enabled=False)
    author = await join_participant(server, url, "Author")
    question_id = (await author.command("submit_question", text="Cloud ?"))["created"]
    screen = await WireClient.join(url, role="screen", join_code=server.service.join_code)
    assert refused_to("screen") == list(EXAMPLES.items())  # a screen sends nothing
    seq = server.service.state.seq
    for type_, fields in EXAMPLES.items():
        fields = {**fields, "question_id": question_id} if "question_id" in fields else fields
        reply = await screen.command(type_, **fields)
        assert reply["type"] == "error" and reply["code"] == "forbidden", (type_, reply)
    assert server.service.state.seq == seq
    code = server.service.join_code
    await screen.send({"type": "hello", "protocol": 1, "role": "participant", "join_code": code, "name": "S"})
    # (A presence frame may come first: every connection gets the count after its welcome.)
    again = await screen.wait_for(lambda f: f["type"] == "error")
    assert again["code"] == "already_joined"
    assert server.service.state.seq == seq
    await screen.close()
    await author.close()


async def test_a_toggling_flood_is_limited_too(server: DebateServer, url: str, moderator: WireClient) -> None:
    """Upvote, withdraw, upvote...: each one an event for everyone, so all commands count."""
    await moderator.command("set_moderation", enabled=False)
    author = await join_participant(server, url, "Author")
    question_id = (await author.command("submit_question", text="Cloud ?"))["created"]
    toggler = await join_participant(server, url, "Toggler")
    seq = server.service.state.seq
    loop = asyncio.get_running_loop()
    started = loop.time()
    replies = []
    for i in range(60):
        type_ = "upvote_question" if i % 2 == 0 else "withdraw_upvote"
        replies.append(await toggler.command(type_, question_id=question_id))
    refilled = int((loop.time() - started) * server.settings.command_per_second)
    acks = sum(r["type"] == "ack" for r in replies)
    assert server.settings.command_burst <= acks <= server.settings.command_burst + refilled
    assert all(r["code"] == "rate_limited" for r in replies if r["type"] == "error")
    assert server.service.state.seq - seq == acks
    # Others go on (the moderator: the author may not upvote their own question).
    assert (await moderator.command("upvote_question", question_id=question_id))["type"] == "ack"
    for client in (moderator, toggler, author):
        await client.drain(quiet=0.1)  # read the flood, so that closing is quick
    await toggler.close()
    await author.close()
