"""The moderators' back-channel: notes between co-moderators, and the word filter in force.

Moderators only: the server never sends a note to anyone else.
"""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import Input, OptionList, Static
from textual.widgets.option_list import Option

from client import messages as m
from client.state import ClientState
from client.widgets.render import app_of, assemble, clock_time, empty_note, tr_of
from shared import limits
from shared import protocol as p


class NotesLog(OptionList):
    """The notes, oldest first, newest at the bottom."""

    def __init__(self, **kwargs: object) -> None:
        super().__init__(markup=False, **kwargs)  # type: ignore[arg-type]
        self._shown: list[str] = []

    def sync(self, state: ClientState) -> None:
        ids = list(state.notes)
        if ids == self._shown and ids:
            return
        at_end = self.scroll_y >= self.max_scroll_y - 1
        if not ids:
            self.set_options([empty_note(tr_of(self)("notes.empty"))])
        elif self._shown and ids[: len(self._shown)] == self._shown:
            fresh = ids[len(self._shown) :]
            self.add_options([self._line(state, note_id) for note_id in fresh])
        else:
            self.set_options([self._line(state, note_id) for note_id in ids])
        self._shown = ids
        if at_end:
            self.call_after_refresh(self.scroll_end, animate=False, immediate=True)

    def _line(self, state: ClientState, note_id: str) -> Option:
        note = state.notes[note_id]
        return Option(
            assemble(
                (clock_time(note.at, app_of(self).tz), "dim"),
                " ",
                (note.author_name.replace("\n", " "), "bold"),
                "  ",
                note.text,
            ),
            id=note_id,
        )


class NotesPane(Vertical):
    def compose(self) -> ComposeResult:
        yield Static(id="filter-summary", markup=False)
        yield NotesLog(id="notes-log")
        yield Input(
            placeholder=tr_of(self).texts["notes.placeholder"], max_length=limits.NOTE_MAX, id="note-input"
        )

    def sync(self, state: ClientState) -> None:
        self.query_one(NotesLog).sync(state)
        self.query_one("#filter-summary", Static).update(self.filter_summary(state))

    def filter_summary(self, state: ClientState) -> str:
        tr = tr_of(self)
        settings = state.word_filter
        if settings is None:
            return tr("notes.filter_off")
        lists_key = "notes.filter_builtin" if settings.builtin else "notes.filter_plan_only"
        return tr(
            "notes.filter",
            action=tr(f"notes.filter_{settings.action}"),
            lists=tr.plural(lists_key, len(settings.words)),
        )

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        text = event.value.strip()
        if not text:
            return
        self.screen.post_message(m.CommandWanted(lambda id_: p.PostNote(id=id_, text=text)))
        event.input.value = ""
