"""The five scenarios. Each drives one running server and returns its figures.

Every wait is bounded; a scenario that times out reports what it saw (lost
deliveries, missing acks) rather than hanging.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

from benchmarks.clients import Dialect, Peer, close_all, join_all, new_id
from benchmarks.servers import settle

Figures = dict[str, Any]


@dataclass(frozen=True)
class Options:
    rate: float = 20.0  # chat messages per second (fan-out, resume storm)
    duration: float = 4.0  # seconds of posting (fan-out, resume storm)
    ballot_spread: float = 1.0  # seconds over which the ballots are cast
    resume_fraction: float = 0.2
    timeout: float = 30.0  # the longest any wait may last
    pause: float = 0.3  # for the coalesced presence updates to go out after joins
    deflate: bool = False  # clients negotiate permessage-deflate


def percentile(values: list[float], q: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(q / 100 * (len(ordered) - 1))))
    return ordered[index]


async def wait_until(predicate: Callable[[], bool], timeout: float, step: float = 0.01) -> bool:
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while not predicate():
        if loop.time() >= deadline:
            return False
        await asyncio.sleep(step)
    return True


def _deliveries(peers: list[Peer], count: int) -> tuple[int, int]:
    """(lost, duplicated) deliveries of messages 0..count-1 over ``peers``."""
    lost = duplicated = 0
    for peer in peers:
        for index in range(count):
            times = peer.received.get(index, 0)
            lost += times == 0
            duplicated += max(0, times - 1)
    return lost, duplicated


async def _post(dialect: Dialect, poster: Peer, count: int, rate: float) -> None:
    loop = asyncio.get_running_loop()
    start = loop.time()
    for index in range(count):
        await poster.send(dialect.post(index))
        delay = start + (index + 1) / rate - loop.time()
        if delay > 0:
            await asyncio.sleep(delay)


async def _audience(dialect: Dialect, n: int) -> tuple[list[Peer], Peer]:
    peers = [Peer(f"guest{i}") for i in range(n)]
    await join_all(dialect, peers)
    poster = Peer("Host")
    await join_all(dialect, [poster], role="moderator")
    return peers, poster


async def fan_out(dialect: Dialect, n: int, options: Options) -> Figures:
    server = dialect.server
    peers, poster = await _audience(dialect, n)
    everyone = [*peers, poster]
    await asyncio.sleep(options.pause)  # presence updates after the joins
    await settle(server)
    count = max(1, int(options.rate * options.duration))
    cpu_before = server.cpu_seconds()
    client_before = time.process_time()
    started = time.perf_counter()
    await _post(dialect, poster, count, options.rate)
    await wait_until(lambda: all(len(p.received) >= count for p in everyone), options.timeout)
    elapsed = time.perf_counter() - started
    cpu = server.cpu_seconds() - cpu_before
    client_cpu = time.process_time() - client_before
    lost, duplicated = _deliveries(everyone, count)
    latencies = [x * 1000 for p in peers for x in p.latencies]
    await close_all(everyone)
    deliveries = count * len(everyone)
    return {
        "messages": count,
        "deliveries": deliveries,
        "lost": lost,
        "duplicated": duplicated,
        "p50_ms": percentile(latencies, 50),
        "p95_ms": percentile(latencies, 95),
        "p99_ms": percentile(latencies, 99),
        "max_ms": max(latencies, default=float("nan")),
        "cpu_s": cpu,
        "cpu_us_per_delivery": cpu / deliveries * 1e6,
        "cpu_share": cpu / elapsed,
        # Near 1, the load client is saturated and the latencies are partly its own.
        "client_cpu_share": client_cpu / elapsed,
        "errors": sum(len(p.errors) for p in everyone),
    }


async def ballot_storm(dialect: Dialect, n: int, options: Options) -> Figures:
    peers = [Peer(f"voter{i}") for i in range(n)]
    await join_all(dialect, peers)
    moderator = Peer("Host")
    await join_all(dialect, [moderator], role="moderator")
    poll_id = "p1"
    if dialect.kind == "convive":
        create = {
            "type": "create_poll",
            "id": new_id(),
            "question": "Should the study be published?",
            "options": ["yes", "no", "later"],
        }
        reply = await moderator.request(create)
        poll_id = reply["created"]
        await moderator.request({"type": "open_poll", "id": new_id(), "poll_id": poll_id})
    await asyncio.sleep(options.pause)
    await settle(dialect.server)
    for peer in peers:
        peer.counts.clear()
    loop = asyncio.get_running_loop()
    start = loop.time()
    sent_at: dict[str, float] = {}

    async def vote(index: int, peer: Peer) -> None:
        await asyncio.sleep(max(0.0, start + options.ballot_spread * index / n - loop.time()))
        frame = dialect.ballot(poll_id, index % 3)
        sent_at[frame["id"]] = time.time()
        waiter = peer.expect(frame["id"])
        await peer.send(frame)
        await asyncio.wait_for(waiter, options.timeout)

    first_sent = time.time()
    results = await asyncio.gather(*(vote(i, peer) for i, peer in enumerate(peers)), return_exceptions=True)
    missing = sum(1 for r in results if isinstance(r, BaseException))
    ack_times = [t for p in peers for i, t in p.acks.items() if i in sent_at]
    ack_latency = [(t - sent_at[i]) * 1000 for p in peers for i, t in p.acks.items() if i in sent_at]
    last_ack = max(ack_times, default=first_sent)
    await wait_until(lambda: all(p.counts and p.counts[-1][1] >= n for p in peers), options.timeout)
    finals = [next((t for t, v in p.counts if v >= n), None) for p in peers]
    complete = [t for t in finals if t is not None]
    frames = [len(p.counts) for p in peers]
    errors = sum(len(p.errors) for p in [*peers, moderator])
    await close_all([*peers, moderator])
    return {
        "ballots": n,
        "acked": len(ack_times),
        "unanswered": missing,
        "errors": errors,
        "all_acked_s": last_ack - first_sent,
        "ack_p99_ms": percentile(ack_latency, 99),
        "clients_with_final_count": len(complete),
        "final_count_after_last_ack_ms": (max(complete) - last_ack) * 1000 if complete else None,
        "count_frames_per_client": sum(frames) / len(frames) if frames else 0,
        "count_frames_max": max(frames, default=0),
    }


async def join_storm(dialect: Dialect, n: int, options: Options) -> Figures:
    await settle(dialect.server)
    peers = [Peer(f"late{i}") for i in range(n)]
    cpu_before = dialect.server.cpu_seconds()
    start = time.time()

    async def one(peer: Peer) -> float:
        await peer.open(dialect.server.url)
        connected = time.time()
        await peer.hello(dialect.hello(peer), options.timeout)
        return connected

    results = await asyncio.gather(*(one(p) for p in peers), return_exceptions=True)
    failed = [r for r in results if isinstance(r, BaseException)]
    connected = [r for r in results if isinstance(r, float)]
    welcomed = [p.welcomed_at for p in peers if p.welcome is not None]
    sizes = [p.welcome_bytes for p in peers if p.welcome is not None]
    cpu = dialect.server.cpu_seconds() - cpu_before
    await close_all(peers)
    return {
        "joins": n,
        "welcomed": len(welcomed),
        "failed": len(failed),
        "first_failure": repr(failed[0]) if failed else None,
        "all_connected_s": max(connected, default=start) - start,
        "all_welcomed_s": max(welcomed, default=start) - start,
        "welcome_p50_ms": percentile([(w - start) * 1000 for w in welcomed], 50),
        "server_cpu_s": cpu,
        "welcome_bytes": int(percentile([float(s) for s in sizes], 50)) if sizes else 0,
    }


async def memory(dialect: Dialect, n: int, options: Options) -> Figures:
    server = dialect.server
    await settle(server)
    before = server.rss()
    peers = [Peer(f"idle{i}") for i in range(n)]
    await join_all(dialect, peers)
    await asyncio.sleep(options.pause)
    await settle(server)
    after = server.rss()
    welcomed = sum(1 for p in peers if p.welcome is not None)
    await close_all(peers)
    return {
        "connections": welcomed,
        "rss_before_mib": before / 2**20,
        "rss_after_mib": after / 2**20,
        "rss_per_participant_kib": (after - before) / max(1, welcomed) / 1024,
    }


async def resume_storm(dialect: Dialect, n: int, options: Options) -> Figures:
    peers, poster = await _audience(dialect, n)
    everyone = [*peers, poster]
    await asyncio.sleep(options.pause)
    await settle(dialect.server)
    count = max(1, int(options.rate * options.duration))
    dropping = peers[:: max(1, round(1 / options.resume_fraction))] if options.resume_fraction else []
    catch_up: list[float] = []
    not_recovered = 0

    async def reconnect(peer: Peer) -> None:
        nonlocal not_recovered
        started = time.time()
        await peer.drop()
        await peer.open(dialect.server.url)
        welcome = await peer.hello(dialect.hello(peer, resume=True), options.timeout)
        catch_up.append((time.time() - started) * 1000)
        not_recovered += not welcome.get("recovered")

    async def storm() -> None:
        await asyncio.sleep(options.duration / 3)
        await asyncio.gather(*(reconnect(p) for p in dropping))

    storm_task = asyncio.get_running_loop().create_task(storm())
    await _post(dialect, poster, count, options.rate)
    await asyncio.wait_for(storm_task, options.timeout)
    await wait_until(lambda: all(len(p.received) >= count for p in everyone), options.timeout)
    lost, duplicated = _deliveries(everyone, count)
    await close_all(everyone)
    return {
        "messages": count,
        "resumed": len(catch_up),
        "not_recovered": not_recovered,
        "lost": lost,
        "duplicated": duplicated,
        "catch_up_p50_ms": percentile(catch_up, 50),
        "catch_up_max_ms": max(catch_up, default=float("nan")),
    }


Scenario = Callable[[Dialect, int, Options], Awaitable[Figures]]

SCENARIOS: dict[str, Scenario] = {
    "fan-out": fan_out,
    "ballot-storm": ballot_storm,
    "join-storm": join_storm,
    "memory": memory,
    "resume-storm": resume_storm,
}
