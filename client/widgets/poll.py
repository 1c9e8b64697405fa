"""The open poll: options (or the points of a rating scale) to choose with keys or
mouse, words or an open answer to type; live bars, a word cloud, final results."""

from __future__ import annotations

from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.content import Content
from textual.widgets import Button, Input, OptionList, Static
from textual.widgets.option_list import Option

from client import messages as m
from client.i18n import Translator
from client.messages import StateChanged
from client.state import POLLS, ClientState, PollItem
from client.widgets.render import Part, app_of, assemble, bar, plain, tr_of
from client.widgets.shift import shift_parts
from shared import events as ev
from shared import limits
from shared import protocol as p
from shared.tally import rating_average, share_of_voters, voters_or_ticks


def shown_poll(state: ClientState) -> PollItem | None:
    """The open poll, or else the last closed one (its final results)."""
    return state.open_poll or state.last_closed_poll


def choice_labels(poll: PollItem) -> list[str]:
    """What a guest chooses from: a choice poll's options, or a rating's points
    (the end labels beside the ends); nothing for words and open polls."""
    if poll.kind == "rating":
        points = [str(point) for point in range(1, (poll.scale_max or 0) + 1)]
        if poll.scale_labels and points:
            points[0] = f"{points[0]} · {poll.scale_labels[0]}"
            points[-1] = f"{points[-1]} · {poll.scale_labels[1]}"
        return points
    return list(poll.options) if poll.kind == "choice" else []


def my_marks(state: ClientState, poll: PollItem) -> list[int] | None:
    """Our ballot as indexes of ``choice_labels`` (a rating r is index r - 1)."""
    if poll.kind == "rating":
        rating = state.my_ratings.get(poll.poll_id)
        return None if rating is None else [rating - 1]
    return state.my_ballots.get(poll.poll_id)


def has_voted(state: ClientState, poll: PollItem) -> bool:
    """Whether we took part: a ballot of ours, or an open answer we sent."""
    poll_id = poll.poll_id
    return (
        poll_id in state.my_ballots
        or poll_id in state.my_ratings
        or poll_id in state.my_words
        or poll_id in state.my_answered
    )


def cloud_parts(words: list[ev.WordCount], tr: Translator, limit: int = 30) -> list[Part]:
    """A word cloud for the terminal: the most frequent words bright and bold,
    the rarest dim; each with its count (not only a style tells them apart)."""
    if not words:
        return [(tr("poll.no_words"), "italic")]
    top = words[0].count
    parts: list[Part] = []
    for index, word in enumerate(words[:limit]):
        if index:
            parts.append("   ")
        share = word.count / top if top else 0
        style = "bold reverse" if share > 0.66 else "bold" if share > 0.33 else "dim"
        parts += [(word.word, style), f" {word.count}"]
    return parts


def answers_parts(poll: PollItem, tr: Translator, *, review: bool = False) -> list[Part]:
    """An open poll's answers: the approved ones (moderators: every one, with its status)."""
    answers = [a for a in poll.answers if review or a.status == "approved"]
    if not answers:
        return [(tr("poll.no_answer"), "italic")]
    parts: list[Part] = []
    for answer in answers:
        if parts:
            parts.append("\n")
        parts += ["• ", answer.text]
        if review:
            style = "bold" if answer.status == "pending" else "dim"
            parts += ["  ", (tr(f"poll.answer_{answer.status}"), f"italic {style}")]
    return parts


def results_parts(poll: PollItem, tr: Translator, width: int = 20) -> list[Part]:
    """The results as bars (choice, rating), a cloud (words) or answers (open)."""
    if poll.kind == "words":
        return cloud_parts(poll.words, tr) if poll.words is not None else []
    if poll.kind == "open":
        return answers_parts(poll, tr) if poll.status == "closed" or not poll.hide_results else []
    parts: list[Part] = []
    for index in range(len(choice_labels(poll))):
        parts += ["\n" if parts else "", option_line(poll, index, None, set(), tr, width=width)]
    return parts


