"""Approved questions sorted by votes (or time), and the participant's own pending ones."""

from __future__ import annotations

from typing import ClassVar

from textual.binding import Binding, BindingType
from textual.widgets import OptionList
from textual.widgets.option_list import Option

from client import messages as m
from client.state import ClientState, QuestionItem
from client.widgets.render import Part, app_of, assemble, clock_time, empty_note, tr_of
from client.widgets.spotlight import SpotlightRequested
from shared import protocol as p

EARLIER = "earlier"  # the last row while older questions are on the server


class QuestionList(OptionList):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("u", "upvote", "key.upvote"),
        Binding("s", "sort", "key.sort"),
        Binding("w", "withdraw", "key.withdraw"),
        Binding("p", "pin", "key.pin"),
        Binding("d", "answered", "key.answered"),
        Binding("f", "spotlight", "key.spotlight"),
    ]

    def __init__(self, **kwargs: object) -> None:
        super().__init__(markup=False, **kwargs)  # type: ignore[arg-type]
        self.by_votes = True

    def render_question(self, state: ClientState, q: QuestionItem) -> Option:
        tr = tr_of(self)
        pinned = state.pinned == q.question_id
        upvoted = q.question_id in state.my_upvotes
        head: list[Part] = []
        if q.status == "approved":
            head += [(f"▲{q.votes:>3} ", "bold" if upvoted else "")]
        head.append((q.text, "bold") if pinned else q.text)
        author = tr("questions.anonymous") if q.anonymous else (q.author_name or "")
        meta: list[Part] = ["\n      ", (author.replace("\n", " "), "italic"), " · "]
        meta.append(clock_time(q.at, app_of(self).tz))
        flags: list[str] = []
        if q.status == "approved":
            flags.append(tr.plural("questions.votes", q.votes))
        if pinned:
            flags.append(tr("questions.pinned"))
        if q.answered:
            flags.append(tr("questions.answered"))
        if upvoted:
            flags.append(tr("questions.upvoted"))
        if state.is_mine(q):
            flags.append(tr("questions.mine"))
        for flag in flags:
            meta += [" · ", (flag, "bold")]
        if q.status == "pending":
            meta += [" · ", (tr("questions.pending"), "reverse")]
        content = assemble(*head, *meta)
        if pinned:
            content = content.stylize("reverse")
        return Option(content, id=q.question_id)

    def shown_questions(self, state: ClientState) -> list[QuestionItem]:
        questions = state.approved_questions(self.by_votes)
        if state.role != "moderator":
            mine = [q for q in state.pending_questions() if state.is_mine(q)]
            questions = mine + questions
        return questions

    def sync(self, state: ClientState) -> None:
        highlighted = self.highlighted_option.id if self.highlighted_option else None
        questions = self.shown_questions(state)
        options = [self.render_question(state, q) for q in questions]
        if state.questions_before is not None:
            # A long evening's welcome holds the recent questions (and the most
            # upvoted): the older ones come on demand, from this last row.
            earlier = assemble(("↓ ", "dim"), (tr_of(self)("questions.earlier"), "italic"))
            options.append(Option(earlier, id=EARLIER))
        self.set_options(options)
        if not options:
            key = "questions.empty_moderator" if state.role == "moderator" else "questions.empty"
            self.set_options([empty_note(tr_of(self)(key))])
        ids = [q.question_id for q in questions]
        if highlighted in ids:
            self.highlighted = ids.index(highlighted)
        elif ids:
            self.highlighted = 0  # one key acts at once on the first item

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        if event.option.id != EARLIER:
            return
        event.stop()
        before = app_of(self).state.questions_before
        if before is not None:
            self.screen.post_message(
                m.CommandWanted(lambda id_: p.FetchHistory(id=id_, kind="questions", before=before))
            )

    def _selected(self) -> QuestionItem | None:
        option = self.highlighted_option
        if option is None or option.id is None:
            return None
        return app_of(self).state.questions.get(option.id)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        role = app_of(self).state.role
        if action in ("pin", "answered", "spotlight"):
            return role == "moderator"
        if action == "upvote":
            return role == "participant"
        if action == "withdraw":
            question = self._selected()
            return question is not None and app_of(self).state.is_mine(question)
        return True

    def action_upvote(self) -> None:
        question = self._selected()
        if question is None or question.status != "approved":
            return
        app = app_of(self)
        question_id = question.question_id
        if question_id in app.state.my_upvotes:
            self.screen.post_message(
                m.CommandWanted(lambda id_: p.WithdrawUpvote(id=id_, question_id=question_id))
            )
        else:
            self.screen.post_message(
                m.CommandWanted(lambda id_: p.UpvoteQuestion(id=id_, question_id=question_id))
            )

    def action_withdraw(self) -> None:
        question = self._selected()
        app = app_of(self)
        if question is None or not app.state.is_mine(question):
            return
        question_id = question.question_id
        secret = app.state.my_secrets.get(question_id)
        self.screen.post_message(
            m.CommandWanted(lambda id_: p.WithdrawQuestion(id=id_, question_id=question_id, secret=secret))
        )

    def on_option_list_option_highlighted(self, event: OptionList.OptionHighlighted) -> None:
        self.refresh_bindings()  # "withdraw" shows only on one's own question

    def action_sort(self) -> None:
        self.by_votes = not self.by_votes
        app = app_of(self)
        self.sync(app.state)
        app.notify(tr_of(self)("questions.by_votes" if self.by_votes else "questions.by_time"))

    def action_pin(self) -> None:
        question = self._selected()
        if question is not None:
            app = app_of(self)
            question_id = question.question_id
            if app.state.pinned == question_id:
                self.screen.post_message(
                    m.CommandWanted(lambda id_: p.UnpinQuestion(id=id_, question_id=question_id))
                )
            else:
                self.screen.post_message(
                    m.CommandWanted(lambda id_: p.PinQuestion(id=id_, question_id=question_id))
                )

    def action_spotlight(self) -> None:
        """Show the highlighted question full screen on the projector."""
        question = self._selected()
        if question is not None:
            self.post_message(SpotlightRequested("question", question.question_id))

    def action_answered(self) -> None:
        question = self._selected()
        if question is not None:
            question_id = question.question_id
            self.screen.post_message(
                m.CommandWanted(lambda id_: p.MarkAnswered(id=id_, question_id=question_id))
            )
