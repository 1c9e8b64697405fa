"""The chat of the live round (or of the lobby): newest at the bottom."""

from __future__ import annotations

from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.widgets import Input, OptionList
from textual.widgets.option_list import Option

from client.state import ClientState, MessageItem
from client.widgets.render import app_of, assemble, clock_time, tr_of
from shared import limits
from shared import protocol as p


class ChatLog(OptionList):
    """Appends new messages; rebuilds only when the round changes or one is hidden."""

    BINDINGS: ClassVar[list[BindingType]] = [Binding("h", "hide", "key.hide")]

    def __init__(self, **kwargs: object) -> None:
        super().__init__(markup=False, **kwargs)  # type: ignore[arg-type]
        self._shown: list[str] = []
        self._round: object = object()  # the round shown (None is the lobby)

    def render_message(self, message: MessageItem) -> Option:
        tz = app_of(self).tz
        return Option(
            assemble(
                (clock_time(message.at, tz), "dim"),
                " ",
                (message.author_name.replace("\n", " "), "bold"),
                "  ",
                message.text,
            ),
            id=message.message_id,
        )

    def sync(self, state: ClientState) -> None:
        live = state.live_round
        round_id = live.round_id if live else None
        wanted = state.chat_of(round_id)
        ids = [m.message_id for m in wanted]
        at_end = self.scroll_y >= self.max_scroll_y - 1
        if round_id == self._round and ids[: len(self._shown)] == self._shown:
            fresh = wanted[len(self._shown) :]
            if not fresh:
                return
            self.add_options([self.render_message(m) for m in fresh])
        else:
            highlighted = self.highlighted_option.id if self.highlighted_option else None
            self.set_options([self.render_message(m) for m in wanted])
            if highlighted in ids:
                self.highlighted = ids.index(highlighted)
            at_end = at_end or round_id != self._round
        self._shown, self._round = ids, round_id
        if at_end:
            self.call_after_refresh(self.scroll_end, animate=False, immediate=True)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "hide":
            return app_of(self).state.role == "moderator"
        return True

    def action_hide(self) -> None:
        option = self.highlighted_option
        if option is not None and option.id is not None:
            message_id = option.id
            app_of(self).send_command(lambda id_: p.HideMessage(id=id_, message_id=message_id))


class ChatPane(Vertical):
    def compose(self) -> ComposeResult:
        yield ChatLog(id="chat-log")
        yield Input(
            placeholder=tr_of(self).texts["chat.placeholder"],
            max_length=limits.CHAT_MAX,
            id="chat-input",
        )

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        text = event.value.strip()
        if not text:
            return
        app_of(self).send_command(lambda id_: p.PostMessage(id=id_, text=text))
        event.input.value = ""
