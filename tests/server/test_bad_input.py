"""Every kind of bad input gets a clear error, changes nothing, and the connection stays open."""

from __future__ import annotations

import asyncio
import json
from typing import Any

import pytest
from websockets.exceptions import ConnectionClosed

from server.app import DebateServer, ServerSettings
from shared import limits
from tests.conftest import join_participant
from tests.wire import WireClient


async def assert_error(client: WireClient, frame: Any, code: str, server: DebateServer) -> dict[str, Any]:
    before = server.service.state.seq
    await client.send(frame)
    reply = await client.wait_for(lambda f: f["type"] == "error")
    assert reply["code"] == code, reply
    assert reply["message"]
    assert server.service.state.seq == before
    return reply


async def assert_still_usable(client: WireClient) -> None:
    assert (await client.command("post_message", text="still here"))["type"] == "ack"


@pytest.mark.parametrize(
    ("frame", "code"),
    [
        ("{not json", "bad_json"),
        ("[1, 2, 3]", "invalid_frame"),
        ('"hello"', "invalid_frame"),
        ("{}", "invalid_frame"),
        ('{"type": "launch_missiles", "id": "x"}', "unknown_type"),
        ('{"type": "post_message", "id": "x"}', "invalid_frame"),
        ('{"type": "post_message", "id": "x", "text": 42}', "invalid_frame"),
        ('{"type": "post_message", "id": "x", "text": "   "}', "invalid_frame"),
        ('{"type": "post_message", "text": "no id"}', "invalid_frame"),
        ('{"type": "post_message", "id": "x", "text": "hi", "extra": 1}', "invalid_frame"),
        ('{"type": "cast_ballot", "id": "x", "poll_id": "p1", "choices": "0"}', "invalid_frame"),
        ('{"type": "submit_question", "id": "x", "text": "q", "anonymous": "yes"}', "invalid_frame"),
        ('{"type": "add_round", "id": "x", "title": "t", "theme": "t", "minutes": -5}', "invalid_frame"),
        ('{"type": "post_message", "id": "x", "text": "\\ud800"}', "bad_json"),
    ],
)
async def test_malformed_frames(server: DebateServer, url: str, frame: str, code: str) -> None:
    guest = await join_participant(server, url, "Guest")
    await assert_error(guest, frame, code, server)
    await assert_still_usable(guest)
    await guest.close()


async def test_binary_frame(server: DebateServer, url: str) -> None:
    guest = await join_participant(server, url, "Guest")
    await assert_error(guest, b'{"type": "post_message"}', "binary_frame", server)
    await assert_still_usable(guest)
    await guest.close()


async def test_an_error_names_the_command_it_answers(server: DebateServer, url: str) -> None:
    guest = await join_participant(server, url, "Guest")
    reply = await assert_error(
        guest, '{"type": "post_message", "id": "abc", "text": 42}', "invalid_frame", server
    )
    assert reply["id"] == "abc"
    await guest.close()


@pytest.mark.parametrize(
    ("command", "field", "limit"),
    [
        ("post_message", "text", limits.CHAT_MAX),
        ("submit_question", "text", limits.QUESTION_MAX),
    ],
)
async def test_text_over_its_limit(
    server: DebateServer, url: str, command: str, field: str, limit: int
) -> None:
    guest = await join_participant(server, url, "Guest")
    frame = {"type": command, "id": "long", field: "x" * (limit + 1)}
    reply = await assert_error(guest, json.dumps(frame), "too_long", server)
    assert reply["id"] == "long"
    # Exactly at the limit is fine.
    assert (await guest.command(command, **{field: "x" * limit}))["type"] == "ack"
    await guest.close()


@pytest.mark.parametrize(
    ("fields", "field_limit"),
    [
        ({"question": "q" * (limits.POLL_QUESTION_MAX + 1), "options": ["a", "b"]}, "question"),
        ({"question": "q", "options": ["a", "o" * (limits.POLL_OPTION_MAX + 1)]}, "options"),
        ({"question": "q", "options": ["a"]}, "options"),
        ({"question": "q", "options": [str(i) for i in range(11)]}, "options"),
    ],
)
async def test_poll_limits(server: DebateServer, url: str, fields: dict[str, Any], field_limit: str) -> None:
    moderator = await WireClient.join(url, role="moderator", moderator_key=server.service.moderator_key)
    reply = await moderator.command("create_poll", **fields)
    assert reply["type"] == "error" and reply["code"] in ("too_long", "invalid_frame")
    assert field_limit in reply["message"]
    await moderator.close()


async def test_name_over_its_limit(server: DebateServer, url: str) -> None:
    client = await WireClient.open(url)
    reply = await client.hello(role="participant", join_code=server.service.join_code, name="n" * 41)
    assert reply["type"] == "error" and reply["code"] == "too_long"
    welcome = await client.hello(role="participant", join_code=server.service.join_code, name="n" * 40)
    assert welcome["type"] == "welcome"
    await client.close()


async def test_control_characters_are_stripped(server: DebateServer, url: str) -> None:
    guest = await join_participant(server, url, "\x1b[31mEve\x9b\x07")
    assert guest.welcome is not None and guest.welcome["name"] == "[31mEve"
    await guest.command("post_message", text="a\x1b]0;title\x07b\tc\nd\x7f\x85e")
    event = await guest.wait_event("message_posted")
    assert event["text"] == "a]0;titleb\tc\nde"
    await guest.close()


async def test_commands_before_hello(server: DebateServer, url: str) -> None:
    client = await WireClient.open(url)
    await client.send({"type": "post_message", "id": "early", "text": "hi"})
    reply = await client.next_frame()
    assert reply["code"] == "hello_required" and reply["id"] == "early"
    assert (await client.hello(role="participant", join_code=server.service.join_code, name="Late"))[
        "type"
    ] == "welcome"
    await client.close()


