"""Every benchmark scenario at tiny N: the harness runs and counts right.

Correctness only (nothing lost, duplicated or missing; the counts add up),
never times: speed claims live in ``python -m benchmarks``, not in tests.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from benchmarks.cli import format_row, markdown_table, raise_fd_limit, run_one
from benchmarks.scenarios import SCENARIOS, Options
from benchmarks.seed import seed_database

N = 5
TINY = Options(rate=50.0, duration=0.2, ballot_spread=0.1, timeout=10.0, pause=0.05)


@pytest.fixture(scope="module")
def seed(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("seed") / "seed.db"
    assert seed_database(path, events=120, guests=4) >= 120
    return path


@pytest.mark.parametrize("scenario", list(SCENARIOS))
async def test_scenario_counts_right_at_tiny_n(scenario: str, seed: Path) -> None:
    raise_fd_limit()
    row = await run_one(scenario, N, TINY, seed, repeat=1)
    for kind in ("convive", "baseline"):
        figures = row[kind]
        if scenario in ("fan-out", "resume-storm"):
            assert figures["messages"] == 10
            assert figures["lost"] == 0, kind
            assert figures["duplicated"] == 0, kind
        if scenario == "fan-out":
            assert figures["deliveries"] == 10 * (N + 1)
            assert figures["errors"] == 0
            assert figures["cpu_s"] > 0
        elif scenario == "ballot-storm":
            assert figures["acked"] == N, kind
            assert figures["unanswered"] == 0 and figures["errors"] == 0
            assert figures["clients_with_final_count"] == N, kind
            assert figures["count_frames_per_client"] >= 1
        elif scenario == "join-storm":
            assert figures["welcomed"] == N and figures["failed"] == 0, kind
        elif scenario == "memory":
            assert figures["connections"] == N
        elif scenario == "resume-storm":
            assert figures["resumed"] == 1
            assert figures["not_recovered"] == 0, kind
    if scenario == "join-storm":
        # The baseline's welcome weighs what convive's snapshot of the seed weighs.
        convive, baseline = row["convive"]["welcome_bytes"], row["baseline"]["welcome_bytes"]
        assert convive > 10_000
        assert abs(convive - baseline) < 100
    assert all(row["targets"][name] for name in row["targets"] if "lost" in name or "all" in name)
    assert format_row(row)
    assert markdown_table([row])
