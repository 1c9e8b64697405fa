"""The moderator's lists: triage, agenda, polls and presence."""

from __future__ import annotations

from typing import ClassVar

from textual.binding import Binding, BindingType
from textual.widgets import OptionList
from textual.widgets.option_list import Option

from client import messages as m
from client.dialogs.forms import ConfirmScreen, PollDraft, PollScreen, RoundDraft, RoundScreen
from client.state import ClientState, PollItem, RoundItem
from client.widgets.poll import choice_labels, cloud_parts, option_line, poll_summary, table_parts
from client.widgets.render import Part, app_of, assemble, author_parts, clock_time, empty_note, tr_of
from client.widgets.shift import shift_parts
from client.widgets.spotlight import SpotlightRequested
from shared import protocol as p
from shared.text import single_line
from shared.view import id_order

_MOVE = Binding.Group("key.move", compact=True)


class _Synced(OptionList):
    def __init__(self, **kwargs: object) -> None:
        super().__init__(markup=False, **kwargs)  # type: ignore[arg-type]

    def keep_highlight(self, options: list[Option], empty: str = "") -> None:
        """Show ``options`` (or, when there are none, what to do: ``empty``)."""
        highlighted = self.highlighted_option.id if self.highlighted_option else None
        if not options and empty:
            self.set_options([empty_note(empty)])
            return
        self.set_options(options)
        ids = [option.id for option in options]
        if highlighted in ids:
            self.highlighted = ids.index(highlighted)
        elif options:
            self.highlighted = 0  # one key acts at once on the first item

    def selected_id(self) -> str | None:
        option = self.highlighted_option
        return option.id if option is not None else None


