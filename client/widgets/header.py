"""The debate's header: title, live round, theme and countdown."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Vertical
from textual.content import Content
from textual.reactive import reactive
from textual.widgets import Static

from client.state import ClientState
from client.widgets.render import (
    app_of,
    assemble,
    format_left,
    minutes_over,
    plain,
    remaining,
    tr_of,
)

THEME_LINES = 2  # the theme's room in the header, unless expanded (ctrl+t)


def clipped(text: str, width: int, lines: int, more: str = "") -> tuple[Content, bool]:
    """``text`` in at most ``lines`` lines of ``width`` cells, with an ellipsis where cut.

    ``more`` (how to see the rest) follows the ellipsis, dim.
    """
    wrapped = plain(text).wrap(max(1, width))
    if len(wrapped) <= lines:
        return plain(text), False
    tail = Content.assemble("…", (f" {more}" if more else "", "dim"))
    last = wrapped[lines - 1].rstrip()
    room = max(0, width - tail.cell_length)
    if last.cell_length > room:
        last = last.truncate(room)
    return Content("\n").join([*wrapped[: lines - 1], last + tail]), True


class DebateHeader(Vertical):
    """Redraws from the state, and its countdown once a second."""

    expanded: reactive[bool] = reactive(False)
    theme_cut: bool = False

    def compose(self) -> ComposeResult:
        yield Static(id="debate-title", markup=False)
        yield Static(id="round-line", markup=False)
        yield Static(id="round-theme", markup=False)

    def on_mount(self) -> None:
        self.set_interval(1.0, self.refresh_clock)

    def update_from(self, state: ClientState) -> None:
        self.query_one("#debate-title", Static).update(plain(state.title, one_line=True))
        self.show_theme()
        self.refresh_clock()

    def show_theme(self) -> None:
        live = app_of(self).state.live_round
        theme = live.theme if live else ""
        box = self.query_one("#round-theme", Static)
        box.display = bool(theme)
        width = box.size.width or self.app.size.width - 2
        content, cut = clipped(theme, width, THEME_LINES, tr_of(self)("header.more"))
        if cut != self.theme_cut:
            self.theme_cut = cut
            self.screen.refresh_bindings()  # ctrl+t shows only when there is more to see
        if self.expanded:
            content = plain(theme) + Content.assemble((" " + tr_of(self)("header.less"), "dim"))
        box.update(content)
        self.set_class(self.expanded, "-expanded")

    def watch_expanded(self) -> None:
        self.show_theme()

    def on_resize(self) -> None:
        self.show_theme()

    def refresh_clock(self) -> None:
        app = app_of(self)
        state = app.state
        tr = tr_of(self)
        line = self.query_one("#round-line", Static)
        live = state.live_round
        if live is None:
            text = tr("header.lobby") if state.agenda else tr("header.no_rounds")
            line.update(assemble((text, "italic")))
            return
        number = state.agenda.index(live.round_id) + 1
        left = remaining(live.started_at, live.minutes, app.server_now())
        if left is None:
            clock = ""
        elif left.total_seconds() >= 0:
            clock = tr("header.left", time=format_left(left))
        else:
            clock = tr("header.over", minutes=minutes_over(left))
        over = left is not None and left.total_seconds() < 0
        line.update(
            assemble(
                (tr("header.round", number=number, total=len(state.agenda)), "bold"),
                " · ",
                (live.title.replace("\n", " "), "bold"),
                "  ",
                (clock, "bold reverse" if over else "bold"),
            )
        )
        line.set_class(over, "-over")
