"""The page's JavaScript view reducer passes every committed conformance case, in Chromium.

The same files the Python reducer passes (tests/conformance/test_cases.py): if
the web page ever drifted from the server, this fails.
"""

from __future__ import annotations

import json
from typing import Any

from server.app import DebateServer
from tests.conformance.test_cases import CASE_FILES
from tests.web.conftest import new_phone

# What any client does with a case: load the snapshot, take each frame, compare.
RUN_CASES = """
async (cases) => {
  const { fromSnapshot, applyFrame } = await import("/view.js");
  const canonical = (value) => JSON.stringify(value, (key, v) =>
    v && typeof v === "object" && !Array.isArray(v)
      ? Object.fromEntries(Object.keys(v).sort().map((k) => [k, v[k]])) : v);
  const failures = [];
  let steps = 0;
  for (const data of cases) {
    const view = fromSnapshot(structuredClone(data.initial.snapshot), data.initial.seq,
                              data.participant_id, data.role === "moderator");
    if (canonical(view.snapshot()) !== canonical(data.initial.snapshot)) {
      failures.push(`${data.name}: initial snapshot`);
      continue;
    }
    for (const [number, step] of data.steps.entries()) {
      applyFrame(view, structuredClone(step.frame));
      steps += 1;
      if (canonical(view.snapshot()) !== canonical(step.view)) {
        failures.push(`${data.name} step ${number} (${step.frame.type})`);
        break;
      }
    }
  }
  return { failures, steps };
}
"""


async def test_the_javascript_view_reducer_passes_every_case(server: DebateServer, browser: Any) -> None:
    cases = [json.loads(path.read_text(encoding="utf-8")) for path in CASE_FILES]
    assert len(cases) >= 24
    page = await new_phone(browser)
    # A plain page of this server: the same origin as /view.js, and no app running.
    await page.goto(f"http://127.0.0.1:{server.port}/healthz")
    result = await page.evaluate(RUN_CASES, cases)
    assert result["failures"] == []
    assert result["steps"] == sum(len(case["steps"]) for case in cases)
    assert page.errors == []


async def test_the_check_would_catch_a_wrong_reducer(server: DebateServer, browser: Any) -> None:
    """A case whose expected view is altered fails: the comparison is not vacuous."""
    case = json.loads(CASE_FILES[0].read_text(encoding="utf-8"))
    step = next(s for s in case["steps"] if s["view"]["rounds"] or s["view"]["messages"])
    step["view"]["title"] = step["view"]["title"] + " (altered)"
    page = await new_phone(browser)
    await page.goto(f"http://127.0.0.1:{server.port}/healthz")
    result = await page.evaluate(RUN_CASES, [case])
    assert len(result["failures"]) == 1
