"""``python -m benchmarks``: run the scenarios against convive and the baseline."""

from __future__ import annotations

import argparse
import asyncio
import gc
import json
import math
import os
import platform
import resource
import statistics
import tempfile
import time
from collections.abc import Sequence
from importlib.metadata import version
from pathlib import Path
from typing import Any

from benchmarks import clients, servers
from benchmarks.clients import BaselineDialect, ConviveDialect, Dialect
from benchmarks.scenarios import SCENARIOS, Figures, Options
from benchmarks.seed import seed_database
from benchmarks.servers import ServerProcess, start_baseline, start_convive

DEFAULT_N = (100, 500, 1000, 2000)

# The figures compared as convive / baseline, per scenario.
COMPARED: dict[str, tuple[str, ...]] = {
    "fan-out": (
        "cpu_us_per_delivery", "p50_ms", "p95_ms", "p99_ms", "max_ms", "lost", "duplicated",
    ),
    "ballot-storm": (
        "all_acked_s", "ack_p99_ms", "final_count_after_last_ack_ms",
        "count_frames_per_client", "clients_with_final_count",
    ),
    "join-storm": ("all_welcomed_s", "welcome_p50_ms", "server_cpu_s", "welcome_bytes", "welcomed"),
    "memory": ("rss_per_participant_kib",),
    "resume-storm": ("catch_up_p50_ms", "catch_up_max_ms", "lost", "duplicated", "not_recovered"),
}  # fmt: skip


def machine() -> dict[str, Any]:
    model = ""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return {
        "cores": os.cpu_count(),
        "cpu": model,
        "python": platform.python_version(),
        "websockets": version("websockets"),
        "pydantic": version("pydantic"),
        "system": f"{platform.system()} {platform.release()}",
    }


def targets(scenario: str, n: int, convive: Figures, ratios: dict[str, float | None]) -> dict[str, bool]:
    """The issue's targets that apply to this row (true: met)."""
    checks: dict[str, bool] = {}
    if scenario == "fan-out":
        checks["0 lost, 0 duplicated"] = convive["lost"] == 0 and convive["duplicated"] == 0
        checks["cpu/delivery <= 1.25x"] = _le(ratios.get("cpu_us_per_delivery"), 1.25)
        if n == 1000:
            checks["p99 <= 1.25x"] = _le(ratios.get("p99_ms"), 1.25)
    elif scenario == "memory":
        checks["rss/participant <= 1.5x"] = _le(ratios.get("rss_per_participant_kib"), 1.5)
    elif scenario == "ballot-storm":
        checks["all counted"] = convive["clients_with_final_count"] == n and convive["acked"] == n
        if n == 1000:
            last = convive["final_count_after_last_ack_ms"]
            checks["final count < 250 ms"] = last is not None and last < 250
    elif scenario == "join-storm":
        checks["all welcomed"] = convive["welcomed"] == n
        if n == 1000:
            checks["all welcomed < 2 s"] = convive["all_welcomed_s"] < 2.0
    elif scenario == "resume-storm":
        checks["0 lost, 0 duplicated"] = convive["lost"] == 0 and convive["duplicated"] == 0
        checks["all recovered"] = convive["not_recovered"] == 0
    return checks


def _le(value: float | None, limit: float) -> bool:
    return value is not None and value <= limit


def _ratio(a: Any, b: Any) -> float | None:
    if not isinstance(a, int | float) or not isinstance(b, int | float) or isinstance(a, bool):
        return None
    if b == 0 or math.isnan(a) or math.isnan(b):
        return None
    return a / b


# How figures of repeated runs combine: correctness counts add up (a single
# lost delivery in any run shows), completeness takes the worst run, costs
# (CPU time, memory) the lowest (other jobs on a shared machine only ever add
# to them), and times the median.
SUMMED = frozenset({"lost", "duplicated", "errors", "not_recovered", "unanswered", "failed"})
WORST = frozenset({"welcomed", "clients_with_final_count", "acked", "connections", "resumed"})
LOWEST = frozenset({"cpu_s", "cpu_us_per_delivery", "server_cpu_s", "rss_per_participant_kib"})


def combine(runs: list[Figures]) -> Figures:
    combined: Figures = {}
    for key, first in runs[0].items():
        values = [run.get(key) for run in runs]
        numbers = [v for v in values if isinstance(v, int | float) and not isinstance(v, bool)]
        if len(numbers) != len(values):
            combined[key] = first
        elif key in SUMMED:
            combined[key] = sum(numbers)
        elif key in WORST or key in LOWEST:
            combined[key] = min(numbers)
        else:
            combined[key] = statistics.median(numbers)
    return combined


