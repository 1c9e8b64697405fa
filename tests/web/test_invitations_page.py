"""Issue 14, item 2, in Chromium: a personal link /j/PERSONALCODE joins at once as the
invited guest (no form), on every phone; the printed place cards lay out on A4 and their
QR codes scan to links that work."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from server.invitations import read_guest_list, render_html
from server.plan import read_plan, sync_guests
from shared.joinlink import join_link_for_qr
from tests import logscan
from tests.stores import sqlite_store
from tests.web.conftest import new_phone
from tests.web.test_guest_page import Restartable, debate, join, kept
from tests.web.test_screen_and_audits import zbar

__all__ = ["debate"]  # the fixture, shared

GUESTS = ["Léa Dubois", "Marc <i>Petit</i>", *(f"Invité {n}" for n in range(7))]


def _invite(debate: Restartable, tmp_path: Path) -> dict[str, str]:
    plan = tmp_path / "plan.toml"
    lines = [f'[[guests]]\nname = "{name}"\ntable = "Table {n % 3 + 1}"\n' for n, name in enumerate(GUESTS)]
    plan.write_text('lang = "fr"\n' + "".join(lines), encoding="utf-8")
    sync_guests(debate.service.store, read_plan(plan))
    debate.service.reload_invitations()
    codes = {invitation.name: invitation.code for invitation in debate.service.invitations}
    for code in codes.values():
        logscan.remember(code)
    return codes


async def _connected(page: Any) -> None:
    await page.get_by_test_id("status").get_by_text("Connecté").wait_for()


async def test_a_personal_link_joins_at_once_as_the_invited_guest(
    debate: Restartable, browser: Any, tmp_path: Path
) -> None:
    codes = _invite(debate, tmp_path)
    code = codes["Léa Dubois"]
    phone = await new_phone(browser, locale="fr-FR")
    phone.set_default_timeout(10_000)
    await phone.goto(f"{debate.base}/j/{code}")
    await _connected(phone)  # nothing to fill in
    await phone.get_by_text("Vous\u00a0: Léa Dubois").wait_for()
    assert await phone.locator("#join-name").count() == 0
    # Her laptop, from the same link: the same guest, both connected.
    laptop = await new_phone(browser, locale="fr-FR")
    laptop.set_default_timeout(10_000)
    await laptop.goto(f"{debate.base}/j/{code.lower()}")
    await _connected(laptop)
    await laptop.get_by_text("Vous\u00a0: Léa Dubois").wait_for()
    invited = [p for p in debate.service.state.participants.values() if p.name == "Léa Dubois"]
    assert len(invited) == 1
    assert len(debate.server.hub.by_participant[invited[0].participant_id]) == 2
    # A reload comes back as her (the page kept her code and token).
    await phone.reload()
    await _connected(phone)
    await phone.get_by_text("Vous\u00a0: Léa Dubois").wait_for()
    # A phone that joined with the room's code, then opens a personal link, becomes that guest.
    other = await new_phone(browser, locale="fr-FR")
    other.set_default_timeout(10_000)
    await join(other, debate, "Zoé")
    await other.goto(f"{debate.base}/j/{codes['Marc <i>Petit</i>']}")
    await _connected(other)
    await other.get_by_text("Vous\u00a0: Marc <i>Petit</i>").wait_for()
    assert (await kept(other, debate))["code"] == codes["Marc <i>Petit</i>"]
    # A wrong personal code shows the form, with the error and no name field.
    wrong = await new_phone(browser, locale="fr-FR")
    wrong.set_default_timeout(10_000)
    await wrong.goto(f"{debate.base}/j/{'A' * 10 if code != 'A' * 10 else 'B' * 10}")
    await wrong.get_by_text("Code d'accès incorrect.").wait_for()
    assert await wrong.locator("#join-name").count() == 0
    await wrong.get_by_test_id("invited-help").wait_for()
    for page in (phone, laptop, other, wrong):
        assert page.errors == []


async def test_place_cards_print_on_a4_and_their_qr_codes_scan(
    debate: Restartable, browser: Any, tmp_path: Path, screenshots: Path
) -> None:
    codes = _invite(debate, tmp_path)
    guests = read_guest_list(sqlite_store(debate.service.store).path)
    page_html = render_html(guests, debate.base + "/", "fr")
    context = await browser.new_context(viewport={"width": 900, "height": 1300}, locale="fr-FR")
    page = await context.new_page()
    await page.set_content(page_html)
    cards = page.locator("article.card")
    assert await cards.count() == len(GUESTS)
    # Nine cards: two A4 pages (eight per page).
    pdf = await page.pdf(format="A4", print_background=True)
    assert len(re.findall(rb"/Type\s*/Page[^s]", pdf)) == 2
    # Each card's QR code scans to its guest's personal link.
    for index in (0, 1, 8):
        card = cards.nth(index)
        name = await card.locator(".name").inner_text()
        picture = screenshots / f"card-{index}.png"
        await card.locator(".qr").screenshot(path=str(picture))
        assert zbar(picture) == join_link_for_qr(debate.base + "/", codes[name])
    assert await cards.nth(1).locator(".name").inner_text() == "Marc <i>Petit</i>"
    await context.close()
    # The scanned link (upper-case, as QR alphanumeric mode holds it) joins on a phone.
    phone = await new_phone(browser, locale="fr-FR")
    phone.set_default_timeout(10_000)
    await phone.goto(join_link_for_qr(debate.base + "/", codes["Léa Dubois"]))
    await _connected(phone)
    await phone.get_by_text("Vous\u00a0: Léa Dubois").wait_for()
