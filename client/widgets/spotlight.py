"""The projector is the moderator's: what it shows, said in words, and the
message a moderator's list posts to change it (the screen sends the command)."""

from __future__ import annotations

from dataclasses import dataclass

from textual.message import Message
from textual.widgets import Static

from client.i18n import Translator
from client.state import ClientState
from client.widgets.render import assemble, clock_time, tr_of, user
from shared.events import SpotlightKind


@dataclass
class SpotlightRequested(Message):
    """A moderator asked to show this on the projector."""

    kind: SpotlightKind
    item_id: str | None = None


def _short(text: str, limit: int = 40) -> str:
    """One line, cut with an ellipsis past ``limit`` characters."""
    line = user(text, one_line=True)
    return line if len(line) <= limit else line[: limit - 1].rstrip() + "…"


def describe_spotlight(state: ClientState, tr: Translator) -> str:
    """What the projector shows now, in a few words (for the moderator)."""
    spotlight = state.spotlight
    item = spotlight.item_id
    if spotlight.kind == "question" and item in state.questions:
        return tr("spotlight.question", text=_short(state.questions[item].text))
    if spotlight.kind == "poll" and item in state.polls:
        return tr("spotlight.poll", question=_short(state.polls[item].question))
    if spotlight.kind == "round" and item in state.rounds:
        return tr("spotlight.round", title=_short(state.rounds[item].title))
    if spotlight.kind in ("welcome", "end", "blank"):
        return tr(f"spotlight.{spotlight.kind}")
    if spotlight.kind == "syntheses":
        table = state.tables.get(item or "")
        if table is not None:
            return tr("spotlight.syntheses_table", name=_short(table.name))
        return tr("spotlight.syntheses")
    return tr("spotlight.round_live")  # the default, and an item since gone


class SpotlightNote(Static):
    """One line for the moderator: what the room sees on the projector."""

    def update_from(self, state: ClientState) -> None:
        tr = tr_of(self)
        self.update(assemble((tr("spotlight.note"), "bold"), describe_spotlight(state, tr)))


class AnnouncementBar(Static):
    """The live round's latest announcement, apart from the chat (every screen)."""

    def update_from(self, state: ClientState) -> None:
        announcement = state.current_announcement
        self.display = announcement is not None
        if announcement is None:
            return
        tr = tr_of(self)
        tz = getattr(self.app, "tz", None)
        self.update(
            assemble(
                (f" {tr('announcement.label')} · {clock_time(announcement.at, tz)} ", "bold reverse"),
                " ",
                (user(announcement.text), "bold"),
            )
        )
