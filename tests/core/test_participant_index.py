"""Joins and resumes find participants through indexes kept by the fold."""

from __future__ import annotations

from server.core import fold
from tests.core.debate import CoreDebate


def test_names_and_token_hashes_are_indexed_by_the_fold() -> None:
    debate = CoreDebate()
    alice = debate.join("Alice")
    again = debate.join("ALICE")  # taken, whatever the case
    assert again.name == "ALICE (2)"
    assert debate.state.name_taken("alice (2)")
    assert not debate.state.name_taken("Bob")
    found = debate.state.participant_by_token_hash(f"hash-{alice.participant_id}")
    assert found is not None and found.participant_id == alice.participant_id
    assert debate.state.participant_by_token_hash("hash-unknown") is None
    # A replay of the log rebuilds the same indexes.
    rebuilt = fold(debate.log)
    assert rebuilt.names == debate.state.names
    assert rebuilt.by_token_hash == debate.state.by_token_hash