def recombine(row: dict[str, Any]) -> dict[str, Any]:
    """A row of a results file, its figures combined again from its runs."""
    results = {kind: combine(runs) for kind, runs in row["runs"].items()}
    ratios = {
        key: _ratio(results["convive"].get(key), results["baseline"].get(key))
        for key in COMPARED[row["scenario"]]
    }
    return {
        **row,
        **results,
        "ratios": ratios,
        "targets": targets(row["scenario"], row["n"], results["convive"], ratios),
    }


async def run_once(
    kind: str, scenario: str, n: int, options: Options, seed: Path | None, welcome_bytes: int
) -> Figures:
    server: ServerProcess = (
        start_convive(seed if scenario == "join-storm" else None) if kind == "convive" else start_baseline()
    )
    clients.COMPRESSION = "deflate" if options.deflate else None
    # The load client's own garbage collections would show as server latency.
    gc.collect()
    gc.freeze()
    gc.disable()
    try:
        dialect: Dialect = (
            ConviveDialect(server) if kind == "convive" else BaselineDialect(server, welcome_bytes)
        )
        return await asyncio.wait_for(SCENARIOS[scenario](dialect, n, options), options.timeout * 4)
    finally:
        gc.enable()
        gc.unfreeze()
        server.stop()


async def run_one(
    scenario: str, n: int, options: Options, seed: Path | None, repeat: int = 1
) -> dict[str, Any]:
    """One row: the scenario against fresh convive and baseline servers,
    ``repeat`` times, alternating which goes first."""
    runs: dict[str, list[Figures]] = {"convive": [], "baseline": []}
    welcome_bytes = 200
    for index in range(repeat):
        order = ("convive", "baseline") if index % 2 == 0 else ("baseline", "convive")
        for kind in order:
            figures = await run_once(kind, scenario, n, options, seed, welcome_bytes)
            if kind == "convive" and index == 0:
                # The baseline's welcome carries as many bytes as convive's.
                welcome_bytes = int(figures.get("welcome_bytes") or 200)
            runs[kind].append(figures)
    results = {kind: combine(figures) for kind, figures in runs.items()}
    ratios = {
        key: _ratio(results["convive"].get(key), results["baseline"].get(key)) for key in COMPARED[scenario]
    }
    return {
        "scenario": scenario,
        "n": n,
        "repeat": repeat,
        "convive": results["convive"],
        "baseline": results["baseline"],
        "ratios": ratios,
        "targets": targets(scenario, n, results["convive"], ratios),
        "runs": runs,
    }


