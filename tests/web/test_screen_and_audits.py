"""The projector page and its QR code; anonymity as the other pages see it; accessibility; texts."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest

from tests.web.conftest import new_phone
from tests.web.test_guest_page import Restartable, debate, kept, moderator_of, record_frames
from tests.wire import WireClient

__all__ = ["debate"]  # the fixture, shared

AXE = Path(__file__).parent / "vendor" / "axe.min.js"


async def join(page: Any, debate: Restartable, name: str) -> None:
    await page.goto(f"{debate.base}/j/{debate.service.join_code}")
    await page.fill("#join-name", name)
    await page.get_by_role("button", name="Join").click()
    await page.get_by_test_id("status").get_by_text("Connected").wait_for()


def zbar(picture: Path) -> str:
    if shutil.which("zbarimg") is None:
        pytest.skip("zbarimg is missing (apt-get install zbar-tools)")
    result = subprocess.run(["zbarimg", "--quiet", "--raw", str(picture)], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    return result.stdout.strip()


async def test_the_projector_page_shows_a_qr_code_that_scans(
    debate: Restartable, browser: Any, screenshots: Path
) -> None:
    moderator = await moderator_of(debate)
    await moderator.command("set_moderation", enabled=False)
    await moderator.command("add_round", title="Passer à l'échelle", theme="Qui arbitre ?", minutes=15)
    await moderator.command("start_round", round_id=(await moderator.wait_event("round_added"))["round_id"])
    await moderator.command("submit_question", text="Quel budget <b>IA</b> ?")
    question = await moderator.wait_event("question_submitted")
    await moderator.command("pin_question", question_id=question["question_id"])
    context = await browser.new_context(viewport={"width": 1280, "height": 720}, locale="fr-FR")
    page = await context.new_page()
    page.set_default_timeout(10_000)
    code = debate.service.join_code
    await page.goto(f"{debate.base}/screen?code={code}")
    await page.get_by_text("Quel budget <b>IA</b> ?").wait_for()
    await page.get_by_text("En discussion").wait_for()
    await page.get_by_text("Temps 1/1").wait_for()
    link = f"http://localhost:{debate.port}/j/{code}"
    assert await page.get_by_test_id("join-link").inner_text() == link
    # Never "…/j/52KHC" then "N" on the next line (seen on a 1280-pixel projector).
    tail_lines = await page.get_by_test_id("join-link").locator(".nobreak").evaluate(
        "span => new Set([...span.getClientRects()].map(r => Math.round(r.top))).size"
    )
    assert tail_lines == 1
    await page.wait_for_function("document.querySelector('img.qr').complete")
    picture = screenshots / "projector-qr.png"
    await page.locator("img.qr").screenshot(path=str(picture))
    await page.screenshot(path=str(screenshots / "projector-1280.png"))
    assert zbar(picture).lower() == link.lower()
    await moderator.close()


async def test_an_anonymous_question_reaches_no_other_page_with_its_author(
    debate: Restartable, browser: Any
) -> None:
    moderator = await moderator_of(debate)
    await moderator.command("set_moderation", enabled=False)
    author = await new_phone(browser, locale="en-US")
    other = await new_phone(browser, locale="en-US")
    author_frames, other_frames = record_frames(author), record_frames(other)
    projector = await browser.new_page()
    projector_frames = record_frames(projector)
    await join(author, debate, "Secret Author")
    await join(other, debate, "Onlooker")
    await projector.goto(f"{debate.base}/screen?code={debate.service.join_code}")
    author_id = json.loads(next(f for f in author_frames if '"welcome"' in f))["participant_id"]
    await author.get_by_role("tab", name="Questions").click()
    await author.get_by_role("button", name="Ask a question").click()
    await author.fill("#ask-text", "Who decides the budget?")
    await author.get_by_label("Ask anonymously").check()
    await author.get_by_role("button", name="Send the question").click()
    await other.get_by_role("tab", name="Questions").click()
    await other.get_by_text("Who decides the budget?").wait_for()
    await projector.get_by_text("Who decides the budget?").wait_for()
    mine = author.locator(".question", has_text="Who decides the budget?")
    await mine.get_by_text("yours").wait_for()
    theirs = other.locator(".question", has_text="Who decides the budget?")
    assert await theirs.get_by_text("yours").count() == 0
    # Nobody upvotes their own question: the author has no button for it, the others do.
    assert await mine.get_by_role("button", name="Upvote").count() == 0
    await theirs.get_by_role("button", name="Upvote").click()
    await mine.get_by_text("1 vote").wait_for()
    # No frame another page received names the author beside the question, or at all.
    for frames in (other_frames, projector_frames):
        for frame in frames:
            assert author_id not in frame and "Secret Author" not in frame, frame
    # The author's browser keeps the question's secret and nothing else about it.
    identity = await kept(author, debate)
    question_id = next(iter(identity["secrets"]))
    assert "Who decides" not in json.dumps(identity)
    # The author withdraws it with that secret; it disappears everywhere.
    await mine.get_by_role("button", name="Withdraw your question").click()
    await mine.get_by_role("button", name="Withdraw", exact=True).click()
    await other.locator(f"[data-question={question_id}]").wait_for(state="detached")
    assert author.errors == [] and other.errors == []
    await moderator.close()


async def test_erasing_my_contributions_from_the_phone(debate: Restartable, browser: Any) -> None:
    moderator = await moderator_of(debate)
    await moderator.command("set_moderation", enabled=False)
    page = await new_phone(browser, locale="en-US")
    page.set_default_timeout(10_000)
    await join(page, debate, "Eraser")
    await page.fill("#chat-input", "to be erased")
    await page.press("#chat-input", "Enter")
    await moderator.wait_event("message_posted", text="to be erased")
    await page.get_by_role("button", name="Erase my contributions…").click()
    await page.get_by_text("This cannot be undone.").wait_for()
    await page.get_by_role("button", name="Yes, erase everything").click()
    erased = await moderator.wait_event("contributions_erased")
    assert len(erased["message_ids"]) == 1
    await page.locator("[data-testid=messages]").get_by_text("to be erased").wait_for(state="detached")
    await page.get_by_text("Your contributions are erased.").wait_for()
    await moderator.close()


async def test_every_control_is_named_and_axe_finds_nothing_serious(
    debate: Restartable, browser: Any
) -> None:
    moderator = await moderator_of(debate)
    await moderator.command("create_poll", question="Un sondage ?", options=["Oui", "Non"])
    await moderator.command("open_poll", poll_id=(await moderator.wait_event("poll_created"))["poll_id"])
    await moderator.command("submit_question", text="Une question ?")
    # bypass_csp lets the test inject axe-core; the page itself runs under its CSP everywhere else.
    context = await browser.new_context(
        viewport={"width": 360, "height": 640}, bypass_csp=True, locale="fr-FR"
    )
    page = await context.new_page()
    page.set_default_timeout(10_000)
    await page.goto(f"{debate.base}/j/{debate.service.join_code}")
    views = {"join": None, "chat": "Discussion", "questions": "Questions", "poll": "Sondage"}
    await page.add_script_tag(path=str(AXE))
    problems: dict[str, Any] = {}
    for view, tab in views.items():
        if view == "chat":
            await page.fill("#join-name", "Axe")
            await page.get_by_role("button", name="Rejoindre").click()
            await page.get_by_test_id("status").get_by_text("Connecté").wait_for()
        if tab:
            await page.get_by_role("tab", name=tab).click()
        if view == "questions":
            await page.get_by_role("button", name="Poser une question").click()
        unnamed = await page.evaluate(
            """() => [...document.querySelectorAll('button, input, textarea, [role=tab]')]
                 .filter((el) => !(el.labels?.length || el.getAttribute('aria-label')
                                   || el.textContent.trim()))
                 .map((el) => el.outerHTML)"""
        )
        assert unnamed == [], (view, unnamed)
        result = await page.evaluate("axe.run(document, {resultTypes: ['violations']})")
        serious = [v for v in result["violations"] if v["impact"] in ("serious", "critical")]
        if serious:
            problems[view] = [(v["id"], v["nodes"][0]["html"]) for v in serious]
    assert problems == {}
    # Touch targets: every button and field is at least 44 px tall.
    small = await page.evaluate(
        """() => [...document.querySelectorAll(
                 'button, input:not([type=checkbox]):not([type=radio]), textarea, label.option')]
             .filter((el) => el.getBoundingClientRect().height < 44).map((el) => el.outerHTML.slice(0, 80))"""
    )
    assert small == []
    await moderator.close()


async def test_the_texts_exist_in_both_languages_with_french_typography(
    debate: Restartable, browser: Any
) -> None:
    page = await browser.new_page()
    await page.goto(f"{debate.base}/healthz")
    texts = await page.evaluate("import('/i18n.js').then((m) => m.allTexts())")
    assert set(texts["fr"]) == set(texts["en"])
    for key, text in texts["fr"].items():
        for mark in (" :", " ;", " ?", " !", "« ", " »"):
            assert mark not in text, (key, text)


async def test_the_projector_page_comes_back_whatever_others_failed_on_its_address(
    debate: Restartable, browser: Any
) -> None:
    """Issue 14, item 3: the projector resumes with its token, so a troll who spent
    the failed-join budget of the venue's address does not keep it out."""
    context = await browser.new_context(viewport={"width": 1280, "height": 720})
    page = await context.new_page()
    page.set_default_timeout(15_000)
    frames = record_frames(page)
    await page.goto(f"{debate.base}/screen?code={debate.service.join_code}")
    await page.wait_for_function("() => document.body.innerText.includes('Join from your phone')")
    welcomes = [json.loads(f) for f in frames if '"type":"welcome"' in f]
    assert len(welcomes) == 1 and welcomes[0]["resume_token"]
    # A troll on the same address spends its budget of failed joins...
    troll = await WireClient.open(debate.ws_url)
    for _ in range(debate.settings.hello_failures_burst + 2):
        answer = await troll.hello(role="participant", join_code="AAAAAA", name="Troll")
    assert answer["code"] == "rate_limited"
    # ... then the projector's connection drops, and the page reconnects.
    screens = [ws for ws, client in debate.server.hub.clients.items() if client.role == "screen"]
    assert len(screens) == 1 and screens[0].transport is not None
    screens[0].transport.abort()
    for _ in range(300):
        if sum('"type":"welcome"' in f for f in frames) == 2:
            break
        await page.wait_for_timeout(50)
    assert sum('"type":"welcome"' in f for f in frames) == 2
    assert not any('"code":"rate_limited"' in f for f in frames)
    await troll.close()
    await context.close()


