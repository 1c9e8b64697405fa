"""Issue 9, section 1: nothing from the server takes a guest's keyboard.

A guest typing in the chat while the moderator opens a poll keeps every key:
the poll is announced (badge, line above the input, notice), never brought to
the front, and a vote needs a deliberate confirmation.
"""

from __future__ import annotations

from typing import Any

import pytest
from textual import events
from textual.pilot import Pilot
from textual.screen import ModalScreen
from textual.widgets import Footer, Input, TabbedContent

from client.app import ConviveApp
from client.tokens import TokenStore
from client.widgets.chat import ChatLog
from client.widgets.poll import PollOptions
from server.app import DebateServer
from shared import protocol as p
from tests.client.conftest import make_app, screen_rows, screen_text, wait_until
from tests.wire import WireClient


async def _moderator(server: DebateServer) -> WireClient:
    url = f"ws://127.0.0.1:{server.port}/"
    moderator = await WireClient.join(
        url, role="moderator", moderator_key=server.service.moderator_key, name="Mod"
    )
    await moderator.command("set_moderation", enabled=False)  # a stray question would show at once
    await moderator.command("add_round", title="Un", theme="Thème", minutes=20)
    await moderator.command("add_round", title="Deux", theme="Thème deux", minutes=20)
    await moderator.command("start_round", round_id=server.service.state.agenda[0])
    return moderator


async def _open_poll(moderator: WireClient, multiple: bool = False) -> str:
    created = await moderator.command(
        "create_poll", question="Combien ?", options=["Aucun", "1 à 3", "Plus"], multiple=multiple
    )
    await moderator.command("open_poll", poll_id=created["created"])
    poll_id: str = created["created"]
    return poll_id


async def _connected(pilot: Pilot[Any], app: ConviveApp) -> None:
    await wait_until(pilot, lambda: app.link.status == "connected", what="connected")
    await wait_until(pilot, lambda: app.state.presence is not None, what="presence")


def _live_title(app: ConviveApp) -> str | None:
    live = app.state.live_round
    return live.title if live is not None else None


def _chat_input(app: ConviveApp) -> Input:
    return app.screen.query_one("#chat-input", Input)


@pytest.mark.parametrize("multiple", [False, True], ids=["single", "multiple"])
async def test_poll_opening_while_typing_takes_no_keystroke(
    server: DebateServer, tokens: TokenStore, multiple: bool
) -> None:
    """The reported evening: 'Nous avons ' typed, a poll opens, '2 agents en pilote' + Enter."""
    service = server.service
    moderator = await _moderator(server)
    app = make_app(server, "participant", tokens, lang="fr", name="Claire")
    async with app.run_test(size=(80, 24)) as pilot:
        await _connected(pilot, app)
        assert _chat_input(app).has_focus
        await pilot.press(*"Nous avons ")
        poll_id = await _open_poll(moderator, multiple=multiple)
        await wait_until(pilot, lambda: app.state.open_poll is not None, what="poll open")
        await pilot.pause(0.1)
        await pilot.press(*"2 agents en pilote", "enter")
        line = "Nous avons 2 agents en pilote"
        await wait_until(
            pilot, lambda: any(m.text == line for m in service.state.messages.values()), what="line"
        )
        await pilot.pause(0.2)
        # The whole line reached the chat; no ballot, no question, no form.
        assert service.state.polls[poll_id].ballots == {}
        assert service.state.questions == {}
        assert not isinstance(app.screen, ModalScreen)  # no form opened
        assert app.screen.query_one(TabbedContent).active == "tab-chat"
        assert _chat_input(app).has_focus and _chat_input(app).value == ""
        assert app.screen.query_one(PollOptions).ticked == set()
        # Announced instead: a badge on the tab, a line above the input.
        shown = screen_text(app)
        assert "Sondage ●" in shown
        assert "Sondage ouvert : « Combien ? » — F4 pour voter." in shown
    await moderator.close()


