"""The speaker queue on the guest page and on the projector page, in a real browser."""

from __future__ import annotations

from typing import Any

from tests.web.conftest import new_phone
from tests.web.test_guest_page import Restartable, debate, moderator_of, record_frames
from tests.web.test_screen_and_audits import join, join_fr

__all__ = ["debate"]  # the fixture, shared


async def test_a_phone_guest_raises_a_hand_and_the_projector_shows_the_queue(
    debate: Restartable, browser: Any
) -> None:
    moderator = await moderator_of(debate)
    await moderator.command("add_round", title="Agents", theme="En production ?", minutes=20)
    await moderator.command("start_round", round_id=(await moderator.wait_event("round_added"))["round_id"])
    alice = await new_phone(browser, locale="en-US")
    bob = await new_phone(browser, locale="en-US")
    for page in (alice, bob):
        page.set_default_timeout(10_000)
    bob_frames = record_frames(bob)
    projector = await browser.new_page(viewport={"width": 1280, "height": 720}, locale="en-US")
    projector.set_default_timeout(10_000)
    projector_frames = record_frames(projector)
    await projector.goto(f"{debate.base}/screen?code={debate.service.join_code}&lang=en")
    await join(alice, debate, "Alice")
    await join(bob, debate, "Bob")

    # Before she confirms, the page tells Alice her name will be shown.
    await alice.get_by_role("button", name="✋ Raise my hand").click()
    form = alice.get_by_test_id("hand-form")
    await form.get_by_text("Your name, Alice, will be shown to the room on the big screen").wait_for()
    # Her own click moves the focus to the topic (an effect after the form renders: wait for it).
    await alice.wait_for_function("document.activeElement?.id === 'hand-topic'")
    await alice.fill("#hand-topic", "<b>Agents</b> in production")
    await form.get_by_role("button", name="Raise my hand", exact=True).click()
    await alice.get_by_test_id("my-hand").get_by_text("Your hand is raised: you are next.").wait_for()
    raised = await moderator.wait_event("hand_topic_stated")
    assert raised["topic"] == "<b>Agents</b> in production"

    # Bob raises his, with no topic: second in the queue.
    await bob.get_by_role("button", name="✋ Raise my hand").click()
    await bob.get_by_test_id("hand-form").get_by_role("button", name="Raise my hand", exact=True).click()
    await bob.get_by_text("you are number 2 in the queue").wait_for()
    # The projector: who is next, names only.
    floor = projector.get_by_test_id("floor")
    await floor.get_by_text("Next: Alice, Bob").wait_for()

    # The moderator gives Alice the floor: her page and the projector say so; Bob is next.
    alice_id = raised["participant_id"]
    await moderator.command("give_floor", participant_id=alice_id)
    await alice.get_by_test_id("my-hand").get_by_text("You have the floor.").wait_for()
    await bob.get_by_test_id("floor-now").get_by_text("Alice has the floor").wait_for()
    await bob.get_by_text("Your hand is raised: you are next.").wait_for()
    await floor.get_by_text("Alice has the floor").wait_for()
    await floor.get_by_text("Next: Bob").wait_for()
    # Nothing the server sent took Bob's focus away from what he types.
    await bob.click("#chat-input")
    await moderator.command("end_floor")
    await floor.get_by_text("Alice has the floor").wait_for(state="detached")
    assert await bob.evaluate("document.activeElement.id") == "chat-input"

    # Bob lowers his hand: the queue empties, the projector's line goes.
    await bob.get_by_role("button", name="Lower my hand").click()
    await bob.get_by_role("button", name="✋ Raise my hand").wait_for()
    await floor.wait_for(state="detached")

    # Alice's topic reached neither Bob's page nor the projector.
    for frames in (bob_frames, projector_frames):
        assert frames and not any("in production" in frame for frame in frames)
    assert alice.errors == [] and bob.errors == []
    await moderator.close()


async def test_the_hand_form_in_french(debate: Restartable, browser: Any) -> None:
    moderator = await moderator_of(debate)
    page = await new_phone(browser, locale="fr-FR")
    page.set_default_timeout(10_000)
    await join_fr(page, debate, "Chloé")
    await page.get_by_role("button", name="✋ Lever la main").click()
    await page.get_by_text("Votre nom, Chloé, sera affiché à la salle sur le grand écran").wait_for()
    await page.get_by_test_id("hand-form").get_by_role("button", name="Lever la main", exact=True).click()
    await page.get_by_text("Votre main est levée\u00a0: vous êtes en tête de file.").wait_for()
    await moderator.wait_event("hand_raised")
    assert page.errors == []
    await moderator.close()
