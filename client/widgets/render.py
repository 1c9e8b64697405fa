"""Rendering helpers: user text becomes plain ``Content``, never markup.

Guests' names, messages and questions may contain ``[@click=…]`` or terminal
escape sequences; ``Content`` does not parse markup, and control characters
are stripped again here (the server strips them too) before anything reaches
the terminal.
"""

from __future__ import annotations

from datetime import datetime, timedelta, tzinfo
from typing import TYPE_CHECKING, cast

from textual.content import Content
from textual.dom import DOMNode
from textual.widgets.option_list import Option

from shared.events import RoundView
from shared.text import single_line, strip_controls

if TYPE_CHECKING:
    from client.app import ConviveApp
    from client.i18n import Translator

Part = str | Content | tuple[str, str]


def app_of(node: DOMNode) -> ConviveApp:
    return cast("ConviveApp", node.app)


def tr_of(node: DOMNode) -> Translator:
    return app_of(node).tr


def user(text: str | None, one_line: bool = False) -> str:
    """A user-supplied string, cleaned of control characters (for Content parts)."""
    if not text:
        return ""
    return single_line(text) if one_line else strip_controls(text)


def plain(text: str | None, one_line: bool = False) -> Content:
    """User text as Content: literal, no markup, no control characters."""
    return Content(user(text, one_line))


def assemble(*parts: Part) -> Content:
    """Join parts; a str part is literal text, a (text, style) tuple is styled."""
    cleaned: list[str | Content | tuple[str, str]] = []
    for part in parts:
        if isinstance(part, str):
            cleaned.append(strip_controls(part))
        elif isinstance(part, tuple):
            cleaned.append((strip_controls(part[0]), part[1]))
        else:
            cleaned.append(part)
    return Content.assemble(*cleaned)


def author_parts(name: str | None, role: str | None, tr: Translator, style: str = "bold") -> list[Part]:
    """An author's name, badged when the server says they moderate: the badge
    comes from the role the server decided, never from the name (a guest may
    call themselves something that looks like the moderator's)."""
    parts: list[Part] = [(user(name, one_line=True), style)]
    if role == "moderator":
        parts += [" ", (f"◆ {tr('author.moderator')}", "bold reverse")]
    return parts


def empty_note(text: str) -> Option:
    """The line an empty list shows: that it is empty, and what to do."""
    return Option(assemble((text, "italic")), disabled=True)


def parse_time(iso: str | None) -> datetime | None:
    if not iso:
        return None
    try:
        return datetime.fromisoformat(iso.replace("Z", "+00:00"))
    except ValueError:
        return None


def clock_time(iso: str | None, tz: tzinfo | None) -> str:
    moment = parse_time(iso)
    return moment.astimezone(tz).strftime("%H:%M") if moment else "--:--"


def remaining(round_: RoundView, now: datetime) -> timedelta | None:
    """Time left in a live round; a reopened round continues where it stopped."""
    start = parse_time(round_.resumed_at or round_.started_at)
    if start is None:
        return None
    return start + timedelta(minutes=round_.minutes, seconds=-round_.spent_seconds) - now


def format_left(left: timedelta) -> str:
    seconds = max(0, int(left.total_seconds()))
    hours, rest = divmod(seconds, 3600)
    mins, secs = divmod(rest, 60)
    return f"{hours}:{mins:02d}:{secs:02d}" if hours else f"{mins:02d}:{secs:02d}"


def minutes_over(left: timedelta) -> int:
    over = -left.total_seconds()
    return max(1, int((over + 59) // 60))


def bar(count: int, total: int, width: int = 20) -> str:
    filled = round(width * count / total) if total else 0
    return "█" * filled + "░" * (width - filled)