async def test_half_typed_line_survives_round_change_reconnect_and_poll(
    server: DebateServer, tokens: TokenStore
) -> None:
    service = server.service
    moderator = await _moderator(server)
    app = make_app(server, "participant", tokens, name="Alice")
    async with app.run_test(size=(80, 24)) as pilot:
        await _connected(pilot, app)
        await pilot.press(*"We have ")
        # A round change.
        await moderator.command("end_round")
        await moderator.command("start_round", round_id=service.state.agenda[1])
        await wait_until(pilot, lambda: _live_title(app) == "Deux", what="round two")
        await pilot.press(*"two ")
        # A reconnect: the server drops this guest.
        guest_ws = next(c.ws for c in server.hub.clients.values() if c.role == "participant")
        await guest_ws.close()
        await wait_until(pilot, lambda: app.link.status == "reconnecting", what="dropped")
        await wait_until(pilot, lambda: app.link.status == "connected", what="back")
        await pilot.press(*"agents ")
        # A poll.
        await _open_poll(moderator)
        await wait_until(pilot, lambda: app.state.open_poll is not None, what="poll open")
        await pilot.press(*"in pilot", "enter")
        line = "We have two agents in pilot"
        await wait_until(pilot, lambda: any(m.text == line for m in service.state.messages.values()))
        assert _chat_input(app).has_focus
    await moderator.close()


async def test_a_poll_open_before_joining_stays_behind_its_badge(
    server: DebateServer, tokens: TokenStore
) -> None:
    moderator = await _moderator(server)
    await _open_poll(moderator)
    app = make_app(server, "participant", tokens, name="Alice")
    async with app.run_test(size=(80, 24)) as pilot:
        await _connected(pilot, app)
        await pilot.pause(0.2)
        assert app.screen.query_one(TabbedContent).active == "tab-chat"
        assert _chat_input(app).has_focus
        assert "Poll ●" in screen_text(app)
    await moderator.close()


async def test_voting_is_deliberate(server: DebateServer, tokens: TokenStore) -> None:
    """No option under the cursor at first; digits and Enter choose; only v sends."""
    service = server.service
    moderator = await _moderator(server)
    app = make_app(server, "participant", tokens, name="Alice")
    async with app.run_test(size=(80, 24)) as pilot:
        await _connected(pilot, app)
        poll_id = await _open_poll(moderator)
        await wait_until(pilot, lambda: app.state.open_poll is not None, what="poll open")
        await pilot.press("f4")
        options = app.screen.query_one(PollOptions)
        assert options.has_focus and options.highlighted is None
        assert "One choice: arrows or 1–9 to move to an option, Enter to choose it" in screen_text(app)
        await pilot.press("enter")  # a stray Enter: nothing under the cursor, nothing chosen
        await pilot.press("2")  # a digit moves the cursor only
        assert options.highlighted == 1 and options.ticked == set()
        await pilot.press("enter")  # chooses, does not send
        assert options.ticked == {1}
        await pilot.pause(0.3)
        assert service.state.polls[poll_id].ballots == {}
        assert "Not sent yet" in screen_text(app)
        await pilot.press("v")
        await wait_until(pilot, lambda: app.state.my_ballots.get(poll_id) == [1], what="ballot")
        assert list(service.state.polls[poll_id].ballots.values()) == [[1]]
        await pilot.pause(0.1)
        assert "Poll ●" not in screen_text(app)  # voted: the badge is gone
        # The next poll starts with the cursor on no option again.
        await moderator.command("close_poll", poll_id=poll_id)
        second = await _open_poll(moderator)
        await wait_until(pilot, lambda: second in app.state.polls, what="second poll")
        await pilot.pause(0.1)
        assert options.highlighted is None and options.ticked == set()
        await pilot.press("v")  # nothing chosen: a warning, no ballot
        await pilot.pause(0.3)
        assert service.state.polls[second].ballots == {}
        # The Vote button confirms as v does.
        await pilot.press("3", "enter")
        await pilot.click("#poll-send")
        await wait_until(pilot, lambda: app.state.my_ballots.get(second) == [2], what="ballot by button")
    await moderator.close()


