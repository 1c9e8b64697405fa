"""Tables (issue 13): who sits where, the guest's own table, the syntheses.

Guests see every table and who sits at it (seating is public), choose or
change their table (``t``: a dialog listing the tables with a free seat, or
Enter on one), and, as their table's spokesperson, write its synthesis of the
live round (``s``). The moderator's list adds, edits and removes tables,
seats guests and names spokespersons. Everything from the server updates
these lists; nothing takes the focus.
"""

from __future__ import annotations

from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.content import Content
from textual.widget import Widget
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from client import messages as m
from client.dialogs.forms import (
    ConfirmScreen,
    PickScreen,
    SynthesisDraft,
    SynthesisScreen,
    TableDraft,
    TableScreen,
)
from client.i18n import Translator
from client.state import ClientState
from client.widgets.render import Part, app_of, assemble, empty_note, tr_of
from client.widgets.spotlight import SpotlightRequested
from shared import events as ev
from shared import protocol as p
from shared.text import single_line


def table_line(table: ev.TableView, tr: Translator, me: str | None = None) -> Content:
    """A table, its seats and who sits there (the spokesperson marked)."""
    parts: list[Part] = [
        (table.name, "bold"),
        "  ",
        (tr("tables.seats", seated=len(table.guests), seats=table.seats), "italic"),
    ]
    names: list[Part] = []
    for guest in table.guests:
        if names:
            names.append(", ")
        names.append(single_line(guest.name))
        if guest.participant_id == me:
            names.append(" " + tr("tables.you"))
        if guest.participant_id == table.spokesperson_id:
            names.append((f" ({tr('tables.spokesperson')})", "bold"))
    if names:
        parts += ["\n  ", *names]
    return assemble(*parts)


def synthesis_parts(state: ClientState, tr: Translator, table_id: str | None = None) -> list[Part]:
    """The syntheses of the round the screens show (the live one, else the last
    ended), attributed to their tables: a heading, then each table's text."""
    round_ = state.syntheses_round
    if round_ is None:
        return [(tr("syntheses.none"), "italic")]
    parts: list[Part] = [(tr("syntheses.heading", round=single_line(round_.title)), "bold underline")]
    syntheses = state.syntheses_of(round_.round_id, table_id)
    if not syntheses:
        return [*parts, "\n\n", (tr("syntheses.none"), "italic")]
    for synthesis in syntheses:
        parts += ["\n\n", (synthesis.table_name, "bold"), "\n", synthesis.text]
    return parts


class TableActions(Widget):
    """What a guest does about tables, from the Tables tab or the screen's keys:
    the commands go to the screen itself (widgets send nothing)."""

    def choose_table(self, table_id: str | None = None) -> None:
        """Sit at ``table_id``, or pick one of the tables with a free seat first."""
        app = app_of(self)
        tr = tr_of(self)
        state = app.state

        def chosen(picked: str | None) -> None:
            if picked is not None:
                self.screen.post_message(m.CommandWanted(lambda id_: p.ChooseTable(id=id_, table_id=picked)))

        if table_id is not None:
            chosen(table_id)
            return
        mine = state.my_table
        choices = [(t.table_id, table_line(t, tr, state.me)) for t in state.free_tables() if t is not mine]
        app.push_screen(
            PickScreen(tr("tables.choose_title"), tr("tables.choose_help"), choices, tr("tables.none_free")),
            chosen,
        )

    def write_synthesis(self) -> None:
        """The spokesperson's synthesis of the live round (their earlier one to edit)."""
        app = app_of(self)
        tr = tr_of(self)
        state = app.state
        table = state.my_spokesperson_table
        if table is None:
            app.notify(tr("synthesis.not_spokesperson"), severity="warning", markup=False)
            return
        live = state.live_round
        if live is None:
            app.notify(tr("error.no_live_round"), severity="warning", markup=False)
            return
        round_id = live.round_id
        earlier = state.syntheses.get((round_id, table.table_id))

        def written(draft: SynthesisDraft | None) -> None:
            if draft is not None:
                text = draft.text
                self.screen.post_message(
                    m.CommandWanted(lambda id_: p.PostSynthesis(id=id_, round_id=round_id, text=text))
                )

        title = tr("synthesis.title", round=single_line(live.title))
        app.push_screen(SynthesisScreen(title, earlier.text if earlier else ""), written)


