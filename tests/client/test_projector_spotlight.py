"""The projector is the moderator's (issue 9, section 3), through real apps and a real server."""

from __future__ import annotations

from textual.pilot import Pilot

from client.app import ConviveApp
from client.tokens import TokenStore
from client.widgets.moderation import AgendaList, PollsList
from client.widgets.questions import QuestionList
from server.app import DebateServer
from tests.client.conftest import make_app, screen_text, send, wait_until


async def connected(pilot: Pilot[None], app: ConviveApp) -> None:
    await wait_until(pilot, lambda: app.link.status == "connected", what="connected")


async def test_the_projector_follows_the_moderators_spotlight(
    server: DebateServer, tokens: TokenStore
) -> None:
    mod_app = make_app(server, "moderator", tokens)
    screen_app = make_app(server, "screen", tokens)
    async with mod_app.run_test(size=(100, 32)) as mod, screen_app.run_test(size=(120, 40)) as screen:
        await connected(mod, mod_app)
        await connected(screen, screen_app)
        ms, ss = mod_app.state, screen_app.state
        send(mod_app, "add_round", title="Innover", theme="Avec les métiers", minutes=20)
        send(mod_app, "set_moderation", enabled=False)
        await wait_until(mod, lambda: not ms.moderation and len(ms.agenda) == 1, what="setup")
        send(mod_app, "start_round", round_id="r1")
        send(mod_app, "submit_question", text="Qui porte le risque des agents ?")
        await wait_until(screen, lambda: len(ss.approved_questions()) == 1, what="question")

        # 'f' on the question: the room sees it alone, full screen.
        await mod.press("f3")
        mod_app.screen.query_one(QuestionList).highlighted = 0
        await mod.press("f")
        await wait_until(screen, lambda: ss.spotlight.kind == "question", what="question spotlight")
        text = screen_text(screen_app)
        assert "A question from the room" in text and "Qui porte le risque des agents ?" in text
        assert "Most supported questions" not in text
        # The moderator's agenda tab says what the room sees.
        await mod.press("f5")
        await wait_until(mod, lambda: "On the projector: the question “Qui porte" in screen_text(mod_app))

        # A projector that connects now gets the spotlight in its snapshot.
        late_app = make_app(server, "screen", TokenStore(tokens.path.parent / "late"))
        async with late_app.run_test(size=(120, 40)) as late:
            await connected(late, late_app)
            assert late_app.state.spotlight.kind == "question"
            assert "A question from the room" in screen_text(late_app)

        # The palette's slides: welcome (how to join), the end, a blank screen, back to the round.
        for title, expected in (
            ("Project: the welcome slide (how to join)", "Welcome!"),
            ("Project: the end of the evening", "Thank you for taking part"),
        ):
            await run_palette(mod, title)
            await shows(screen, screen_app, expected)
        await run_palette(mod, "Project: a blank screen")
        await wait_until(screen, lambda: ss.spotlight.kind == "blank", what="blank")
        assert screen_text(screen_app).strip() in ("", "convive")
        await run_palette(mod, "Project: the live round")
        await wait_until(screen, lambda: ss.spotlight.kind == "round", what="round")
        assert "Innover" in screen_text(screen_app)

        assert "On the projector: the live round" in screen_text(mod_app)
        # Nothing the server sent moved the moderator's focus.
        assert mod_app.screen.query_one(AgendaList).has_focus


async def shows(pilot: Pilot[None], app: ConviveApp, text: str) -> None:
    await wait_until(pilot, lambda: text in screen_text(app), what=text)


async def run_palette(pilot: Pilot[None], title: str) -> None:
    await pilot.press("ctrl+p")
    await pilot.pause(0.2)
    await pilot.press(*title)
    await pilot.pause(0.3)
    await pilot.press("enter")
    await pilot.pause(0.1)


