"""Issue 6, item 6: hostile frames in every connection state.

Random JSON, valid-shaped frames with wrong types, huge numbers, deep nesting,
unicode edge cases and lone surrogate escapes, 64 KiB strings and binary
frames are sent before hello and as each role. The server answers every frame
(ack, error or welcome) or closes with the code the protocol gives (1009 for a
frame over the size limit), never crashes, and a refused frame changes nothing.

One real server runs in a thread for the whole module, so that hypothesis
drives plain functions. ``CONVIVE_FUZZ_EXAMPLES`` sets the examples per
connection state (default 600: 3,000 in all with the commands-only test);
raise it to fuzz longer, e.g. ``CONVIVE_FUZZ_EXAMPLES=20000``.
"""

from __future__ import annotations

import asyncio
import copy
import json
import os
import threading
from collections.abc import Coroutine, Iterator
from pathlib import Path
from typing import Any, TypeVar

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from websockets.exceptions import ConnectionClosed

from server.app import DebateServer, ServerSettings
from server.debate import DebateService
from shared import limits
from shared import protocol as p
from tests import logscan
from tests.wire import WireClient

EXAMPLES = int(os.environ.get("CONVIVE_FUZZ_EXAMPLES", "600"))
STATES = ("before_hello", "participant", "moderator", "screen")
REPLIES = ("ack", "error", "welcome", "transcript")
T = TypeVar("T")


class Harness:
    """A server and one connection per state, on an event loop in a thread."""

    def __init__(self, db: Path) -> None:
        self.loop = asyncio.new_event_loop()
        self.thread = threading.Thread(target=self.loop.run_forever, daemon=True)
        self.thread.start()
        self.service = DebateService.open(db, title="Fuzz")
        logscan.remember(self.service.moderator_key)
        logscan.remember(self.service.join_code)
        # Limits would only turn fuzz into rate_limited errors: test_abuse covers them.
        big = 10**9
        self.server = DebateServer(
            self.service,
            ServerSettings(
                command_burst=big,
                chat_burst=big,
                question_burst=big,
                hello_failures_burst=big,
                participant_hello_burst=big,  # the fuzz resumes after every close
                coalesce_seconds=0.05,
            ),
        )
        self.run(self.server.start("127.0.0.1", 0))
        self.url = f"ws://127.0.0.1:{self.server.port}/"
        self.clients: dict[str, WireClient] = {}
        self.participant_token: str | None = None
        self.run(self._prepare())

    def run(self, coro: Coroutine[Any, Any, T], timeout: float = 30) -> T:
        return asyncio.run_coroutine_threadsafe(coro, self.loop).result(timeout)

    async def _prepare(self) -> None:
        """Some content for the fuzz to hit: a round, a poll, a question, a message."""
        moderator = await self.client("moderator")
        round_ = await moderator.command("add_round", title="R", theme="T", minutes=5)
        await moderator.command("start_round", round_id=round_["created"])
        poll = await moderator.command("create_poll", question="?", options=["a", "b", "c"])
        await moderator.command("open_poll", poll_id=poll["created"])
        await moderator.command("create_poll", question="?", options=["x", "y"])
        participant = await self.client("participant")
        asked = await participant.command("submit_question", text="Q?")
        await moderator.command("approve_question", question_id=asked["created"])
        await participant.command("submit_question", text="Pending?")
        await participant.command("post_message", text="hello")

    async def client(self, state: str) -> WireClient:
        client = self.clients.get(state)
        if client is not None and client.ws.close_code is None:
            return client
        client = await WireClient.open(self.url)
        if state == "participant":
            hello: dict[str, Any] = (
                {"resume_token": self.participant_token}
                if self.participant_token
                else {"join_code": self.service.join_code, "name": "Fuzzy"}
            )
            welcome = await client.hello(role="participant", **hello)
            self.participant_token = welcome["resume_token"]
        elif state == "moderator":
            await client.hello(role="moderator", moderator_key=self.service.moderator_key)
        elif state == "screen":
            await client.hello(role="screen", join_code=self.service.join_code)
        self.clients[state] = client
        return client

    async def exchange(self, state: str, frame: str | bytes) -> tuple[str, Any]:
        """Send one frame; ('reply', frame) or ('closed', close code)."""
        client = await self.client(state)
        client._unread.clear()
        await client.send(frame)
        try:
            reply = await client.wait_for(lambda f: f["type"] in REPLIES, timeout=10)
        except ConnectionClosed:
            await asyncio.sleep(0)
            return "closed", client.ws.close_code
        if state == "before_hello" and reply["type"] == "welcome":
            await client.close()  # this one has joined: the next example starts afresh
            del self.clients[state]
        return "reply", reply

    def close(self) -> None:
        async def stop() -> None:
            for client in self.clients.values():
                await client.close()
            await self.server.stop()

        self.run(stop())
        self.service.close()
        self.loop.call_soon_threadsafe(self.loop.stop)
        self.thread.join(5)


