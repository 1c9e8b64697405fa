"""What the participant and moderator screens share: header, tabs, status, footer."""

from __future__ import annotations

from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.css.query import NoMatches
from textual.screen import Screen
from textual.widgets import Static, TabbedContent, TabPane

from client.dialogs.forms import AskScreen, HandDraft, QuestionDraft, RaiseHandScreen
from client.messages import CommandWanted, StateChanged
from client.state import (
    ALL,
    CHAT,
    FLOOR,
    PEOPLE,
    POLLS,
    QUESTIONS,
    ROUNDS,
    SPOTLIGHT,
    TABLES,
    TITLE,
    ClientState,
)
from client.widgets.chat import ChatLog, ChatPane
from client.widgets.floor import MyHandLine
from client.widgets.footer import TranslatedFooter
from client.widgets.header import DebateHeader
from client.widgets.poll import PollPanel, has_voted
from client.widgets.questions import QuestionList
from client.widgets.render import app_of, tr_of
from client.widgets.spotlight import AnnouncementBar
from client.widgets.status import StatusLine
from client.widgets.tables import TablesPane
from shared import protocol as p


class DebateScreen(Screen[None]):
    BINDINGS: ClassVar[list[BindingType]] = [
        # 'a' where no text field has the focus (an Input consumes it: Textual
        # drops it from the bindings), ctrl+n from anywhere. The footer shows
        # the first of the two that applies.
        Binding("a", "ask", "key.ask"),
        Binding("ctrl+n", "ask", "key.ask"),
        # The speaker queue: r where no text field has the focus, ctrl+r anywhere.
        Binding("r", "hand", "key.hand"),
        Binding("ctrl+r", "hand", "key.hand"),
        # Shown where it matters, after the theme's ellipsis, not in the footer.
        Binding("ctrl+t", "toggle_theme", "key.theme", show=False),
        Binding("f2", "show_tab('tab-chat')", "key.chat", show=False),
        Binding("f3", "show_tab('tab-questions')", "key.questions", show=False),
        Binding("f4", "show_tab('tab-poll')", "key.poll", show=False),
        Binding("f5", "show_tab('tab-tables')", "tab.tables", show=False),
        # Tables (issue 13): choose one (a dialog), and the spokesperson's synthesis.
        Binding("t", "choose_table", "key.table", show=False),
        Binding("s", "synthesis", "key.synthesis", show=False),
    ]

    def compose(self) -> ComposeResult:
        yield DebateHeader(id="header")
        yield AnnouncementBar(id="announcement", markup=False)
        yield MyHandLine(id="my-hand", markup=False)
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
        yield TabPane(tr("tab.tables"), TablesPane(id="tables-pane"), id="tab-tables")

    START_TAB = "tab-chat"

    def on_mount(self) -> None:
        self.sync(ALL)
        self.refresh_status()
        self.action_show_tab(self.START_TAB)

    def on_state_changed(self, message: StateChanged) -> None:
        self.sync(message.areas)

    def on_command_wanted(self, message: CommandWanted) -> None:
        """Widgets ask; the screen sends (through the app's one connection)."""
        message.stop()
        app_of(self).send_command(message.build)

    def refresh_status(self) -> None:
        app = app_of(self)
        self.query_one(StatusLine).update_from(app.link, app.state)

    def link_changed(self) -> None:
        """Offline, what was typed shows in the log as not yet sent; presence is unknown."""
        try:
            self.sync(frozenset({CHAT, PEOPLE}))
        except NoMatches:  # the app is closing and its widgets are gone: nothing to show
            return

    def sync(self, areas: frozenset[str]) -> None:
        state = app_of(self).state
        tr = tr_of(self)
        if areas & {TITLE, ROUNDS}:
            self.query_one(DebateHeader).update_from(state)
        if areas & {ROUNDS, SPOTLIGHT}:
            self.query_one(AnnouncementBar).update_from(state)
        if areas & {CHAT, ROUNDS}:
            self.query_one(ChatLog).sync(state, app_of(self).pending_messages())
        if QUESTIONS in areas:
            self.query_one(QuestionList).sync(state)
            key = "questions.moderation_on" if state.moderation else "questions.moderation_off"
            self.query_one("#moderation-note", Static).update(tr(key))
        if POLLS in areas:
            self.query_one(PollPanel).sync(state)
            self.announce_poll(state)
        if FLOOR in areas:
            self.query_one(MyHandLine).update_from(state)
        if areas & {TABLES, ROUNDS}:
            for pane in self.query(TablesPane):
                pane.sync(state)
        if TABLES in areas:
            self.tell_unseated(state)
        self.refresh_status()

    _told_unseated: str | None = None

    def tell_unseated(self, state: ClientState) -> None:
        """A removed table unseated us: a notice, once, never the focus."""
        if state.unseated_from is not None and state.unseated_from != self._told_unseated:
            app_of(self).notify(
                tr_of(self)("tables.unseated", name=state.unseated_from), severity="warning", markup=False
            )
        self._told_unseated = state.unseated_from

    def announce_poll(self, state: ClientState) -> None:
        """An open poll the guest has not voted in: a badge and a line, never the focus."""
        tr = tr_of(self)
        poll = state.open_poll
        waiting = poll is not None and not has_voted(state, poll)
        tab = self.query_one(TabbedContent).get_tab("tab-poll")
        tab.label = tr("tab.poll_badge") if waiting else tr("tab.poll")
        self.query_one(ChatPane).announce(poll if waiting else None)

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

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in ("choose_table", "synthesis") and not self.query(TablesPane):
            return False  # the moderator's screen seats guests in its own tab
        if action == "synthesis":
            return app_of(self).state.my_spokesperson_table is not None
        if action == "toggle_theme":
            headers = self.query(DebateHeader)
            return bool(headers) and (headers.first().theme_cut or headers.first().expanded)
        return True

    def action_choose_table(self) -> None:
        self.query_one(TablesPane).choose_table()

    def action_synthesis(self) -> None:
        self.query_one(TablesPane).write_synthesis()

    def action_toggle_theme(self) -> None:
        """The round's theme, whole or cut to two lines."""
        header = self.query_one(DebateHeader)
        header.expanded = not header.expanded

    def action_ask(self) -> None:
        app = app_of(self)

        def asked(draft: QuestionDraft | None) -> None:
            if draft is not None:
                app.send_command(
                    lambda id_: p.SubmitQuestion(id=id_, text=draft.text, anonymous=draft.anonymous)
                )

        app.push_screen(AskScreen(), asked)

    def action_hand(self) -> None:
        """Raise a hand (a form says first that the name will be shown), or lower it."""
        app = app_of(self)
        state = app.state
        tr = tr_of(self)
        if state.floor is not None and state.floor.participant_id == state.me:
            app.notify(tr("floor.you_have_it"))
            return
        if state.me in state.hands:
            app.send_command(lambda id_: p.LowerHand(id=id_))
            return

        def raised(draft: HandDraft | None) -> None:
            if draft is not None:
                topic = draft.topic
                app.send_command(lambda id_: p.RaiseHand(id=id_, topic=topic))

        app.push_screen(RaiseHandScreen(state.name or ""), raised)


class ParticipantScreen(DebateScreen):
    """A guest: chat, questions and the poll."""