async def test_form_keys_never_fire_in_a_text_field_and_show_in_the_footer(
    server: DebateServer, tokens: TokenStore
) -> None:
    moderator = await _moderator(server)
    app = make_app(server, "participant", tokens, lang="fr", name="Alice")
    async with app.run_test(size=(80, 24)) as pilot:
        await _connected(pilot, app)
        await pilot.press(*"a1 a")
        assert _chat_input(app).value == "a1 a"
        assert not isinstance(app.screen, ModalScreen)  # no form opened
        footer = screen_text(app).splitlines()[-1]
        assert "^n Demander" in footer
        await pilot.press("f3")  # the questions list has the focus: 'a' asks
        footer = screen_text(app).splitlines()[-1]
        assert "a Demander" in footer
        await pilot.press("a")
        await pilot.pause(0.1)
        assert isinstance(app.screen, ModalScreen)
        await pilot.press("escape")
    await moderator.close()


# --- section 2: the moderator is asked before what cannot be undone ----------------


async def test_starting_and_ending_a_round_ask_first(server: DebateServer, tokens: TokenStore) -> None:
    service = server.service
    app = make_app(server, "moderator", tokens)
    async with app.run_test(size=(80, 24)) as pilot:
        await _connected(pilot, app)
        app.send_command(lambda id_: p.AddRound(id=id_, title="One", theme="Theme", minutes=20))
        app.send_command(lambda id_: p.AddRound(id=id_, title="Two", theme="Theme", minutes=20))
        await wait_until(pilot, lambda: len(app.state.agenda) == 2, what="agenda")
        await pilot.press("f5", "n")
        assert "Start round 1/2, “One”?" in screen_text(app)
        await pilot.press("n")  # the second n of a double press cancels
        await pilot.pause(0.3)
        assert service.state.live_round_id is None
        await pilot.press("n", "y")
        await wait_until(pilot, lambda: app.state.live_round is not None, what="round one live")
        # 'n' twice ten seconds later does not end round one.
        await pilot.press("n")
        assert "The live round, “One”, will end." in screen_text(app)
        await pilot.press("n")
        await pilot.pause(0.3)
        assert service.state.live_round_id == service.state.agenda[0]
        await pilot.press("e", "escape")
        await pilot.pause(0.3)
        assert service.state.live_round_id == service.state.agenda[0]
        await pilot.press("e")
        assert "End round 1/2, “One”?" in screen_text(app)
        await pilot.press("y")
        await wait_until(pilot, lambda: app.state.live_round is None, what="round ended")


async def test_a_created_poll_is_highlighted_so_o_opens_it(server: DebateServer, tokens: TokenStore) -> None:
    service = server.service
    app = make_app(server, "moderator", tokens)
    async with app.run_test(size=(80, 24)) as pilot:
        await _connected(pilot, app)
        app.send_command(lambda id_: p.CreatePoll(id=id_, question="Old?", options=["a", "b"]))
        await wait_until(pilot, lambda: len(app.state.polls) == 1, what="old poll")
        await pilot.press("f6", "c")
        await pilot.press(*"New?", "enter", *"x", "enter", *"y")
        await pilot.click("#submit")
        await wait_until(pilot, lambda: len(app.state.polls) == 2, what="new poll")
        await pilot.pause(0.1)
        await pilot.press("o")
        await wait_until(pilot, lambda: app.state.open_poll is not None, what="opened")
        opened = app.state.open_poll
        assert opened is not None and opened.question == "New?"
        assert service.state.polls[opened.poll_id].status == "open"


async def test_palette_offers_what_applies_each_with_help(server: DebateServer, tokens: TokenStore) -> None:
    app = make_app(server, "moderator", tokens)
    async with app.run_test(size=(80, 24)) as pilot:
        await _connected(pilot, app)

        def offered() -> dict[str, str]:
            return {c.title: c.help for c in app.get_system_commands(app.screen)}

        commands = offered()
        assert "Close the open poll" not in commands and "End the live round" not in commands
        assert "Open the next prepared poll" not in commands
        mine = {title: help_ for title, help_ in commands.items() if title not in ("Quit", "Theme")}
        assert len(set(mine.values())) == len(mine), "each entry has its own help line"
        app.send_command(lambda id_: p.CreatePoll(id=id_, question="Q?", options=["a", "b"]))
        await wait_until(pilot, lambda: bool(app.state.polls))
        assert "Open the next prepared poll" in offered()
        poll_id = next(iter(app.state.polls))
        app.send_command(lambda id_: p.OpenPoll(id=id_, poll_id=poll_id))
        await wait_until(pilot, lambda: app.state.open_poll is not None)
        assert "Close the open poll" in offered() and "Open the next prepared poll" not in offered()


