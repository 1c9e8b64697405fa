"""The word filter on the guest page, in Chromium (issue 12): a refused message
says why, in the guest's language; a held one shows as awaiting review to its
author only, until a moderator releases it."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest

from server.plan import load_plan, read_plan
from tests.conftest import join_participant
from tests.web.conftest import new_phone
from tests.web.test_guest_page import Restartable, join, messages_text, moderator_of, wait_for_text


async def _filtered(db_path: Path, action: str) -> Restartable:
    running = Restartable(db_path)
    plan = db_path.parent / "plan.toml"
    plan.write_text(f'[filter]\nwords = ["blockchain"]\naction = "{action}"\n', encoding="utf-8")
    assert load_plan(running.service, read_plan(plan))
    await running.start()
    return running


@pytest.fixture
async def holding(db_path: Path) -> AsyncIterator[Restartable]:
    running = await _filtered(db_path, "hold")
    yield running
    await running.stop()
    running.service.close()


@pytest.fixture
async def refusing(db_path: Path) -> AsyncIterator[Restartable]:
    running = await _filtered(db_path, "refuse")
    yield running
    await running.stop()
    running.service.close()


@pytest.mark.parametrize(
    ("locale", "expected"),
    [
        ("fr-FR", "Non envoyé\u00a0: il contient un mot que ce débat filtre. Reformulez, s'il vous plaît."),
        ("en-GB", "Not sent: it contains a word this debate filters out. Please reword it."),
    ],
)
async def test_a_refused_message_says_why(
    refusing: Restartable, browser: Any, locale: str, expected: str
) -> None:
    page = await new_phone(browser, locale=locale)
    page.set_default_timeout(10_000)
    if locale == "fr-FR":
        await join(page, refusing, "Zoé")
    else:
        await _join_en(page, refusing, "Zoé")
    await page.fill("#chat-input", "Quel c.o.n ce POC")
    await page.press("#chat-input", "Enter")
    notice = page.get_by_test_id("notice")
    await notice.get_by_text(expected).wait_for()
    assert not refusing.service.state.messages
    assert await messages_text(page) == []


async def _join_en(page: Any, debate: Restartable, name: str) -> None:
    await page.goto(f"{debate.base}/j/{debate.service.join_code}")
    await page.fill("#join-name", name)
    await page.get_by_role("button", name="Join").click()
    await page.get_by_test_id("status").get_by_text("Connected").wait_for()


async def test_a_held_message_awaits_review_for_its_author_only(
    holding: Restartable, browser: Any, screenshots: Path
) -> None:
    moderator = await moderator_of(holding)
    page = await new_phone(browser, locale="fr-FR")
    page.set_default_timeout(10_000)
    await join(page, holding, "Zoé")
    other = await new_phone(browser, locale="fr-FR")
    other.set_default_timeout(10_000)
    await join(other, holding, "Yann")
    witness = await join_participant(holding.server, holding.ws_url, "Témoin")
    try:
        await page.fill("#chat-input", "Encore la BLOCKCHAIN")
        await page.press("#chat-input", "Enter")
        held = await moderator.wait_event("message_posted", text="Encore la BLOCKCHAIN")
        assert held["held"] is True
        await wait_for_text(page, "[data-testid=messages]", "Encore la BLOCKCHAIN")
        mine = page.locator("[data-testid=messages] li.held")
        await mine.get_by_text("en attente de relecture\u00a0: seuls les modérateurs le voient").wait_for()
        await page.get_by_test_id("notice").get_by_text("il attend la relecture des modérateurs").wait_for()
        await page.screenshot(path=str(screenshots / "held-message.png"))
        assert "Encore la BLOCKCHAIN" not in await messages_text(other)
        assert not [f for f in await witness.drain(0.3) if f.get("message_id") == held["message_id"]]

        assert (await moderator.command("release_message", message_id=held["message_id"]))["type"] == "ack"
        await wait_for_text(other, "[data-testid=messages]", "Encore la BLOCKCHAIN")
        await page.locator("[data-testid=messages] li.held").wait_for(state="detached")
    finally:
        await moderator.close()
        await witness.close()
