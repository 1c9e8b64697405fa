"""The chat of the whole evening, round by round: newest at the bottom."""

from __future__ import annotations

from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.widgets import Input, OptionList, Static
from textual.widgets.option_list import Option

from client import messages as m
from client.state import ClientState, MessageItem, PollItem
from client.widgets.render import app_of, assemble, author_parts, clock_time, tr_of
from shared import limits
from shared import protocol as p

_ROUNDS = Binding.Group("key.rounds", compact=True)
HEADING = "round:"  # option ids of the lines that open a round's chat
PENDING = "pending:"  # option ids of messages typed offline, not yet sent
EMPTY = "empty"
EARLIER = "earlier"  # the first row while earlier messages are on the server
HIDDEN = "hidden"  # the second part of a hidden message's row (moderators and its author)
HELD = "held"  # held by the word filter (moderators and its author), until released

# One row of the log: its option id, and the text that identifies its look.
Row = tuple[str, str]


class ChatLog(OptionList):
    """Every round's chat under its heading; appends, rebuilds only when the past changes.

    ``[`` and ``]`` jump from round to round; the moderator's ``h`` hides a message, or
    brings back a hidden one (moderators and its author see it, marked), and ``v``
    shows everyone a message the word filter held (``h`` drops it).
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("h", "hide", "key.hide"),
        # Not in the footer, which must fit at 80 columns: a held message says it.
        Binding("v", "release", "key.release", show=False),
        Binding("left_square_bracket", "jump(-1)", "key.round_back", group=_ROUNDS),
        Binding("right_square_bracket", "jump(1)", "key.round_forward", group=_ROUNDS),
    ]

    def __init__(self, **kwargs: object) -> None:
        super().__init__(markup=False, **kwargs)  # type: ignore[arg-type]
        self._shown: list[Row] = []

    # --- what to show ------------------------------------------------------------

    def plan(self, state: ClientState, pending: list[str]) -> list[Row]:
        """The rows, in order: headings, messages, then what waits to be sent.

        Only keys here (cheap for thousands of messages); ``draw`` makes the
        options, and only for rows not shown yet.
        """
        rows: list[Row] = []
        if state.messages_before is not None:
            rows.append((EARLIER, state.messages_before))
        segment: object = object()
        count = 0
        for message in state.messages.values():
            if message.round_id != segment:
                if count or message.round_id is not None:
                    rows.append(self.heading(state, count, message.round_id))
                segment = message.round_id
                count += 1
            # A message hidden, held, or shown again changes its row, so the log redraws it.
            look = " ".join(flag for flag, on in ((HIDDEN, message.hidden), (HELD, message.held)) if on)
            rows.append((message.message_id, look))
        live = state.live_round
        now = live.round_id if live is not None else None
        if now != segment and (count or now is not None):
            rows.append(self.heading(state, count, now))  # the round changed: the chat says so
        rows += [(f"{PENDING}{n}", text) for n, text in enumerate(pending)]
        if not state.messages and not pending:
            tr = tr_of(self)
            rows.append((EMPTY, tr("chat.empty") + " " + tr("chat.empty_help")))
        return rows

    def heading(self, state: ClientState, index: int, round_id: str | None) -> Row:
        tr = tr_of(self)
        round_ = state.rounds.get(round_id) if round_id is not None else None
        if round_ is None:
            label = tr("chat.lobby")
        else:
            number = state.agenda.index(round_.round_id) + 1 if round_.round_id in state.agenda else 0
            label = tr("chat.round", number=number, total=len(state.agenda), title=round_.title)
        return (f"{HEADING}{index}:{round_id or ''}", label)

    def draw(self, state: ClientState, row: Row) -> Option:
        key, text = row
        if key.startswith(HEADING):
            label = assemble(("── ", "dim"), (text.replace("\n", " "), "bold"), (" ──", "dim"))
            return Option(label, id=key, disabled=True)
        if key.startswith(PENDING):
            line = assemble(
                ("--:--", "dim"),
                " ",
                ((state.name or "").replace("\n", " "), "bold"),
                "  ",
                (text, "dim"),
                "  ",
                (tr_of(self)("chat.not_sent"), "italic reverse"),
            )
            return Option(line, id=key, disabled=True)
        if key == EMPTY:
            return Option(assemble((text, "italic")), id=key, disabled=True)
        if key == EARLIER:
            return Option(assemble(("↑ ", "dim"), (tr_of(self)("chat.earlier"), "italic")), id=key)
        return self.render_message(state.messages[key])

    def render_message(self, message: MessageItem) -> Option:
        tz = app_of(self).tz
        content = assemble(
            (clock_time(message.at, tz), "dim"),
            " ",
            *author_parts(message.author_name, message.author_role, tr_of(self)),
            "  ",
            message.text,
        )
        if message.hidden:
            # Seen only by the moderators and its author: say the room does not see it.
            marker = assemble("  ", (tr_of(self)("chat.hidden_mark"), "bold reverse"))
            content = content.stylize("dim strike") + marker
        elif message.held:
            # The word filter held it: the moderators review it; its author waits.
            key = "chat.held_mark" if app_of(self).state.role == "moderator" else "chat.awaiting_review"
            content = content.stylize("dim") + assemble("  ", (tr_of(self)(key), "bold reverse"))
        return Option(content, id=message.message_id)

    def sync(self, state: ClientState, pending: list[str] | None = None) -> None:
        keys = self.plan(state, pending or [])
        at_end = self.scroll_y >= self.max_scroll_y - 1
        if keys[: len(self._shown)] == self._shown:
            fresh = keys[len(self._shown) :]
            if not fresh:
                return
            self.add_options([self.draw(state, row) for row in fresh])
        else:
            highlighted = self.highlighted_option.id if self.highlighted_option else None
            self.set_options([self.draw(state, row) for row in keys])
            ids = [row[0] for row in keys]
            if highlighted in ids:
                self.highlighted = ids.index(highlighted)
        self._shown = keys
        if at_end:
            self.call_after_refresh(self.scroll_end, animate=False, immediate=True)

    # --- keys ----------------------------------------------------------------------

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in ("hide", "release"):
            return app_of(self).state.role == "moderator"
        if action == "jump":
            return len(self._headings()) > 0
        return True

    def action_hide(self) -> None:
        option = self.highlighted_option
        if option is None or option.id is None or option.disabled:
            return
        message_id = option.id
        message = app_of(self).state.messages.get(message_id)
        if message is not None and message.hidden:  # 'h' again brings it back
            wanted = m.CommandWanted(lambda id_: p.UnhideMessage(id=id_, message_id=message_id))
        else:
            wanted = m.CommandWanted(lambda id_: p.HideMessage(id=id_, message_id=message_id))
        self.screen.post_message(wanted)

    def action_release(self) -> None:
        """Show everyone the highlighted message the word filter held."""
        option = self.highlighted_option
        if option is None or option.id is None or option.disabled:
            return
        message_id = option.id
        message = app_of(self).state.messages.get(message_id)
        if message is not None and message.held:
            wanted = m.CommandWanted(lambda id_: p.ReleaseMessage(id=id_, message_id=message_id))
            self.screen.post_message(wanted)

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        """Enter (or a click) on the first row brings the page of messages before it."""
        if event.option.id != EARLIER:
            return
        event.stop()
        before = app_of(self).state.messages_before
        if before is not None:
            self.screen.post_message(
                m.CommandWanted(lambda id_: p.FetchHistory(id=id_, kind="messages", before=before))
            )

    def _headings(self) -> list[int]:
        return [i for i, option in enumerate(self.options) if (option.id or "").startswith(HEADING)]

    def action_jump(self, step: int) -> None:
        """To the heading of the previous (-1) or next (1) round, at the top of the log."""
        heads = self._headings()
        if not heads:
            return
        if self.highlighted is not None:
            here = self.highlighted
        else:
            lines = self._lines
            top = int(self.scroll_y)
            here = lines[min(top, len(lines) - 1)][0] if lines else 0
        current = max((k for k, head in enumerate(heads) if head <= here), default=-1)
        target = heads[max(0, min(len(heads) - 1, current + step))]
        following = target + 1
        if following < self.option_count and not self.options[following].disabled:
            self.highlighted = following
        self.scroll_to(y=self._index_to_line[target], animate=False, immediate=True)


class ChatPane(Vertical):
    def compose(self) -> ComposeResult:
        yield ChatLog(id="chat-log")
        yield Static(id="chat-notice", markup=False)
        yield Input(
            placeholder=tr_of(self).texts["chat.placeholder"],
            max_length=limits.CHAT_MAX,
            id="chat-input",
        )

    def announce(self, poll: PollItem | None) -> None:
        """A line above the input while a poll waits for the guest's vote."""
        notice = self.query_one("#chat-notice", Static)
        notice.display = poll is not None
        if poll is not None:
            tr = tr_of(self)
            notice.update(assemble(tr("chat.poll_open"), (poll.question, "bold"), tr("chat.poll_open_end")))

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        text = event.value.strip()
        if not text:
            return
        self.screen.post_message(m.CommandWanted(lambda id_: p.PostMessage(id=id_, text=text)))
        event.input.value = ""
