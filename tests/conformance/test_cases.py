"""The committed conformance cases: current, complete, and passed by the Python reducer.

A client in another language runs the same files (the web page's JavaScript
port of the view reducer does); this is the reference run.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from shared import events as ev
from shared import protocol as p
from shared.view import View, apply_event, apply_history, apply_poll_counts, from_snapshot
from tests.conformance.generate import CASES_DIR, all_cases

CASE_FILES = sorted(CASES_DIR.glob("*.json"))


def test_the_committed_cases_are_current() -> None:
    expected = all_cases()
    on_disk = {path.name: path.read_text(encoding="utf-8") for path in CASE_FILES}
    assert sorted(on_disk) == sorted(expected), "run: python -m tests.conformance.generate"
    stale = [name for name, text in expected.items() if on_disk[name] != text]
    assert not stale, f"stale cases {stale}; run: python -m tests.conformance.generate"


def test_the_cases_cover_every_event_type_and_every_role() -> None:
    frame_types: set[str] = set()
    roles: set[str] = set()
    for path in CASE_FILES:
        data = json.loads(path.read_text(encoding="utf-8"))
        roles.add(data["role"])
        frame_types.update(step["frame"]["type"] for step in data["steps"])
    event_types = (
        {model.model_fields["type"].default for model in ev.EVENT_MODELS}
        - ev.LEGACY_EVENT_TYPES
        - ev.LOG_ONLY_EVENT_TYPES
    )
    assert event_types | {"poll_counts", "history"} <= frame_types, event_types - frame_types
    assert roles == {"moderator", "participant", "screen"}
    assert len(CASE_FILES) >= 24


def run_case(data: dict[str, Any]) -> None:
    """What any client does with a case: load the snapshot, take each frame, compare."""
    initial = ev.Snapshot.model_validate(data["initial"]["snapshot"])
    view: View = from_snapshot(
        initial, data["initial"]["seq"], data["participant_id"], data["role"] == "moderator"
    )
    assert view.snapshot().model_dump(mode="json") == data["initial"]["snapshot"]
    for number, step in enumerate(data["steps"]):
        frame = p.parse_server_frame(json.dumps(step["frame"]))
        if isinstance(frame, p.PollCounts):
            apply_poll_counts(view, frame)
        elif isinstance(frame, p.History):
            apply_history(view, frame)
        else:
            apply_event(view, frame)
        assert view.snapshot().model_dump(mode="json") == step["view"], f"{data['name']} step {number}"


@pytest.mark.parametrize("path", CASE_FILES, ids=[path.stem for path in CASE_FILES])
def test_the_python_view_reducer_passes_the_case(path: Path) -> None:
    run_case(json.loads(path.read_text(encoding="utf-8")))
