"""Issue 14, item 2, in the terminal: the moderator sees and tunes how fast new guests join;
a guest with a personal invitation code joins under the invited name, asked nothing."""

from __future__ import annotations

from pathlib import Path

from textual.widgets import Input

from client.screens.join import JoinScreen
from client.tokens import TokenStore
from server.app import DebateServer
from server.plan import read_plan, sync_guests
from tests import logscan
from tests.client.conftest import make_app, screen_text, wait_until
from tests.client.test_projector_spotlight import connected, run_palette
from tests.wire import WireClient


def _invite(server: DebateServer, tmp_path: Path, *names: str) -> list[str]:
    plan = tmp_path / "plan.toml"
    plan.write_text("".join(f'[[guests]]\nname = "{name}"\n' for name in names), encoding="utf-8")
    sync_guests(server.service.store, read_plan(plan))
    server.service.reload_invitations()
    codes = [invitation.code for invitation in server.service.invitations]
    for code in codes:
        logscan.remember(code)
    return codes


async def test_the_moderator_sees_new_guests_and_tunes_their_rate(
    server: DebateServer, tokens: TokenStore
) -> None:
    mod_app = make_app(server, "moderator", tokens)
    async with mod_app.run_test(size=(120, 32)) as mod:
        await connected(mod, mod_app)
        await mod.press("f7")
        await wait_until(
            mod,
            lambda: (
                "New guests: 0 in the last minute · 0 refused · join code: at most 300 new guests per minute"
                in screen_text(mod_app)
            ),
            what="join stats",
        )
        url = f"ws://127.0.0.1:{server.port}/"
        guest = await WireClient.join(url, role="participant", join_code=server.service.join_code, name="Zoé")
        await wait_until(mod, lambda: "New guests: 1 in the last minute" in screen_text(mod_app), what="+1")

        # The palette's form sets the debate-wide rate; a bad number is refused in the form.
        await run_palette(mod, "Limit new guests per minute")
        field = mod_app.screen.query_one("#per-minute", Input)
        assert field.value == "300"
        field.value = "0"
        await mod.press("enter")
        await wait_until(mod, lambda: "A whole number from 1 to 100,000." in screen_text(mod_app), what="bad")
        field.value = "2"
        await mod.press("enter")
        await wait_until(mod, lambda: server.service.state.join_rate_per_minute == 2, what="set")
        await wait_until(
            mod, lambda: "join code: at most 2 new guests per minute" in screen_text(mod_app), what="shown"
        )
        assert mod_app.state.join_rate_per_minute == 2  # the event, folded by the view reducer
        # Beyond the rate, the room's code is refused, and the moderator sees it.
        refused = []
        for n in range(3):
            knocker = await WireClient.open(url)
            answer = await knocker.hello(role="participant", join_code=server.service.join_code, name=f"B{n}")
            refused.append(answer.get("code"))
            await knocker.close()
        assert refused.count("too_many_joins") >= 1
        await wait_until(
            mod, lambda: "refused" in screen_text(mod_app) and " 0 refused" not in screen_text(mod_app)
        )
        await guest.close()


async def test_a_personal_code_joins_without_a_name(
    server: DebateServer, tokens: TokenStore, tmp_path: Path
) -> None:
    (code,) = _invite(server, tmp_path, "Léa Dubois")
    app = make_app(server, "participant", tokens, join_code=code)
    async with app.run_test(size=(100, 32)) as pilot:
        await connected(pilot, app)
        assert not isinstance(app.screen, JoinScreen)
        assert app.state.name == "Léa Dubois"
        await wait_until(pilot, lambda: "Léa Dubois" in screen_text(app), what="name shown")
        first_id = app.state.me
    # Another machine with the same code (and a saved identity of someone else) is the same guest.
    other_tokens = TokenStore(tmp_path / "other")
    walk_in = make_app(server, "participant", other_tokens, name="Walk-in")
    async with walk_in.run_test(size=(100, 32)) as pilot:
        await connected(pilot, walk_in)
    again = make_app(server, "participant", other_tokens, join_code=code)
    async with again.run_test(size=(100, 32)) as pilot:
        await connected(pilot, again)
        assert again.state.me == first_id and again.state.name == "Léa Dubois"


async def test_the_join_screen_asks_no_name_for_a_personal_code(
    server: DebateServer, tokens: TokenStore, tmp_path: Path
) -> None:
    (code,) = _invite(server, tmp_path, "Noé")
    app = make_app(server, "participant", tokens, join_code="")
    async with app.run_test(size=(100, 32)) as pilot:
        assert isinstance(app.screen, JoinScreen)
        app.screen.query_one("#code", Input).value = f"{code[:5]}-{code[5:]}"
        await pilot.click("#join")
        await connected(pilot, app)
        assert app.state.name == "Noé"
