"""What the participant and moderator screens share: header, tabs, status, footer."""

from __future__ import annotations

from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.screen import Screen
from textual.widgets import Static, TabbedContent, TabPane

from client.dialogs.forms import AskScreen, QuestionDraft
from client.messages import StateChanged
from client.state import ALL, CHAT, POLLS, QUESTIONS, ROUNDS, TITLE
from client.widgets.chat import ChatLog, ChatPane
from client.widgets.footer import TranslatedFooter
from client.widgets.header import DebateHeader
from client.widgets.poll import PollPanel
from client.widgets.questions import QuestionList
from client.widgets.render import app_of, tr_of
from client.widgets.status import StatusLine
from shared import protocol as p


class DebateScreen(Screen[None]):
    BINDINGS: ClassVar[list[BindingType]] = [
        # ctrl+n works from the chat input too; 'a' elsewhere.
        Binding("ctrl+n", "ask", "key.ask"),
        Binding("a", "ask", "key.ask", show=False),
        Binding("f2", "show_tab('tab-chat')", "key.chat", show=False),
        Binding("f3", "show_tab('tab-questions')", "key.questions", show=False),
        Binding("f4", "show_tab('tab-poll')", "key.poll", show=False),
    ]

    def compose(self) -> ComposeResult:
        yield DebateHeader(id="header")
        with TabbedContent(id="tabs"):
            yield from self.panes()
        yield StatusLine(id="status", markup=False)
        yield TranslatedFooter()

    def panes(self) -> ComposeResult:
        tr = tr_of(self)
        yield TabPane(tr("tab.chat"), ChatPane(id="chat"), id="tab-chat")
        yield TabPane(
            tr("tab.questions"),
            Static(id="moderation-note", markup=False),
            QuestionList(id="questions"),
            id="tab-questions",
        )
        yield TabPane(tr("tab.poll"), PollPanel(id="poll"), id="tab-poll")

    START_TAB = "tab-chat"

    def on_mount(self) -> None:
        self.sync(ALL)
        self.refresh_status()
        self.action_show_tab(self.START_TAB)

    def on_state_changed(self, message: StateChanged) -> None:
        self.sync(message.areas)

    def refresh_status(self) -> None:
        app = app_of(self)
        self.query_one(StatusLine).update_from(app.link, app.state)

    def sync(self, areas: frozenset[str]) -> None:
        state = app_of(self).state
        tr = tr_of(self)
        if areas & {TITLE, ROUNDS}:
            self.query_one(DebateHeader).update_from(state)
        if CHAT in areas:
            self.query_one(ChatLog).sync(state)
        if QUESTIONS in areas:
            self.query_one(QuestionList).sync(state)
            key = "questions.moderation_on" if state.moderation else "questions.moderation_off"
            self.query_one("#moderation-note", Static).update(tr(key))
        if POLLS in areas:
            self.query_one(PollPanel).sync(state)
        self.refresh_status()

    def show_poll(self) -> None:
        self.sync(frozenset({POLLS}))  # draw it before it takes the focus
        self.action_show_tab("tab-poll")

    def action_show_tab(self, pane_id: str) -> None:
        tabs = self.query_one(TabbedContent)
        tabs.active = pane_id
        # Give the pane's main widget the focus, for keyboard-only use.
        pane = tabs.get_pane(pane_id)
        for selector in ("Input", "OptionList"):
            for widget in pane.query(selector):
                if widget.focusable and widget.display:
                    widget.focus()
                    return

    def action_ask(self) -> None:
        app = app_of(self)

        def asked(draft: QuestionDraft | None) -> None:
            if draft is not None:
                app.send_command(
                    lambda id_: p.SubmitQuestion(id=id_, text=draft.text, anonymous=draft.anonymous)
                )

        app.push_screen(AskScreen(), asked)


class ParticipantScreen(DebateScreen):
    """A guest: chat, questions and the poll."""