@pytest.fixture(scope="module")
def harness(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Harness]:
    before = len(logscan.lines())
    h = Harness(tmp_path_factory.mktemp("fuzz") / "fuzz.db")
    yield h
    h.close()
    crashes = [
        line
        for line in logscan.lines()[before:]
        if line.startswith(("ERROR", "CRITICAL")) or "Traceback" in line
    ]
    assert not crashes, crashes[:3]


# --- strategies ----------------------------------------------------------------

# Stands for a lone surrogate escape, put into the JSON text after json.dumps.
SUR = "@SUR@"
SURROGATES = st.sampled_from(["\\ud800", "\\udfff", "\\udc80x", "\\ud83d", "a\\ud800b"])
UNICODE_EDGES = st.sampled_from(
    [
        "",
        " ",
        "\u0000",
        "\u001b[31mred",
        "\u009b2J",
        "\u202eevil",
        "\ufeff",
        "\uffff",
        "\U0001f600",
        "e\u0301",
        "[@click=app.quit]x[/]",
        "\n\t\r",
        "ß" * 300,
        "\U0010ffff",
    ]
)
HUGE_NUMBERS = (
    st.sampled_from([10**400, -(10**400), 2**63, -(2**63) - 1, 2**64, 1e308, -1e308, 1e-320]) | st.integers()
)
SCALARS = (
    st.none()
    | st.booleans()
    | HUGE_NUMBERS
    | st.floats(allow_nan=False)
    | st.text(max_size=30)
    | UNICODE_EDGES
    | st.sampled_from(["q1", "q2", "m1", "p1", "p2", "r1", "x" * 65, "0"])
    | st.sampled_from([SUR, "a" + SUR, SUR + "q1"])
)
JSON_VALUES = st.recursive(
    SCALARS,
    lambda children: (
        st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=10), children, max_size=4)
    ),
    max_leaves=12,
)

_MODELS: dict[str, type[Any]] = {
    model.model_fields["type"].annotation.__args__[0]: model
    for model in (p.Hello, *p.ClientCommand.__origin__.__args__)  # type: ignore[attr-defined]
}
FRAME_TYPES = sorted(_MODELS)


def _fields_of(type_: str) -> list[str]:
    return [name for name in _MODELS[type_].model_fields if name != "type"]


@st.composite
def shaped_frames(draw: st.DrawFn, values: st.SearchStrategy[Any] = JSON_VALUES) -> str:
    """A frame with a real type and its real field names, but any values."""
    type_ = draw(st.sampled_from([*FRAME_TYPES, "nope", "HELLO"]))
    frame: dict[str, Any] = {"type": type_}
    names = _fields_of(type_) if type_ in _MODELS else ["id", "text"]
    for name in draw(st.lists(st.sampled_from(names), unique=True)) if names else []:
        frame[name] = draw(values)
    if type_ != "hello" and draw(st.booleans()):
        frame["id"] = draw(st.text(min_size=1, max_size=8) | st.just(SUR))
    if draw(st.integers(0, 9)) == 0:
        frame[draw(st.text(max_size=8))] = draw(values)  # an unknown field
    text = json.dumps(frame, ensure_ascii=draw(st.booleans()))
    # Lone surrogate escapes: valid JSON, not valid UTF-8 once decoded.
    return text.replace(SUR, draw(SURROGATES))


PLAUSIBLE = (
    st.sampled_from(["q1", "q2", "q3", "m1", "m2", "p1", "p2", "r1", "r2", "hi", "Bob"])
    | st.integers(-1, 12)
    | st.booleans()
    | st.lists(st.integers(-1, 4), max_size=4)
    | st.lists(st.sampled_from(["a", "b", "a"]), max_size=4)
    | st.text(max_size=20)
    | st.just(SUR)
)


