"""Start the servers under test as subprocesses, and read their CPU and memory."""

from __future__ import annotations

import asyncio
import os
import selectors
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import psutil

JOIN_CODE = "BENCH2"
MODERATOR_KEY = "bench-moderator-key-0123456789"
START_TIMEOUT = 20.0


@dataclass
class ServerProcess:
    """A running server: its URL and its process, for /proc measurements."""

    kind: str  # "convive" or "baseline"
    url: str
    popen: subprocess.Popen[str]
    workdir: Path | None = None
    log: Path | None = None

    @property
    def pid(self) -> int:
        return self.popen.pid

    def cpu_seconds(self) -> float:
        """CPU time of the server process so far (every thread).

        From /proc/<pid>/task/*/schedstat (nanoseconds) where there is one:
        psutil's user + system times count in clock ticks of 10 ms, too coarse
        for a few hundred milliseconds of work.
        """
        total = 0
        try:
            for task in Path(f"/proc/{self.pid}/task").iterdir():
                total += int((task / "schedstat").read_text().split()[0])
        except (OSError, ValueError, IndexError):
            times = psutil.Process(self.pid).cpu_times()
            return float(times.user + times.system)
        return total / 1e9

    def rss(self) -> int:
        return int(psutil.Process(self.pid).memory_info().rss)

    def stop(self) -> None:
        crashed = self.popen.poll() is not None
        if not crashed:
            self.popen.terminate()
            try:
                self.popen.wait(10)
            except subprocess.TimeoutExpired:
                self.popen.kill()
                self.popen.wait(5)
        if self.popen.stdout is not None:
            self.popen.stdout.close()
        if crashed and self.log is not None:
            tail = self.log.read_text(errors="replace").splitlines()[-20:]
            print(f"{self.kind} exited early; its log ends with:", *tail, sep="\n", file=sys.stderr)
        if self.workdir is not None:
            shutil.rmtree(self.workdir, ignore_errors=True)


def _read_until(popen: subprocess.Popen[str], marker: str) -> list[str]:
    """Lines of the server's output up to the one that contains ``marker``
    (at most ``START_TIMEOUT`` seconds, even if the server prints nothing)."""
    assert popen.stdout is not None
    fd = popen.stdout.fileno()
    deadline = time.monotonic() + START_TIMEOUT
    received = b""
    with selectors.DefaultSelector() as selector:
        selector.register(fd, selectors.EVENT_READ)
        while (left := deadline - time.monotonic()) > 0:
            if not selector.select(left):
                continue
            chunk = os.read(fd, 65536)  # unbuffered: select() sees every byte
            received += chunk
            lines = received.decode(errors="replace").split("\n")[:-1]  # whole lines
            if any(marker in line for line in lines):
                return lines
            if not chunk:
                raise RuntimeError(f"server exited before it was ready: {received!r}")
    raise RuntimeError(f"server not ready in {START_TIMEOUT} s")


ROOT = Path(__file__).resolve().parent.parent
# The checkout whose convive server runs (``--server-root``: another one, such as
# an export of main, for a before/after with the same load client and baseline).
convive_root = ROOT


def _env(root: Path = ROOT) -> dict[str, str]:
    """The servers import this checkout (or ``root``), whatever the current directory."""
    env = dict(os.environ)
    env["PYTHONUNBUFFERED"] = "1"
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(root), env.get("PYTHONPATH")]))
    return env


def _unlimited_joins(root: Path) -> list[str]:
    """Every simulated guest joins from 127.0.0.1 with the shared code: lift the
    per-address and debate-wide budgets of new identities (issue 14, item 2), which
    would otherwise let 100 in and then one a second. An older checkout (a
    before/after run) has no such flags, and no such limits."""
    cli = root / "server" / "cli.py"
    if cli.exists() and "--join-burst" in cli.read_text(encoding="utf-8"):
        return ["--join-burst", "1000000", "--debate-join-rate", "100000"]
    return []


def start_convive(
    db_template: Path | None = None, root: Path | None = None, extra: Sequence[str] = ()
) -> ServerProcess:
    """``convive serve`` on a fresh temporary database (a copy of ``db_template``);
    ``root``: the checkout whose server runs (another one, for a before/after)."""
    root = root or convive_root
    workdir = Path(tempfile.mkdtemp(prefix="convive-bench-"))
    db = workdir / "bench.db"
    if db_template is not None:
        shutil.copyfile(db_template, db)
    command = [
        sys.executable, "-m", "convive.cli", "serve",
        "--db", str(db), "--port", "0",
        "--join-code", JOIN_CODE, "--moderator-key", MODERATOR_KEY,
        "--log-level", "warning", "--lang", "en", *_unlimited_joins(root), *extra,
    ]  # fmt: skip
    # Only the banner goes to stdout; the log (stderr) goes to a file.
    log = workdir / "server.log"
    with log.open("w") as stderr:
        popen = subprocess.Popen(
            command, stdout=subprocess.PIPE, stderr=stderr, text=True, env=_env(root), cwd=root
        )
    try:
        lines = _read_until(popen, "database")
    except BaseException:
        popen.kill()
        print(log.read_text(errors="replace")[-2000:], file=sys.stderr)
        shutil.rmtree(workdir, ignore_errors=True)
        raise
    url = next(line.split(":", 1)[1].split()[0] for line in lines if "websocket URL" in line)
    url = url.replace("localhost", "127.0.0.1")
    return ServerProcess("convive", url, popen, workdir, log)


def start_baseline() -> ServerProcess:
    workdir = Path(tempfile.mkdtemp(prefix="baseline-bench-"))
    log = workdir / "server.log"
    with log.open("w") as stderr:
        popen = subprocess.Popen(
            [sys.executable, "-m", "benchmarks.baseline", "--port", "0"],
            stdout=subprocess.PIPE,
            stderr=stderr,
            text=True,
            env=_env(),
        )
    try:
        lines = _read_until(popen, "ready ")
    except BaseException:
        popen.kill()
        print(log.read_text(errors="replace")[-2000:], file=sys.stderr)
        shutil.rmtree(workdir, ignore_errors=True)
        raise
    return ServerProcess("baseline", lines[-1].split()[1], popen, workdir, log)


async def settle(server: ServerProcess, quiet: float = 0.05, timeout: float = 10.0) -> None:
    """Wait until the server is idle (it used under 20% of a core for ``quiet`` s)."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    before = server.cpu_seconds()
    while loop.time() < deadline:
        await asyncio.sleep(quiet)
        now = server.cpu_seconds()
        if now - before < quiet * 0.2:
            return
        before = now