# --- section 6: smaller things -------------------------------------------------------


async def test_chat_keeps_earlier_rounds_under_their_headings(
    server: DebateServer, tokens: TokenStore
) -> None:
    service = server.service
    moderator = await _moderator(server)
    await moderator.command("post_message", text="first round talk")
    app = make_app(server, "participant", tokens, name="Alice")
    async with app.run_test(size=(80, 24)) as pilot:
        await _connected(pilot, app)
        await moderator.command("start_round", round_id=service.state.agenda[1])  # ends round one
        await wait_until(pilot, lambda: _live_title(app) == "Deux", what="round two")
        shown = screen_text(app)
        assert "── Round 1/2 · Un ──" in shown and "first round talk" in shown
        assert "── Round 2/2 · Deux ──" in shown  # the round change, said in the chat
        await moderator.command("post_message", text="second round talk")
        await wait_until(pilot, lambda: len(app.state.messages) == 2)
        # Back to the earlier round by keyboard: [ and ] go round by round.
        log = app.screen.query_one(ChatLog)
        await pilot.press("shift+tab")
        assert log.has_focus
        await pilot.press("end", "left_square_bracket")
        assert log.highlighted_option is not None
        assert app.state.messages[str(log.highlighted_option.id)].text == "first round talk"
        await pilot.press("right_square_bracket")
        assert app.state.messages[str(log.highlighted_option.id)].text == "second round talk"
        await moderator.command("end_round")
        await wait_until(pilot, lambda: app.state.live_round is None, what="lobby")
        assert "── Between rounds (lobby) ──" in screen_text(app)
    await moderator.close()


async def test_empty_tabs_say_so_and_what_to_do(server: DebateServer, tokens: TokenStore) -> None:
    guest = make_app(server, "participant", tokens, name="Alice")
    async with guest.run_test(size=(80, 24)) as pilot:
        await _connected(pilot, guest)
        assert "No message yet. Write below, Enter to send." in screen_text(guest)
        await pilot.press("f3")
        assert "No question yet: press a to ask one." in screen_text(guest)
        await pilot.press("f4")
        assert "The poll will show here when the moderator opens it." in screen_text(guest)
    app = make_app(server, "moderator", tokens)
    async with app.run_test(size=(80, 24)) as pilot:
        await _connected(pilot, app)
        expected = {
            "f3": "No approved question yet",
            "f4": "No question waits for approval. New questions will arrive here;",
            "f5": "No round yet: press + to add one.",
            "f6": "No poll yet: press c to build one.",
        }
        for key, text in expected.items():
            await pilot.press(key)
            assert text in screen_text(app), key
        # m on the triage tab says what moderation is now.
        await pilot.press("f4", "m")
        await wait_until(pilot, lambda: not app.state.moderation, what="moderation off")
        await pilot.pause(0.1)
        assert "Moderation off: new questions appear at once." in [n.message for n in app._notifications]
        assert "Moderation is off: questions appear at once;" in screen_text(app)


@pytest.mark.parametrize("lang", ["fr", "en"])
async def test_footers_fit_at_80_columns_on_every_tab(
    server: DebateServer, tokens: TokenStore, lang: str
) -> None:
    service = server.service
    moderator = await _moderator(server)  # round one live, round two planned: the most keys
    await moderator.command("post_message", text="hello")
    roles: tuple[tuple[p.Role, list[str]], ...] = (
        ("moderator", ["f2", "shift+tab", "f3", "f4", "f5", "down", "f6", "f7"]),
        ("participant", ["f2", "shift+tab", "f3", "f4"]),
    )
    for role, keys in roles:
        app = make_app(server, role, tokens, lang=lang, name="Alice")
        async with app.run_test(size=(80, 24)) as pilot:
            await _connected(pilot, app)
            footer = app.screen.query_one(Footer)
            for key in keys:
                await pilot.press(key)
                await pilot.pause(0.1)
                assert footer.virtual_size.width <= 80, (role, key, screen_text(app).splitlines()[-1])
            if role == "moderator":  # the worst case was reached: every agenda key shows
                assert service.state.live_round_id is not None
    await moderator.close()


