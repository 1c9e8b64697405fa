"""Every terminal screen badges the real moderator, from the role the server
sends, never from the name (issue 14, item 4): a guest named like the
moderator (a look-alike) posts and asks too, and is not badged."""

from __future__ import annotations

from client.app import ConviveApp
from client.tokens import TokenStore
from server.app import DebateServer
from tests.client.conftest import make_app, screen_rows, wait_until
from tests.wire import WireClient

BADGE = "◆ moderator"
LOOK_ALIKE = "Cl\u0430ire"  # a Cyrillic "а": looks like the moderator's "Claire"


def row_with(app: ConviveApp, needle: str, below: int = 0) -> str:
    """The screen row that shows ``needle`` (or the one ``below`` it)."""
    rows = screen_rows(app)
    for index, row in enumerate(rows):
        if needle in row:
            return rows[index + below]
    raise AssertionError(f"{needle!r} is not on screen:\n" + "\n".join(rows))


async def _room(server: DebateServer) -> tuple[WireClient, WireClient]:
    url = f"ws://127.0.0.1:{server.port}/"
    moderator = await WireClient.join(
        url, role="moderator", moderator_key=server.service.moderator_key, name="Claire"
    )
    impostor = await WireClient.join(
        url, role="participant", join_code=server.service.join_code, name=LOOK_ALIKE
    )
    await impostor.command("post_message", text="Guest speaking")
    await moderator.command("post_message", text="Moderator speaking")
    await impostor.command("submit_question", text="Guest asking?", anonymous=False)
    await moderator.command("submit_question", text="Moderator asking?", anonymous=False)
    await moderator.command("submit_question", text="Someone asking?", anonymous=True)
    return moderator, impostor


async def test_chat_questions_and_triage_badge_only_the_real_moderator(
    server: DebateServer, tokens: TokenStore
) -> None:
    moderator, impostor = await _room(server)
    # The moderator's triage: all three are pending.
    app = make_app(server, "moderator", tokens)
    async with app.run_test(size=(100, 32)) as pilot:
        await wait_until(pilot, lambda: len(app.state.questions) == 3, what="the pending questions")
        await pilot.press("f4")
        await pilot.pause(0.1)
        assert BADGE in row_with(app, "Moderator asking?", below=1)
        assert BADGE not in row_with(app, "Guest asking?", below=1)
        assert BADGE not in row_with(app, "Someone asking?", below=1)
        await pilot.press("f2")
        await pilot.pause(0.1)
        assert BADGE in row_with(app, "Moderator speaking")
        assert BADGE not in row_with(app, "Guest speaking")
    for question_id in server.service.state.questions:
        await moderator.command("approve_question", question_id=question_id)
    for role in ("participant", "moderator"):
        app = make_app(server, role, tokens, name="Bob")
        async with app.run_test(size=(100, 32)) as pilot:
            await wait_until(pilot, lambda a=app: len(a.state.approved_questions()) == 3, what="questions")  # type: ignore[misc]
            await pilot.press("f2")
            await pilot.pause(0.1)
            assert BADGE in row_with(app, "Moderator speaking")
            guest_row = row_with(app, "Guest speaking")
            assert LOOK_ALIKE in guest_row and BADGE not in guest_row
            await pilot.press("f3")
            await pilot.pause(0.1)
            assert BADGE in row_with(app, "Moderator asking?", below=1)
            assert BADGE not in row_with(app, "Guest asking?", below=1)
            anonymous = row_with(app, "Someone asking?", below=1)
            assert "Anonymous" in anonymous and BADGE not in anonymous
    await impostor.close()
    await moderator.close()


async def test_the_projector_badges_only_the_real_moderator(server: DebateServer, tokens: TokenStore) -> None:
    moderator, impostor = await _room(server)
    await moderator.command("set_moderation", enabled=False)
    for question_id in server.service.state.questions:
        await moderator.command("approve_question", question_id=question_id)
    by_text = {q.text: q.question_id for q in server.service.state.questions.values()}
    app = make_app(server, "screen", tokens, lang="fr")
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_until(pilot, lambda: len(app.state.approved_questions()) == 3, what="questions")
        # On the floor (the live round's screen), then full screen.
        cases = (("Guest asking?", False), ("Moderator asking?", True), ("Someone asking?", False))
        for text, badged in cases:
            question_id = by_text[text]
            await moderator.command("pin_question", question_id=question_id)
            await wait_until(pilot, lambda q=question_id: app.state.pinned == q, what="the pin")  # type: ignore[misc]
            await pilot.pause(0.1)
            assert ("◆ modération" in row_with(app, text, below=1)) == badged, text
            await moderator.command("set_spotlight", kind="question", item_id=question_id)
            await wait_until(pilot, lambda q=question_id: app.state.spotlight.item_id == q)  # type: ignore[misc]
            await pilot.pause(0.1)
            author = row_with(app, text, below=1)
            assert ("◆ modération" in author) == badged, text
            await moderator.command("set_spotlight", kind="round")
            await wait_until(pilot, lambda: app.state.spotlight.kind == "round", what="the round")
    await impostor.close()
    await moderator.close()
