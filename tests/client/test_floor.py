"""The speaker queue through the real apps and a real server: a guest raises a
hand (told first that their name is shown), sees their place; the moderator sees
the queue with topics and waits and gives the floor; the projector shows who
speaks and who is next."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from textual.pilot import Pilot
from textual.widgets import Input

from client.app import ConviveApp
from client.dialogs.forms import RaiseHandScreen
from client.i18n import Translator
from client.tokens import TokenStore
from client.widgets.floor import FloorList, format_duration
from client.widgets.moderation import PeopleList
from server.app import DebateServer
from tests.client.conftest import make_app, screen_text, send, wait_until


async def connected(pilot: Pilot[None], app: ConviveApp) -> None:
    await wait_until(pilot, lambda: app.link.status == "connected", what="connected")


def test_durations_read_as_people_say_them() -> None:
    en, fr = Translator("en"), Translator("fr")
    assert format_duration(45.9, en) == "45 s"
    assert format_duration(200, en) == "3 min 20 s"
    assert format_duration(3900, en) == "1 h 05 min"
    assert format_duration(200, fr) == "3\u00a0min 20\u00a0s"


async def test_a_guest_raises_a_hand_and_the_moderator_gives_the_floor(
    server: DebateServer, tokens: TokenStore
) -> None:
    mod_app = make_app(server, "moderator", tokens)
    screen_app = make_app(server, "screen", tokens)
    alice_app = make_app(server, "participant", TokenStore(tokens.path.parent / "a"), name="Alice")
    bob_app = make_app(server, "participant", TokenStore(tokens.path.parent / "b"), name="Bob")
    async with (
        mod_app.run_test(size=(100, 32)) as mod,
        screen_app.run_test(size=(120, 40)) as screen,
        alice_app.run_test(size=(100, 32)) as alice,
        bob_app.run_test(size=(100, 32)) as bob,
    ):
        for pilot, app in ((mod, mod_app), (screen, screen_app), (alice, alice_app), (bob, bob_app)):
            await connected(pilot, app)
        send(mod_app, "add_round", title="Innover", theme="t", minutes=20)
        send(mod_app, "start_round", round_id="r1")
        await wait_until(alice, lambda: alice_app.state.live_round is not None, what="round")

        # Bob raises his hand first, without a topic (the typed command).
        send(bob_app, "raise_hand")
        await wait_until(alice, lambda: len(alice_app.state.hands) == 1, what="bob's hand")

        # Alice, typing in the chat, presses ctrl+r: the form says her name will be shown.
        assert isinstance(alice_app.focused, Input)
        await alice.press("ctrl+r")
        await wait_until(alice, lambda: isinstance(alice_app.screen, RaiseHandScreen), what="form")
        assert "Your name, Alice, will be shown to the room on the projector" in screen_text(alice_app)
        await alice.press(*"[b]agents[/b] en prod")
        await alice.press("enter")
        await wait_until(alice, lambda: len(alice_app.state.hands) == 2, what="alice's hand")
        await wait_until(alice, lambda: "you are number 2 in the queue" in screen_text(alice_app))
        assert alice_app.state.hands[alice_app.state.me or ""].topic == "[b]agents[/b] en prod"
        # Bob does not get Alice's topic, but sees he is next.
        await wait_until(bob, lambda: len(bob_app.state.hands) == 2, what="bob sees both")
        assert [h.topic for h in bob_app.state.queue] == [None, None]
        assert "Hand raised: you are next in the queue" in screen_text(bob_app)

        # The moderator's floor tab: the queue in order, topics, waits.
        await wait_until(mod, lambda: len(mod_app.state.hands) == 2, what="mod queue")
        await mod.press("f8")
        await wait_until(mod, lambda: "2. Alice" in screen_text(mod_app), what="queue drawn")
        text = screen_text(mod_app)
        assert "1. Bob" in text and "[b]agents[/b] en prod" in text and "waiting" in text
        assert "Floor (2)" in text
        # The projector: nobody speaks yet, Bob then Alice are next.
        await wait_until(screen, lambda: "Next: Bob, Alice" in screen_text(screen_app), what="projector")

        # Enter on Alice (second in the queue) gives her the floor.
        floor_list = mod_app.screen.query_one(FloorList)
        floor_list.highlighted = 2
        await mod.press("enter")
        await wait_until(alice, lambda: alice_app.state.floor is not None, what="floor given")
        await wait_until(alice, lambda: "You have the floor." in screen_text(alice_app))
        assert isinstance(alice_app.focused, Input)  # nothing moved her focus
        await wait_until(screen, lambda: "Alice has the floor" in screen_text(screen_app))
        assert "Next: Bob" in screen_text(screen_app)
        await wait_until(mod, lambda: "Alice has the floor" in screen_text(mod_app))
        assert "Floor (1)" in screen_text(mod_app)

        # 'e' ends her turn; the projector shows the queue only.
        await mod.press("e")
        await wait_until(screen, lambda: screen_app.state.floor is None, what="turn ended")
        await wait_until(screen, lambda: "Alice has the floor" not in screen_text(screen_app))

        # Bob lowers his hand with the same key: the queue is empty, the line goes.
        bob_app.set_focus(None)
        await bob.press("r")
        await wait_until(bob, lambda: not bob_app.state.hands, what="lowered")
        await wait_until(bob, lambda: "Hand raised" not in screen_text(bob_app))
        await wait_until(screen, lambda: "Next:" not in screen_text(screen_app), what="projector empty")

        # The moderator calls on Bob from the people tab, no hand raised.
        await mod.press("f7")
        people = mod_app.screen.query_one(PeopleList)
        await wait_until(mod, lambda: any(o.id == bob_app.state.me for o in people.options), what="bob here")
        people.highlighted = next(i for i, o in enumerate(people.options) if o.id == bob_app.state.me)
        await mod.press("g")
        await wait_until(bob, lambda: bob_app.state.floor is not None, what="bob has the floor")
        assert bob_app.state.floor is not None and bob_app.state.floor.name == "Bob"
        # Alice, out of the queue, sees who speaks.
        await wait_until(alice, lambda: "Bob has the floor" in screen_text(alice_app), what="alice told")


async def test_the_moderator_sees_who_in_the_queue_is_offline(
    server: DebateServer, tokens: TokenStore
) -> None:
    moments = [datetime.now(UTC)]
    mod_app = make_app(server, "moderator", tokens, clock=lambda: moments[0])
    guest_app = make_app(server, "participant", TokenStore(tokens.path.parent / "g"), name="Chloé")
    async with mod_app.run_test(size=(100, 32)) as mod:
        await connected(mod, mod_app)
        async with guest_app.run_test(size=(100, 32)) as guest:
            await connected(guest, guest_app)
            send(guest_app, "raise_hand", topic="Souveraineté")
            await wait_until(mod, lambda: len(mod_app.state.hands) == 1, what="hand")
            await mod.press("f8")
            await wait_until(mod, lambda: "1. Chloé" in screen_text(mod_app), what="drawn")
            assert "offline" not in screen_text(mod_app)
            # The wait is live: 200 seconds later by the moderator's clock, it says so.
            moments[0] += timedelta(seconds=200)
            await wait_until(mod, lambda: "waiting 3 min" in screen_text(mod_app), what="live wait")
        await wait_until(mod, lambda: "offline" in screen_text(mod_app), what="marked offline")
        # 'x' takes the hand of a guest who left out of the queue.
        mod_app.screen.query_one(FloorList).highlighted = 1
        await mod.press("x")
        await wait_until(mod, lambda: not mod_app.state.hands, what="hand taken down")