def option_line(
    poll: PollItem,
    index: int,
    mine: list[int] | None,
    ticked: set[int],
    tr: Translator,
    width: int = 20,
    *,
    choosing: bool = False,
) -> Content:
    """One option; ``choosing`` draws the guest's mark (( ) / (•) or [ ] / [x])."""
    option = choice_labels(poll)[index]
    parts: list[Part] = [] if poll.kind == "rating" else [(f"{index + 1}. ", "bold")]
    if choosing:
        on = index in ticked
        if poll.multiple:
            parts.append(("[x] ", "bold") if on else "[ ] ")
        else:
            parts.append(("(•) ", "bold") if on else "( ) ")
    parts.append((option, "bold") if mine and index in mine else option)
    if mine and index in mine:
        parts += ["  ", (f"← {tr('poll.your_vote')}", "italic")]
    if poll.counts is not None and index < len(poll.counts):
        # A share of the voters, as in the exports (several answers may add up past 100 %).
        voters = voters_or_ticks(poll.counts, poll.voters)
        count = poll.counts[index]
        percent = tr("poll.percent", percent=round(share_of_voters(count, voters)))
        parts += ["\n   ", bar(count, voters, width), f" {count:>3} ({percent})"]
    return assemble(*parts)


def poll_summary(poll: PollItem, tr: Translator) -> str:
    key = "poll.answers" if poll.kind == "open" else "poll.voters"
    if poll.status != "closed" and poll.counts is None:  # hidden results: how many voted is public
        hidden = tr("poll.hidden")
        return hidden if poll.voters is None else f"{tr.plural(key, poll.voters)} · {hidden}"
    voters = tr.plural(key, poll.voters or 0)
    if poll.kind == "rating" and poll.counts is not None:
        average = rating_average(poll.counts)
        if average is None:
            return f"{voters} · {tr('poll.no_average')}"
        shown = f"{average:.1f}".replace(".", "," if tr.lang == "fr" else ".")
        return f"{voters} · {tr('poll.average', average=shown, max=poll.scale_max)}"
    return f"{voters} · {tr('poll.several_answers')}" if poll.multiple else voters


def table_parts(poll: PollItem, has_tables: bool, tr: Translator) -> list[Part]:
    """A closed poll's results by table (issue 13), under k ≥ 3: each table shown,
    then "other tables", and why some (or all) are merged."""
    if poll.status != "closed" or not has_tables or poll.kind not in ("choice", "rating"):
        return []
    if not poll.by_table:
        return ["\n\n", (tr("poll.by_table_none"), "italic")]
    parts: list[Part] = ["\n\n", (tr("poll.by_table"), "bold underline")]
    for group in poll.by_table:
        name = group.table_name if group.table_id is not None else tr("poll.other_tables")
        shares = " · ".join(
            f"{label} {count} ({tr('poll.percent', percent=round(share_of_voters(count, group.voters)))})"
            for label, count in zip(choice_labels(poll), group.counts, strict=False)
        )
        parts += ["\n", (name or "", "bold"), f" — {tr.plural('poll.voters', group.voters)}: ", shares]
    if any(group.table_id is None for group in poll.by_table):
        parts += ["\n", (tr("poll.by_table_merged"), "italic")]
    return parts


