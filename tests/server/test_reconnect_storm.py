"""Issue 6, item 1: 50 participants, 100 forced drops from both ends while a
moderator and a participant produce events: every participant ends with
exactly the events of one that never dropped. 0 gaps, 0 duplicates."""

from __future__ import annotations

import pytest

from server.app import DebateServer, ServerSettings
from tests.server.storm import reconnect_storm


@pytest.fixture
def settings() -> ServerSettings:
    # The producers are not the subject here: lift their rate limits.
    return ServerSettings(
        coalesce_seconds=0.05, command_burst=10**6, chat_burst=10**6, question_burst=10**6
    )


async def test_reconnect_storm_loses_and_repeats_nothing(server: DebateServer, url: str) -> None:
    result = await reconnect_storm(server, url, readers=50, drops=100, duration=4.0, min_events=400)
    reference = [e for e in result.reference.events if e["seq"] > result.start_seq]
    seqs = [e["seq"] for e in reference]
    print(
        f"\nstorm: {len(result.readers)} readers, {result.drops} drops, "
        f"{sum(r.reconnects for r in result.readers)} reconnects, "
        f"seq {result.start_seq}..{result.end_seq}, {len(reference)} visible events each"
    )
    assert result.drops == 100
    assert result.reference.reconnects == 0
    assert seqs == sorted(set(seqs)) and seqs[-1] == result.end_seq
    assert len(reference) > 200, "enough traffic for the storm to matter"
    for reader in result.readers:
        mine = [e for e in reader.events if e["seq"] > result.start_seq]
        mine_seqs = [e["seq"] for e in mine]
        assert len(mine_seqs) == len(set(mine_seqs)), f"{reader.name}: duplicates"
        assert set(seqs) <= set(mine_seqs), f"{reader.name}: gaps"
        assert mine == reference, reader.name  # same events, same order, same forms
        assert reader.snapshots_after_drop == 0, "always a replay, never a partial catch-up"
    assert sum(r.reconnects for r in result.readers) >= 100
