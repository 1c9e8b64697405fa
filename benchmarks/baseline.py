"""The bare baseline: a minimal ``websockets`` relay, to measure convive against.

What websockets itself can do on this machine, with the same connections and
frames as convive but none of its work (no validation, no rules, no log):

- the first frame is a hello: the answer is a ``welcome`` of the size the
  hello asks for (``welcome_bytes``, so that a join storm moves as many bytes
  as convive's snapshot), or, with ``last_seq``, the frames relayed since then
  (from memory: a resume);
- a frame with ``"type": "cast_ballot"`` is acknowledged and counted; the count
  is broadcast every ``--coalesce`` seconds when it changed (as convive does);
- any other frame is acknowledged to its sender and relayed, as it is, to
  every connection with ``broadcast()``.

Run: ``python -m benchmarks.baseline --port 0``; it prints ``ready <url>``.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import signal
import sys

from websockets.asyncio.server import ServerConnection, broadcast, serve
from websockets.exceptions import ConnectionClosed


class Relay:
    def __init__(self, coalesce_seconds: float) -> None:
        self.coalesce_seconds = coalesce_seconds
        self.everyone: set[ServerConnection] = set()
        self.log: list[str] = []  # relayed frames; frame i has seq i + 1
        self.ballots = 0
        self._ballots_sent = 0
        self._pads: dict[int, str] = {}

    def welcome(self, hello: dict[str, object]) -> str:
        last_seq = hello.get("last_seq")
        if isinstance(last_seq, int):
            missed = ",".join(self.log[last_seq:])
            return f'{{"type":"welcome","seq":{len(self.log)},"recovered":true,"events":[{missed}]}}'
        size = hello.get("welcome_bytes")
        size = size if isinstance(size, int) and size > 0 else 200
        pad = self._pads.get(size)
        if pad is None:
            pad = self._pads[size] = "x" * max(0, size - 60)
        return f'{{"type":"welcome","seq":{len(self.log)},"recovered":false,"pad":"{pad}"}}'

    async def handler(self, ws: ServerConnection) -> None:
        try:
            hello = json.loads(await ws.recv())
            await ws.send(self.welcome(hello))
            self.everyone.add(ws)
            async for raw in ws:
                frame = json.loads(raw)
                ack = f'{{"type":"ack","id":{json.dumps(frame.get("id"))},"seq":{len(self.log)}}}'
                if frame.get("type") == "cast_ballot":
                    self.ballots += 1
                    broadcast((ws,), ack)
                    continue
                self.log.append(raw if isinstance(raw, str) else raw.decode())
                broadcast((ws,), ack)
                broadcast(self.everyone, raw)
        except ConnectionClosed:
            pass
        finally:
            self.everyone.discard(ws)

    async def flush_loop(self) -> None:
        while True:
            await asyncio.sleep(self.coalesce_seconds)
            if self.ballots != self._ballots_sent:
                self._ballots_sent = self.ballots
                broadcast(self.everyone, f'{{"type":"poll_counts","voters":{self.ballots}}}')


async def run(port: int, coalesce_seconds: float, backlog: int) -> None:
    relay = Relay(coalesce_seconds)
    async with serve(relay.handler, "127.0.0.1", port, max_size=64 * 1024, backlog=backlog) as server:
        flusher = asyncio.get_running_loop().create_task(relay.flush_loop())
        actual = server.sockets[0].getsockname()[1]
        print(f"ready ws://127.0.0.1:{actual}/", flush=True)
        stop = asyncio.Event()
        loop = asyncio.get_running_loop()
        for signum in (signal.SIGTERM, signal.SIGINT):
            loop.add_signal_handler(signum, stop.set)
        await stop.wait()
        flusher.cancel()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.baseline")
    parser.add_argument("--port", type=int, default=0)
    parser.add_argument("--coalesce", type=float, default=0.2)
    parser.add_argument("--backlog", type=int, default=1024, help="as convive's")
    args = parser.parse_args(argv)
    asyncio.run(run(args.port, args.coalesce, args.backlog))
    return 0


if __name__ == "__main__":
    sys.exit(main())
