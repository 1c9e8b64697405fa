"""Poll kinds (issue 12) in the terminal: a guest rates, sends words and an open
answer; the screen shows the average, the word cloud and the approved answers."""

from __future__ import annotations

from typing import Any

from textual.pilot import Pilot
from textual.widgets import Button, Input, TabbedContent

from client.app import ConviveApp
from client.tokens import TokenStore
from client.widgets.poll import PollOptions
from server.app import DebateServer
from tests.client.conftest import make_app, screen_text, wait_until
from tests.wire import WireClient


async def _moderator(server: DebateServer) -> WireClient:
    url = f"ws://127.0.0.1:{server.port}/"
    return await WireClient.join(
        url, role="moderator", moderator_key=server.service.moderator_key, name="Mod"
    )


async def _connected(pilot: Pilot[Any], app: ConviveApp) -> None:
    await wait_until(pilot, lambda: app.link.status == "connected", what="connected")
    await wait_until(pilot, lambda: app.state.presence is not None, what="presence")


async def test_a_guest_rates_deliberately_and_sees_the_average(
    server: DebateServer, tokens: TokenStore
) -> None:
    service = server.service
    moderator = await _moderator(server)
    app = make_app(server, "participant", tokens, lang="fr", name="Alice")
    async with app.run_test(size=(80, 24)) as pilot:
        await _connected(pilot, app)
        await moderator.command(
            "create_poll", question="Maturité ?", kind="rating", scale_max=5, scale_labels=["bas", "haut"]
        )
        await moderator.command("open_poll", poll_id="p1")
        await wait_until(pilot, lambda: app.state.open_poll is not None, what="poll open")
        assert "Sondage ●" in screen_text(app)  # announced, never brought forward
        assert app.screen.query_one(TabbedContent).active == "tab-chat"
        await pilot.press("f4")
        options = app.screen.query_one(PollOptions)
        assert options.has_focus and options.highlighted is None
        shown = screen_text(app)
        assert "Notez de 1 à 5" in shown and "1 · bas" in shown and "5 · haut" in shown
        await pilot.press("4", "enter")
        await pilot.pause(0.2)
        assert service.state.polls["p1"].ratings == {}  # chosen, not sent
        await pilot.press("v")
        await wait_until(pilot, lambda: app.state.my_ratings.get("p1") == 4, what="rating")
        assert list(service.state.polls["p1"].ratings.values()) == [4]
        await wait_until(pilot, lambda: "moyenne 4,0" in screen_text(app), what="average")
        assert "votre vote" in screen_text(app)
        assert "Sondage ●" not in screen_text(app)
    await moderator.close()


async def test_a_guest_sends_words_and_sees_the_cloud(server: DebateServer, tokens: TokenStore) -> None:
    service = server.service
    moderator = await _moderator(server)
    app = make_app(server, "participant", tokens, name="Alice")
    async with app.run_test(size=(80, 24)) as pilot:
        await _connected(pilot, app)
        await moderator.command("create_poll", question="One word?", kind="words")
        await moderator.command("open_poll", poll_id="p1")
        await wait_until(pilot, lambda: app.state.open_poll is not None, what="poll open")
        chat = app.screen.query_one("#chat-input", Input)
        assert chat.has_focus  # the poll took nothing
        await pilot.press("f4")
        field = app.screen.query_one("#poll-text", Input)
        assert field.has_focus and field.display
        assert str(app.screen.query_one("#poll-send", Button).label) == "Send"  # words are sent, not voted
        await pilot.press(*"a, b, c, d", "enter")  # four words: refused here, nothing sent
        await pilot.pause(0.2)
        assert service.state.polls["p1"].word_ballots == {}
        field.value = ""
        await pilot.press(*"Trust, costs!", "enter")
        await wait_until(pilot, lambda: app.state.my_words.get("p1") == ["Trust", "costs"], what="words")
        await moderator.command("close_poll", poll_id="p1")
        await wait_until(pilot, lambda: app.state.polls["p1"].status == "closed", what="closed")
        shown = screen_text(app)
        assert "Trust 1" in shown and "costs 1" in shown
    await moderator.close()


async def test_an_open_answer_shows_only_once_approved(server: DebateServer, tokens: TokenStore) -> None:
    service = server.service
    moderator = await _moderator(server)
    app = make_app(server, "participant", tokens, name="Alice")
    async with app.run_test(size=(80, 24)) as pilot:
        await _connected(pilot, app)
        await moderator.command("create_poll", question="Your main hurdle?", kind="open")
        await moderator.command("open_poll", poll_id="p1")
        await wait_until(pilot, lambda: app.state.open_poll is not None, what="poll open")
        await pilot.press("f4")
        await pilot.press(*"Skills [b]rare[/b]", "enter")
        await wait_until(pilot, lambda: "o1" in service.state.polls["p1"].answers, what="answer")
        field = app.screen.query_one("#poll-text", Input)
        assert field.value == ""  # sent; another may follow
        await wait_until(pilot, lambda: "p1" in app.state.my_answered, what="acked")
        assert "Poll ●" not in screen_text(app)
        assert "• Skills" not in screen_text(app)  # not shown before review
        await moderator.command("approve_answer", poll_id="p1", answer_id="o1")
        await wait_until(pilot, lambda: bool(app.state.polls["p1"].answers), what="approved")
        await pilot.pause(0.1)
        assert "• Skills [b]rare[/b]" in screen_text(app)  # literal: no markup
    await moderator.close()