async def test_a_long_theme_is_cut_with_an_ellipsis_and_ctrl_t_shows_it_whole(
    server: DebateServer, tokens: TokenStore
) -> None:
    url = f"ws://127.0.0.1:{server.port}/"
    moderator = await WireClient.join(url, role="moderator", moderator_key=server.service.moderator_key)
    theme = " ".join(f"word{n}" for n in range(60)) + " THE-END"
    await moderator.command("add_round", title="Long", theme=theme, minutes=20)
    await moderator.command("start_round", round_id=server.service.state.agenda[0])
    app = make_app(server, "participant", tokens, name="Alice")
    async with app.run_test(size=(80, 24)) as pilot:
        await _connected(pilot, app)
        await pilot.pause(0.1)
        shown = screen_text(app)
        assert "… (ctrl+t: more)" in shown and "THE-END" not in shown
        await pilot.press("ctrl+t")  # from the chat input: it keeps its text and focus
        await pilot.pause(0.1)
        shown = screen_text(app)
        assert "THE-END (ctrl+t: less)" in shown and "…" not in shown
        assert _chat_input(app).has_focus
        await pilot.press("ctrl+t")
        await pilot.pause(0.1)
        assert "THE-END" not in screen_text(app)
    await moderator.close()


async def test_a_ticked_box_differs_from_an_unticked_one_by_more_than_colour(
    server: DebateServer, tokens: TokenStore
) -> None:
    app = make_app(server, "participant", tokens, lang="fr", name="Alice")
    async with app.run_test(size=(80, 24)) as pilot:
        await _connected(pilot, app)
        await pilot.press("ctrl+n")
        await pilot.pause(0.1)
        unticked = next(row for row in screen_rows(app) if "Poser anonymement" in row)
        await pilot.press("tab", "space")
        await pilot.pause(0.1)
        ticked = next(row for row in screen_rows(app) if "Poser anonymement" in row)
        assert "▐ ▌" in unticked and "▐✔▌" in ticked


async def test_keys_typed_fast_tick_the_options_they_were_meant_for(
    server: DebateServer, tokens: TokenStore
) -> None:
    """Found in tmux: Enter's tick landed on the option the next digit moved to."""
    moderator = await _moderator(server)
    app = make_app(server, "participant", tokens, name="Alice")
    async with app.run_test(size=(80, 24)) as pilot:
        await _connected(pilot, app)
        await _open_poll(moderator, multiple=True)
        await wait_until(pilot, lambda: app.state.open_poll is not None, what="poll open")
        await pilot.press("f4")
        options = app.screen.query_one(PollOptions)
        for key in ("2", "enter", "3"):  # straight into the queue, as a fast typist's keys come
            app.post_message(events.Key(key, None if key == "enter" else key))
        await pilot.pause(0.3)
        assert options.ticked == {1} and options.highlighted == 2
    await moderator.close()


async def test_offline_the_moderator_sees_presence_as_unknown(
    server: DebateServer, tokens: TokenStore
) -> None:
    app = make_app(server, "moderator", tokens)
    async with app.run_test(size=(80, 24)) as pilot:
        await _connected(pilot, app)
        await pilot.press("f7")
        # Presence comes coalesced, a moment after the welcome.
        await wait_until(pilot, lambda: "● Moderator" in screen_text(app), what="presence")
        await server.stop()
        await wait_until(pilot, lambda: app.link.status == "reconnecting", what="offline")
        await wait_until(pilot, lambda: "participants: unknown" in screen_text(app), what="redrawn")
        shown = screen_text(app)
        assert "Who is here is unknown: not connected to the server." in shown
        assert "● Moderator" not in shown