@st.composite
def plausible_commands(draw: st.DrawFn) -> str:
    """Commands that often pass validation, so the rules get fuzzed too."""
    type_ = draw(st.sampled_from(sorted(p.COMMAND_TYPES)))
    frame: dict[str, Any] = {
        "type": type_,
        "id": draw(st.text(min_size=1, max_size=6) | st.just(SUR)),
    }
    for name in _fields_of(type_):
        if name != "id" and draw(st.integers(0, 5)) > 0:
            frame[name] = draw(PLAUSIBLE)
    return json.dumps(frame).replace(SUR, draw(SURROGATES))


def _nested(depth: int, opener: str) -> str:
    closer = "]" if opener == "[" else "}"
    if opener == "{":
        return '{"a":' * depth + "1" + closer * depth
    return opener * depth + closer * depth


RAW_FRAMES = st.one_of(
    JSON_VALUES.map(json.dumps),
    shaped_frames(),
    st.text(max_size=50),
    st.binary(max_size=50),
    st.builds(_nested, st.integers(1, 30_000), st.sampled_from(["[", "{"])),
    st.builds(
        lambda n, t: json.dumps({"type": t, "id": "big", "text": "a" * n}),
        st.sampled_from([59_000, 65_536, 70_000]),
        st.sampled_from(["post_message", "submit_question", "hello"]),
    ),
    st.builds(lambda n: '{"type":"hello","protocol":' + "9" * n + "}", st.integers(1, 5_000)),
)


def _oversized(frame: str | bytes) -> bool:
    size = len(frame) if isinstance(frame, bytes) else len(frame.encode("utf-8", "surrogatepass"))
    return size > limits.MAX_FRAME_BYTES


def _check(h: Harness, state: str, frame: str | bytes) -> None:
    h.run(h.client(state))  # (re)connect first: a new moderator joins, for instance
    before = h.run(_copy_state(h))
    kind, answer = h.run(h.exchange(state, frame))
    if kind == "closed":
        assert _oversized(frame) and answer == 1009, (state, answer, str(frame)[:200])
        after = h.run(_copy_state(h))
        assert after == before
        return
    assert not _oversized(frame), "a frame over the limit must close the connection"
    after = h.run(_copy_state(h))
    if answer["type"] == "error":
        assert after == before, (
            "a refused frame changed the state",
            state,
            answer,
            before[:2],
            after[:2],
            _diff(before[2], after[2]),
        )
        assert answer["code"] and answer["message"]
    elif answer["type"] == "ack":
        assert state in ("participant", "moderator")
        assert after[0] >= before[0]
    elif answer["type"] == "welcome":
        assert state == "before_hello"


async def _copy_state(h: Harness) -> tuple[int, int, Any]:
    return h.service.state.seq, h.service.store.last_seq(), copy.deepcopy(h.service.state)


FUZZ_SETTINGS = settings(
    max_examples=EXAMPLES,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)


@pytest.mark.parametrize("state", STATES)
def test_hostile_frames_in_every_state(harness: Harness, state: str) -> None:
    @FUZZ_SETTINGS
    @given(frame=RAW_FRAMES)
    def fuzz(frame: str | bytes) -> None:
        _check(harness, state, frame)

    fuzz()
    # Still serving: a newcomer is welcomed.
    assert harness.run(harness.exchange("before_hello", _hello(harness)))[1]["type"] == "welcome"


@FUZZ_SETTINGS
@given(state=st.sampled_from(["participant", "moderator", "screen"]), frame=plausible_commands())
def test_plausible_commands_as_each_role(harness: Harness, state: str, frame: str) -> None:
    _check(harness, state, frame)


def _hello(h: Harness) -> str:
    return json.dumps({"type": "hello", "protocol": 1, "role": "screen", "join_code": h.service.join_code})


def _diff(a: Any, b: Any) -> list[str]:
    return [k for k in vars(a) if getattr(a, k) != getattr(b, k)]


@pytest.mark.parametrize(
    "frame",
    [
        "[" * 30_000 + "]" * 30_000,  # json.loads in the error path hit RecursionError
        '{"type":"post_message","id":"\\ud800","text":"x"}',  # an id UTF-8 cannot encode
        '{"id":"\\udfff"}',
        '{"type":"hello","protocol":1,"role":"screen","join_code":"\\ud800"}',
        '{"type":"hello","protocol":1,"role":"participant","resume_token":"a\\udc80"}',
        '{"type":"upvote_question","id":"u","question_id":"q\\ud83d"}',
    ],
)
@pytest.mark.parametrize("state", STATES)
def test_regressions_found_by_fuzzing(harness: Harness, state: str, frame: str) -> None:
    _check(harness, state, frame)
