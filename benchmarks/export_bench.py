"""Benchmark of the transcript exports on a generated debate of 100,000 events.

Not a timed test: run it by hand and copy the table into docs/benchmarks.md.

    python benchmarks/export_bench.py [--events 100000] [--db PATH] [--repeat 3]

The debate is written through ``DebateService`` (the real core and log) with a
mix of an evening: 150 guests, four rounds, chat, questions (some anonymous,
some rejected), upvotes, hidden messages and polls. Each format is timed the way
``convive export`` runs: read the log (read-only, one transaction), fold, render.
"""

from __future__ import annotations

import argparse
import os
import platform
import random
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from functools import partial
from pathlib import Path

from server.core import Actor
from server.debate import DebateService
from server.export import FORMATS, export_database, render
from server.export.model import Transcript, build_transcript
from server.export.reader import LogSnapshot, read_log
from shared import protocol as p


def _clock(step: timedelta) -> Callable[[], str]:
    now = [datetime(2026, 11, 26, 18, 0, tzinfo=UTC)]

    def clock() -> str:
        now[0] += step
        return now[0].isoformat(timespec="milliseconds").replace("+00:00", "Z")

    return clock


def generate(path: Path, events: int, guests: int = 150, seed: int = 4) -> int:
    """Write a debate of ``events`` events (or a few more) to ``path``; return its seq."""
    rng = random.Random(seed)
    # About three hours and a half for the whole evening.
    service = DebateService.open(path, title="Benchmark — dîner-débat", clock=_clock(timedelta(seconds=0.12)))
    ids = iter(range(1, 10**9))

    def run(actor: Actor, command: dict[str, object]) -> str | None:
        frame = p.client_frame_adapter.validate_python({**command, "id": f"b{next(ids)}"})
        reply = service.execute(frame, actor).reply
        return reply.created if isinstance(reply, p.Ack) else None

    host, _, _ = service.join("Animatrice", "moderator")
    mod = Actor(host.participant_id, "moderator", host.name)
    people = []
    for number in range(guests):
        joined, _, _ = service.join(f"Invité {number}", "participant")
        people.append(Actor(joined.participant_id, "participant", joined.name))
    rounds = [
        run(mod, {"type": "add_round", "title": f"Manche {n}", "theme": "Thème " * 30, "minutes": 40})
        for n in range(1, 5)
    ]
    questions: list[str] = []
    messages: list[str] = []
    per_round = (events - service.state.seq) // 4
    for round_id in rounds:
        run(mod, {"type": "start_round", "round_id": round_id})
        stop = service.state.seq + per_round
        step = 0
        while service.state.seq < min(stop, events):
            step += 1
            actor = rng.choice(people)
            if step % 1500 == 0:
                poll = run(
                    mod,
                    {"type": "create_poll", "question": f"Sondage {step} ?", "options": ["Oui", "Non", "-"]},
                )
                run(mod, {"type": "open_poll", "poll_id": poll})
                for voter in rng.sample(people, 120):
                    run(voter, {"type": "cast_ballot", "poll_id": poll, "choices": [rng.randrange(3)]})
                run(mod, {"type": "close_poll", "poll_id": poll})
            elif step % 10 == 0:
                question = run(
                    actor,
                    {
                        "type": "submit_question",
                        "text": f"Question {step} : " + "pourquoi " * rng.randint(3, 25),
                        "anonymous": rng.random() < 0.3,
                    },
                )
                if question is not None:
                    verdict = "reject_question" if rng.random() < 0.1 else "approve_question"
                    run(mod, {"type": verdict, "question_id": question})
                    questions.append(question)
            elif step % 4 == 0 and questions:
                run(actor, {"type": "upvote_question", "question_id": rng.choice(questions)})
            elif step % 97 == 0 and messages:
                run(mod, {"type": "hide_message", "message_id": messages.pop()})
            elif step % 53 == 0 and questions:
                run(mod, {"type": "pin_question", "question_id": rng.choice(questions)})
            else:
                message = run(
                    actor,
                    {"type": "post_message", "text": "Un avis sur l'étude, " * rng.randint(1, 12)},
                )
                if message is not None:
                    messages.append(message)
    run(mod, {"type": "end_round"})
    seq = service.state.seq
    service.close()
    return seq


def best_of(repeat: int, work: Callable[[], object]) -> tuple[float, object]:
    times, result = [], None
    for _ in range(repeat):
        start = time.perf_counter()
        result = work()
        times.append(time.perf_counter() - start)
    return min(times), result


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--events", type=int, default=100_000)
    parser.add_argument("--db", type=Path, help="reuse or create this database")
    parser.add_argument("--repeat", type=int, default=3, help="best of N runs (default 3)")
    args = parser.parse_args(argv)
    directory = tempfile.TemporaryDirectory()
    path = args.db or Path(directory.name) / "bench.db"
    if not path.exists():
        start = time.perf_counter()
        seq = generate(path, args.events)
        print(f"generated {seq:,} events in {time.perf_counter() - start:.1f} s", file=sys.stderr)
    # The breakdown, with the garbage collector on (as in the server's worker thread).
    read_s, snapshot = best_of(args.repeat, lambda: read_log(path))
    assert isinstance(snapshot, LogSnapshot)
    events = snapshot.events
    fold_s, transcript = best_of(args.repeat, partial(build_transcript, events))
    assert isinstance(transcript, Transcript)
    print(f"Python {platform.python_version()}, {os.cpu_count()} CPUs, {len(events):,} events")
    print(f"read (read-only, one transaction) {read_s:.2f} s; fold {fold_s:.2f} s")
    print()
    print("| format | `convive export` (read + fold + render) | render alone | output |")
    print("|---|---:|---:|---:|")
    for fmt in FORMATS:
        total_s, exported = best_of(args.repeat, partial(export_database, path, fmt, "fr"))
        render_s, _ = best_of(args.repeat, partial(render, transcript, fmt, "fr"))
        assert isinstance(exported, tuple)
        size = len(exported[1].content)
        print(f"| {fmt} | {total_s:.2f} s | {render_s:.2f} s | {size / 1e6:.1f} MB |")
    directory.cleanup()
    return 0


if __name__ == "__main__":
    sys.exit(main())
