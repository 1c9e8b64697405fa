"""The moderator's undo keys, through the real apps and a real server (issue 9, section 2)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from textual.pilot import Pilot

from client.app import ConviveApp
from client.tokens import TokenStore
from client.widgets.chat import ChatLog
from server.app import DebateServer
from tests.client.conftest import make_app, screen_text, send, wait_until


async def connected(pilot: Pilot[None], app: ConviveApp) -> None:
    await wait_until(pilot, lambda: app.link.status == "connected", what="connected")


def notes(app: ConviveApp) -> list[str]:
    return [str(n.message) for n in app._notifications]


async def test_h_hides_then_shows_again_and_the_author_is_told(
    server: DebateServer, tokens: TokenStore
) -> None:
    mod_app = make_app(server, "moderator", tokens)
    guest_app = make_app(server, "participant", tokens, name="Alice")
    other_app = make_app(server, "participant", TokenStore(tokens.path.parent / "other"), name="Bob")
    async with (
        mod_app.run_test(size=(100, 32)) as mod,
        guest_app.run_test(size=(100, 32)) as guest,
        other_app.run_test(size=(100, 32)) as other,
    ):
        for pilot, app in ((mod, mod_app), (guest, guest_app), (other, other_app)):
            await connected(pilot, app)
        await guest.press("f2", *"Un avis tranché", "enter")
        await wait_until(mod, lambda: "m1" in mod_app.state.messages, what="message at the moderator")
        await wait_until(other, lambda: "m1" in other_app.state.messages, what="message at Bob")

        await mod.press("f2")
        log = mod_app.screen.query_one(ChatLog)
        log.focus()
        log.highlighted = 0
        await mod.press("h")
        await wait_until(guest, lambda: guest_app.state.messages["m1"].hidden, what="hidden for its author")
        await wait_until(other, lambda: "m1" not in other_app.state.messages, what="dropped for Bob")
        assert "One of your messages was hidden by the moderators." in notes(guest_app)
        assert "hidden by the moderators" in screen_text(guest_app)
        await wait_until(mod, lambda: mod_app.state.messages["m1"].hidden, what="marked for the moderator")
        assert "hidden by the moderators" in screen_text(mod_app)

        # The same key on the hidden message brings it back for everyone.
        await mod.press("h")
        await wait_until(other, lambda: "m1" in other_app.state.messages, what="back for Bob")
        assert not guest_app.state.messages["m1"].hidden
        await wait_until(guest, lambda: "hidden by the moderators" not in screen_text(guest_app))
        assert "Un avis tranché" in screen_text(other_app)
        assert "Your hidden message is visible to everyone again." in notes(guest_app)


async def test_r_rejects_then_restores_and_the_anonymous_author_is_told(
    server: DebateServer, tokens: TokenStore
) -> None:
    mod_app = make_app(server, "moderator", tokens)
    guest_app = make_app(server, "participant", tokens, name="Alice")
    async with mod_app.run_test(size=(100, 32)) as mod, guest_app.run_test(size=(100, 32)) as guest:
        for pilot, app in ((mod, mod_app), (guest, guest_app)):
            await connected(pilot, app)
        send(guest_app, "submit_question", text="Qui porte le risque ?", anonymous=True)
        await wait_until(guest, lambda: len(guest_app.state.my_questions) == 1, what="anonymous ack")
        await wait_until(mod, lambda: len(mod_app.state.pending_questions()) == 1, what="triage")

        await mod.press("f4", "r")
        await wait_until(guest, lambda: "Your question was not kept by the moderators." in notes(guest_app))
        await wait_until(mod, lambda: mod_app.state.rejected_questions() != [], what="kept as rejected")
        assert "rejected (r puts it back in the queue)" in screen_text(mod_app)

        await mod.press("r")  # the same key on the rejected question: back in the queue
        await wait_until(mod, lambda: len(mod_app.state.pending_questions()) == 1, what="restored")
        assert mod_app.state.rejected_questions() == []
        await mod.press("a")
        await wait_until(guest, lambda: len(guest_app.state.approved_questions()) == 1, what="approved")
        # The client kept the id of its rejected question, so it still knows it is its own.
        [question] = guest_app.state.approved_questions()
        assert guest_app.state.is_mine(question)


async def test_r_in_the_agenda_resumes_an_ended_round(server: DebateServer, tokens: TokenStore) -> None:
    # The server's clock, five minutes behind while the first round starts.
    shift = [timedelta(0)]
    server.service.clock = lambda: (datetime.now(UTC) + shift[0]).isoformat().replace("+00:00", "Z")
    mod_app = make_app(server, "moderator", tokens)
    async with mod_app.run_test(size=(100, 32)) as mod:
        await wait_until(mod, lambda: mod_app.link.status == "connected", what="connected")
        for title in ("Innover", "Industrialiser"):
            send(mod_app, "add_round", title=title, theme="t", minutes=20)
        await wait_until(mod, lambda: len(mod_app.state.agenda) == 2, what="rounds")
        shift[0] = timedelta(minutes=-5)
        await mod.press("f5", "n", "y")  # starting a round asks first
        await wait_until(mod, lambda: mod_app.state.live_round is not None, what="first round")
        shift[0] = timedelta(0)
        await mod.press("n", "y")  # the first round ended after five minutes
        await wait_until(mod, lambda: mod_app.state.rounds["r2"].status == "live", what="second round")
        await mod.press("home", "r")
        await mod.pause(0.3)
        # Resuming ends the live round: asked first, like a start.
        assert mod_app.state.rounds["r1"].status == "ended"
        assert "Resume round 1/2" in screen_text(mod_app)
        await mod.press("y")
        await wait_until(mod, lambda: mod_app.state.rounds["r1"].status == "live", what="resumed")
        assert mod_app.state.rounds["r2"].status == "ended"
        text = screen_text(mod_app)
        # The countdown continues from 15 minutes left; a restart would show 20.
        assert "Round 1/2" in text and ("15:00 left" in text or "14:5" in text), text
        assert "The round resumes" in " ".join(notes(mod_app))


async def test_after_c_creates_a_poll_o_opens_that_one(server: DebateServer, tokens: TokenStore) -> None:
    mod_app = make_app(server, "moderator", tokens)
    async with mod_app.run_test(size=(100, 32)) as mod:
        await connected(mod, mod_app)
        send(mod_app, "create_poll", question="Ancien sondage ?", options=["Oui", "Non"])
        await wait_until(mod, lambda: "p1" in mod_app.state.polls, what="an older draft")
        await mod.press("f6", "c")
        await mod.press(*"Nouveau sondage ?", "enter", *"Oui", "enter", *"Non")
        await mod.click("#submit")
        await wait_until(mod, lambda: "p2" in mod_app.state.polls, what="created")
        await mod.pause(0.1)
        await mod.press("o")  # the highlight followed the new poll: 'o' opens it, not the old one
        await wait_until(mod, lambda: mod_app.state.polls["p2"].status == "open", what="the new poll open")
        assert mod_app.state.polls["p1"].status == "draft"
