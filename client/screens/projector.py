"""The projector: large type for the room, read-only, driven by the moderator.

What it shows follows the debate's spotlight (``set_spotlight``): the live
round's screen (the default), one round, one question or one poll full
screen, the tables' syntheses, a welcome slide, an end-of-evening slide, or nothing. An ended evening
shows an ended state; the live round's latest announcement shows apart.
"""

from __future__ import annotations

from typing import Literal

from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.screen import Screen
from textual.widgets import Digits, Static

from client.messages import StateChanged
from client.state import ALL, ClientState
from client.widgets.floor import floor_line
from client.widgets.poll import choice_labels, poll_summary, results_parts, table_parts
from client.widgets.qr import QRCode
from client.widgets.render import (
    Part,
    app_of,
    assemble,
    author_parts,
    format_left,
    minutes_over,
    remaining,
    tr_of,
)
from client.widgets.shift import shift_parts
from client.widgets.status import StatusLine
from client.widgets.tables import synthesis_parts
from shared.joinlink import http_url_of, join_link, join_link_for_qr

# What the screen shows: the spotlight's kind, resolved against the view.
Mode = Literal["round", "round_preview", "question", "poll", "welcome", "end", "ended", "blank", "syntheses"]


def projector_mode(state: ClientState) -> Mode:
    """The spotlight, or the live round's screen when its item has left the view;
    with the default spotlight, an evening whose rounds have all ended shows so."""
    spotlight = state.spotlight
    item = spotlight.item_id
    if spotlight.kind == "question":
        question = state.questions.get(item or "")
        return "question" if question is not None and question.status == "approved" else "round"
    if spotlight.kind == "poll":
        return "poll" if item in state.polls else "round"
    if spotlight.kind == "round":
        live = state.live_round
        if item is not None and item in state.rounds and (live is None or live.round_id != item):
            return "round_preview"
        return "ended" if state.evening_over else "round"
    return spotlight.kind


