"""Approved questions sorted by votes (or time), and the participant's own pending ones."""

from __future__ import annotations

from collections.abc import Callable
from typing import ClassVar

from textual.binding import Binding, BindingType
from textual.widgets import OptionList
from textual.widgets.option_list import Option

from client import messages as m
from client.dialogs.forms import AnswerDraft, AnswerScreen
from client.state import ClientState, QuestionItem
from client.widgets.render import Part, app_of, assemble, author_parts, clock_time, empty_note, tr_of
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
        # Moderators (issue 12): mark duplicates, merge them into the highlighted
        # question, split one off again; a written answer. Out of the footer,
        # which must fit at 80 columns: in the README's keys and the palette.
        Binding("x", "mark", "key.mark", show=False),
        Binding("M", "merge", "key.merge", show=False),
        Binding("U", "unmerge", "key.unmerge", show=False),
        Binding("A", "write_answer", "key.write_answer", show=False),
    ]

    def __init__(self, **kwargs: object) -> None:
        super().__init__(markup=False, **kwargs)  # type: ignore[arg-type]
        self.by_votes = True
        self.marked: set[str] = set()  # the moderator's duplicates, to merge
        self.groups: dict[str, list[QuestionItem]] = {}  # kept question -> variants, per sync
        self.last_merged: list[str] = []  # what "undo the last merge" splits off

    def render_question(self, state: ClientState, q: QuestionItem) -> Option:
        tr = tr_of(self)
        pinned = state.pinned == q.question_id
        upvoted = state.upvoted(q.question_id, self.groups.get(q.question_id, []))  # a duplicate's too
        head: list[Part] = []
        if q.status == "approved":
            head += [(f"▲{q.votes:>3} ", "bold" if upvoted else "")]
        head.append((q.text, "bold") if pinned else q.text)
        author = tr("questions.anonymous") if q.anonymous else q.author_name
        meta: list[Part] = ["\n      ", *author_parts(author, q.author_role, tr, "italic"), " · "]
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
        if q.question_id in self.marked:
            meta += [" · ", (tr("questions.marked"), "reverse")]
        content = assemble(*head, *meta, *self.under(state, q))
        if pinned:
            content = content.stylize("reverse")
        return Option(content, id=q.question_id)

    def under(self, state: ClientState, q: QuestionItem) -> list[Part]:
        """Issue 12: its written answer, then (for guests) the duplicates merged
        into it; a moderator gets each duplicate as its own line, to split it off."""
        tr = tr_of(self)
        parts: list[Part] = []
        if q.answer:
            parts += ["\n      ", (tr("questions.answer"), "bold"), q.answer.replace("\n", "\n      ")]
        variants = self.groups.get(q.question_id, [])
        if variants and state.role != "moderator":
            parts += ["\n      ", (tr.plural("questions.variants", len(variants)), "italic")]
            for variant in variants:
                parts += ["\n        ", tr("questions.variant"), *self.variant_line(variant)]
                if state.is_mine(variant):
                    parts += [" · ", (tr("questions.mine"), "bold")]
        return parts

    def variant_line(self, variant: QuestionItem) -> list[Part]:
        tr = tr_of(self)
        author = tr("questions.anonymous") if variant.anonymous else variant.author_name
        by = author_parts(author, variant.author_role, tr, "italic")
        return [variant.text.replace("\n", " "), " — ", *by]

    def render_variant(self, variant: QuestionItem) -> Option:
        """A moderator's line for a merged duplicate, under the kept question."""
        tr = tr_of(self)
        parts: list[Part] = ["      ", tr("questions.variant"), *self.variant_line(variant)]
        parts += [" · ", (tr("questions.merged_mark"), "italic")]
        return Option(assemble(*parts).stylize("dim"), id=variant.question_id)

    def shown_questions(self, state: ClientState) -> list[QuestionItem]:
        questions = state.approved_questions(self.by_votes)
        if state.role != "moderator":
            mine = [q for q in state.pending_questions() if state.is_mine(q)]
            questions = mine + questions
        return questions

    def sync(self, state: ClientState) -> None:
        highlighted = self.highlighted_option.id if self.highlighted_option else None
        questions = self.shown_questions(state)
        self.groups = state.variants()
        options: list[Option] = []
        for q in questions:
            options.append(self.render_question(state, q))
            if state.role == "moderator":
                options += [self.render_variant(v) for v in self.groups.get(q.question_id, [])]
        self.marked &= {q.question_id for q in questions}  # merged or gone: no longer marked
        if state.questions_before is not None:
            # A long evening's welcome holds the recent questions (and the most
            # upvoted): the older ones come on demand, from this last row.
            earlier = assemble(("↓ ", "dim"), (tr_of(self)("questions.earlier"), "italic"))
            options.append(Option(earlier, id=EARLIER))
        self.set_options(options)
        if not options:
            key = "questions.empty_moderator" if state.role == "moderator" else "questions.empty"
            self.set_options([empty_note(tr_of(self)(key))])
        ids = [option.id for option in options]
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
        if action in ("pin", "answered", "spotlight", "mark", "merge", "unmerge", "write_answer"):
            return role == "moderator"
        if action == "upvote":
            return role == "participant"
        if action == "withdraw":
            question = self._selected()
            return question is not None and app_of(self).state.is_mine(question)
        return True

    def action_upvote(self) -> None:
        question = self._selected()
        if question is None or question.status != "approved" or question.merged_into is not None:
            return
        app = app_of(self)
        question_id = question.question_id
        if app.state.upvoted(question_id):
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

    # --- merged questions and written answers (issue 12) ---------------------------

    def _kept(self) -> QuestionItem | None:
        """The highlighted question, if it is in the lists (not a merged one)."""
        question = self._selected()
        return question if question is not None and question.merged_into is None else None

    def action_mark(self) -> None:
        """Mark (or unmark) the highlighted question as a duplicate to merge."""
        question = self._kept()
        if question is None:
            return
        app = app_of(self)
        tr = tr_of(self)
        if question.question_id in self.marked:
            self.marked.discard(question.question_id)
            app.notify(tr("merge.unmarked"))
        else:
            self.marked.add(question.question_id)
            app.notify(tr.plural("merge.marked", len(self.marked)))
        self.sync(app.state)

    def action_merge(self) -> None:
        """Merge the marked questions into the highlighted one."""
        keep = self._kept()
        app = app_of(self)
        merged = sorted(self.marked - {keep.question_id} if keep else set())
        if keep is None or not merged:
            app.notify(tr_of(self)("merge.none_marked"), severity="warning")
            return
        keep_id = keep.question_id
        self.marked.clear()
        self.last_merged = merged
        self.screen.post_message(
            m.CommandWanted(lambda id_: p.MergeQuestions(id=id_, keep_id=keep_id, merged_ids=merged))
        )

    def action_unmerge(self) -> None:
        """Split the highlighted merged question off again (the merge's undo)."""
        question = self._selected()
        if question is not None and question.merged_into is not None:
            self.unmerge([question.question_id])

    def action_unmerge_last(self) -> None:
        """Undo the last merge: split off those of its questions still merged."""
        state = app_of(self).state
        still = [q for q in self.last_merged if (v := state.questions.get(q)) is not None and v.merged_into]
        if not still:
            app_of(self).notify(tr_of(self)("merge.nothing_to_undo"), severity="warning")
            return
        self.unmerge(still)
        self.last_merged = []

    def unmerge(self, question_ids: list[str]) -> None:
        for question_id in question_ids:
            self.screen.post_message(m.CommandWanted(_unmerging(question_id)))

    def action_write_answer(self) -> None:
        """A written answer to the highlighted question (a new one replaces it)."""
        question = self._kept()
        if question is None or question.status != "approved":
            return
        question_id = question.question_id

        def written(draft: AnswerDraft | None) -> None:
            if draft is not None:
                text = draft.text
                self.screen.post_message(
                    m.CommandWanted(lambda id_: p.AnswerQuestion(id=id_, question_id=question_id, text=text))
                )

        app_of(self).push_screen(AnswerScreen(question.text, question.answer or ""), written)


def _unmerging(question_id: str) -> Callable[[str], p.UnmergeQuestion]:
    return lambda id_: p.UnmergeQuestion(id=id_, question_id=question_id)
