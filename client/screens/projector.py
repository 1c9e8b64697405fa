"""The projector: large type for the room, read-only."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.screen import Screen
from textual.widgets import Digits, Static

from client.messages import StateChanged
from client.state import ALL
from client.widgets.poll import option_line, poll_summary, shown_poll
from client.widgets.qr import QRCode
from client.widgets.render import (
    Part,
    app_of,
    assemble,
    format_left,
    minutes_over,
    remaining,
    tr_of,
)
from client.widgets.status import StatusLine
from shared.joinlink import http_url_of, join_link, join_link_for_qr


class ProjectorScreen(Screen[None]):
    def compose(self) -> ComposeResult:
        with Horizontal(id="proj-top"):
            with Vertical(id="proj-titles"):
                yield Static(id="proj-title", markup=False)
                yield Static(id="proj-round", markup=False)
            yield Digits("", id="proj-clock")
        yield Static(id="proj-pinned", markup=False)
        with Horizontal(id="proj-body"):
            yield Static(id="proj-questions", markup=False)
            yield Static(id="proj-poll", markup=False)
            yield QRCode(id="proj-qr")
        yield Static(id="proj-join", markup=False)
        yield StatusLine(id="status", markup=False)

    def on_mount(self) -> None:
        self.set_interval(1.0, self.refresh_clock)
        self.sync(ALL)

    def on_resize(self) -> None:
        self.sync(ALL)  # bars follow the width

    def on_state_changed(self, message: StateChanged) -> None:
        self.sync(message.areas)

    def refresh_status(self) -> None:
        app = app_of(self)
        self.query_one(StatusLine).update_from(app.link, app.state)

    def refresh_clock(self) -> None:
        app = app_of(self)
        live = app.state.live_round
        clock = self.query_one("#proj-clock", Digits)
        left = remaining(live.started_at, live.minutes, app.server_now()) if live else None
        if left is None:
            clock.update("")
        elif left.total_seconds() >= 0:
            clock.update(format_left(left))
        else:
            clock.update(f"+{minutes_over(left)}")
        clock.set_class(left is not None and left.total_seconds() < 0, "-over")

    def sync(self, areas: frozenset[str]) -> None:
        app = app_of(self)
        state = app.state
        tr = tr_of(self)
        self.query_one("#proj-title", Static).update(assemble((state.title, "bold")))
        live = state.live_round
        if live is None:
            self.query_one("#proj-round", Static).update(
                tr("header.lobby") if state.agenda else tr("header.no_rounds")
            )
        else:
            number = state.agenda.index(live.round_id) + 1
            self.query_one("#proj-round", Static).update(
                assemble(
                    (tr("header.round", number=number, total=len(state.agenda)), "bold"),
                    " · ",
                    (live.title, "bold"),
                    "\n",
                    (live.theme, "italic"),
                )
            )
        code = app.join_code or ""
        page = http_url_of(app.join_url)  # the guest page, on the server's port
        qr = self.query_one(QRCode)
        qr.set_text(join_link_for_qr(page, code) if code else "")
        # Shown whole or not at all: a cut QR code does not scan.
        qr.display = bool(qr.rows) and (
            app.size.width >= len(qr.rows[0]) + 40 and app.size.height >= len(qr.rows) + 8
        )
        qr_width = len(qr.rows[0]) + 2 if qr.display else 0
        pinned = state.questions.get(state.pinned) if state.pinned else None
        box = self.query_one("#proj-pinned", Static)
        box.display = pinned is not None
        if pinned is not None:
            author = tr("questions.anonymous") if pinned.anonymous else (pinned.author_name or "")
            box.update(assemble((pinned.text, "bold"), "\n", (f"— {author}", "italic")))
            box.border_title = tr("projector.pinned")
        top = [q for q in state.approved_questions() if q.question_id != state.pinned][:5]
        lines: list[Part] = [(tr("projector.top"), "bold underline"), "\n"]
        if not top and pinned is None:
            lines.append((tr("projector.no_questions"), "italic"))
        for q in top:
            mark = " ✓" if q.answered else ""
            lines += ["\n", (f"▲{q.votes:>3}  ", "bold"), q.text, (mark, "bold")]
        self.query_one("#proj-questions", Static).update(assemble(*lines))
        poll = shown_poll(state)
        poll_box = self.query_one("#proj-poll", Static)
        poll_box.display = poll is not None
        if poll is not None:
            head = tr("poll.open") if poll.status == "open" else tr("poll.closed")
            parts: list[Part] = [(head, "italic"), "\n", (poll.question, "bold"), "\n"]
            # The poll has 3/5 of the width beside the QR code; label and count take about 18 cells.
            width = max(6, min(30, (app.size.width - qr_width) * 3 // 5 - 22))
            for index in range(len(poll.options)):
                parts += ["\n", option_line(poll, index, None, set(), tr, width=width)]
            parts += ["\n\n", poll_summary(poll, tr)]
            poll_box.update(assemble(*parts))
        self.query_one("#proj-join", Static).update(
            assemble(
                tr("projector.join_code"),
                (code, "bold reverse"),
                "   ",
                tr("projector.join", link=join_link(page, code) if code else page),
            )
        )
        self.refresh_clock()
        self.refresh_status()
