"""The open poll: options to choose with keys or mouse, live bars, final results."""

from __future__ import annotations

from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.content import Content
from textual.widgets import Button, OptionList, Static
from textual.widgets.option_list import Option

from client import messages as m
from client.i18n import Translator
from client.messages import StateChanged
from client.state import POLLS, ClientState, PollItem
from client.widgets.render import Part, app_of, assemble, bar, plain, tr_of
from shared import protocol as p
from shared.tally import share_of_voters, voters_or_ticks


def shown_poll(state: ClientState) -> PollItem | None:
    """The open poll, or else the last closed one (its final results)."""
    return state.open_poll or state.last_closed_poll


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
    option = poll.options[index]
    parts: list[Part] = [(f"{index + 1}. ", "bold")]
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
    if poll.status != "closed" and poll.counts is None:  # hidden results: how many voted is public
        hidden = tr("poll.hidden")
        return hidden if poll.voters is None else f"{tr.plural('poll.voters', poll.voters)} · {hidden}"
    voters = tr.plural("poll.voters", poll.voters or 0)
    return f"{voters} · {tr('poll.several_answers')}" if poll.multiple else voters


def table_parts(poll: PollItem, has_tables: bool, tr: Translator) -> list[Part]:
    """A closed poll's results by table (issue 13), under k ≥ 3: each table shown,
    then "other tables", and why some (or all) are merged."""
    if poll.status != "closed" or not has_tables:
        return []
    if not poll.by_table:
        return ["\n\n", (tr("poll.by_table_none"), "italic")]
    parts: list[Part] = ["\n\n", (tr("poll.by_table"), "bold underline")]
    for group in poll.by_table:
        name = group.table_name if group.table_id is not None else tr("poll.other_tables")
        shares = " · ".join(
            f"{label} {count} ({tr('poll.percent', percent=round(share_of_voters(count, group.voters)))})"
            for label, count in zip(poll.options, group.counts, strict=False)
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
            self.ticked = set(state.my_ballots.get(poll.poll_id, []))
            self.poll_id = poll.poll_id
        mine = state.my_ballots.get(poll.poll_id)
        highlighted = None if fresh else self.highlighted
        tr = tr_of(self)
        choosing = poll.status == "open" and state.role == "participant"
        self.set_options(
            [
                Option(
                    option_line(poll, i, mine, self.ticked, tr, choosing=choosing),
                    id=str(i),
                    disabled=poll.status != "open",
                )
                for i in range(len(poll.options))
            ]
        )
        if highlighted is not None and highlighted < len(poll.options):
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
        if poll is not None and index < len(poll.options):
            self.highlighted = index

    def action_tick(self) -> None:
        if self.highlighted is not None:
            self.tick(self.highlighted)

    def tick(self, index: int) -> None:
        poll = self._poll()
        if poll is None or index >= len(poll.options) or app_of(self).state.role != "participant":
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
        self.screen.post_message(
            m.CommandWanted(lambda id_: p.CastBallot(id=id_, poll_id=poll_id, choices=choices))
        )


class PollPanel(Vertical):
    def compose(self) -> ComposeResult:
        yield Static(id="poll-question", markup=False)
        yield Static(id="poll-help", markup=False)
        yield PollOptions(id="poll-options")
        yield Button(tr_of(self)("poll.send"), id="poll-send", compact=True)
        yield Static(id="poll-summary", markup=False)
        yield Static(id="poll-by-table", markup=False)

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        self.query_one(PollOptions).action_vote()

    def sync(self, state: ClientState) -> None:
        tr = tr_of(self)
        poll = shown_poll(state)
        question = self.query_one("#poll-question", Static)
        helper = self.query_one("#poll-help", Static)
        summary = self.query_one("#poll-summary", Static)
        options = self.query_one(PollOptions)
        options.sync(state, poll)
        options.display = poll is not None
        choosing = poll is not None and poll.status == "open" and state.role == "participant"
        self.query_one("#poll-send", Button).display = choosing
        if poll is None:
            question.update(tr("poll.none"))
            helper.update(tr("poll.none_help") if state.role == "participant" else "")
            summary.update("")
            self.query_one("#poll-by-table", Static).update("")
            return
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
        mine = state.my_ballots.get(poll.poll_id)
        if ticked and sorted(ticked) != (mine or []):
            return tr("poll.confirm_help")
        return tr("poll.multiple_help" if poll.multiple else "poll.single_help")
