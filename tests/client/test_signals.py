"""Issue 9: SIGTERM to a client restores the terminal (no raw mode, no garbage left)."""

from __future__ import annotations

import os
import pty
import select
import signal
import subprocess
import sys
import time
from pathlib import Path

from tests.server.process import ServeProcess

LEAVE_ALT_SCREEN = b"\x1b[?1049l"


def _read_until(fd: int, wanted: bytes, timeout: float) -> bytes:
    seen = b""
    deadline = time.monotonic() + timeout
    while wanted not in seen and time.monotonic() < deadline:
        ready, _, _ = select.select([fd], [], [], 0.1)
        if ready:
            try:
                chunk = os.read(fd, 65536)
            except OSError:  # the child closed its side
                break
            if not chunk:
                break
            seen += chunk
    return seen


def test_sigterm_ends_the_client_cleanly(tmp_path: Path) -> None:
    server = ServeProcess.start(tmp_path / "debate.db")
    try:
        parent, child = pty.openpty()
        env = {**os.environ, "TERM": "xterm-256color", "CONVIVE_DATA_DIR": str(tmp_path / "data")}
        env.pop("TEXTUAL", None)
        command = [sys.executable, "-m", "convive.cli", "join", server.url]
        client = subprocess.Popen(
            [*command, "--code", server.join_code, "--name", "Alice", "--lang", "fr"],
            stdin=child,
            stdout=child,
            stderr=child,
            env=env,
            start_new_session=True,
        )
        os.close(child)
        try:
            drawn = _read_until(parent, "Connecté".encode(), timeout=30)
            assert "Connecté".encode() in drawn, drawn[-500:]
            client.send_signal(signal.SIGTERM)
            rest = _read_until(parent, LEAVE_ALT_SCREEN, timeout=15)
            assert client.wait(15) == 0
            assert LEAVE_ALT_SCREEN in rest  # the terminal left as it was found
        finally:
            if client.poll() is None:
                client.kill()
                client.wait(5)
            os.close(parent)
    finally:
        server.terminate()
