"""A phone joining late in a long evening gets a small welcome, then earlier
messages and older questions on demand (issue 11: the bounded welcome)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from server.core import Actor
from shared import limits
from shared import protocol as p
from tests.web.conftest import new_phone
from tests.web.test_guest_page import Restartable, debate, join, messages_text, record_frames

__all__ = ["debate"]  # the fixture, shared with the guest page's tests


def long_evening(debate: Restartable) -> None:
    """A live round with 400 messages and 150 questions, written through the rules."""
    service = debate.service
    host, _, _ = service.join("Hôte", "moderator")
    moderator = Actor(host.participant_id, "moderator", host.name)
    service.execute(p.SetModeration(id="mod-off", enabled=False), moderator)
    agents = p.AddRound(id="r", title="Agents", theme="Les agents en production", minutes=30)
    service.execute(agents, moderator)
    service.execute(p.StartRound(id="go", round_id="r1"), moderator)
    guest, _, _ = service.join("Bavard", "participant")
    talker = Actor(guest.participant_id, "participant", guest.name)
    for n in range(400):
        service.execute(p.PostMessage(id=f"m{n}", text=f"message {n}"), talker)
    for n in range(150):
        service.execute(p.SubmitQuestion(id=f"q{n}", text=f"question {n}"), moderator)


async def test_a_late_phone_loads_earlier_messages_and_older_questions(
    debate: Restartable, browser: Any, screenshots: Path
) -> None:
    long_evening(debate)
    page = await new_phone(browser, locale="fr-FR")
    frames = record_frames(page)
    await join(page, debate, "Tardive")
    welcome = next(f for f in frames if '"type":"welcome"' in f)
    assert len(welcome.encode("utf-8")) <= limits.WELCOME_MAX_BYTES
    await page.locator("[data-testid=messages] li .text").get_by_text("message 399", exact=True).wait_for()
    first = await messages_text(page)
    assert first[-1] == "message 399" and "message 0" not in first
    earlier = page.get_by_role("button", name="Afficher les messages précédents")
    await earlier.click()
    before_first = f"message {400 - len(first) - 1}"
    await page.locator("[data-testid=messages] li .text").get_by_text(before_first, exact=True).wait_for()
    shown = await messages_text(page)
    assert len(shown) == len(first) + limits.HISTORY_PAGE_MAX
    assert shown == [f"message {n}" for n in range(400 - len(shown), 400)]  # in order, no gap
    while await earlier.count():
        await earlier.click()
        await page.wait_for_function(
            "(n) => document.querySelectorAll('[data-testid=messages] li .text').length > n", arg=len(shown)
        )
        shown = await messages_text(page)
        if shown[0] == "message 0":
            break
    await earlier.wait_for(state="detached")
    assert await messages_text(page) == [f"message {n}" for n in range(400)]
    # Questions: the newest (and the most upvoted) first, older ones on demand.
    await page.get_by_role("tab", name="Questions").click()
    questions = page.locator("[data-testid=questions] .question .text")
    held = await questions.count()
    assert 0 < held < 150
    older = page.get_by_role("button", name="Afficher les questions plus anciennes")
    for _ in range(10):  # a page at a time, until the list is whole
        if not await older.count():
            break
        await older.click()
        await page.wait_for_function("() => !document.querySelector('button.earlier[aria-busy=true]')")
    await older.wait_for(state="detached")
    assert await questions.count() == 150
    await page.screenshot(path=str(screenshots / "long-evening.png"))
    assert page.errors == []
