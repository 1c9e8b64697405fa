"""Merged questions and written answers on the guest page and the projector page,
in Chromium against a real server (issue 12)."""

from __future__ import annotations

from typing import Any

from tests.web.conftest import new_phone
from tests.web.test_guest_page import Restartable, debate, moderator_of, record_frames
from tests.web.test_screen_and_audits import join
from tests.wire import WireClient

__all__ = ["debate"]  # the fixture, shared


async def test_a_guest_sees_merges_and_written_answers_and_is_told_of_their_own(
    debate: Restartable, browser: Any
) -> None:
    moderator = await moderator_of(debate)
    assert (await moderator.command("set_moderation", enabled=False))["type"] == "ack"
    other = await WireClient.join(
        debate.ws_url, role="participant", join_code=debate.service.join_code, name="Bruno"
    )
    assert (await other.command("submit_question", text="Quel budget pour l'IA ?"))["created"] == "q1"
    page = await new_phone(browser, locale="en-US")
    page.set_default_timeout(10_000)
    frames = record_frames(page)
    await join(page, debate, "Zoé")

    # Zoé asks anonymously and upvotes q1; the moderator merges hers into q1.
    await page.get_by_role("tab", name="Questions").click()
    await page.get_by_role("button", name="Ask a question").click()
    await page.fill("#ask-text", "Combien <b>pour</b> l'IA ?")
    await page.get_by_label("Ask anonymously").check()
    await page.get_by_role("button", name="Send the question").click()
    await moderator.wait_event("question_submitted", question_id="q2")
    await page.locator("[data-question=q1]").get_by_role("button", name="Upvote").click()
    await moderator.wait_event("upvote_added", question_id="q1")
    assert (await moderator.command("merge_questions", keep_id="q1", merged_ids=["q2"]))["type"] == "ack"

    # Told on the page, privately; her question shows under q1, still hers, literal.
    notice = page.get_by_test_id("notice")
    await notice.get_by_text("The moderators merged your question into a similar one").wait_for()
    assert "“Quel budget pour l'IA ?”" in await notice.inner_text()
    kept = page.locator("[data-question=q1]")
    await kept.get_by_text("1 similar question merged here").wait_for()
    variant = kept.locator("[data-variant=q2]")
    assert "Combien <b>pour</b> l'IA ?" in await variant.inner_text()
    await variant.get_by_text("yours").wait_for()
    await variant.get_by_text("Anonymous").wait_for()
    assert await page.locator("[data-question=q2]").count() == 0
    assert await kept.locator("button.upvote[aria-pressed=true]").count() == 1
    # The other guest got no notice: only the merge.
    await other.wait_event("questions_merged", keep_id="q1")
    await other.drain(quiet=0.2)
    assert not [f for f in other.frames if f["type"] == "merge_notified"]
    assert sum('"merge_notified"' in frame for frame in frames) == 1

    # A written answer shows under the question; a second replaces it.
    for text in ("Environ 2 %.", "Plutôt 3 % <i>du</i> budget IT."):
        await moderator.command("answer_question", question_id="q1", text=text)
        await kept.get_by_test_id("answer").get_by_text(text).wait_for()
    assert await kept.get_by_text("Environ 2 %.").count() == 0

    # Split off again: her question is back in the list with her own vote count.
    assert (await moderator.command("unmerge_question", question_id="q2"))["type"] == "ack"
    await page.locator("[data-question=q2]").wait_for()
    assert await kept.get_by_text("similar question").count() == 0
    await other.close()
    await moderator.close()


async def test_the_projector_page_shows_the_written_answer(debate: Restartable, browser: Any) -> None:
    moderator = await moderator_of(debate)
    await moderator.command("set_moderation", enabled=False)
    await moderator.command("submit_question", text="Qui porte le risque ?")
    await moderator.command("answer_question", question_id="q1", text="Le métier, <b>avec</b> la DSI.")
    projector = await (
        await browser.new_context(viewport={"width": 1280, "height": 720}, locale="fr-FR")
    ).new_page()
    projector.set_default_timeout(10_000)
    await projector.goto(f"{debate.base}/screen?code={debate.service.join_code}")
    await moderator.command("set_spotlight", kind="question", item_id="q1")
    answer = projector.get_by_test_id("spot-answer")
    await answer.get_by_text("Le métier, <b>avec</b> la DSI.").wait_for()
    assert "Réponse écrite" in await answer.inner_text()
    await moderator.close()
