"""Run ``convive serve`` as a real subprocess, for crash and signal tests."""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

SERVE = (sys.executable, "-m", "convive.cli", "serve")
LANG = ("--lang", "en")  # the banner is parsed below in English, whatever the locale


@dataclass
class ServeProcess:
    process: subprocess.Popen[str]
    url: str
    join_code: str
    moderator_key: str
    banner: list[str]

    @classmethod
    def start(
        cls, db_path: str | Path, *extra: str, timeout: float = 15.0, log_path: Path | None = None
    ) -> ServeProcess:
        """``log_path``: append the server's log (its stderr) there, to scan it."""
        stderr = open(log_path, "a") if log_path is not None else subprocess.DEVNULL  # noqa: SIM115
        process = subprocess.Popen(
            [*SERVE, "--db", str(db_path), "--port", "0", *LANG, *extra],
            stdout=subprocess.PIPE,
            stderr=stderr,
            text=True,
            env={**os.environ, "PYTHONUNBUFFERED": "1"},
        )
        if log_path is not None:
            stderr.close()  # type: ignore[union-attr]  # the child holds its own copy
        assert process.stdout is not None
        found: dict[str, str] = {}
        banner: list[str] = []
        deadline = time.monotonic() + timeout
        while len(found) < 3:
            line = process.stdout.readline()
            if not line:
                raise RuntimeError(f"convive serve exited early ({process.poll()})")
            if time.monotonic() > deadline:
                process.kill()
                raise RuntimeError("convive serve did not start in time")
            banner.append(line.rstrip("\n"))
            for key, pattern in (
                ("url", r"websocket URL\s*:\s*(\S+)"),
                ("join_code", r"join code\s*:\s*(\S+)"),
                ("moderator_key", r"moderator key\s*:\s*(\S+)"),
            ):
                match = re.search(pattern, line)
                if match:
                    found[key] = match.group(1)
        return cls(process, found["url"], found["join_code"], found["moderator_key"], banner)

    def kill(self) -> None:
        self.process.send_signal(signal.SIGKILL)
        self.process.wait(10)

    def terminate(self) -> int:
        self.process.send_signal(signal.SIGTERM)
        return self.process.wait(10)
