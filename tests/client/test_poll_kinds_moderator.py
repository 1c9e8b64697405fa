"""Poll kinds (issue 12) for the moderator: the creation form takes the kind and its
fields; the polls tab reviews open answers with a and r."""

from __future__ import annotations

from textual.widgets import RadioSet

from client.tokens import TokenStore
from client.widgets.moderation import AnswersList
from server.app import DebateServer
from tests.client.conftest import make_app, screen_text, wait_until
from tests.wire import WireClient


async def test_the_form_builds_a_rating_poll_and_a_word_cloud(
    server: DebateServer, tokens: TokenStore
) -> None:
    service = server.service
    app = make_app(server, "moderator", tokens, lang="fr")
    async with app.run_test(size=(100, 40)) as pilot:
        await wait_until(pilot, lambda: app.link.status == "connected", what="connected")
        await pilot.press("f6", "c")
        await pilot.press(*"Votre maturité ?", "tab")  # tab: to the kind
        assert isinstance(app.focused, RadioSet)
        await pilot.press("down", "enter")  # the second kind: rating
        assert not app.screen.query_one("#options").display and app.screen.query_one("#scale").display
        app.screen.query_one("#scale").value = "4"  # type: ignore[attr-defined]
        await pilot.click("#low")
        await pilot.press(*"Débutants")
        await pilot.click("#submit")  # one label only: refused in the form
        assert "Donnez les deux libellés" in screen_text(app)
        await pilot.click("#high")
        await pilot.press(*"Experts", "enter")
        await wait_until(pilot, lambda: "p1" in service.state.polls, what="rating created")
        poll = service.state.polls["p1"]
        assert (poll.kind, poll.scale_max, poll.scale_labels, poll.options) == (
            "rating",
            4,
            ["Débutants", "Experts"],
            [],
        )
        await pilot.pause(0.1)
        shown = screen_text(app)
        assert "note" in shown and "1 · Débutants · 2 · 3 · 4 · Experts" in shown
        await pilot.press("c", *"Un mot ?", "tab", "down", "down", "enter")
        await pilot.click("#submit")
        await wait_until(pilot, lambda: "p2" in service.state.polls, what="words created")
        assert service.state.polls["p2"].kind == "words"


async def test_open_answers_are_reviewed_with_a_and_r(server: DebateServer, tokens: TokenStore) -> None:
    service = server.service
    url = f"ws://127.0.0.1:{server.port}/"
    app = make_app(server, "moderator", tokens)
    async with app.run_test(size=(100, 40)) as pilot:
        await wait_until(pilot, lambda: app.link.status == "connected", what="connected")
        guest = await WireClient.join(url, role="participant", join_code=service.join_code, name="Anon")
        moderator = await WireClient.join(
            url, role="moderator", moderator_key=service.moderator_key, name="M2"
        )
        await moderator.command("create_poll", question="Your hurdle?", kind="open")
        await moderator.command("open_poll", poll_id="p1")
        for text in ("Skills", "Budget"):
            assert (await guest.command("cast_ballot", poll_id="p1", text=text))["type"] == "ack"
        answers = app.screen.query_one(AnswersList)
        await wait_until(pilot, lambda: answers.option_count == 2, what="two answers to review")
        # The palette leads to them (the user's own request: the focus may move).
        await pilot.press("ctrl+p")
        await pilot.pause(0.2)
        await pilot.press(*"Review the open")
        await pilot.pause(0.3)
        await pilot.press("enter")
        await wait_until(pilot, lambda: answers.has_focus, what="answers focused")
        shown = screen_text(app)
        assert "to review: 2 · shown: 0 · rejected: 0" in shown
        assert "Anon" not in shown.split("Open answers to review")[-1]  # no author anywhere
        await pilot.press("a")
        await wait_until(
            pilot, lambda: service.state.polls["p1"].answers["o1"].status == "approved", what="a"
        )
        await wait_until(
            pilot,
            lambda: answers.highlighted_option is not None and answers.highlighted_option.id == "p1/o2",
            what="next",
        )
        await pilot.press("r")
        await wait_until(
            pilot, lambda: service.state.polls["p1"].answers["o2"].status == "rejected", what="r"
        )
        approved = await guest.wait_event("answer_approved")
        assert approved["text"] == "Skills"
        await guest.close()
        await moderator.close()


async def test_the_poll_form_fits_80x24_for_every_kind(server: DebateServer, tokens: TokenStore) -> None:
    app = make_app(server, "moderator", tokens, lang="fr")
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_until(pilot, lambda: app.link.status == "connected", what="connected")
        await pilot.press("f6", "c", "tab")
        for kind in range(4):
            if kind:
                await pilot.press("right", "enter")
            await pilot.pause(0.1)
            button = app.screen.query_one("#submit")
            assert button.region.bottom <= 24 and button.region.height > 0, kind
