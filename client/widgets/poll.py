"""The open poll: options to choose with keys or mouse, live bars, final results."""

from __future__ import annotations

from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.content import Content
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from client.i18n import Translator
from client.state import ClientState, PollItem
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
) -> Content:
    option = poll.options[index]
    parts: list[Part] = [(f"{index + 1}. ", "bold")]
    if poll.multiple and poll.status == "open":
        parts.append("[x] " if index in ticked else "[ ] ")
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
    if poll.status != "closed" and poll.counts is None:
        return tr("poll.hidden")
    voters = tr.plural("poll.voters", poll.voters or 0)
    return f"{voters} · {tr('poll.several_answers')}" if poll.multiple else voters


class PollOptions(OptionList):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("space", "tick", "key.tick"),
        Binding("v", "vote", "key.vote"),
        *[Binding(str(n), f"choose({n - 1})", show=False) for n in range(1, 10)],
    ]

    def __init__(self, **kwargs: object) -> None:
        super().__init__(markup=False, **kwargs)  # type: ignore[arg-type]
        self.ticked: set[int] = set()
        self.poll_id: str | None = None

    def sync(self, state: ClientState, poll: PollItem | None) -> None:
        if poll is None:
            self.poll_id = None
            self.clear_options()
            return
        if poll.poll_id != self.poll_id:
            self.ticked = set(state.my_ballots.get(poll.poll_id, []))
            self.poll_id = poll.poll_id
        mine = state.my_ballots.get(poll.poll_id)
        highlighted = self.highlighted
        tr = tr_of(self)
        ticked = self.ticked if poll.multiple and poll.status == "open" else set()
        self.set_options(
            [
                Option(
                    option_line(poll, i, mine, ticked, tr),
                    id=str(i),
                    disabled=poll.status != "open",
                )
                for i in range(len(poll.options))
            ]
        )
        if highlighted is not None and highlighted < len(poll.options):
            self.highlighted = highlighted

    def _poll(self) -> PollItem | None:
        state = app_of(self).state
        poll = state.polls.get(self.poll_id) if self.poll_id else None
        return poll if poll is not None and poll.status == "open" else None

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in ("tick", "vote"):
            poll = self._poll()
            return poll is not None and poll.multiple and app_of(self).state.role == "participant"
        return True

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.action_choose(event.option_index)

    def action_choose(self, index: int) -> None:
        poll = self._poll()
        if poll is None or index >= len(poll.options) or app_of(self).state.role != "participant":
            return
        self.highlighted = index
        if poll.multiple:
            self.action_tick()
        else:
            poll_id = poll.poll_id
            app_of(self).send_command(lambda id_: p.CastBallot(id=id_, poll_id=poll_id, choices=[index]))

    def action_tick(self) -> None:
        poll = self._poll()
        if poll is None or self.highlighted is None:
            return
        self.ticked ^= {self.highlighted}
        self.sync(app_of(self).state, poll)

    def action_vote(self) -> None:
        poll = self._poll()
        if poll is None:
            return
        if not self.ticked:
            app_of(self).notify(tr_of(self)("poll.nothing_ticked"), severity="warning")
            return
        poll_id, choices = poll.poll_id, sorted(self.ticked)
        app_of(self).send_command(lambda id_: p.CastBallot(id=id_, poll_id=poll_id, choices=choices))


class PollPanel(Vertical):
    def compose(self) -> ComposeResult:
        yield Static(id="poll-question", markup=False)
        yield Static(id="poll-help", markup=False)
        yield PollOptions(id="poll-options")
        yield Static(id="poll-summary", markup=False)

    def sync(self, state: ClientState) -> None:
        tr = tr_of(self)
        poll = shown_poll(state)
        question = self.query_one("#poll-question", Static)
        helper = self.query_one("#poll-help", Static)
        summary = self.query_one("#poll-summary", Static)
        self.query_one(PollOptions).sync(state, poll)
        self.query_one(PollOptions).display = poll is not None
        if poll is None:
            question.update(tr("poll.none"))
            helper.update("")
            summary.update("")
            return
        head = tr("poll.open") if poll.status == "open" else tr("poll.closed")
        question.update(assemble((head, "italic"), "\n", (poll.question, "bold")))
        if poll.status != "open" or state.role != "participant":
            helper.update("")
        else:
            helper.update(tr("poll.multiple_help" if poll.multiple else "poll.single_help"))
        summary.update(plain(poll_summary(poll, tr)))