class TableList(OptionList, TableActions):
    """The tables, for a guest: Enter sits at the highlighted one."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("t", "choose", "key.table"),
        Binding("s", "synthesis", "key.synthesis"),
    ]

    def __init__(self, **kwargs: object) -> None:
        super().__init__(markup=False, **kwargs)  # type: ignore[arg-type]

    def sync(self, state: ClientState) -> None:
        tr = tr_of(self)
        highlighted = self.highlighted_option.id if self.highlighted_option else None
        options = [Option(table_line(t, tr, state.me), id=t.table_id) for t in state.tables.values()]
        if not options:
            self.set_options([empty_note(tr("tables.empty"))])
            return
        self.set_options(options)
        ids = [option.id for option in options]
        self.highlighted = ids.index(highlighted) if highlighted in ids else 0
        self.refresh_bindings()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "synthesis":
            return app_of(self).state.my_spokesperson_table is not None
        return True

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        if event.option.id is not None and event.option.id != getattr(
            app_of(self).state.my_table, "table_id", None
        ):
            self.choose_table(event.option.id)

    def action_choose(self) -> None:
        self.choose_table()

    def action_synthesis(self) -> None:
        self.write_synthesis()


class TablesPane(Vertical, TableActions):
    """A guest's Tables tab: their own table (or a notice), every table, and the
    syntheses of the round."""

    def compose(self) -> ComposeResult:
        yield Static(id="tables-mine", markup=False)
        yield TableList(id="tables")
        yield Static(id="tables-syntheses", markup=False)

    def sync(self, state: ClientState) -> None:
        tr = tr_of(self)
        mine = state.my_table
        if mine is not None:
            key = "tables.mine_spokesperson" if mine.spokesperson_id == state.me else "tables.mine"
            note = assemble((tr(key, name=single_line(mine.name)), "bold"))
        elif state.unseated_from is not None:
            note = assemble((tr("tables.unseated", name=single_line(state.unseated_from)), "bold reverse"))
        else:
            note = assemble(tr("tables.none_mine"))
        self.query_one("#tables-mine", Static).update(note)
        self.query_one(TableList).sync(state)
        self.query_one("#tables-syntheses", Static).update(assemble(*synthesis_parts(state, tr)))


class TablesAdmin(OptionList):
    """The moderator's tables: add, edit, remove; seat a guest; name a spokesperson;
    show a table's syntheses on the projector."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("plus,+", "add", "key.add"),
        Binding("E", "edit", "key.edit"),
        Binding("x,delete", "remove", "key.remove"),
        Binding("g", "seat", "key.seat"),
        Binding("k", "spokesperson", "key.spokesperson"),
        # Not in the footer, which must fit at 80 columns; in the README and the palette.
        Binding("f", "spotlight", "key.spotlight", show=False),
    ]

    def __init__(self, **kwargs: object) -> None:
        super().__init__(markup=False, **kwargs)  # type: ignore[arg-type]

    def sync(self, state: ClientState) -> None:
        tr = tr_of(self)
        highlighted = self.highlighted_option.id if self.highlighted_option else None
        options = [Option(table_line(t, tr), id=t.table_id) for t in state.tables.values()]
        seated = {g.participant_id for t in state.tables.values() for g in t.guests}
        without = [
            x.name
            for x in state.participants.values()
            if x.role == "participant" and x.participant_id not in seated
        ]
        if options and without:
            names = ", ".join(single_line(name) for name in without)
            options.append(Option(assemble((tr("tables.without", names=names), "italic")), disabled=True))
        if not options:
            self.set_options([empty_note(tr("tables.empty_moderator"))])
            return
        self.set_options(options)
        ids = [option.id for option in options]
        self.highlighted = ids.index(highlighted) if highlighted in ids else 0

    def _table(self) -> ev.TableView | None:
        option = self.highlighted_option
        return app_of(self).state.tables.get(option.id) if option is not None and option.id else None

    def action_add(self) -> None:
        def added(draft: TableDraft | None) -> None:
            if draft is not None:
                name, seats = draft.name, draft.seats
                self.screen.post_message(
                    m.CommandWanted(lambda id_: p.AddTable(id=id_, name=name, seats=seats))
                )

        app_of(self).push_screen(TableScreen(), added)

    def action_edit(self) -> None:
        table = self._table()
        if table is None:
            return
        table_id = table.table_id

        def edited(draft: TableDraft | None) -> None:
            if draft is not None:
                name, seats = draft.name, draft.seats
                self.screen.post_message(
                    m.CommandWanted(
                        lambda id_: p.UpdateTable(id=id_, table_id=table_id, name=name, seats=seats)
                    )
                )

        app_of(self).push_screen(TableScreen(table.name, table.seats, editing=True), edited)

    def action_remove(self) -> None:
        table = self._table()
        if table is None:
            return
        tr = tr_of(self)
        table_id = table.table_id
        question = tr("tables.confirm_remove", name=single_line(table.name)) + " " + tr("confirm.keys")

        def answered(yes: bool | None) -> None:
            if yes:
                self.screen.post_message(
                    m.CommandWanted(lambda id_: p.RemoveTable(id=id_, table_id=table_id))
                )

        app_of(self).push_screen(ConfirmScreen(question), answered)

    def action_seat(self) -> None:
        """Seat a guest (or move one) at the highlighted table."""
        table = self._table()
        if table is None:
            return
        tr = tr_of(self)
        state = app_of(self).state
        table_id = table.table_id
        where = {g.participant_id: t.name for t in state.tables.values() for g in t.guests}
        choices = []
        for guest in sorted(state.participants.values(), key=lambda x: x.name.casefold()):
            if guest.role != "participant" or guest.participant_id in {
                g.participant_id for g in table.guests
            }:
                continue
            parts: list[Part] = [single_line(guest.name)]
            if guest.participant_id in where:
                parts += ["  ", (tr("seat.at", table=single_line(where[guest.participant_id])), "italic")]
            choices.append((guest.participant_id, assemble(*parts)))

        def picked(participant_id: str | None) -> None:
            if participant_id is not None:
                self.screen.post_message(
                    m.CommandWanted(
                        lambda id_: p.SeatGuest(id=id_, participant_id=participant_id, table_id=table_id)
                    )
                )

        title = tr("seat.title", table=single_line(table.name))
        app_of(self).push_screen(PickScreen(title, "", choices, tr("seat.none")), picked)

    def action_spokesperson(self) -> None:
        table = self._table()
        if table is None:
            return
        tr = tr_of(self)
        table_id = table.table_id
        choices = [(g.participant_id, assemble(single_line(g.name))) for g in table.guests]

        def picked(participant_id: str | None) -> None:
            if participant_id is not None:
                self.screen.post_message(
                    m.CommandWanted(
                        lambda id_: p.SetSpokesperson(
                            id=id_, table_id=table_id, participant_id=participant_id
                        )
                    )
                )

        title = tr("spokesperson.title", table=single_line(table.name))
        app_of(self).push_screen(PickScreen(title, "", choices, tr("spokesperson.none")), picked)

    def action_spotlight(self) -> None:
        """The highlighted table's syntheses on the projector."""
        table = self._table()
        if table is not None:
            self.post_message(SpotlightRequested("syntheses", table.table_id))
