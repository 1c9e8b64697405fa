"""Withdrawing one's question, erasing one's contributions, exporting the transcript."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from client.tokens import TokenStore
from client.widgets.questions import QuestionList
from server.app import DebateServer
from shared import protocol as p
from tests.client.conftest import make_app, screen_text, wait_until
from tests.wire import WireClient


async def test_guest_withdraws_an_anonymous_question_and_erases_the_rest(
    server: DebateServer, tokens: TokenStore
) -> None:
    url = f"ws://127.0.0.1:{server.port}/"
    moderator = await WireClient.join(
        url, role="moderator", moderator_key=server.service.moderator_key, name="Mod"
    )
    await moderator.command("set_moderation", enabled=False)
    app = make_app(server, "participant", tokens, name="Alice")
    async with app.run_test(size=(100, 30)) as pilot:
        await wait_until(pilot, lambda: app.link.status == "connected")
        state = app.state
        app.send_command(lambda id_: p.SubmitQuestion(id=id_, text="Secret worry?", anonymous=True))
        app.send_command(lambda id_: p.PostMessage(id=id_, text="hello"))
        await wait_until(pilot, lambda: len(state.my_secrets) == 1 and len(state.messages) == 1)
        await pilot.press("f3")
        assert app.screen.query_one(QuestionList).has_focus
        await pilot.press("w")
        await wait_until(pilot, lambda: not state.questions, what="withdrawn")
        withdrawn = await moderator.wait_event("question_withdrawn")
        assert withdrawn["question_id"] not in app.state.questions

        # The palette's erase command asks for confirmation first.
        app.confirm_erase()
        await pilot.pause(0.1)
        assert "cannot be undone" in screen_text(app)
        await pilot.press("y")
        await wait_until(pilot, lambda: not state.messages, what="erased")
    await moderator.close()


async def test_moderator_exports_the_transcript_to_a_file(
    server: DebateServer, tokens: TokenStore, tmp_path: Path
) -> None:
    """Issue 9: a second export never replaces the first; the time zone used is said."""
    out = tmp_path / "out"
    out.mkdir()
    frozen = datetime(2026, 11, 26, 19, 15, 3, tzinfo=UTC)
    app = make_app(
        server, "moderator", tokens, export_dir=out, export_zone="Europe/Paris", clock=lambda: frozen
    )
    async with app.run_test(size=(100, 30)) as pilot:
        await wait_until(pilot, lambda: app.link.status == "connected")
        await pilot.press("f5", "ctrl+e")
        await wait_until(pilot, lambda: len(list(out.iterdir())) == 1, what="file saved")
        (first,) = out.iterdir()
        assert first.name.endswith("-201503.md")  # named with the time, in Paris
        first.write_text("kept", encoding="utf-8")  # the clock is frozen: the same name again
        await pilot.press("ctrl+e")
        await wait_until(pilot, lambda: len(list(out.iterdir())) == 2, what="second file saved")
        assert first.read_text(encoding="utf-8") == "kept"
        (second,) = set(out.iterdir()) - {first}
        assert second.suffix == ".md" and first.suffix == ".md" and second.stem.endswith("-2")
        text = second.read_text(encoding="utf-8")
        assert "Test debate" in text and "Europe/Paris" in text  # the times are Paris times
        notes = [n.message for n in app._notifications]
        assert f"Transcript saved to {second} (times in Europe/Paris)" in notes


async def test_an_unknown_time_zone_is_refused_with_its_code(
    server: DebateServer, tokens: TokenStore, tmp_path: Path
) -> None:
    out = tmp_path / "out"
    out.mkdir()
    app = make_app(server, "moderator", tokens, export_dir=out, export_zone="Mars/Olympus_Mons")
    async with app.run_test(size=(100, 30)) as pilot:
        await wait_until(pilot, lambda: app.link.status == "connected")
        await pilot.press("f5", "ctrl+e")
        expected = "The server does not know this time zone: try Europe/Paris or UTC (--tz)."
        await wait_until(pilot, lambda: expected in [n.message for n in app._notifications])
        assert not list(out.iterdir())


async def test_ask_form_by_keyboard_keeps_the_anonymous_tick(
    server: DebateServer, tokens: TokenStore
) -> None:
    """Found by hand: Enter on the checkbox used to untick it and send the question named."""
    app = make_app(server, "participant", tokens, name="Alice")
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_until(pilot, lambda: app.link.status == "connected")
        await pilot.press("ctrl+n", *"Anonymous by keyboard?", "tab", "space", "enter")
        await wait_until(pilot, lambda: bool(app.state.questions), what="question")
        (question,) = app.state.questions.values()
        assert question.anonymous and question.author_name is None


async def test_forms_fit_at_80x24(server: DebateServer, tokens: TokenStore) -> None:
    """Found by hand: the round form's buttons fell off an 80×24 terminal."""
    app = make_app(server, "moderator", tokens, lang="fr")
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_until(pilot, lambda: app.link.status == "connected")
        for keys in (("f5", "plus"), ("f6", "c")):
            await pilot.press(*keys)
            await pilot.pause(0.1)
            button = app.screen.query_one("#submit")
            assert button.region.bottom <= 24 and button.region.height > 0, keys
            await pilot.press("escape")
            await pilot.pause(0.05)


async def test_multiple_choice_poll_with_hidden_results(server: DebateServer, tokens: TokenStore) -> None:
    url = f"ws://127.0.0.1:{server.port}/"
    moderator = await WireClient.join(
        url, role="moderator", moderator_key=server.service.moderator_key, name="Mod"
    )
    app = make_app(server, "participant", tokens, name="Alice")
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_until(pilot, lambda: app.link.status == "connected")
        created = await moderator.command(
            "create_poll",
            question="Which?",
            options=["A", "B", "C"],
            multiple=True,
            hide_results=True,
        )
        await moderator.command("open_poll", poll_id=created["created"])
        await wait_until(pilot, lambda: app.state.open_poll is not None, what="poll open")
        await pilot.press("f4")
        await pilot.pause(0.1)
        assert "Results after closing." in screen_text(app)
        assert "Several choices: arrows or 1–9 to move to an option, space or Enter to tick it" in (
            screen_text(app).replace("\n", " ")
        )
        await pilot.press("1", "space", "3", "enter", "v")
        poll_id = created["created"]
        await wait_until(pilot, lambda: app.state.my_ballots.get(poll_id) == [0, 2], what="ballot")
        assert app.state.polls[poll_id].counts is None  # hidden from guests while open
        await moderator.command("close_poll", poll_id=poll_id)
        await wait_until(pilot, lambda: app.state.polls[poll_id].status == "closed")
        assert app.state.polls[poll_id].counts == [1, 0, 1]
        await pilot.pause(0.1)
        assert "final results" in screen_text(app)
    await moderator.close()
