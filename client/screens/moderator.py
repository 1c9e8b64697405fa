"""The moderator: everything a participant sees, plus triage, agenda, polls, presence."""

from __future__ import annotations

from collections.abc import Iterable
from typing import ClassVar

from textual.app import ComposeResult, SystemCommand
from textual.binding import Binding, BindingType
from textual.widgets import Static, TabbedContent, TabPane

from client.screens.debate import DebateScreen
from client.state import PEOPLE, POLLS, QUESTIONS, ROUNDS
from client.widgets.chat import ChatPane
from client.widgets.moderation import AgendaList, PeopleList, PollsList, TriageList
from client.widgets.questions import QuestionList
from client.widgets.render import app_of, tr_of
from shared import protocol as p


class ModeratorScreen(DebateScreen):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("f2", "show_tab('tab-chat')", "key.chat", show=False),
        Binding("f3", "show_tab('tab-questions')", "key.questions", show=False),
        Binding("f4", "show_tab('tab-triage')", show=False),
        Binding("f5", "show_tab('tab-agenda')", show=False),
        Binding("f6", "show_tab('tab-polls')", show=False),
        Binding("f7", "show_tab('tab-people')", show=False),
        Binding("ctrl+e", "export('md')", "key.export"),
    ]

    START_TAB = "tab-agenda"

    def panes(self) -> ComposeResult:
        tr = tr_of(self)
        yield TabPane(tr("tab.chat"), ChatPane(id="chat"), id="tab-chat")
        yield TabPane(
            tr("tab.questions"),
            Static(id="moderation-note", markup=False),
            QuestionList(id="questions"),
            id="tab-questions",
        )
        yield TabPane(tr("tab.triage", count=0), TriageList(id="triage"), id="tab-triage")
        yield TabPane(tr("tab.agenda"), AgendaList(id="agenda"), id="tab-agenda")
        yield TabPane(tr("tab.polls"), PollsList(id="polls"), id="tab-polls")
        yield TabPane(tr("tab.people"), PeopleList(id="people"), id="tab-people")

    def sync(self, areas: frozenset[str]) -> None:
        state = app_of(self).state
        if QUESTIONS in areas:
            self.query_one(TriageList).sync(state)
            tab = self.query_one(TabbedContent).get_tab("tab-triage")
            tab.label = tr_of(self)("tab.triage", count=len(state.pending_questions()))
        if ROUNDS in areas:
            self.query_one(AgendaList).sync(state)
        if POLLS in areas:
            self.query_one(PollsList).sync(state)
        if PEOPLE in areas:
            self.query_one(PeopleList).sync(state)
        # The participant's panes (no poll tab here: the polls tab shows the bars).
        super().sync(areas - {POLLS})

    def show_poll(self) -> None:
        self.action_show_tab("tab-polls")

    def action_ask(self) -> None:
        """Moderators do not ask: 'a' approves in the triage tab."""

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        return action != "ask"

    # --- palette -------------------------------------------------------------------

    def palette_commands(self) -> Iterable[SystemCommand]:
        tr = tr_of(self)
        app = app_of(self)
        state = app.state
        help_ = tr("cmd.help")
        yield SystemCommand(tr("cmd.start_next"), help_, self.query_one(AgendaList).action_start_next)
        yield SystemCommand(tr("cmd.end_round"), help_, self.query_one(AgendaList).action_end)
        yield SystemCommand(tr("cmd.add_round"), help_, self.query_one(AgendaList).action_add)
        yield SystemCommand(tr("cmd.create_poll"), help_, self.query_one(PollsList).action_create)
        yield SystemCommand(tr("cmd.open_poll"), help_, self.open_next_poll)
        yield SystemCommand(tr("cmd.close_poll"), help_, self.query_one(PollsList).action_close)
        moderation = "cmd.moderation_off" if state.moderation else "cmd.moderation_on"
        yield SystemCommand(
            tr(moderation),
            help_,
            lambda: app.send_command(lambda id_: p.SetModeration(id=id_, enabled=not state.moderation)),
        )
        for fmt in p.EXPORT_FORMATS:
            yield SystemCommand(tr(f"cmd.export_{fmt}"), help_, lambda fmt=fmt: self.action_export(fmt))

    def open_next_poll(self) -> None:
        app = app_of(self)
        drafts = [poll for poll in app.state.polls.values() if poll.status == "draft"]
        if drafts:
            poll_id = drafts[0].poll_id
            app.send_command(lambda id_: p.OpenPoll(id=id_, poll_id=poll_id))

    def action_export(self, fmt: p.ExportFormat) -> None:
        app = app_of(self)
        app.send_command(lambda id_: p.ExportTranscript(id=id_, format=fmt, lang=app.tr.lang))
        app.notify(tr_of(self)("export.asked"))