async def run_suite(
    scenarios: Sequence[str],
    ns: Sequence[int],
    options: Options,
    *,
    seed_events: int = 5000,
    output: Path | None = None,
    echo: bool = True,
    repeat: int = 1,
) -> list[dict[str, Any]]:
    raise_fd_limit()
    rows: list[dict[str, Any]] = []
    with tempfile.TemporaryDirectory(prefix="convive-seed-") as tmp:
        seed: Path | None = None
        if "join-storm" in scenarios:
            seed = Path(tmp) / "seed.db"
            seed_database(seed, seed_events, guests=min(150, max(2, seed_events // 30)))
        info = machine()
        stamp = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())
        for scenario in scenarios:
            for n in ns:
                row = await run_one(scenario, n, options, seed, repeat)
                row.update(run_at=stamp, machine=info, options=options.__dict__, load=os.getloadavg())
                rows.append(row)
                if echo:
                    print(format_row(row), flush=True)
                if output is not None:
                    with output.open("a", encoding="utf-8") as out:
                        out.write(json.dumps(row) + "\n")
    return rows


def raise_fd_limit() -> None:
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    wanted = min(hard, 65536) if hard != resource.RLIM_INFINITY else 65536
    if soft < wanted:
        resource.setrlimit(resource.RLIMIT_NOFILE, (wanted, hard))


def _fmt(value: Any) -> str:
    if value is None:
        return "-"
    if isinstance(value, float):
        if math.isnan(value):
            return "-"
        return f"{value:.3g}" if abs(value) < 100 else f"{value:.0f}"
    return str(value)


def format_row(row: dict[str, Any]) -> str:
    lines = []
    head = f"{row['scenario']:<13} N={row['n']:<5}"
    for key in COMPARED[row["scenario"]]:
        c, b = row["convive"].get(key), row["baseline"].get(key)
        lines.append(f"{head} {key:<32} {_fmt(c):>10} {_fmt(b):>10} {_fmt(row['ratios'].get(key)):>7}")
        head = " " * len(head)
    for name, ok in row["targets"].items():
        lines.append(f"{' ' * 20} target: {name:<30} {'met' if ok else 'MISSED'}")
    return "\n".join(lines)


def header() -> str:
    return f"{'scenario':<13} {'N':<6} {'figure':<32} {'convive':>10} {'baseline':>10} {'ratio':>7}"


def markdown_table(rows: list[dict[str, Any]]) -> str:
    out = [
        "| scenario | N | figure | convive | baseline | ratio |",
        "|---|---:|---|---:|---:|---:|",
    ]
    for row in rows:
        for key in COMPARED[row["scenario"]]:
            out.append(
                f"| {row['scenario']} | {row['n']} | {key} | {_fmt(row['convive'].get(key))} "
                f"| {_fmt(row['baseline'].get(key))} | {_fmt(row['ratios'].get(key))} |"
            )
    out.append("")
    out.append("| scenario | N | target | result |")
    out.append("|---|---:|---|---|")
    for row in rows:
        for name, ok in row["targets"].items():
            out.append(f"| {row['scenario']} | {row['n']} | {name} | {'met' if ok else '**missed**'} |")
    return "\n".join(out)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m benchmarks",
        description="Benchmark convive against a bare websockets relay, on loopback.",
    )
    parser.add_argument("--n", default=",".join(map(str, DEFAULT_N)), help="participants, comma-separated")
    parser.add_argument(
        "--scenarios", default=",".join(SCENARIOS), help=f"comma-separated: {', '.join(SCENARIOS)}"
    )
    parser.add_argument("--duration", type=float, default=4.0, help="seconds of chat (fan-out, resume)")
    parser.add_argument("--rate", type=float, default=20.0, help="chat messages per second")
    parser.add_argument(
        "--seed-events", type=int, default=5000, help="events already in the debate (join storm)"
    )
    parser.add_argument("--repeat", type=int, default=3, help="runs per row, alternating servers (see docs)")
    parser.add_argument(
        "--deflate",
        action="store_true",
        help="clients negotiate permessage-deflate (both servers accept it by default)",
    )
    parser.add_argument("--timeout", type=float, default=30.0, help="longest wait of any step")
    parser.add_argument("--output", default="benchmarks-results.jsonl", help="JSON lines, appended")
    parser.add_argument("--markdown", help="also write the table as Markdown to this file")
    parser.add_argument("--report", metavar="JSONL", help="run nothing: print the table of earlier results")
    parser.add_argument(
        "--server-root",
        type=Path,
        help="run the convive server of another checkout (e.g. an export of main, for a before/after)",
    )
    args = parser.parse_args(argv)
    if args.server_root is not None:
        servers.convive_root = args.server_root.resolve()
    if args.report:
        rows = [recombine(json.loads(line)) for line in Path(args.report).read_text().splitlines()]
        print(header())
        for row in rows:
            print(format_row(row))
        if args.markdown:
            Path(args.markdown).write_text(markdown_table(rows) + "\n", encoding="utf-8")
        return 0
    scenarios = [s.strip() for s in args.scenarios.split(",") if s.strip()]
    unknown = [s for s in scenarios if s not in SCENARIOS]
    if unknown:
        parser.error(f"unknown scenario(s): {', '.join(unknown)}")
    ns = [int(x) for x in args.n.split(",") if x.strip()]
    options = Options(rate=args.rate, duration=args.duration, timeout=args.timeout, deflate=args.deflate)
    info = machine()
    print(
        f"machine: {info['cores']} cores {info['cpu']}, Python {info['python']}, "
        f"websockets {info['websockets']}",
        flush=True,
    )
    print(header(), flush=True)
    rows = asyncio.run(
        run_suite(
            scenarios,
            ns,
            options,
            seed_events=args.seed_events,
            output=Path(args.output),
            repeat=args.repeat,
        )
    )
    if args.markdown:
        Path(args.markdown).write_text(markdown_table(rows) + "\n", encoding="utf-8")
    missed = [(r["scenario"], r["n"], k) for r in rows for k, ok in r["targets"].items() if not ok]
    print(f"\n{len(rows)} rows written to {args.output}; targets missed: {len(missed)}")
    return 0
