"""Fixtures for client tests: real apps against a real server on port 0."""

from __future__ import annotations

import asyncio
import html
import re
from collections.abc import Awaitable, Callable
from datetime import UTC
from pathlib import Path
from typing import Any

import pytest
from textual.pilot import Pilot

from client.app import ConviveApp
from client.tokens import TokenStore
from server.app import DebateServer
from shared import protocol as p


@pytest.fixture
def tokens(tmp_path: Path) -> TokenStore:
    return TokenStore(tmp_path / "data")


def make_app(
    server: DebateServer, role: p.Role, tokens: TokenStore, lang: str = "en", **kwargs: Any
) -> ConviveApp:
    url = f"ws://127.0.0.1:{server.port}/"
    service = server.service
    if role == "moderator":
        kwargs.setdefault("moderator_key", service.moderator_key)
    else:
        kwargs.setdefault("join_code", service.join_code)
    return ConviveApp(url, role, lang=lang, tokens=tokens, tz=UTC, backoff_base=0.05, **kwargs)


async def wait_until(
    pilot: Pilot[Any], condition: Callable[[], bool], timeout: float = 5.0, what: str = ""
) -> None:
    """Let the app run until ``condition`` holds (the network is real, so it takes time)."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while not condition():
        if loop.time() > deadline:
            raise AssertionError(f"timed out waiting for {what or condition}")
        await pilot.pause(0.02)
    await pilot.pause()


def screen_text(app: ConviveApp) -> str:
    """The text on screen, read back from a screenshot (what the user sees)."""
    svg = app.export_screenshot()
    lines: dict[str, list[tuple[float, str]]] = {}
    for match in re.finditer(r'<text[^>]*x="([\d.]+)" y="([\d.]+)"[^>]*>(.*?)</text>', svg):
        x, y, body = match.groups()
        lines.setdefault(y, []).append((float(x), html.unescape(re.sub(r"<[^>]+>", "", body))))
    ordered = sorted(lines.items(), key=lambda item: float(item[0]))
    return "\n".join("".join(text for _, text in sorted(parts)).replace("\xa0", " ") for _, parts in ordered)


def screen_rows(app: ConviveApp) -> list[str]:
    """The screen as rows of cells (column-aligned), to find where a text is drawn."""
    svg = app.export_screenshot()
    cell = 12.2  # Textual's SVG cell width
    rows: dict[float, str] = {}
    for match in re.finditer(r'<text[^>]*x="([\d.]+)" y="([\d.]+)"[^>]*>(.*?)</text>', svg):
        x, y, body = match.groups()
        text = html.unescape(re.sub(r"<[^>]+>", "", body)).replace("\xa0", " ")
        column = round(float(x) / cell)
        row = rows.get(float(y), "")
        rows[float(y)] = row.ljust(column)[:column] + text + row[column + len(text) :]
    return [rows[y] for y in sorted(rows)]


Step = Callable[[Pilot[Any]], Awaitable[None]]