class PollOptions(OptionList):
    """A ballot filled in deliberately: nothing is sent until the guest confirms.

    The cursor starts on no option for each new poll. Arrows or a digit move it,
    Enter or space marks the option under it (the only one for a single-choice
    poll), and only ``v`` (or the Vote button) sends: a stray digit or Enter
    casts nothing.
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("space", "tick", "key.tick"),
        # Enter ticks at once (not through OptionSelected, which is handled later,
        # after the keys typed next may have moved the cursor).
        Binding("enter", "tick", show=False),
        Binding("v", "vote", "key.vote"),
        *[Binding(str(n), f"go_to({n - 1})", show=False) for n in range(1, 10)],
    ]

    def __init__(self, **kwargs: object) -> None:
        super().__init__(markup=False, **kwargs)  # type: ignore[arg-type]
        self.ticked: set[int] = set()
        self.poll_id: str | None = None

    def sync(self, state: ClientState, poll: PollItem | None) -> None:
        if poll is None:
            self.poll_id = None
            self.ticked = set()
            self.clear_options()
            return
        fresh = poll.poll_id != self.poll_id
        if fresh:
            self.ticked = set(my_marks(state, poll) or [])
            self.poll_id = poll.poll_id
        mine = my_marks(state, poll)
        highlighted = None if fresh else self.highlighted
        tr = tr_of(self)
        choosing = poll.status == "open" and state.role == "participant"
        labels = choice_labels(poll)
        self.set_options(
            [
                Option(
                    option_line(poll, i, mine, self.ticked, tr, choosing=choosing),
                    id=str(i),
                    disabled=poll.status != "open",
                )
                for i in range(len(labels))
            ]
        )
        if highlighted is not None and highlighted < len(labels):
            self.highlighted = highlighted
        self.refresh_bindings()

    def _poll(self) -> PollItem | None:
        state = app_of(self).state
        poll = state.polls.get(self.poll_id) if self.poll_id else None
        return poll if poll is not None and poll.status == "open" else None

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in ("tick", "vote"):
            return self._poll() is not None and app_of(self).state.role == "participant"
        return True

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()  # a click: tick the option clicked
        self.tick(event.option_index)

    def action_go_to(self, index: int) -> None:
        """A digit only moves the cursor: it never votes."""
        poll = self._poll()
        if poll is not None and index < len(choice_labels(poll)):
            self.highlighted = index

    def action_tick(self) -> None:
        if self.highlighted is not None:
            self.tick(self.highlighted)

    def tick(self, index: int) -> None:
        poll = self._poll()
        if poll is None or index >= len(choice_labels(poll)) or app_of(self).state.role != "participant":
            return
        if poll.multiple:
            self.ticked ^= {index}
        else:
            self.ticked = {index}
        self.post_message(StateChanged(frozenset({POLLS})))

    def action_vote(self) -> None:
        poll = self._poll()
        if poll is None or app_of(self).state.role != "participant":
            return
        if not self.ticked:
            key = "poll.nothing_ticked" if poll.multiple else "poll.nothing_chosen"
            app_of(self).notify(tr_of(self)(key), severity="warning")
            return
        poll_id, choices = poll.poll_id, sorted(self.ticked)
        if poll.kind == "rating":
            rating = choices[0] + 1
            wanted = m.CommandWanted(lambda id_: p.CastBallot(id=id_, poll_id=poll_id, rating=rating))
        else:
            wanted = m.CommandWanted(lambda id_: p.CastBallot(id=id_, poll_id=poll_id, choices=choices))
        self.screen.post_message(wanted)


class PollPanel(Vertical):
    def compose(self) -> ComposeResult:
        yield Static(id="poll-question", markup=False)
        yield Static(id="poll-help", markup=False)
        yield PollOptions(id="poll-options")
        # Words and open polls: typed, then sent with Enter or the button.
        yield Input(id="poll-text", max_length=limits.OPEN_ANSWER_MAX)
        yield Static(id="poll-results", markup=False)
        yield Button(tr_of(self)("poll.send"), id="poll-send", compact=True)
        yield Static(id="poll-summary", markup=False)
        yield Static(id="poll-by-table", markup=False)
        yield Static(id="poll-shift", markup=False)

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        if self.query_one("#poll-text", Input).display:
            self.send_text()
        else:
            self.query_one(PollOptions).action_vote()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.send_text()

    def send_text(self) -> None:
        """Send the words (up to 3, separated by commas) or the open answer typed."""
        app = app_of(self)
        poll = app.state.open_poll
        field = self.query_one("#poll-text", Input)
        text = field.value.strip()
        if poll is None or app.state.role != "participant" or not text:
            return
        tr = tr_of(self)
        poll_id = poll.poll_id
        if poll.kind == "words":
            words = [word.strip() for word in text.split(",") if word.strip()]
            if len(words) > limits.WORDS_PER_BALLOT:
                app.notify(tr("poll.too_many_words"), severity="warning")
                return
            if any(len(word) > limits.WORD_MAX for word in words):
                app.notify(tr("poll.word_too_long"), severity="warning")
                return
            self.screen.post_message(
                m.CommandWanted(lambda id_: p.CastBallot(id=id_, poll_id=poll_id, words=words))
            )
        elif poll.kind == "open":
            self.screen.post_message(
                m.CommandWanted(lambda id_: p.CastBallot(id=id_, poll_id=poll_id, text=text))
            )
            field.value = ""  # an answer is sent once; another may follow

    def sync(self, state: ClientState) -> None:
        tr = tr_of(self)
        poll = shown_poll(state)
        question = self.query_one("#poll-question", Static)
        helper = self.query_one("#poll-help", Static)
        summary = self.query_one("#poll-summary", Static)
        options = self.query_one(PollOptions)
        options.sync(state, poll)
        typed = poll is not None and poll.kind in ("words", "open")
        options.display = poll is not None and not typed
        choosing = poll is not None and poll.status == "open" and state.role == "participant"
        send = self.query_one("#poll-send", Button)
        send.display = choosing
        send.label = tr("poll.send_words" if typed else "poll.send")
        field = self.query_one("#poll-text", Input)
        field.display = typed and choosing
        results = self.query_one("#poll-results", Static)
        results.display = typed
        shift = self.query_one("#poll-shift", Static)
        shift.display = poll is not None and poll.repeat_of is not None
        if poll is None:
            question.update(tr("poll.none"))
            helper.update(tr("poll.none_help") if state.role == "participant" else "")
            summary.update("")
            self.query_one("#poll-by-table", Static).update("")
            return
        if poll.repeat_of is not None:
            shown = shift_parts(poll, choice_labels(poll), tr) or [(tr("shift.pending"), "italic")]
            shift.update(assemble(*shown))
        if typed:
            # The placeholder follows the kind; the text typed stays (nothing from the server takes it).
            field.placeholder = tr(
                "poll.words_placeholder" if poll.kind == "words" else "poll.open_placeholder"
            )
            field.max_length = limits.OPEN_ANSWER_MAX if poll.kind == "open" else 3 * (limits.WORD_MAX + 2)
            results.update(assemble(*results_parts(poll, tr)))
        head = tr("poll.open") if poll.status == "open" else tr("poll.closed")
        question.update(assemble((head, "italic"), "\n", (poll.question, "bold")))
        if not choosing:
            helper.update("")
        else:
            helper.update(self.help_text(poll, state, options.ticked))
        summary.update(plain(poll_summary(poll, tr)))
        by_table = table_parts(poll, bool(state.tables), tr)[1:]  # its own box: no blank line first
        self.query_one("#poll-by-table", Static).update(assemble(*by_table))

    def help_text(self, poll: PollItem, state: ClientState, ticked: set[int]) -> str:
        tr = tr_of(self)
        if poll.kind == "words":
            mine = state.my_words.get(poll.poll_id)
            help_ = tr("poll.words_help")
            return f"{help_}\n{tr('poll.your_words', words=', '.join(mine))}" if mine else help_
        if poll.kind == "open":
            return tr("poll.open_help")
        marks = my_marks(state, poll)
        if ticked and sorted(ticked) != (marks or []):
            return tr("poll.confirm_help")
        if poll.kind == "rating":
            return tr("poll.rating_help", max=poll.scale_max)
        return tr("poll.multiple_help" if poll.multiple else "poll.single_help")
