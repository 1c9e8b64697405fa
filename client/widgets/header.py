"""The debate's header: title, live round, theme and countdown."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Vertical
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


class DebateHeader(Vertical):
    """Redraws from the state, and its countdown once a second."""

    def compose(self) -> ComposeResult:
        yield Static(id="debate-title", markup=False)
        yield Static(id="round-line", markup=False)
        yield Static(id="round-theme", markup=False)

    def on_mount(self) -> None:
        self.set_interval(1.0, self.refresh_clock)

    def update_from(self, state: ClientState) -> None:
        self.query_one("#debate-title", Static).update(plain(state.title, one_line=True))
        live = state.live_round
        self.query_one("#round-theme", Static).update(plain(live.theme if live else ""))
        self.query_one("#round-theme", Static).display = live is not None and bool(live.theme)
        self.refresh_clock()

    def refresh_clock(self) -> None:
        app = app_of(self)
        state = app.state
        tr = tr_of(self)
        line = self.query_one("#round-line", Static)
        live = state.live_round
        if live is None:
            if state.evening_over:
                text = tr("header.ended")
            else:
                text = tr("header.lobby") if state.agenda else tr("header.no_rounds")
            line.update(assemble((text, "italic")))
            return
        number = state.agenda.index(live.round_id) + 1
        left = remaining(live, app.server_now())
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
