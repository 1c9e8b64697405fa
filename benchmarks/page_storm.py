"""A join storm of page loads: ``python -m benchmarks.page_storm``.

A room scans the QR code at once: ``--loads`` first visits of the guest page
(the page and every file it loads, one TCP connection per request as convive
closes each, up to six at a time like a browser) spread over ``--window``
seconds, while ``--joins`` websockets join the same debate (a copy of the
join storm's 5,000-event debate). Reports every page served or not, and the
p50/p99 time of a whole page load. Timed figures go to docs/benchmarks.md,
never to tests (tests/bench only checks the counts at tiny sizes).
"""

from __future__ import annotations

import argparse
import asyncio
import re
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from benchmarks.cli import raise_fd_limit
from benchmarks.clients import ConviveDialect, Peer, close_all
from benchmarks.scenarios import percentile
from benchmarks.seed import seed_database
from benchmarks.servers import ServerProcess, settle, start_convive

BROWSER_PARALLEL = 6  # connections a browser opens to one host at once


async def fetch(host: str, port: int, path: str, gzip: bool = True) -> tuple[int, bytes]:
    """One GET on its own connection: (status, body)."""
    reader, writer = await asyncio.open_connection(host, port)
    writer.write(
        f"GET {path} HTTP/1.1\r\nHost: {host}:{port}\r\n"
        f"{'Accept-Encoding: gzip' if gzip else 'X-No: gzip'}\r\nConnection: close\r\n\r\n".encode()
    )
    await writer.drain()
    raw = await reader.read()  # the server closes after each response
    writer.close()
    head, _, body = raw.partition(b"\r\n\r\n")
    status = int(head.split(b" ", 2)[1])
    length = re.search(rb"(?i)\r\ncontent-length: *(\d+)", head)
    if length is None or int(length.group(1)) != len(body):
        raise ValueError(f"{path}: truncated body")
    return status, body


def page_files(html: bytes) -> list[str]:
    """What a browser fetches after the page: scripts, module preloads, styles, icon,
    and the modules those import (app.js imports nothing the page does not preload)."""
    return sorted({link.decode() for link in re.findall(rb'(?:src|href)="(/[^"]*)"', html)})


async def load_page(host: str, port: int, path: str) -> tuple[float, int]:
    """A first visit: the page, then its files, six at a time. (seconds, bytes)"""
    start = time.perf_counter()
    # The page itself uncompressed here, only to read its links (a browser would gunzip it).
    status, html = await fetch(host, port, path, gzip=False)
    if status != 200:
        raise ValueError(f"{path}: {status}")
    total = len(html)
    files = page_files(html)
    gate = asyncio.Semaphore(BROWSER_PARALLEL)

    async def one(file: str) -> None:
        nonlocal total
        async with gate:
            status, body = await fetch(host, port, file)
        if status != 200:
            raise ValueError(f"{file}: {status}")
        total += len(body)

    await asyncio.gather(*(one(file) for file in files))
    return time.perf_counter() - start, total


async def page_storm(server: ServerProcess, loads: int, joins: int, window: float) -> dict[str, Any]:
    parsed = urlsplit(server.url)
    host, port = parsed.hostname or "127.0.0.1", parsed.port or 80
    await settle(server)
    dialect = ConviveDialect(server)
    peers = [Peer(f"phone{i}") for i in range(joins)]

    async def visit(index: int) -> tuple[float, int]:
        await asyncio.sleep(window * index / max(1, loads))
        return await load_page(host, port, f"/j/{'BENCH2' if index % 2 else 'bench2'}")

    async def join(index: int, peer: Peer) -> None:
        await asyncio.sleep(window * index / max(1, joins))
        await peer.open(server.url)
        await peer.hello(dialect.hello(peer), 60)

    cpu_before = server.cpu_seconds()
    start = time.perf_counter()
    results = await asyncio.gather(
        *(visit(i) for i in range(loads)),
        *(join(i, peer) for i, peer in enumerate(peers)),
        return_exceptions=True,
    )
    elapsed = time.perf_counter() - start
    cpu = server.cpu_seconds() - cpu_before
    pages = [r for r in results[:loads] if isinstance(r, tuple)]
    failures = [r for r in results if isinstance(r, BaseException)]
    welcomed = sum(1 for peer in peers if peer.welcome is not None)
    await close_all(peers)
    times = [seconds * 1000 for seconds, _ in pages]
    return {
        "loads": loads,
        "pages_served": len(pages),
        "joins": joins,
        "welcomed": welcomed,
        "failures": len(failures),
        "first_failure": repr(failures[0]) if failures else None,
        "page_p50_ms": percentile(times, 50) if times else None,
        "page_p99_ms": percentile(times, 99) if times else None,
        "page_bytes": pages[0][1] if pages else None,
        "all_done_s": elapsed,
        "server_cpu_s": cpu,
    }


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.page_storm", description=__doc__)
    parser.add_argument("--loads", type=int, default=200, help="page loads (default 200)")
    parser.add_argument("--joins", type=int, default=200, help="websockets joining meanwhile (default 200)")
    parser.add_argument("--window", type=float, default=1.0, help="seconds they are spread over (default 1)")
    parser.add_argument("--seed-events", type=int, default=5000, help="events already in the debate")
    args = parser.parse_args(argv)
    raise_fd_limit()
    with tempfile.TemporaryDirectory() as folder:
        seed = Path(folder) / "seed.db"
        seed_database(seed, events=args.seed_events)
        server = start_convive(seed)
        try:
            figures = asyncio.run(page_storm(server, args.loads, args.joins, args.window))
        finally:
            server.stop()
    for key, value in figures.items():
        print(f"{key:>16}: {value:.1f}" if isinstance(value, float) else f"{key:>16}: {value}")
    return 0 if figures["failures"] == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