async def test_the_projector_page_follows_the_spotlight_and_every_page_shows_announcements(
    debate: Restartable, browser: Any, screenshots: Path
) -> None:
    moderator = await moderator_of(debate)
    await moderator.command("set_moderation", enabled=False)
    await moderator.command("add_round", title="Passer à l'échelle", theme="Qui arbitre ?", minutes=15)
    await moderator.command("add_round", title="Les garanties", theme="Sécurité, coûts", minutes=15)
    await moderator.command("start_round", round_id="r1")
    await moderator.command("submit_question", text="Qui porte le risque ?")
    question = (await moderator.wait_event("question_submitted"))["question_id"]
    poll = (await moderator.command("create_poll", question="Des agents ?", options=["Oui", "Non"]))[
        "created"
    ]
    await moderator.command("open_poll", poll_id=poll)
    projector = await (
        await browser.new_context(viewport={"width": 1280, "height": 720}, locale="fr-FR")
    ).new_page()
    projector.set_default_timeout(10_000)
    await projector.goto(f"{debate.base}/screen?code={debate.service.join_code}")
    await projector.get_by_text("Des agents ?").wait_for()  # the live round's open poll, by default
    guest = await new_phone(browser, locale="fr-FR")
    await join_fr(guest, debate, "Claire")

    await moderator.command("set_spotlight", kind="question", item_id=question)
    await projector.get_by_test_id("spot-question").get_by_text("Qui porte le risque ?").wait_for()
    assert await projector.get_by_text("Des agents ?").count() == 0
    await moderator.command("set_spotlight", kind="round", item_id="r2")  # a round to come
    await projector.get_by_text("À venir").wait_for()
    await moderator.command("set_spotlight", kind="welcome")
    await projector.get_by_text("Bienvenue").wait_for()
    await moderator.command("announce", text="Pause : le dessert arrive <b>!</b>")
    for page in (projector, guest):
        banner = page.get_by_test_id("announcement")
        await banner.get_by_text("Pause : le dessert arrive <b>!</b>").wait_for()
    await projector.screenshot(path=str(screenshots / "projector-welcome-announcement.png"))
    await moderator.command("set_spotlight", kind="blank")
    await projector.get_by_test_id("announcement").wait_for(state="detached")
    assert await projector.get_by_text("Bienvenue").count() == 0
    await moderator.command("set_spotlight", kind="end")
    await projector.get_by_text("Merci pour cette soirée").wait_for()
    await moderator.close()


async def join_fr(page: Any, debate: Restartable, name: str) -> None:
    await page.goto(f"{debate.base}/j/{debate.service.join_code}")
    await page.fill("#join-name", name)
    await page.get_by_role("button", name="Rejoindre").click()
    await page.get_by_test_id("status").get_by_text("Connecté").wait_for()