async def test_a_second_hello(server: DebateServer, url: str) -> None:
    guest = await join_participant(server, url, "Guest")
    await assert_error(
        guest,
        json.dumps(
            {
                "type": "hello",
                "protocol": 1,
                "role": "participant",
                "join_code": server.service.join_code,
                "name": "x",
            }
        ),
        "already_joined",
        server,
    )
    await assert_still_usable(guest)
    await guest.close()


@pytest.mark.parametrize(
    ("hello", "code"),
    [
        ({"role": "participant", "join_code": "WRONG2", "name": "x"}, "bad_credentials"),
        ({"role": "participant", "name": "x"}, "bad_credentials"),
        ({"role": "moderator", "moderator_key": "not-the-key"}, "bad_credentials"),
        ({"role": "screen", "join_code": "ZZZZZZ"}, "bad_credentials"),
        ({"role": "participant", "resume_token": "forged"}, "bad_credentials"),
        ({"role": "participant", "join_code": "JOIN"}, "name_required"),
        ({"role": "participant", "protocol": 2, "name": "x"}, "unsupported_protocol"),
    ],
)
async def test_refused_hellos(server: DebateServer, url: str, hello: dict[str, Any], code: str) -> None:
    if hello.get("join_code") == "JOIN":
        hello["join_code"] = server.service.join_code
    client = await WireClient.open(url)
    before = server.service.state.seq
    reply = await client.hello(**hello)
    assert reply["type"] == "error" and reply["code"] == code
    assert server.service.state.seq == before
    # Still open: a correct hello now works.
    welcome = await client.hello(role="participant", join_code=server.service.join_code, name="Ok")
    assert welcome["type"] == "welcome"
    await client.close()


async def test_join_code_is_case_insensitive(server: DebateServer, url: str) -> None:
    client = await WireClient.open(url)
    reply = await client.hello(role="participant", join_code=server.service.join_code.lower(), name="Low")
    assert reply["type"] == "welcome"
    await client.close()


@pytest.mark.parametrize(
    ("command", "fields", "code"),
    [
        ("hide_message", {"message_id": "m404"}, "message_not_found"),
        ("approve_question", {"question_id": "q404"}, "question_not_found"),
        ("start_round", {"round_id": "r404"}, "round_not_found"),
        ("open_poll", {"poll_id": "p404"}, "poll_not_found"),
    ],
)
async def test_ids_that_do_not_exist(
    server: DebateServer, url: str, command: str, fields: dict[str, Any], code: str
) -> None:
    moderator = await WireClient.join(url, role="moderator", moderator_key=server.service.moderator_key)
    before = server.service.state.seq
    reply = await moderator.command(command, **fields)
    assert reply["type"] == "error" and reply["code"] == code
    assert server.service.state.seq == before
    await assert_still_usable(moderator)
    await moderator.close()


async def test_ballots_on_a_closed_poll_and_out_of_range(server: DebateServer, url: str) -> None:
    moderator = await WireClient.join(url, role="moderator", moderator_key=server.service.moderator_key)
    guest = await join_participant(server, url, "Guest")
    await moderator.command("create_poll", question="Q", options=["a", "b"])
    await moderator.command("open_poll", poll_id="p1")
    out_of_range = await guest.command("cast_ballot", poll_id="p1", choices=[2])
    assert out_of_range["code"] == "invalid_choice"
    await moderator.command("close_poll", poll_id="p1")
    closed = await guest.command("cast_ballot", poll_id="p1", choices=[0])
    assert closed["code"] == "poll_closed"
    await assert_still_usable(guest)
    await guest.close()
    await moderator.close()


async def test_rate_limit_on_chat(server: DebateServer, url: str) -> None:
    flooder = await join_participant(server, url, "Flooder")
    calm = await join_participant(server, url, "Calm")
    replies = [await flooder.command("post_message", text=f"spam {i}") for i in range(limits.CHAT_BURST + 3)]
    limited = [r for r in replies if r["type"] == "error"]
    assert limited and all(r["code"] == "rate_limited" and r["retry_after_ms"] > 0 for r in limited)
    assert (await calm.command("post_message", text="unaffected"))["type"] == "ack"
    await flooder.close()
    await calm.close()


@pytest.fixture
def settings() -> ServerSettings:
    return ServerSettings(coalesce_seconds=0.05, hello_timeout=0.5)


async def test_no_hello_in_time_closes_the_connection(server: DebateServer, url: str) -> None:
    client = await WireClient.open(url)
    with pytest.raises(ConnectionClosed):
        await asyncio.wait_for(client.ws.recv(), 3)
    assert client.ws.close_code == 1008


async def test_frames_over_the_cap_close_with_1009(server: DebateServer, url: str) -> None:
    guest = await join_participant(server, url, "Guest")
    await guest.send(json.dumps({"type": "post_message", "id": "big", "text": "x" * limits.MAX_FRAME_BYTES}))
    with pytest.raises(ConnectionClosed):
        while True:  # past the frames that follow the welcome
            await asyncio.wait_for(guest.ws.recv(), 3)
    assert guest.ws.close_code == 1009


async def test_an_invisible_name_is_refused_with_name_required(server: DebateServer, url: str) -> None:
    client = await WireClient.open(url)
    reply = await client.hello(role="participant", join_code=server.service.join_code, name="\u200b\u3164")
    assert reply["type"] == "error" and reply["code"] == "name_required"
    seq = server.service.state.seq
    welcome = await client.hello(
        role="participant", join_code=server.service.join_code, name="Ｃｌａｉｒｅ\u200b"
    )
    assert welcome["type"] == "welcome" and welcome["name"] == "Claire"
    assert server.service.state.seq == seq + 1
    await client.close()