class TriageList(_Synced):
    """Pending questions: approve or reject with one key each; below them the
    rejected ones, which the same 'r' restores to the queue."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("a", "approve", "key.approve"),
        Binding("r", "reject", "key.reject"),
        Binding("m", "moderation", "key.moderation"),
    ]

    def sync(self, state: ClientState) -> None:
        tr = tr_of(self)
        tz = app_of(self).tz
        options = []
        for q in [*state.pending_questions(), *state.rejected_questions()]:
            author = tr("questions.anonymous") if q.anonymous else q.author_name
            parts: list[Part] = [
                q.text,
                "\n      ",
                *author_parts(author, q.author_role, tr, "italic"),
                " · ",
                clock_time(q.at, tz),
            ]
            if q.status == "rejected":
                parts += [" · ", (tr("triage.rejected_mark"), "bold reverse")]
            if q.filtered:
                parts += [" · ", (tr("questions.filtered_mark"), "bold reverse")]
            content = assemble(*parts)
            options.append(
                Option(content.stylize("dim") if q.status == "rejected" else content, id=q.question_id)
            )
        on = "triage.empty_on" if state.moderation else "triage.empty_off"
        self.keep_highlight(options, tr("triage.empty") + " " + tr(on))

    def action_approve(self) -> None:
        if (question_id := self.selected_id()) is not None:
            self.screen.post_message(
                m.CommandWanted(lambda id_: p.ApproveQuestion(id=id_, question_id=question_id))
            )

    def action_reject(self) -> None:
        """Reject a pending question; restore a rejected one (the undo)."""
        if (question_id := self.selected_id()) is None:
            return
        question = app_of(self).state.questions.get(question_id)
        if question is not None and question.status == "rejected":
            wanted = m.CommandWanted(lambda id_: p.RestoreQuestion(id=id_, question_id=question_id))
        else:
            wanted = m.CommandWanted(lambda id_: p.RejectQuestion(id=id_, question_id=question_id))
        self.screen.post_message(wanted)

    def action_moderation(self) -> None:
        app = app_of(self)
        enabled = not app.state.moderation
        self.screen.post_message(m.CommandWanted(lambda id_: p.SetModeration(id=id_, enabled=enabled)))


class AgendaList(_Synced):
    """The rounds and their state; start, end, add, edit, move, remove."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("enter", "start", "key.start"),
        # n is Enter on the next planned round: one footer entry for both (80 columns).
        Binding("n", "start_next", "key.start_next", show=False),
        Binding("e", "end", "key.end"),
        Binding("r", "reopen", "key.reopen"),
        # Not in the footer, which must fit at 80 columns; in the README and the palette.
        Binding("f", "spotlight", "key.spotlight", show=False),
        Binding("plus,+", "add", "key.add"),
        Binding("E", "edit", "key.edit"),
        Binding("x,delete", "remove", "key.remove"),
        Binding("left_square_bracket", "move(-1)", "key.move_up", group=_MOVE),
        Binding("right_square_bracket", "move(1)", "key.move_down", group=_MOVE),
    ]

    def render_round(self, state: ClientState, index: int, round_: RoundItem) -> Option:
        tr = tr_of(self)
        status = tr(f"agenda.{round_.status}")
        style = "bold reverse" if round_.status == "live" else "dim" if round_.status == "ended" else ""
        return Option(
            assemble(
                f"{index + 1}. ",
                (f"[{status}]", style),
                " ",
                (round_.title, "bold"),
                "  ",
                (tr("agenda.minutes", minutes=round_.minutes), "italic"),
            ),
            id=round_.round_id,
        )

    def sync(self, state: ClientState) -> None:
        self.keep_highlight(
            [self.render_round(state, i, state.rounds[rid]) for i, rid in enumerate(state.agenda)],
            tr_of(self)("agenda.empty"),
        )
        self.refresh_bindings()

    # The footer shows only the keys that apply, so that it fits at 80 columns.
    _ON_PENDING = frozenset({"start", "edit", "remove", "move"})

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        state = app_of(self).state
        if action in self._ON_PENDING:
            round_ = self._round()
            return round_ is not None and round_.status == "pending"
        if action == "start_next":
            return state.next_round is not None
        if action == "end":
            return state.live_round is not None
        if action == "reopen":  # shown on an ended round only
            round_ = self._round()
            return round_ is not None and round_.status == "ended"
        return True

    def on_option_list_option_highlighted(self, event: OptionList.OptionHighlighted) -> None:
        self.refresh_bindings()

    def _round(self) -> RoundItem | None:
        round_id = self.selected_id()
        return app_of(self).state.rounds.get(round_id) if round_id else None

    def _pending(self) -> RoundItem | None:
        round_ = self._round()
        if round_ is not None and round_.status != "pending":
            app_of(self).notify(tr_of(self)("agenda.not_pending"), severity="warning")
            return None
        return round_

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.action_start()

    def action_start(self) -> None:
        if (round_ := self._pending()) is not None:
            self.confirm_start(round_)

    def action_start_next(self) -> None:
        app = app_of(self)
        following = app.state.next_round
        if following is None:
            app.notify(tr_of(self)("agenda.no_next"), severity="warning")
        else:
            self.confirm_start(following)

    def confirm_start(self, round_: RoundItem) -> None:
        """Starting a round ends the live one: asked first, so a double key does no harm."""
        app = app_of(self)
        tr = tr_of(self)
        question = tr("agenda.confirm_start", **self._named(round_))
        live = app.state.live_round
        if live is not None:
            question += " " + tr("agenda.confirm_start_ends", live=single_line(live.title))
        question += " " + tr("confirm.keys")

        def answered(yes: bool | None) -> None:
            if yes:
                round_id = round_.round_id
                self.screen.post_message(m.CommandWanted(lambda id_: p.StartRound(id=id_, round_id=round_id)))

        app.push_screen(ConfirmScreen(question), answered)

    def action_end(self) -> None:
        app = app_of(self)
        live = app.state.live_round
        if live is None:
            app.notify(tr_of(self)("error.no_live_round"), severity="warning")
            return
        question = tr_of(self)("agenda.confirm_end", **self._named(live)) + " " + tr_of(self)("confirm.keys")

        def answered(yes: bool | None) -> None:
            if yes:
                round_id = live.round_id
                self.screen.post_message(m.CommandWanted(lambda id_: p.EndRound(id=id_, round_id=round_id)))

        app.push_screen(ConfirmScreen(question), answered)

    def _named(self, round_: RoundItem) -> dict[str, object]:
        agenda = app_of(self).state.agenda
        return {
            "number": agenda.index(round_.round_id) + 1,
            "total": len(agenda),
            "title": single_line(round_.title),
        }

    def action_reopen(self) -> None:
        """Resume the highlighted ended round (its countdown continues)."""
        round_ = self._round()
        if round_ is None:
            return
        if round_.status != "ended":
            app_of(self).notify(tr_of(self)("agenda.not_ended"), severity="warning")
            return
        self.reopen(round_)

    def reopen(self, round_: RoundItem) -> None:
        """Resuming a round ends the live one: then it is asked first, like a start."""
        round_id = round_.round_id

        def answered(yes: bool | None) -> None:
            if yes:
                self.screen.post_message(
                    m.CommandWanted(lambda id_: p.ReopenRound(id=id_, round_id=round_id))
                )

        app = app_of(self)
        live = app.state.live_round
        if live is None:
            answered(True)  # an undo that ends nothing needs no question
            return
        tr = tr_of(self)
        question = " ".join(
            (
                tr("agenda.confirm_reopen", **self._named(round_)),
                tr("agenda.confirm_start_ends", live=single_line(live.title)),
                tr("confirm.keys"),
            )
        )
        app.push_screen(ConfirmScreen(question), answered)

    def action_spotlight(self) -> None:
        """Show the highlighted round on the projector (the live one: follow it)."""
        round_ = self._round()
        if round_ is not None:
            item = None if round_.status == "live" else round_.round_id
            self.post_message(SpotlightRequested("round", item))

    def action_reopen_last(self) -> None:
        """Resume the round that ended last (the palette's undo)."""
        app = app_of(self)
        ended = [r for r in app.state.rounds.values() if r.status == "ended" and r.ended_at]
        if not ended:
            app.notify(tr_of(self)("agenda.none_ended"), severity="warning")
            return
        self.reopen(max(ended, key=lambda r: r.ended_at or ""))

    def action_add(self) -> None:
        app = app_of(self)

        def added(draft: RoundDraft | None) -> None:
            if draft is not None:
                title, theme, minutes = draft.title, draft.theme, draft.minutes
                self.screen.post_message(
                    m.CommandWanted(lambda id_: p.AddRound(id=id_, title=title, theme=theme, minutes=minutes))
                )

        app.push_screen(RoundScreen(), added)

    def action_edit(self) -> None:
        round_ = self._pending()
        if round_ is None:
            return
        app = app_of(self)

        round_id = round_.round_id

        def edited(draft: RoundDraft | None) -> None:
            if draft is not None:
                self.screen.post_message(
                    m.CommandWanted(
                        lambda id_: p.UpdateRound(
                            id=id_,
                            round_id=round_id,
                            title=draft.title,
                            theme=draft.theme,
                            minutes=draft.minutes,
                        )
                    )
                )

        app.push_screen(RoundScreen(round_.title, round_.theme, round_.minutes, editing=True), edited)

    def action_remove(self) -> None:
        if (round_ := self._pending()) is not None:
            round_id = round_.round_id
            self.screen.post_message(m.CommandWanted(lambda id_: p.RemoveRound(id=id_, round_id=round_id)))

    def action_move(self, delta: int) -> None:
        round_ = self._pending()
        if round_ is None:
            return
        agenda = app_of(self).state.agenda
        position = max(0, min(len(agenda) - 1, agenda.index(round_.round_id) + delta))
        round_id = round_.round_id
        self.screen.post_message(
            m.CommandWanted(lambda id_: p.MoveRound(id=id_, round_id=round_id, position=position))
        )


