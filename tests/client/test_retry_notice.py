"""A command the server asks to send again (``rate_limited``, or ``unavailable``
while its database is away) is sent again by itself, same id, until it is
applied; the guest is told once per command, not at every try (seen with the
database away on a trial evening: a toast every half second)."""

from __future__ import annotations

from typing import Any

import pytest

from client.tokens import TokenStore
from server.app import DebateServer, ServerSettings
from shared import protocol as p
from tests.client.conftest import make_app, send, wait_until


@pytest.fixture
def settings() -> ServerSettings:
    # One message at once, then one every 2 s: the second and third are refused, then retried.
    return ServerSettings(coalesce_seconds=0.05, chat_burst=1, chat_per_second=0.5)


async def test_a_retried_command_is_told_once_and_applied_once(
    server: DebateServer, tokens: TokenStore
) -> None:
    app = make_app(server, "participant", tokens, name="Alice")
    async with app.run_test(size=(100, 32)) as pilot:
        await wait_until(pilot, lambda: app.link.status == "connected", what="the welcome")
        notices: list[str] = []
        refusals: list[p.Error] = []
        notify, on_error = app.notify, app.connection._on_error

        def noting(message: str, *args: Any, **kwargs: Any) -> None:
            notices.append(message)
            notify(message, *args, **kwargs)

        def counting(error: p.Error) -> None:
            refusals.append(error)
            on_error(error)

        app.notify = noting  # type: ignore[method-assign]
        app.connection._on_error = counting  # type: ignore[method-assign]
        for text in ("un", "deux", "trois"):
            send(app, "post_message", text=text)

        def texts() -> list[str]:
            return [m.text for m in server.service.state.messages.values()]

        await wait_until(pilot, lambda: texts() == ["un", "deux", "trois"], timeout=15, what="all three")
        assert {e.code for e in refusals} == {"rate_limited"}
        assert len(refusals) > 2, "one of them was refused more than once"
        assert len(notices) == len({e.id for e in refusals}) == 2, notices
        assert not app.connection.outbox
