"""Opinion shift (issue 13) on the phone page and the projector page, in Chromium:
a poll asked again; once it closes, both pages show the shares before and after,
the shift in points and the changes of at least 3 guests, and nothing that links
anyone's two ballots reaches a page."""

from __future__ import annotations

import json
from typing import Any

from tests.conftest import join_participant
from tests.web.conftest import new_phone
from tests.web.test_guest_page import Restartable, debate, join, moderator_of, record_frames

__all__ = ["debate"]  # the fixture, shared


async def test_phone_and_projector_show_the_shift_once_the_repeat_closes(
    debate: Restartable, browser: Any
) -> None:
    service = debate.service
    moderator = await moderator_of(debate)
    names = ("Bruno", "Carla", "Dan")
    others = [await join_participant(debate.server, debate.ws_url, name) for name in names]
    page = await new_phone(browser, locale="fr-FR")
    page.set_default_timeout(10_000)
    projector = await new_phone(browser, locale="fr-FR")
    projector.set_default_timeout(10_000)
    frames = record_frames(page)
    await join(page, debate, "Zoé")
    await projector.goto(f"{debate.base}/screen?code={service.join_code}")

    await moderator.command("create_poll", question="Des agents en production ?", options=["Oui", "Non"])
    await moderator.command("create_poll", repeat_of="p1")
    for poll_id, mine, theirs in (("p1", "Oui", [0, 0, 1]), ("p2", "Non", [1, 1, 1])):
        await moderator.command("open_poll", poll_id=poll_id)
        await moderator.command("set_spotlight", kind="poll", item_id=poll_id)
        await page.get_by_role("tab", name="Sondage").click()
        await page.get_by_label(mine).check()
        await page.get_by_role("button", name="Voter").click()
        await page.locator(".option", has_text=mine).get_by_text("votre vote").wait_for()
        for other, choice in zip(others, theirs, strict=True):
            await other.command("cast_ballot", poll_id=poll_id, choices=[choice])
        if poll_id == "p2":
            # Open, the repeat says when its shift will come.
            await page.get_by_test_id("shift-pending").wait_for()
            await projector.get_by_test_id("shift-pending").wait_for()
        await moderator.command("close_poll", poll_id=poll_id)

    for screen in (page, projector):
        shift = screen.get_by_test_id("shift")
        await shift.get_by_text("Évolution depuis le premier vote").wait_for()
        rows = await shift.locator("tr").all_inner_texts()
        assert [" ".join(row.split()) for row in rows] == [
            "Oui 75,0 % → 0,0 % \u221275,0 pts",
            "Non 25,0 % → 100,0 % +75,0 pts",
        ]
        assert await shift.get_by_test_id("shift-counts").inner_text() == (
            "4 invités ont voté les deux fois · 3 ont changé d'avis"
        )
        await shift.get_by_text("Oui → Non\u00a0: 3 invités").wait_for()
    assert page.errors == [] and projector.errors == []

    # The page got aggregates only: its own ballots, never anyone else's, and no link.
    ids = {p.name: p.participant_id for p in service.state.participants.values()}
    received = [json.loads(frame) for frame in frames]
    ballots = [f for f in received if f.get("type") == "ballot_cast"]
    assert ballots and all(f["participant_id"] == ids["Zoé"] for f in ballots)
    text = "\n".join(frames)
    assert not any(ids[name] in text for name in names)
    for other in others:
        await other.close()
    await moderator.close()
