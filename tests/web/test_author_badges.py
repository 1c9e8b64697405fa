"""The guest page and the projector page badge the real moderator, from the
role the server sends, never from the name (issue 14, item 4)."""

from __future__ import annotations

from typing import Any

from tests.web.conftest import new_phone
from tests.web.test_guest_page import Restartable, debate, moderator_of
from tests.web.test_screen_and_audits import join
from tests.wire import WireClient

__all__ = ["debate"]  # the fixture, shared

LOOK_ALIKE = "M\u043ed"  # a Cyrillic "о": looks like the moderator's "Mod"


async def _room(debate: Restartable) -> tuple[WireClient, WireClient, dict[str, str]]:
    moderator = await moderator_of(debate)
    await moderator.command("set_moderation", enabled=False)
    impostor = await WireClient.join(
        debate.ws_url, role="participant", join_code=debate.service.join_code, name=LOOK_ALIKE
    )
    await impostor.command("post_message", text="Guest speaking")
    await moderator.command("post_message", text="Moderator speaking")
    ids = {}
    for who, text, anonymous in (
        (impostor, "Guest asking?", False),
        (moderator, "Moderator asking?", False),
        (moderator, "Someone asking?", True),
    ):
        ids[text] = (await who.command("submit_question", text=text, anonymous=anonymous))["created"]
    return moderator, impostor, ids


async def test_the_guest_page_badges_only_the_real_moderator(debate: Restartable, browser: Any) -> None:
    moderator, impostor, _ = await _room(debate)
    page = await new_phone(browser, locale="en-US")
    await join(page, debate, "Zoé")
    real = page.locator(".messages li", has_text="Moderator speaking")
    await real.wait_for()
    assert await real.get_by_test_id("mod-badge").inner_text() == "◆ moderator"
    guest = page.locator(".messages li", has_text="Guest speaking")
    assert LOOK_ALIKE in await guest.inner_text()
    assert await guest.get_by_test_id("mod-badge").count() == 0
    await page.get_by_role("tab", name="Questions").click()
    asked = page.locator(".question", has_text="Moderator asking?")
    await asked.wait_for()
    assert await asked.get_by_test_id("mod-badge").count() == 1
    for text in ("Guest asking?", "Someone asking?"):
        assert await page.locator(".question", has_text=text).get_by_test_id("mod-badge").count() == 0
    assert page.errors == []
    await impostor.close()
    await moderator.close()


async def test_the_projector_page_badges_only_the_real_moderator(debate: Restartable, browser: Any) -> None:
    moderator, impostor, ids = await _room(debate)
    context = await browser.new_context(viewport={"width": 1280, "height": 720}, locale="fr-FR")
    page = await context.new_page()
    page.set_default_timeout(10_000)
    await page.goto(f"{debate.base}/screen?code={debate.service.join_code}")
    for text, badged in (("Guest asking?", False), ("Moderator asking?", True), ("Someone asking?", False)):
        # On the floor, then full screen.
        await moderator.command("pin_question", question_id=ids[text])
        await page.locator(".spot", has_text=text).wait_for()
        shown = await page.locator(".spot-author").get_by_test_id("mod-badge").all_inner_texts()
        assert shown == (["◆ modération"] if badged else []), text
        await moderator.command("set_spotlight", kind="question", item_id=ids[text])
        await page.get_by_test_id("spot-question").wait_for()
        shown = await page.get_by_test_id("spot-question").get_by_test_id("mod-badge").all_inner_texts()
        assert shown == (["◆ modération"] if badged else []), text
        await moderator.command("set_spotlight", kind="round")
        await page.get_by_test_id("spot-question").wait_for(state="detached")
    await impostor.close()
    await moderator.close()
