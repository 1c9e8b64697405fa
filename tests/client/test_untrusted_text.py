"""Guests' text is shown literally: no markup, no action on click, no escape sequence."""

from __future__ import annotations

from client.messages import EventReceived
from client.tokens import TokenStore
from client.widgets.chat import ChatLog
from server.app import DebateServer
from shared import events as ev
from tests.client.conftest import make_app, screen_rows, screen_text, wait_until
from tests.wire import WireClient

MARKUP = [
    "[bold]x[/]",
    "[@click=app.quit]x[/]",
    "[$accent @click=app.quit]x[/]",
    '[link="https://evil"]x[/]',
]
ESCAPES = ["\x1b[2J", "\x1b]0;title\x07", "\x9b31m"]


async def test_markup_from_guests_renders_literally_and_clicks_do_nothing(
    server: DebateServer, tokens: TokenStore
) -> None:
    url = f"ws://127.0.0.1:{server.port}/"
    moderator = await WireClient.join(url, role="moderator", moderator_key=server.service.moderator_key)
    await moderator.command("set_moderation", enabled=False)
    await moderator.command("add_round", title=MARKUP[1], theme=MARKUP[2], minutes=20)
    await moderator.command("start_round", round_id=next(iter(server.service.state.rounds)))
    evil = await WireClient.join(url, role="participant", join_code=server.service.join_code, name=MARKUP[1])
    for text in MARKUP:
        await evil.command("post_message", text=text)
    await evil.command("submit_question", text=MARKUP[3], anonymous=False)
    created = await moderator.command(
        "create_poll", question=MARKUP[0], options=[MARKUP[1], MARKUP[3]], multiple=False
    )
    await moderator.command("open_poll", poll_id=created["created"])

    for role in ("participant", "screen"):
        app = make_app(server, role, tokens, name="Alice")
        async with app.run_test(size=(120, 40)) as pilot:
            await wait_until(pilot, lambda a=app: a.link.status == "connected" and a.state.messages != {})  # type: ignore[misc]
            if role == "participant":
                await pilot.press("f2")
                await pilot.pause(0.1)
            text = screen_text(app)
            for literal in MARKUP if role == "participant" else MARKUP[1:3]:
                assert literal in text, f"{literal!r} not shown literally on the {role} screen"
            # Click right on every piece of guests' markup: nothing may run (app.quit included).
            clicks = 0
            for y, row in enumerate(screen_rows(app)):
                for needle in ("@click", "link="):
                    x = row.find(needle)
                    if x >= 0:
                        await pilot.click(offset=(x + 1, y))
                        clicks += 1
            assert clicks >= 3
            await pilot.pause(0.1)
            assert app.is_running and app.return_code is None
            if role == "participant":
                await pilot.press("f3")
                await pilot.pause(0.1)
                assert MARKUP[3] in screen_text(app)
                await pilot.press("f4")
                await pilot.pause(0.1)
                poll_text = screen_text(app)
                assert MARKUP[0] in poll_text and MARKUP[1] in poll_text
    await evil.close()
    await moderator.close()


async def test_escape_sequences_are_stripped_before_rendering(
    server: DebateServer, tokens: TokenStore
) -> None:
    """Even if a server let them through, control characters never reach the terminal."""
    app = make_app(server, "participant", tokens, name="Alice")
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_until(pilot, lambda: app.link.status == "connected")
        seq = app.state.seq
        hostile = " ".join(f"<{e}>" for e in ESCAPES)
        app.post_message(
            EventReceived(
                ev.MessagePosted(
                    seq=seq + 1,
                    at="2026-11-26T19:00:00Z",
                    message_id="m99",
                    round_id=None,
                    author_id="px",
                    author_name="Eve\x1b[31m",
                    text=hostile,
                )
            )
        )
        await pilot.press("f2")
        await wait_until(pilot, lambda: app.screen.query_one(ChatLog).option_count == 1)
        svg = app.export_screenshot()
        for char in ("\x1b", "\x07", "\x9b"):
            assert char not in svg
        text = screen_text(app)
        assert "<[2J> <]0;title> <31m>" in text
        assert "Eve[31m" in text
