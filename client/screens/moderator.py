"""The moderator: everything a participant sees, plus triage, agenda, polls, presence."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from functools import partial
from typing import ClassVar

from rich.cells import cell_len
from textual import events, on
from textual.app import ComposeResult, SystemCommand
from textual.binding import Binding, BindingType
from textual.widgets import Static, TabbedContent, TabPane

from client.dialogs.forms import AnnouncementDraft, AnnounceScreen, JoinRateDraft, JoinRateScreen
from client.screens.debate import DebateScreen
from client.state import FLOOR, NOTES, PEOPLE, POLLS, QUESTIONS, ROUNDS, SPOTLIGHT, TABLES, PollItem
from client.widgets.chat import ChatPane
from client.widgets.floor import FloorList
from client.widgets.moderation import (
    AgendaList,
    AnswersList,
    PeopleList,
    PollsList,
    TriageList,
    reviewed_poll,
)
from client.widgets.notes import NotesPane
from client.widgets.questions import QuestionList
from client.widgets.render import app_of, assemble, tr_of
from client.widgets.spotlight import SpotlightNote, SpotlightRequested
from client.widgets.tables import TablesAdmin, synthesis_parts
from shared import protocol as p
from shared.events import SpotlightKind


class ModeratorScreen(DebateScreen):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("f2", "show_tab('tab-chat')", "key.chat", show=False),
        Binding("f3", "show_tab('tab-questions')", "key.questions", show=False),
        Binding("f4", "show_tab('tab-triage')", show=False),
        Binding("f5", "show_tab('tab-agenda')", show=False),
        Binding("f6", "show_tab('tab-polls')", show=False),
        Binding("f7", "show_tab('tab-people')", show=False),
        Binding("f8", "show_tab('tab-floor')", show=False),
        Binding("f9", "show_tab('tab-tables')", show=False),
        Binding("f10", "show_tab('tab-notes')", show=False),
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
        yield TabPane(
            tr("tab.agenda"),
            SpotlightNote(id="spotlight-note", markup=False),
            AgendaList(id="agenda"),
            id="tab-agenda",
        )
        yield TabPane(tr("tab.polls"), PollsList(id="polls"), AnswersList(id="answers"), id="tab-polls")
        yield TabPane(
            tr("tab.people"),
            Static(id="join-stats", markup=False),
            PeopleList(id="people"),
            id="tab-people",
        )
        yield TabPane(tr("tab.floor", count=0), FloorList(id="floor"), id="tab-floor")
        yield TabPane(
            tr("tab.tables"),
            TablesAdmin(id="tables-admin"),
            Static(id="tables-syntheses", markup=False),
            id="tab-tables",
        )
        yield TabPane(tr("tab.notes", count=0), NotesPane(id="notes"), id="tab-notes")

    def sync(self, areas: frozenset[str]) -> None:
        state = app_of(self).state
        if QUESTIONS in areas:
            self.query_one(TriageList).sync(state)
        if ROUNDS in areas:
            self.query_one(AgendaList).sync(state)
        if areas & {SPOTLIGHT, ROUNDS, QUESTIONS, POLLS, TABLES}:
            self.query_one(SpotlightNote).update_from(state)
        if POLLS in areas:
            self.query_one(PollsList).sync(state)
            self.query_one(AnswersList).sync(state)
        if PEOPLE in areas:
            self.query_one(PeopleList).sync(state)
            self.query_one("#join-stats", Static).update(self.join_stats_line())
        if areas & {FLOOR, PEOPLE}:  # the queue marks who is offline
            self.query_one(FloorList).sync(state)
        if areas & {TABLES, PEOPLE, ROUNDS}:
            self.query_one(TablesAdmin).sync(state)
            self.query_one("#tables-syntheses", Static).update(assemble(*synthesis_parts(state, tr_of(self))))
        if NOTES in areas:
            self.query_one(NotesPane).sync(state)
        if areas & {QUESTIONS, FLOOR, NOTES}:  # the counts in the tab bar
            self.label_tabs()
        # The participant's panes (no poll tab here: the polls tab shows the bars).
        super().sync(areas - {POLLS})

    # --- the tab bar --------------------------------------------------------------

    # Each tab's label key, its short form's (None: the same label) and what it counts.
    TAB_LABELS: ClassVar[dict[str, tuple[str, str | None]]] = {
        "tab-chat": ("tab.chat", "tab.short.chat"),
        "tab-questions": ("tab.questions", None),
        "tab-triage": ("tab.triage", None),
        "tab-agenda": ("tab.agenda", "tab.short.agenda"),
        "tab-polls": ("tab.polls", "tab.short.polls"),
        "tab-people": ("tab.people", None),
        "tab-floor": ("tab.floor", None),
        "tab-tables": ("tab.tables", None),
        "tab-notes": ("tab.notes", None),
    }

    def tab_labels(self, short: bool) -> dict[str, str]:
        tr = tr_of(self)
        state = app_of(self).state
        counts = {
            "tab-triage": len(state.pending_questions()),
            "tab-floor": len(state.hands),
            "tab-notes": len(state.notes),
        }
        labels = {}
        for pane_id, (key, short_key) in self.TAB_LABELS.items():
            chosen = short_key if short and short_key is not None else key
            labels[pane_id] = tr(chosen, count=counts[pane_id]) if pane_id in counts else tr(chosen)
        return labels

    def label_tabs(self) -> None:
        """Nine tabs do not fit in 80 columns with their full labels (in French, nor
        in English): below the width they need, the bar takes the short labels and
        one column between tabs (the class ``-compact``), so that every tab shows and
        the active one stands out by its underline. Relabel only what changed: a
        relabel redraws the tab bar."""
        tabs = self.query_one(TabbedContent)
        full = self.tab_labels(short=False)
        needed = sum(cell_len(label) + 2 for label in full.values())
        compact = needed > self.size.width
        tabs.set_class(compact, "-compact")
        labels = self.tab_labels(short=True) if compact else full
        for pane_id, label in labels.items():
            tab = tabs.get_tab(pane_id)
            if tab.label_text != label:
                tab.label = label

    def on_resize(self, event: events.Resize) -> None:
        self.label_tabs()

    def action_ask(self) -> None:
        """Moderators do not ask: 'a' approves in the triage tab."""

    def action_hand(self) -> None:
        """Moderators give the floor (the Floor tab) rather than queue for it."""

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        return action not in ("ask", "hand") and super().check_action(action, parameters)

    # --- palette -------------------------------------------------------------------

    def palette_commands(self) -> Iterable[SystemCommand]:
        """The moderator's actions, each with its own help; only those that apply now."""
        tr = tr_of(self)
        app = app_of(self)
        state = app.state
        agenda = self.query_one(AgendaList)
        polls = self.query_one(PollsList)

        def command(key: str, run: Callable[[], object]) -> SystemCommand:
            return SystemCommand(tr(key), tr(f"{key}.help"), run)

        if state.next_round is not None:
            yield command("cmd.start_next", agenda.action_start_next)
        if state.live_round is not None:
            yield command("cmd.end_round", agenda.action_end)
        if any(r.status == "ended" for r in state.rounds.values()):
            yield command("cmd.reopen_round", agenda.action_reopen_last)
        yield command("cmd.add_round", agenda.action_add)
        yield command("cmd.create_poll", polls.action_create)
        if state.open_poll is None and self.next_draft() is not None:
            yield command("cmd.open_poll", self.open_next_poll)
        if state.open_poll is not None:
            yield command("cmd.close_poll", polls.action_close)
        reviewed = reviewed_poll(state)
        if reviewed is not None and any(a.status == "pending" for a in reviewed.answers):
            yield command("cmd.review_answers", self.review_answers)
        moderation = "cmd.moderation_off" if state.moderation else "cmd.moderation_on"
        yield command(moderation, self.query_one(TriageList).action_moderation)
        yield command("cmd.announce", self.action_announce)
        if app.state.join_stats is not None:
            yield command("cmd.join_rate", self.action_join_rate)
        yield command("cmd.note", partial(self.action_show_tab, "tab-notes"))
        # Merged questions and written answers (issue 12), on the Questions tab's list.
        questions = self.query_one(QuestionList)
        if questions.marked:
            yield command("cmd.merge", questions.action_merge)
        if questions.last_merged:
            yield command("cmd.unmerge_last", questions.action_unmerge_last)
        if state.approved_questions():
            yield command("cmd.write_answer", questions.action_write_answer)
        if state.floor is not None:
            yield command("cmd.end_floor", self.query_one(FloorList).action_end)
        yield command("cmd.add_table", self.query_one(TablesAdmin).action_add)
        if state.syntheses:
            yield command(
                "cmd.spotlight_syntheses", partial(self.post_message, SpotlightRequested("syntheses"))
            )
        slides: tuple[SpotlightKind, ...] = ("round", "welcome", "end", "blank")
        for kind in slides:
            yield command(f"cmd.spotlight_{kind}", partial(self.post_message, SpotlightRequested(kind)))
        for fmt in p.EXPORT_FORMATS:
            yield command(f"cmd.export_{fmt}", partial(self.action_export, fmt))
        # Issue 13: the organiser's report, as a page, with or without names.
        yield command("cmd.export_report", partial(self.action_export, "html", report=True))
        chatham = partial(self.action_export, "html", report=True, chatham=True)
        yield command("cmd.export_report_chatham", chatham)

    def review_answers(self) -> None:
        """The palette's way to the open answers waiting for review (the user asked: focus may move)."""
        self.query_one(TabbedContent).active = "tab-polls"
        self.query_one(AnswersList).focus()

    def next_draft(self) -> PollItem | None:
        return next((poll for poll in app_of(self).state.polls.values() if poll.status == "draft"), None)

    # --- the projector -----------------------------------------------------------

    @on(SpotlightRequested)
    def show_on_projector(self, message: SpotlightRequested) -> None:
        """The lists and the palette ask; the screen sends (what the room sees changes)."""
        message.stop()
        kind, item_id = message.kind, message.item_id
        app_of(self).send_command(lambda id_: p.SetSpotlight(id=id_, kind=kind, item_id=item_id))

    def action_announce(self) -> None:
        app = app_of(self)

        def announced(draft: AnnouncementDraft | None) -> None:
            if draft is not None:
                text = draft.text
                app.send_command(lambda id_: p.Announce(id=id_, text=text))

        app.push_screen(AnnounceScreen(), announced)

    # --- new guests ------------------------------------------------------------------

    def join_stats_line(self) -> str:
        """New guests in the last minute, refusals, and the rate in force (or nothing yet)."""
        stats = app_of(self).state.join_stats
        if stats is None:
            return ""
        tr = tr_of(self)
        parts = [
            tr.plural("join_stats.joined", stats.joined_last_minute),
            tr.plural("join_stats.refused", stats.refused_last_minute),
            tr("join_stats.invite_only")
            if stats.invite_only
            else tr.plural("join_stats.rate", stats.per_minute),
        ]
        return " · ".join(parts)

    def action_join_rate(self) -> None:
        app = app_of(self)
        stats = app.state.join_stats
        current = stats.per_minute if stats is not None else 1

        def chosen(draft: JoinRateDraft | None) -> None:
            if draft is not None:
                per_minute = draft.per_minute
                app.send_command(lambda id_: p.SetJoinRate(id=id_, per_minute=per_minute))

        app.push_screen(JoinRateScreen(current), chosen)

    def open_next_poll(self) -> None:
        if (draft := self.next_draft()) is not None:
            poll_id = draft.poll_id
            app_of(self).send_command(lambda id_: p.OpenPoll(id=id_, poll_id=poll_id))

    def action_export(self, fmt: p.ExportFormat, report: bool = False, chatham: bool = False) -> None:
        app = app_of(self)
        zone = app.export_zone
        app.send_command(
            lambda id_: p.ExportTranscript(
                id=id_, format=fmt, lang=app.tr.lang, tz=zone, report=report, chatham_house=chatham
            )
        )
        app.notify(tr_of(self)("export.asked"))
