"""The moderator's nine tabs at 80 columns: every one shows, reachable by its key."""

from __future__ import annotations

import pytest
from textual.pilot import Pilot
from textual.widgets import TabbedContent

from client.app import ConviveApp
from client.tokens import TokenStore
from server.app import DebateServer
from tests.client.conftest import make_app, screen_text, wait_until

KEYS = {
    "f2": "tab-chat",
    "f3": "tab-questions",
    "f4": "tab-triage",
    "f5": "tab-agenda",
    "f6": "tab-polls",
    "f7": "tab-people",
    "f8": "tab-floor",
    "f9": "tab-tables",
    "f10": "tab-notes",
}


async def connected(pilot: Pilot[None], app: ConviveApp) -> None:
    await wait_until(pilot, lambda: app.link.status == "connected", what="connected")


@pytest.mark.parametrize("lang", ["fr", "en"])
async def test_at_80_columns_every_tab_shows_and_each_key_reaches_its_own(
    server: DebateServer, tokens: TokenStore, lang: str
) -> None:
    app = make_app(server, "moderator", tokens, lang=lang)
    async with app.run_test(size=(80, 24)) as pilot:
        await connected(pilot, app)
        await pilot.pause()
        tabs = app.screen.query_one(TabbedContent)
        assert tabs.has_class("-compact")
        labels = [str(tabs.get_tab(pane).label_text) for pane in KEYS.values()]
        # All of them on the bar's line, in order, none cut (screen_text drops spaces).
        assert "".join(labels) in screen_text(app).splitlines(), screen_text(app)
        for key, pane in KEYS.items():
            await pilot.press(key)
            await pilot.pause()
            assert tabs.active == pane, key
            region = tabs.get_tab(pane).region
            assert region.x >= 0 and region.right <= 80  # the active one in full
        if lang == "fr":
            assert labels[:4] == ["Fil", "Questions", "À valider (0)", "Temps"]


async def test_wide_enough_the_full_labels_come_back(server: DebateServer, tokens: TokenStore) -> None:
    app = make_app(server, "moderator", tokens, lang="fr")
    async with app.run_test(size=(120, 40)) as pilot:
        await connected(pilot, app)
        await pilot.pause()
        tabs = app.screen.query_one(TabbedContent)
        assert not tabs.has_class("-compact")
        assert tabs.get_tab("tab-chat").label_text == "Discussion"
        assert tabs.get_tab("tab-agenda").label_text == "Programme"
        await pilot.resize_terminal(80, 24)
        await pilot.pause()
        assert tabs.has_class("-compact") and tabs.get_tab("tab-chat").label_text == "Fil"
