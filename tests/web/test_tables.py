"""Tables on the guest page and the projector page, in Chromium against a real
server (issue 13): choose a table, see who sits where, write the synthesis as
spokesperson, be told when the table is removed; the projector shows the syntheses."""

from __future__ import annotations

from typing import Any

from tests.web.conftest import new_phone
from tests.web.test_guest_page import Restartable, debate, moderator_of
from tests.web.test_screen_and_audits import join
from tests.wire import WireClient

__all__ = ["debate"]  # the fixture, shared


async def test_a_guest_sits_writes_the_synthesis_and_is_told_when_the_table_goes(
    debate: Restartable, browser: Any
) -> None:
    moderator = await moderator_of(debate)
    bruno = await WireClient.join(
        debate.ws_url, role="participant", join_code=debate.service.join_code, name="Bruno"
    )
    try:
        await moderator.command("add_table", name="Lovelace", seats=2)
        await moderator.command("add_table", name="Turing <b>8</b>", seats=1)
        await moderator.command("add_round", title="Innover", theme="Avec les métiers", minutes=20)
        assert (await bruno.command("choose_table", table_id="t2"))["type"] == "ack"

        page = await new_phone(browser, locale="en-US")
        page.set_default_timeout(10_000)
        projector = await new_phone(browser, locale="en-US")
        await projector.goto(f"{debate.base}/screen?code={debate.service.join_code}")
        await join(page, debate, "Zoé")
        await page.get_by_role("tab", name="Tables").click()
        await page.get_by_test_id("my-table").get_by_text("You have no table yet").wait_for()
        # Seating is public: Bruno at Turing, which is full (no button); names are text, not markup.
        turing = page.locator("[data-table=t2]")
        await turing.get_by_text("Bruno").wait_for()
        await turing.get_by_text("Turing <b>8</b>").wait_for()
        await turing.get_by_text("Full").wait_for()
        assert await turing.get_by_role("button").count() == 0

        # Zoé sits at Lovelace with a touch target of at least 44 px.
        sit = page.get_by_role("button", name="Sit at Lovelace")
        box = await sit.bounding_box()
        assert box is not None and box["height"] >= 44 and box["width"] >= 44
        await sit.click()
        await page.get_by_test_id("my-table").get_by_text("Your table: Lovelace").wait_for()
        seated = await moderator.wait_event("guest_seated", table_id="t1")
        zoe = seated["participant_id"]

        # Made spokesperson, she writes the synthesis of the live round.
        assert (await moderator.command("set_spokesperson", table_id="t1", participant_id=zoe))[
            "type"
        ] == "ack"
        await moderator.command("start_round", round_id="r1")
        await page.get_by_text("You are your table's spokesperson").wait_for()
        await page.fill("#synthesis-text", "Des agents, mais supervisés.")
        await page.get_by_role("button", name="Post the synthesis").click()
        posted = await bruno.wait_event("synthesis_posted", table_id="t1")
        assert posted["text"] == "Des agents, mais supervisés."
        await page.get_by_test_id("syntheses").get_by_text("Des agents, mais supervisés.").wait_for()
        # A second post replaces it.
        await page.fill("#synthesis-text", "Des agents, supervisés par un humain.")
        await page.get_by_role("button", name="Replace the synthesis").click()
        await bruno.wait_event("synthesis_posted", text="Des agents, supervisés par un humain.")
        await page.get_by_test_id("syntheses").get_by_text("supervisés par un humain").wait_for()
        assert await page.get_by_test_id("syntheses").get_by_text("Des agents, mais supervisés.").count() == 0

        # The projector shows the syntheses large, by table, never by person.
        assert (await moderator.command("set_spotlight", kind="syntheses"))["type"] == "ack"
        slide = projector.get_by_test_id("spot-syntheses")
        await slide.get_by_text("Des agents, supervisés par un humain.").wait_for()
        await slide.get_by_text("Lovelace").wait_for()
        assert "Zoé" not in await slide.inner_text()

        # Her table removed: a notice and a badge, and she stays on the tab she chose.
        await page.get_by_role("tab", name="Chat").click()
        assert (await moderator.command("remove_table", table_id="t1"))["type"] == "ack"
        await page.get_by_test_id("notice").get_by_text("Your table “Lovelace” was removed").wait_for()
        assert await page.get_by_role("tab", name="Chat").get_attribute("aria-selected") == "true"
        await page.get_by_role("tab", name="Tables").get_by_text("new").wait_for()
        assert page.errors == []
        assert projector.errors == []
    finally:
        await bruno.close()
        await moderator.close()


async def test_a_closed_polls_results_by_table_follow_the_k3_rule(debate: Restartable, browser: Any) -> None:
    moderator = await moderator_of(debate)
    guests = [
        await WireClient.join(
            debate.ws_url, role="participant", join_code=debate.service.join_code, name=name
        )
        for name in ("Anne", "Bruno", "Chloé", "Denis")
    ]
    try:
        await moderator.command("add_table", name="Lovelace", seats=8)
        await moderator.command("add_table", name="Turing", seats=8)
        for guest, table_id in zip(guests, ["t1", "t1", "t1", "t2"], strict=True):
            assert (await guest.command("choose_table", table_id=table_id))["type"] == "ack"
        await moderator.command("create_poll", question="Des agents ?", options=["Oui", "Non"])
        await moderator.command("open_poll", poll_id="p1")
        for guest, choice in zip(guests, [0, 0, 1, 1], strict=True):
            assert (await guest.command("cast_ballot", poll_id="p1", choices=[choice]))["type"] == "ack"
        page = await new_phone(browser, locale="fr-FR")
        page.set_default_timeout(10_000)
        projector = await new_phone(browser, locale="en-US")
        await projector.goto(f"{debate.base}/screen?code={debate.service.join_code}&lang=en")
        await page.goto(f"{debate.base}/j/{debate.service.join_code}")
        await page.fill("#join-name", "Zoé")
        await page.get_by_role("button", name="Rejoindre").click()
        await page.get_by_role("tab", name="Sondage").click()
        assert (await moderator.command("close_poll", poll_id="p1"))["type"] == "ack"
        assert (await moderator.command("set_spotlight", kind="poll", item_id="p1"))["type"] == "ack"

        # Lovelace (3 voters) is shown; Turing's single voter is not: no "other tables"
        # either, which would give him back (the rule merges Lovelace then: nothing shown).
        by_table = page.get_by_test_id("by-table-none")
        await by_table.get_by_text("Pas de résultats par table").wait_for()
        await projector.get_by_test_id("by-table-none").wait_for()

        # A second poll where Turing's voter abstains: Lovelace alone, shown.
        await moderator.command("create_poll", question="Et demain ?", options=["Oui", "Non"])
        await moderator.command("open_poll", poll_id="p2")
        for guest, choice in zip(guests[:3], [0, 1, 1], strict=True):
            assert (await guest.command("cast_ballot", poll_id="p2", choices=[choice]))["type"] == "ack"
        assert (await moderator.command("close_poll", poll_id="p2"))["type"] == "ack"
        assert (await moderator.command("set_spotlight", kind="poll", item_id="p2"))["type"] == "ack"
        shown = page.get_by_test_id("by-table")
        await shown.locator("[data-table=t1]").get_by_text("3 votants").wait_for()
        assert await shown.locator("[data-table=other]").count() == 0
        await (
            projector.get_by_test_id("by-table").locator("[data-table=t1]").get_by_text("3 voters").wait_for()
        )
        assert page.errors == [] and projector.errors == []
    finally:
        for guest in guests:
            await guest.close()
        await moderator.close()
