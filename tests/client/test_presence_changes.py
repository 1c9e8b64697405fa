"""The moderator's people list follows presence changes (issue 14, item 6): the
whole list once, then who came and who left, through the real client."""

from __future__ import annotations

from textual.widgets import OptionList

from client.state import ClientState, apply_presence
from client.tokens import TokenStore
from server.app import DebateServer
from shared import protocol as p
from tests.client.conftest import make_app, wait_until
from tests.conftest import join_participant


def test_presence_changes_fold_into_the_list() -> None:
    state = ClientState()
    alice = p.ConnectedView(participant_id="u1", name="Alice", role="participant")
    bob = p.ConnectedView(participant_id="u2", name="Bob", role="participant")
    mod = p.ConnectedView(participant_id="u3", name="Mod", role="moderator")
    apply_presence(state, p.Presence(count=1, connected=[alice, mod]))
    apply_presence(state, p.PresenceChanged(count=2, joined=[bob]))
    assert [c.name for c in state.connected] == ["Alice", "Mod", "Bob"] and state.presence == 2
    apply_presence(state, p.PresenceChanged(count=1, left=["u1"]))
    assert [c.name for c in state.connected] == ["Mod", "Bob"] and state.presence == 1
    # A change that repeats an entry (a whole list arriving in parts) keeps it once.
    apply_presence(state, p.PresenceChanged(count=1, joined=[bob]))
    assert [c.name for c in state.connected] == ["Mod", "Bob"]


async def test_the_people_list_follows_who_comes_and_goes(server: DebateServer, tokens: TokenStore) -> None:
    url = f"ws://127.0.0.1:{server.port}/"
    early = await join_participant(server, url, "Early")
    app = make_app(server, "moderator", tokens, name="Mod")
    async with app.run_test(size=(100, 32)) as pilot:
        await wait_until(
            pilot, lambda: {c.name for c in app.state.connected} == {"Early", "Mod"}, what="list"
        )
        guests = [await join_participant(server, url, f"Guest {i}") for i in range(3)]
        await wait_until(pilot, lambda: len(app.state.connected) == 5, what="three more")
        await early.close()
        await wait_until(pilot, lambda: "Early" not in {c.name for c in app.state.connected}, what="a leaver")
        people = app.screen.query_one("#people", OptionList)
        await wait_until(pilot, lambda: people.option_count == 4, what="the list redrawn")
        assert app.state.presence == 3
        for guest in guests:
            await guest.close()