class PollsList(_Synced):
    """Prepared, open and closed polls; the open one with its live bars."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("c", "create", "key.create_poll"),
        Binding("o", "open", "key.open_poll"),
        Binding("x", "close", "key.close_poll"),
        Binding("f", "spotlight", "key.spotlight"),
        Binding("a", "repeat", "key.repeat_poll"),
    ]

    def render_poll(self, state: ClientState, poll: PollItem) -> Option:
        tr = tr_of(self)
        status = tr(f"polls.{poll.status}")
        style = "bold reverse" if poll.status == "open" else "dim" if poll.status == "closed" else ""
        parts: list[Part] = [(f"[{status}]", style), " ", (poll.question, "bold")]
        flags = [] if poll.kind == "choice" else [tr(f"poll.kind.{poll.kind}")]
        summarised = poll.status != "draft" and poll.counts is not None
        if poll.multiple and not summarised:  # else the summary says it ("several answers possible")
            flags.append(tr("polls.multiple_flag"))
        if poll.hide_results:
            flags.append(tr("polls.hidden_flag"))
        if poll.repeat_of is not None:
            flags.append(tr("polls.repeat_flag"))
        if flags:
            parts += ["  ", (" · ".join(flags), "italic")]
        if poll.status != "draft":
            parts += ["  ", poll_summary(poll, tr) if summarised else ""]
            for index in range(len(choice_labels(poll))):
                parts += ["\n  ", option_line(poll, index, None, set(), tr)]
            if poll.kind == "words" and poll.words is not None:
                parts += ["\n  ", *cloud_parts(poll.words, tr, limit=12)]
            elif poll.kind == "open":  # the answers themselves are reviewed below the list
                parts += ["\n  ", (tr("answers.counts", **answer_counts(poll)), "italic")]
            parts += table_parts(poll, bool(state.tables), tr)
            shift = shift_parts(poll, choice_labels(poll), tr)
            if shift:
                parts += ["\n", *shift]
        else:
            parts += ["\n  ", " · ".join(choice_labels(poll))]
        return Option(assemble(*parts), id=poll.poll_id)

    def __init__(self, **kwargs: object) -> None:
        super().__init__(**kwargs)
        self.follow: str | None = None  # a poll we just created: the highlight goes to it

    def sync(self, state: ClientState) -> None:
        order = {"open": 0, "draft": 1, "closed": 2}
        polls = sorted(state.polls.values(), key=lambda poll: order[poll.status])
        self.keep_highlight([self.render_poll(state, poll) for poll in polls], tr_of(self)("polls.empty"))
        self.highlight_followed()

    def show_created(self, poll_id: str) -> None:
        """After ``c``: the new poll under the cursor, so that ``o`` opens it."""
        self.follow = poll_id
        self.highlight_followed()

    def highlight_followed(self) -> None:
        ids = [option.id for option in self.options]
        if self.follow in ids:  # else its event has not come yet: the next sync does it
            self.highlighted = ids.index(self.follow)
            self.follow = None

    def action_create(self) -> None:
        app = app_of(self)

        def created(draft: PollDraft | None) -> None:
            if draft is not None:
                self.screen.post_message(
                    m.CommandWanted(
                        lambda id_: p.CreatePoll(
                            id=id_,
                            question=draft.question,
                            kind=draft.kind,
                            options=draft.options if draft.kind == "choice" else None,
                            multiple=draft.multiple and draft.kind == "choice",
                            hide_results=draft.hide_results,
                            scale_max=draft.scale_max if draft.kind == "rating" else None,
                            scale_labels=draft.scale_labels if draft.kind == "rating" else None,
                        )
                    )
                )

        app.push_screen(PollScreen(), created)

    def action_repeat(self) -> None:
        """Ask the highlighted poll again (opinion shift): a draft with its question
        and options, ready to open once the first has closed."""
        if (poll_id := self.selected_id()) is not None:
            hidden = app_of(self).state.polls[poll_id].hide_results
            self.screen.post_message(
                m.CommandWanted(lambda id_: p.CreatePoll(id=id_, repeat_of=poll_id, hide_results=hidden))
            )

    def action_open(self) -> None:
        if (poll_id := self.selected_id()) is not None:
            self.screen.post_message(m.CommandWanted(lambda id_: p.OpenPoll(id=id_, poll_id=poll_id)))

    def action_spotlight(self) -> None:
        """Show the highlighted poll full screen on the projector (an opened one)."""
        if (poll_id := self.selected_id()) is not None:
            self.post_message(SpotlightRequested("poll", poll_id))

    def action_close(self) -> None:
        app = app_of(self)
        poll = app.state.open_poll
        if poll is not None:
            poll_id = poll.poll_id
            self.screen.post_message(m.CommandWanted(lambda id_: p.ClosePoll(id=id_, poll_id=poll_id)))


def answer_counts(poll: PollItem) -> dict[str, int]:
    return {
        status: sum(1 for answer in poll.answers if answer.status == status)
        for status in ("pending", "approved", "rejected")
    }


def reviewed_poll(state: ClientState) -> PollItem | None:
    """The open-answers poll under review: the latest one opened (open or closed)."""
    opened = [poll for poll in state.polls.values() if poll.kind == "open" and poll.status != "draft"]
    return max(opened, key=lambda poll: id_order(poll.poll_id)) if opened else None


class AnswersList(_Synced):
    """The open answers of the latest open-answers poll, to approve or reject, in
    the order they came (a list that stays still while one works through it: a
    or r moves on to the next). Their authors are unknown, to the moderators too."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("a", "approve", "key.approve_answer"),
        Binding("r", "reject", "key.reject_answer"),
    ]

    def sync(self, state: ClientState) -> None:
        tr = tr_of(self)
        poll = reviewed_poll(state)
        self.display = poll is not None
        if poll is None:
            self.set_options([])
            return
        options = []
        for answer in sorted(poll.answers, key=lambda a: id_order(a.answer_id)):
            style = "bold" if answer.status == "pending" else "dim" if answer.status == "rejected" else ""
            parts: list[Part] = [
                answer.text,
                "  ",
                (tr(f"poll.answer_{answer.status}"), f"italic {style}".strip()),
            ]
            options.append(Option(assemble(*parts), id=f"{poll.poll_id}/{answer.answer_id}"))
        self.border_title = tr("answers.title")
        self.keep_highlight(options, tr("answers.empty"))

    def _selected(self) -> tuple[str, str] | None:
        selected = self.selected_id()
        if selected is None or "/" not in selected:
            return None
        poll_id, answer_id = selected.split("/", 1)
        return poll_id, answer_id

    def action_approve(self) -> None:
        if (selected := self._selected()) is not None:
            poll_id, answer_id = selected
            self.screen.post_message(
                m.CommandWanted(lambda id_: p.ApproveAnswer(id=id_, poll_id=poll_id, answer_id=answer_id))
            )
            self.action_cursor_down()

    def action_reject(self) -> None:
        if (selected := self._selected()) is not None:
            poll_id, answer_id = selected
            self.screen.post_message(
                m.CommandWanted(lambda id_: p.RejectAnswer(id=id_, poll_id=poll_id, answer_id=answer_id))
            )
            self.action_cursor_down()


class PeopleList(_Synced):
    """Who is connected now (moderators receive the names); g gives one the floor."""

    BINDINGS: ClassVar[list[BindingType]] = [Binding("g", "give_floor", "key.give_floor")]

    def action_give_floor(self) -> None:
        """Call on someone, hand raised or not (the floor tab shows the queue)."""
        if (participant_id := self.selected_id()) is not None:
            self.screen.post_message(
                m.CommandWanted(lambda id_: p.GiveFloor(id=id_, participant_id=participant_id))
            )

    def sync(self, state: ClientState) -> None:
        tr = tr_of(self)
        options = []
        for person in sorted(state.connected, key=lambda c: c.name.casefold()):
            parts: list[Part] = [("● ", "bold"), person.name]
            if person.role == "moderator":
                parts += ["  ", (tr("people.moderator"), "italic")]
            options.append(Option(assemble(*parts), id=person.participant_id or None))
        if app_of(self).link.status != "connected":
            options = []  # who is here is unknown while we are not connected
            empty = tr("people.unknown")
        else:
            empty = tr("people.none")
        self.keep_highlight(options, empty)
