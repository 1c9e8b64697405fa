"""Write the conformance cases: ``python -m tests.conformance.generate``.

Each case is one role's view of one scenario (``scenarios.py``): the snapshot
it starts from, then every frame that role is sent, each with the view it must
lead to. See ``tests/conformance/README.md`` for the format.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from shared.view import View
from tests.conformance.harness import VIEWERS, RecordedDebate, held_part, on_the_wire, take, view_from
from tests.conformance.scenarios import SCENARIOS

CASES_DIR = Path(__file__).parent / "cases"
FORMAT_VERSION = 1
# Where each case starts: 0 is the empty debate; the setup (creation and four joins) ends at 5.
AFTER_SETUP = 5
STARTS: dict[str, list[tuple[str, int | None]]] = {
    "agenda": [("", 0)],
    "questions": [("", AFTER_SETUP), ("midway", None)],
    # From a bounded welcome (a tiny window), after the first 13 commands.
    "long_evening": [("bounded", AFTER_SETUP + 13)],
}
BOUNDED = {"bounded"}


def record(name: str) -> RecordedDebate:
    debate = RecordedDebate()
    for who, type_, fields in SCENARIOS[name][1]:
        if not debate.run(who, type_, **fields):
            raise ValueError(f"scenario {name}: {who} {type_} {fields} was refused")
    return debate


def case(name: str, suffix: str, debate: RecordedDebate, start: int, viewer: str) -> dict[str, Any]:
    identity = debate.viewer(viewer)
    windowed = suffix in BOUNDED
    view: View = view_from(debate, start, viewer, windowed)
    steps = []
    for step in range(start + 1, len(debate.steps)):
        for frame in debate.frames_between(step - 1, step, viewer):
            take(view, on_the_wire(frame))
            steps.append({"frame": frame, "view": view.snapshot().model_dump(mode="json")})
        # Where a command's frames end, the expected view is the server's own
        # snapshot (as far as a bounded view goes).
        expected = debate.snapshot_at(step, viewer)
        if view.snapshot() != (held_part(expected, view) if windowed else expected):
            raise AssertionError(f"{name}/{viewer}: the view differs from the server at step {step}")
    if windowed:
        # Then the client fetches every earlier page: the whole of it, at last.
        last = len(debate.steps) - 1
        for frame in debate.history_pages(last, viewer, view):
            steps.append({"frame": frame, "view": {}})  # recorded below
        if view.snapshot() != debate.snapshot_at(last, viewer):
            raise AssertionError(f"{name}/{viewer}: the fetched history differs from the server")
        steps = _replayed(steps, view_from(debate, start, viewer, windowed))
    role = (
        "screen"
        if identity.participant_id is None
        else "moderator"
        if identity.is_moderator
        else "participant"
    )
    return {
        "format": FORMAT_VERSION,
        "name": f"{name}{'.' + suffix if suffix else ''}.{viewer}",
        "description": SCENARIOS[name][0],
        "role": role,
        "participant_id": identity.participant_id,
        "initial": {
            "seq": debate.steps[start].state.seq,
            "snapshot": debate.snapshot_at(start, viewer, windowed).model_dump(mode="json"),
        },
        "steps": steps,
    }


def _replayed(steps: list[dict[str, Any]], view: View) -> list[dict[str, Any]]:
    """The steps with the view after each, folded again from the start (history
    pages were applied while fetched; this records the view after each)."""
    for step in steps:
        take(view, on_the_wire(step["frame"]))
        step["view"] = view.snapshot().model_dump(mode="json")
    return steps


def all_cases() -> dict[str, str]:
    """File name -> JSON text of every case."""
    files: dict[str, str] = {}
    for name in SCENARIOS:
        debate = record(name)
        for suffix, start in STARTS.get(name, [("", AFTER_SETUP)]):
            at = start if start is not None else (AFTER_SETUP + len(debate.steps)) // 2
            for viewer in VIEWERS:
                data = case(name, suffix, debate, at, viewer)
                files[f"{data['name']}.json"] = json.dumps(data, ensure_ascii=False, indent=1) + "\n"
    return files


def main() -> None:
    CASES_DIR.mkdir(exist_ok=True)
    files = all_cases()
    for stale in CASES_DIR.glob("*.json"):
        if stale.name not in files:
            stale.unlink()
    for file_name, text in files.items():
        (CASES_DIR / file_name).write_text(text, encoding="utf-8")
    print(f"wrote {len(files)} cases to {CASES_DIR}")


if __name__ == "__main__":
    main()
