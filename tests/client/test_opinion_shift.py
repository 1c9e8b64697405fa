"""Opinion shift (issue 13) in the terminal: the moderator asks a closed poll again
with ``a``; once the repeat closes, the moderator's polls tab and the guest's poll
tab show the shares before and after, the shift and the changes of 3 guests or more."""

from __future__ import annotations

from client.tokens import TokenStore
from client.widgets.moderation import PollsList
from server.app import DebateServer
from tests.client.conftest import make_app, screen_text, wait_until
from tests.conftest import join_participant
from tests.wire import WireClient


async def test_the_moderator_asks_again_and_both_see_the_shift(
    server: DebateServer, tokens: TokenStore
) -> None:
    service = server.service
    url = f"ws://127.0.0.1:{server.port}/"
    other = await WireClient.join(url, role="moderator", moderator_key=service.moderator_key, name="M2")
    guests = [await join_participant(server, url, name) for name in ("Ann", "Ben", "Cid")]
    await other.command("create_poll", question="Agents in production?", options=["Yes", "No"])
    await other.command("open_poll", poll_id="p1")
    for guest in guests:
        await guest.command("cast_ballot", poll_id="p1", choices=[0])
    await other.command("close_poll", poll_id="p1")
    app = make_app(server, "moderator", tokens)
    guest_app = make_app(server, "participant", TokenStore(tokens.path.parent / "guest"), name="Dee")
    async with app.run_test(size=(100, 40)) as pilot, guest_app.run_test(size=(80, 24)) as guest_pilot:
        await wait_until(pilot, lambda: app.link.status == "connected", what="connected")
        await pilot.press("f6")
        polls = app.screen.query_one(PollsList)
        await wait_until(pilot, lambda: polls.selected_id() == "p1", what="p1 highlighted")
        await pilot.press("a")
        await wait_until(pilot, lambda: "p2" in service.state.polls, what="asked again")
        repeat = service.state.polls["p2"]
        assert (repeat.repeat_of, repeat.question, repeat.options) == (
            "p1",
            "Agents in production?",
            ["Yes", "No"],
        )
        await wait_until(pilot, lambda: polls.selected_id() == "p2", what="the repeat highlighted")
        await pilot.press("o")
        await wait_until(pilot, lambda: repeat.status == "open", what="opened")
        for guest in guests:
            await guest.command("cast_ballot", poll_id="p2", choices=[1])
        await guest_pilot.press("f4")
        await wait_until(
            guest_pilot,
            lambda: "The shift since the first vote shows when this poll closes" in screen_text(guest_app),
            what="the guest told the shift will come",
        )
        await pilot.press("x")
        await wait_until(pilot, lambda: repeat.status == "closed", what="closed")
        await wait_until(pilot, lambda: "Shift since the first vote" in screen_text(app), what="moderator")
        shown = " ".join(screen_text(app).split())
        assert "Yes 100.0% → 0.0% −100.0 pp No 0.0% → 100.0% +100.0 pp" in shown, shown
        assert "3 guests voted both times · 3 changed their answer" in shown
        assert "Yes → No: 3 guests" in shown
        await wait_until(
            guest_pilot, lambda: "Yes → No: 3 guests" in screen_text(guest_app), what="guest's shift"
        )
        # A words poll cannot be asked again: the server says why, nothing is created.
        await other.command("create_poll", question="One word?", kind="words")
        await wait_until(pilot, lambda: "p3" in {p.poll_id for p in app.state.polls.values()}, what="p3")
        polls.focus()
        while polls.selected_id() != "p3":
            await pilot.press("down")
        await pilot.press("a")
        refusal = "Only a choice or rating poll can be asked again."
        await wait_until(pilot, lambda: refusal in [n.message for n in app._notifications], what="refused")
        assert "p4" not in service.state.polls
    for client in (other, *guests):
        await client.close()
