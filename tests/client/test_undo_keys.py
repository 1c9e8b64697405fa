"""The moderator's undo keys, through the real apps and a real server (issue 9, section 2)."""

from __future__ import annotations

from client.app import ConviveApp
from client.tokens import TokenStore
from client.widgets.chat import ChatLog
from server.app import DebateServer
from tests.client.conftest import make_app, screen_text, wait_until


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
            await wait_until(pilot, lambda app=app: app.link.status == "connected", what="connected")
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