class ProjectorScreen(Screen[None]):
    def compose(self) -> ComposeResult:
        with Horizontal(id="proj-top"):
            with Vertical(id="proj-titles"):
                yield Static(id="proj-title", markup=False)
                yield Static(id="proj-round", markup=False)
            yield Digits("", id="proj-clock")
        yield Static(id="proj-announcement", markup=False)
        yield Static(id="proj-floor", markup=False)
        yield Static(id="proj-pinned", markup=False)
        with Horizontal(id="proj-body"):
            yield Static(id="proj-questions", markup=False)
            yield Static(id="proj-poll", markup=False)
            yield QRCode(id="proj-qr")
        yield Static(id="proj-spotlight", markup=False)
        yield Static(id="proj-join", markup=False)
        yield StatusLine(id="status", markup=False)

    def on_mount(self) -> None:
        self.set_interval(1.0, self.refresh_clock)
        self.sync(ALL)

    def _draw_floor(self, state: ClientState, visible: bool) -> None:
        """Who has the floor (and for how long) and who is next, whatever the spotlight."""
        box = self.query_one("#proj-floor", Static)
        line = floor_line(state, tr_of(self), app_of(self).server_now())
        box.display = visible and line is not None
        if line is not None:
            box.update(line)

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
        left = remaining(live, app.server_now()) if live else None
        if left is None:
            clock.update("")
        elif left.total_seconds() >= 0:
            clock.update(format_left(left))
        else:
            clock.update(f"+{minutes_over(left)}")
        clock.set_class(left is not None and left.total_seconds() < 0, "-over")
        if app.state.floor is not None:  # the speaker's time runs too
            mode = projector_mode(app.state)
            self._draw_floor(app.state, visible=mode not in ("blank", "welcome", "end", "ended"))

    def sync(self, areas: frozenset[str]) -> None:
        state = app_of(self).state
        mode = projector_mode(state)
        blank = mode == "blank"
        # A blank screen shows nothing at all; the status line comes back with the rest.
        for selector in ("#proj-top", "#proj-join", "#status"):
            self.query_one(selector).display = not blank
        # The round's screen and the welcome slide share the body (beside the QR code).
        full = mode not in ("round", "welcome")
        self.query_one("#proj-pinned").display = False
        self.query_one("#proj-body").display = not full
        spot = self.query_one("#proj-spotlight", Static)
        spot.display = full and not blank
        self._draw_top(state)
        self._draw_announcement(state, visible=not blank)
        self._draw_floor(state, visible=mode not in ("blank", "welcome", "end", "ended"))
        qr_width = self._draw_qr()
        if mode == "round":
            self._draw_round(state, qr_width)
        elif mode == "welcome":
            self.query_one("#proj-poll").display = False
            self.query_one("#proj-questions", Static).update(assemble(*self._slide(state, mode)))
        elif not blank:
            spot.update(assemble(*self._slide(state, mode)))
        self._draw_join(welcome=mode == "welcome")
        self.refresh_clock()
        self.refresh_status()

    # --- parts -----------------------------------------------------------------------

    def _draw_top(self, state: ClientState) -> None:
        tr = tr_of(self)
        self.query_one("#proj-title", Static).update(assemble((state.title, "bold")))
        live = state.live_round
        line = self.query_one("#proj-round", Static)
        if live is None:
            if state.evening_over:
                line.update(assemble((tr("header.ended"), "bold")))
            else:
                line.update(tr("header.lobby") if state.agenda else tr("header.no_rounds"))
            return
        number = state.agenda.index(live.round_id) + 1
        line.update(
            assemble(
                (tr("header.round", number=number, total=len(state.agenda)), "bold"),
                " · ",
                (live.title, "bold"),
                "\n",
                (live.theme, "italic"),
            )
        )

    def _draw_announcement(self, state: ClientState, visible: bool) -> None:
        box = self.query_one("#proj-announcement", Static)
        announcement = state.current_announcement
        box.display = visible and announcement is not None
        if announcement is not None:
            box.border_title = tr_of(self)("announcement.label")
            box.update(assemble((announcement.text, "bold")))

    def _draw_qr(self) -> int:
        """The guest page's QR code, whole or not at all (a cut one does not scan);
        returns the width it takes."""
        app = app_of(self)
        code = app.join_code or ""
        qr = self.query_one(QRCode)
        qr.set_text(join_link_for_qr(http_url_of(app.join_url), code) if code else "")
        qr.display = bool(qr.rows) and (
            app.size.width >= len(qr.rows[0]) + 40 and app.size.height >= len(qr.rows) + 8
        )
        return len(qr.rows[0]) + 2 if qr.display else 0

    def _draw_round(self, state: ClientState, qr_width: int) -> None:
        app = app_of(self)
        tr = tr_of(self)
        pinned = state.questions.get(state.pinned) if state.pinned else None
        box = self.query_one("#proj-pinned", Static)
        box.display = pinned is not None
        if pinned is not None:
            author = tr("questions.anonymous") if pinned.anonymous else pinned.author_name
            answer: list[Part] = []
            if pinned.answer:  # issue 12: its written answer
                answer = ["\n", (tr("questions.answer"), "bold"), pinned.answer]
            by = author_parts(author, pinned.author_role, tr, "italic")
            box.update(assemble((pinned.text, "bold"), "\n", ("— ", "italic"), *by, *answer))
            box.border_title = tr("projector.pinned")
        top = [q for q in state.approved_questions() if q.question_id != state.pinned][:5]
        lines: list[Part] = [(tr("projector.top"), "bold underline"), "\n"]
        if not top and pinned is None:
            lines.append((tr("projector.no_questions"), "italic"))
        for q in top:
            mark = " ✓" if q.answered else ""
            lines += ["\n", (f"▲{q.votes:>3}  ", "bold"), q.text, (mark, "bold")]
        self.query_one("#proj-questions", Static).update(assemble(*lines))
        # The open poll, or the last one closed in this round (an older one does not linger).
        poll = state.round_poll
        poll_box = self.query_one("#proj-poll", Static)
        poll_box.display = poll is not None
        if poll is not None:
            # The poll has 3/5 of the width beside the QR code; label and count take about 18 cells.
            width = max(6, min(30, (app.size.width - qr_width) * 3 // 5 - 22))
            poll_box.update(assemble(*self._poll_parts(poll.poll_id, width)))

    def _poll_parts(self, poll_id: str, width: int) -> list[Part]:
        tr = tr_of(self)
        poll = app_of(self).state.polls[poll_id]
        head = tr("poll.open") if poll.status == "open" else tr("poll.closed")
        parts: list[Part] = [(head, "italic"), "\n", (poll.question, "bold"), "\n\n"]
        # Bars for choices and ratings, the word cloud, or the approved open answers.
        parts += results_parts(poll, tr, width=width)
        parts += ["\n\n", (poll_summary(poll, tr), "bold")]
        parts += table_parts(poll, bool(app_of(self).state.tables), tr)
        shift = shift_parts(poll, choice_labels(poll), tr)
        return [*parts, "\n\n", *shift] if shift else parts

    def _slide(self, state: ClientState, mode: Mode) -> list[Part]:
        """A full-screen slide: one question, one poll, one round, or words."""
        tr = tr_of(self)
        item = state.spotlight.item_id or ""
        if mode == "question":
            q = state.questions[item]
            author = tr("questions.anonymous") if q.anonymous else q.author_name
            parts: list[Part] = [(tr("projector.question"), "italic"), "\n\n", (q.text, "bold"), "\n\n"]
            parts += [("— ", "italic"), *author_parts(author, q.author_role, tr, "italic")]
            parts += ["   ", tr.plural("questions.votes", q.votes)]
            if q.answered:
                parts += ["   ", (tr("questions.answered"), "bold")]
            variants = state.variants_of(q.question_id)  # issue 12: duplicates merged into it
            if variants:
                parts += ["\n", (tr.plural("questions.variants", len(variants)), "italic")]
            if q.answer:
                parts += ["\n\n", (tr("questions.answer"), "bold"), q.answer]
            return parts
        if mode == "poll":
            width = max(10, min(50, app_of(self).size.width - 40))
            return self._poll_parts(item, width)
        if mode == "round_preview":
            round_ = state.rounds[item]
            number = state.agenda.index(item) + 1
            return [
                (tr("header.round", number=number, total=len(state.agenda)), "bold"),
                " · ",
                (round_.title, "bold"),
                "\n\n",
                (round_.theme, "italic"),
                "\n\n",
                (tr(f"projector.round_{round_.status}"), "italic"),
            ]
        if mode == "syntheses":  # every table's, or the one named (a removed table's stay)
            return synthesis_parts(state, tr, state.spotlight.item_id)
        if mode == "welcome":
            lines: list[Part] = [(tr("projector.welcome"), "bold"), "\n"]
            for number, round_id in enumerate(state.agenda, start=1):
                lines += ["\n", f"{number}. ", state.rounds[round_id].title]
            return lines
        # The end slide, or an evening whose rounds have all ended (the top line says so).
        return [(tr("projector.thanks"), "bold")]

    def _draw_join(self, welcome: bool) -> None:
        app = app_of(self)
        tr = tr_of(self)
        code = app.join_code or ""
        page = http_url_of(app.join_url)  # the guest page, on the server's port
        join = self.query_one("#proj-join", Static)
        # On the welcome slide, how to join is the point: said in full, not muted.
        join.set_class(welcome, "-welcome")
        join.update(
            assemble(
                tr("projector.join_code"),
                (code, "bold reverse"),
                "   ",
                tr("projector.join", link=join_link(page, code) if code else page),
            )
        )