async def test_a_hidden_poll_shows_its_voter_count_on_the_projector_and_an_old_poll_does_not_linger(
    server: DebateServer, tokens: TokenStore
) -> None:
    mod_app = make_app(server, "moderator", tokens)
    screen_app = make_app(server, "screen", tokens)
    guest_app = make_app(server, "participant", TokenStore(tokens.path.parent / "g"), name="Alice")
    async with (
        mod_app.run_test(size=(100, 32)) as mod,
        screen_app.run_test(size=(120, 40)) as screen,
        guest_app.run_test(size=(100, 32)) as guest,
    ):
        for pilot, app in ((mod, mod_app), (screen, screen_app), (guest, guest_app)):
            await connected(pilot, app)
        ss = screen_app.state
        for title in ("Un", "Deux"):
            send(mod_app, "add_round", title=title, theme="t", minutes=20)
        send(mod_app, "start_round", round_id="r1")
        send(mod_app, "create_poll", question="Prêts ?", options=["Oui", "Non"], hide_results=True)
        send(mod_app, "open_poll", poll_id="p1")
        await wait_until(guest, lambda: guest_app.state.open_poll is not None, what="poll open")
        send(guest_app, "cast_ballot", poll_id="p1", choices=[1])
        await wait_until(guest, lambda: "p1" in guest_app.state.my_ballots, what="ballot")
        await wait_until(
            screen, lambda: (ss.polls["p1"].voters or 0) == 1, what=f"voters on the screen {ss.polls}"
        )
        assert ss.polls["p1"].counts is None  # the results stay hidden
        assert "1 voter · Results after closing." in screen_text(screen_app)

        # 'f' in the polls tab puts it full screen.
        await mod.press("f6")
        mod_app.screen.query_one(PollsList).highlighted = 0
        await mod.press("f")
        await wait_until(screen, lambda: ss.spotlight.kind == "poll", what="poll spotlight")
        assert "Prêts ?" in screen_text(screen_app) and "1 voter" in screen_text(screen_app)
        send(mod_app, "set_spotlight", kind="round")
        send(mod_app, "close_poll", poll_id="p1")
        await wait_until(screen, lambda: ss.polls["p1"].status == "closed", what="closed")
        assert "Prêts ?" in screen_text(screen_app)  # its results, during its round
        send(mod_app, "start_round", round_id="r2")
        await wait_until(screen, lambda: ss.live_round is not None and ss.live_round.round_id == "r2")
        assert "Prêts ?" not in screen_text(screen_app)  # an earlier round's poll does not linger


async def test_an_ended_evening_and_announcements_on_every_screen(
    server: DebateServer, tokens: TokenStore
) -> None:
    mod_app = make_app(server, "moderator", tokens)
    screen_app = make_app(server, "screen", tokens)
    guest_app = make_app(server, "participant", TokenStore(tokens.path.parent / "g"), name="Alice")
    async with (
        mod_app.run_test(size=(100, 32)) as mod,
        screen_app.run_test(size=(120, 40)) as screen,
        guest_app.run_test(size=(80, 24)) as guest,
    ):
        for pilot, app in ((mod, mod_app), (screen, screen_app), (guest, guest_app)):
            await connected(pilot, app)
        send(mod_app, "add_round", title="Seul temps", theme="t", minutes=20)
        send(mod_app, "set_moderation", enabled=False)
        send(mod_app, "start_round", round_id="r1")
        send(mod_app, "submit_question", text="Question épinglée ?")
        await wait_until(mod, lambda: len(mod_app.state.approved_questions()) == 1, what="question")
        send(mod_app, "pin_question", question_id="q1")
        await wait_until(screen, lambda: screen_app.state.pinned == "q1", what="pinned")
        assert "On the floor" in screen_text(screen_app)

        # An announcement from the palette's form: shown apart, on every screen.
        await run_palette(mod, "Make an announcement to the room")
        await mod.press(*"Le dessert arrive", "enter")
        for pilot, app in ((screen, screen_app), (guest, guest_app)):
            await shows(pilot, app, "Le dessert arrive")
            text = screen_text(app)
            assert "Announcement" in text and "Le dessert arrive" in text

        # The last round ends: an ended state everywhere, the floor cleared, the announcement gone.
        await mod.press("f5", "e", "y")
        await wait_until(guest, lambda: guest_app.state.evening_over, what="over")
        await wait_until(screen, lambda: screen_app.state.evening_over, what="over on the screen")
        assert "The evening is over" in screen_text(guest_app)
        text = screen_text(screen_app)
        assert "The evening is over" in text and "Lobby" not in text
        assert "On the floor" not in text and "Le dessert arrive" not in text
        assert "Lobby" not in screen_text(guest_app)
