"""Operations: the limits' flags reach the server; X-Forwarded-For behind a proxy."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest
from websockets.asyncio.client import connect

from convive.cli import build_parser
from server.app import DebateServer, ServerSettings
from server.cli import _settings
from tests.wire import WireClient


def test_limit_flags_reach_the_settings() -> None:
    args = build_parser().parse_args(
        [
            "serve",
            "--ping-interval", "5", "--ping-timeout", "6", "--close-timeout", "2",
            "--backlog-cap", "65536",
            "--command-burst", "50", "--command-rate", "7",
            "--chat-burst", "9", "--chat-rate", "2.5",
            "--question-burst", "4", "--question-rate", "0.5",
            "--hello-failures-burst", "3", "--hello-failures-rate", "0.1",
            "--debate-hello-failures-burst", "30", "--debate-hello-failures-rate", "1.5",
            "--max-connections-per-address", "64", "--max-connections-per-guest", "2",
            "--guest-hello-burst", "3", "--guest-hello-rate", "0.5",
            "--replay-chunk", "250", "--presence-count-rate", "500",
            "--trust-forwarded-for",
        ]
    )  # fmt: skip
    assert _settings(args) == ServerSettings(
        ping_interval=5,
        ping_timeout=6,
        close_timeout=2,
        backlog_cap_bytes=65536,
        command_burst=50,
        command_per_second=7,
        chat_burst=9,
        chat_per_second=2.5,
        question_burst=4,
        question_per_second=0.5,
        hello_failures_burst=3,
        hello_failures_per_second=0.1,
        debate_hello_failures_burst=30,
        debate_hello_failures_per_second=1.5,
        max_connections_per_address=64,
        max_connections_per_participant=2,
        participant_hello_burst=3,
        participant_hellos_per_second=0.5,
        replay_chunk_events=250,
        presence_count_frames_per_second=500,
        trust_forwarded_for=True,
    )
    assert _settings(build_parser().parse_args(["serve"])) == ServerSettings()


async def _guess(url: str, forwarded_for: str) -> str:
    async with connect(url, additional_headers={"X-Forwarded-For": forwarded_for}) as ws:
        client = WireClient(ws)
        answer = await client.hello(role="participant", join_code="AAAAAA", name="X")
        return str(answer["code"])


@pytest.fixture
def settings(request: pytest.FixtureRequest) -> ServerSettings:
    trust = getattr(request, "param", False)
    return ServerSettings(hello_failures_burst=2, trust_forwarded_for=trust)


@pytest.mark.parametrize("settings", [True], indirect=True)
async def test_behind_a_proxy_guessers_are_told_apart(server: DebateServer, url: str) -> None:
    # The proxy appends the client's address: the last entry counts, not a forged first one.
    codes = [await _guess(url, f"6.6.6.6, 10.0.0.{i // 3}") for i in range(6)]
    assert codes == ["bad_credentials", "bad_credentials", "rate_limited"] * 2


@pytest.mark.parametrize("settings", [False], indirect=True)
async def test_without_the_flag_the_header_is_ignored(server: DebateServer, url: str) -> None:
    codes = [await _guess(url, f"10.0.0.{i}") for i in range(3)]
    assert codes == ["bad_credentials", "bad_credentials", "rate_limited"]


async def test_the_moderator_key_can_be_kept_out_of_stdout(tmp_path: Path) -> None:
    import subprocess
    import sys

    key = "k" * 30
    process = await asyncio.to_thread(
        subprocess.Popen,
        [sys.executable, "-m", "convive.cli", "serve", "--db", str(tmp_path / "h.db"),
         "--port", "0", "--moderator-key", key, "--hide-moderator-key", "--lang", "en"],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )  # fmt: skip
    try:
        assert process.stdout is not None
        lines = [process.stdout.readline() for _ in range(5)]
        assert any("moderator key : (hidden" in line for line in lines), lines
    finally:
        process.terminate()
        out, err = process.communicate(timeout=10)
    assert key not in "".join(lines) + out + err
    assert process.returncode == 0
