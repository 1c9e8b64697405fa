"""Poll kinds (issue 12) on the phone page and the projector page, in Chromium:
a rating, a word cloud sized by count (hidden until the close), open answers
shown only once approved."""

from __future__ import annotations

import asyncio
from typing import Any

from tests.conftest import join_participant
from tests.web.conftest import new_phone
from tests.web.test_guest_page import Restartable, debate, join, moderator_of, record_frames

__all__ = ["debate"]  # the fixture, shared


async def test_a_phone_guest_rates_and_sends_words(debate: Restartable, browser: Any) -> None:
    service = debate.service
    moderator = await moderator_of(debate)
    other = await join_participant(debate.server, debate.ws_url, "Bruno")
    page = await new_phone(browser, locale="fr-FR")
    page.set_default_timeout(10_000)
    await join(page, debate, "Zoé")
    me = next(p.participant_id for p in service.state.participants.values() if p.name == "Zoé")

    # A rating: choosing casts nothing; Voter casts; the average shows.
    await moderator.command(
        "create_poll",
        question="Maturité ?",
        kind="rating",
        scale_max=4,
        scale_labels=["Débutants", "Experts"],
    )
    await moderator.command("open_poll", poll_id="p1")
    await page.get_by_role("tab", name="Sondage").get_by_text("nouveau").wait_for()  # a badge, not a jump
    await page.get_by_role("tab", name="Sondage").click()
    await page.get_by_label("4 · Experts").check()
    await asyncio.sleep(0.3)
    assert service.state.polls["p1"].ratings == {}
    await page.get_by_role("button", name="Voter").click()
    await page.locator(".option", has_text="4 · Experts").get_by_text("votre vote").wait_for()
    assert service.state.polls["p1"].ratings == {me: 4}
    await other.command("cast_ballot", poll_id="p1", rating=1)
    await page.get_by_test_id("poll-average").get_by_text("moyenne 2,5").wait_for()
    await moderator.command("close_poll", poll_id="p1")

    # A word cloud with hidden results: the counts come at the close, sized by count.
    frames = record_frames(page)
    await moderator.command("create_poll", question="Un mot ?", kind="words", hide_results=True)
    await moderator.command("open_poll", poll_id="p2")
    await page.get_by_label("Mot 1").wait_for()
    await page.get_by_label("Mot 1").fill("Confiance")
    await page.get_by_label("Mot 2").fill("coûts")
    await page.get_by_role("button", name="Envoyer").click()
    await page.get_by_test_id("my-words").get_by_text("Confiance, coûts").wait_for()
    assert service.state.polls["p2"].word_ballots == {me: ["Confiance", "coûts"]}
    await other.command("cast_ballot", poll_id="p2", words=["confiance !"])
    await page.get_by_text("2 votants").wait_for()
    await page.get_by_test_id("poll-hidden").wait_for()
    assert not [f for f in frames if '"words":[{' in f]  # no word reached the page while hidden
    await moderator.command("close_poll", poll_id="p2")
    cloud = page.get_by_test_id("word-cloud")
    await cloud.get_by_text("Confiance").wait_for()
    sizes = await cloud.locator("li").evaluate_all(
        "(items) => items.map((li) => parseFloat(getComputedStyle(li).fontSize))"
    )
    assert len(sizes) == 2 and sizes[0] > sizes[1]  # Confiance (2) larger than coûts (1)
    assert page.errors == []
    await other.close()
    await moderator.close()


async def test_open_answers_show_on_phones_and_projector_only_once_approved(
    debate: Restartable, browser: Any
) -> None:
    service = debate.service
    moderator = await moderator_of(debate)
    page = await new_phone(browser, locale="fr-FR")
    page.set_default_timeout(10_000)
    projector = await new_phone(browser, locale="fr-FR")
    await join(page, debate, "Zoé")
    await projector.goto(f"{debate.base}/screen?code={service.join_code}")
    await moderator.command("create_poll", question="Votre frein ?", kind="open")
    await moderator.command("open_poll", poll_id="p1")
    await moderator.command("set_spotlight", kind="poll", item_id="p1")
    await page.get_by_role("tab", name="Sondage").click()
    await page.get_by_placeholder("Votre réponse").fill("Les compétences <b>rares</b>")
    await page.get_by_role("button", name="Envoyer").click()
    await page.get_by_text("Réponse envoyée").first.wait_for()
    assert await page.get_by_placeholder("Votre réponse").input_value() == ""
    submitted = await moderator.wait_event("answer_submitted")
    assert "Zoé" not in str(submitted)
    await asyncio.sleep(0.3)
    assert await page.get_by_test_id("answers").count() == 0  # not before review
    await moderator.command("approve_answer", poll_id="p1", answer_id=submitted["answer_id"])
    await page.get_by_test_id("answers").get_by_text("Les compétences <b>rares</b>").wait_for()  # as text
    await projector.get_by_test_id("answers").get_by_text("Les compétences <b>rares</b>").wait_for()
    await projector.get_by_text("1 réponse").wait_for()
    assert page.errors == [] and projector.errors == []
    await moderator.close()


async def test_the_poll_kinds_controls_are_named_and_axe_finds_nothing_serious(
    debate: Restartable, browser: Any
) -> None:
    from tests.web.test_screen_and_audits import AXE

    moderator = await moderator_of(debate)
    context = await browser.new_context(
        viewport={"width": 360, "height": 640}, bypass_csp=True, locale="fr-FR"
    )
    page = await context.new_page()
    page.set_default_timeout(10_000)
    await join(page, debate, "Axe")
    await page.add_script_tag(path=str(AXE))
    await page.get_by_role("tab", name="Sondage").click()
    problems: dict[str, Any] = {}
    kinds: list[dict[str, Any]] = [
        {"kind": "rating", "scale_labels": ["Bas", "Haut"]},
        {"kind": "words"},
        {"kind": "open"},
    ]
    for number, fields in enumerate(kinds, start=1):
        if number > 1:
            await moderator.command("close_poll", poll_id=f"p{number - 1}")
        await moderator.command("create_poll", question=f"Sondage {number} ?", **fields)
        await moderator.command("open_poll", poll_id=f"p{number}")
        await page.get_by_text(f"Sondage {number} ?").wait_for()
        unnamed = await page.evaluate(
            """() => [...document.querySelectorAll('button, input, textarea, [role=tab]')]
                 .filter((el) => !(el.labels?.length || el.getAttribute('aria-label')
                                   || el.textContent.trim()))
                 .map((el) => el.outerHTML)"""
        )
        assert unnamed == [], (fields, unnamed)
        result = await page.evaluate("axe.run(document, {resultTypes: ['violations']})")
        serious = [v for v in result["violations"] if v["impact"] in ("serious", "critical")]
        if serious:
            problems[str(fields["kind"])] = [(v["id"], v["nodes"][0]["html"]) for v in serious]
        small = await page.evaluate(
            """() => [...document.querySelectorAll(
                     'button, input:not([type=checkbox]):not([type=radio]), textarea, label.option')]
                 .filter((el) => el.getBoundingClientRect().height < 44)
                 .map((el) => el.outerHTML.slice(0, 80))"""
        )
        assert small == [], fields
    assert problems == {}
    await moderator.close()
