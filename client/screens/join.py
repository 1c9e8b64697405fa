"""Asks for what the command line did not give: join code, name or moderator key."""

from __future__ import annotations

from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import Screen
from textual.widgets import Button, Input, Label, Static

from client.widgets.footer import TranslatedFooter
from client.widgets.render import app_of, assemble, tr_of
from shared import limits
from shared.joinlink import is_invitation_code


class JoinScreen(Screen[None]):
    BINDINGS: ClassVar[list[BindingType]] = [Binding("ctrl+q", "app.quit", "key.quit")]

    def __init__(self, role: str, url: str, error: str | None = None) -> None:
        super().__init__()
        self.role = role
        self.url = url
        self.initial_error = error

    def compose(self) -> ComposeResult:
        tr = tr_of(self)
        app = app_of(self)
        title = {"moderator": "join.moderator_title", "screen": "join.screen_title"}
        with Vertical(classes="form", id="join-form"):
            yield Label(tr(title.get(self.role, "join.title")), classes="form-title")
            yield Static(assemble(tr("join.server"), (self.url, "bold")), markup=False)
            if self.role == "moderator":
                yield Label(tr("join.key"))
                # Kept after a refusal that was not about the key (connected elsewhere).
                key = app.connection.moderator_key or ""
                yield Input(key, password=True, max_length=limits.SECRET_MAX, id="key")
            else:
                yield Label(tr("join.code"))
                yield Input(app.connection.join_code or "", max_length=32, id="code")
                if self.role == "participant":
                    yield Label(tr("join.name"))
                    yield Input(app.connection.name or "", max_length=limits.NAME_MAX, id="name")
            yield Static(self.initial_error or "", id="join-error", markup=False)
            yield Button(tr("join.submit"), variant="primary", id="join")
        yield TranslatedFooter()

    def on_mount(self) -> None:
        for field in self.query(Input):
            if not field.value:
                field.focus()
                break

    def show_error(self, error: str) -> None:
        self.query_one("#join-error", Static).update(error)

    def _value(self, selector: str) -> str | None:
        found = self.query(selector)
        if not found:
            return None
        value = found.first(Input).value.strip()
        return value or None

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.submit()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        self.submit()

    def submit(self) -> None:
        tr = tr_of(self)
        code, name, key = self._value("#code"), self._value("#name"), self._value("#key")
        missing = (
            (self.role == "moderator" and not key)
            or (self.role != "moderator" and not code)
            or (self.role == "participant" and not name and not (code and is_invitation_code(code)))
        )
        if missing:
            self.show_error(tr("form.empty"))
            for field in self.query(Input):
                if not field.value.strip():
                    field.focus()
                    break
            return
        app_of(self).join_with(code, name, key)
