"""Tables (issue 13): who sits where, each table's spokesperson and syntheses.

Seating is public. A table never holds more guests than its seats: a full
table refuses (``table_full``) and its seats cannot drop below the guests
seated there (``too_few_seats``: the moderator moves someone first, rather
than the server choosing whom to unseat). A synthesis is the table's text,
attributed to the table and never to the person who typed it.
"""

from __future__ import annotations

from server.core.emit import Emitter
from server.core.errors import DomainError
from server.core.lookup import get_round
from server.core.state import Actor, DebateState, Poll, Synthesis, Table, applies, count_id
from server.core.wordfilter import refuse_text
from shared import events as ev
from shared import protocol as p
from shared.breakdown import breakdown


def get_table(state: DebateState, table_id: str) -> Table:
    table = state.tables.get(table_id)
    if table is None or table.removed:
        raise DomainError("table_not_found", f"No table with id {table_id!r}.")
    return table


def add_table(state: DebateState, cmd: p.AddTable, out: Emitter) -> str:
    table_id = state.next_id("t")
    out.emit(ev.TableAdded, table_id=table_id, name=cmd.name, seats=cmd.seats)
    return table_id


def update_table(state: DebateState, cmd: p.UpdateTable, out: Emitter) -> None:
    table = get_table(state, cmd.table_id)
    seats = cmd.seats if cmd.seats is not None else table.seats
    if seats < len(table.guests):
        raise DomainError(
            "too_few_seats",
            f"{len(table.guests)} guests sit at this table: move some before removing seats.",
        )
    out.emit(
        ev.TableUpdated,
        table_id=table.table_id,
        name=cmd.name if cmd.name is not None else table.name,
        seats=seats,
    )


def remove_table(state: DebateState, cmd: p.RemoveTable, out: Emitter) -> None:
    table = get_table(state, cmd.table_id)
    out.emit(ev.TableRemoved, table_id=table.table_id, unseated=list(table.guests))


def _seat(state: DebateState, participant_id: str, table: Table, out: Emitter) -> None:
    if state.seat_of.get(participant_id) == table.table_id:
        raise DomainError("already_at_table", "This guest already sits at this table.")
    if len(table.guests) >= table.seats:
        raise DomainError("table_full", "This table is full.")
    name = state.participants[participant_id].name
    out.emit(ev.GuestSeated, table_id=table.table_id, participant_id=participant_id, name=name)


def choose_table(state: DebateState, cmd: p.ChooseTable, actor: Actor, out: Emitter) -> None:
    table = get_table(state, cmd.table_id)
    assert actor.participant_id is not None  # authorize() let only guests through
    _seat(state, actor.participant_id, table, out)


def _get_guest(state: DebateState, participant_id: str) -> str:
    participant = state.participants.get(participant_id)
    if participant is None or participant.role != "participant":
        raise DomainError("participant_not_found", f"No guest with id {participant_id!r}.")
    return participant.participant_id


def seat_guest(state: DebateState, cmd: p.SeatGuest, out: Emitter) -> None:
    participant_id = _get_guest(state, cmd.participant_id)
    _seat(state, participant_id, get_table(state, cmd.table_id), out)


def seat_invited_guest(
    state: DebateState, participant_id: str, name: str, table_name: str, out: Emitter
) -> None:
    """Seat a guest joining now at the table their invitation names, if it
    exists (by name, the first one) and has room; otherwise they choose."""
    for table in state.tables.values():
        if not table.removed and table.name == table_name:
            if len(table.guests) < table.seats:
                out.emit(ev.GuestSeated, table_id=table.table_id, participant_id=participant_id, name=name)
            return


def set_spokesperson(state: DebateState, cmd: p.SetSpokesperson, out: Emitter) -> None:
    table = get_table(state, cmd.table_id)
    if cmd.participant_id not in table.guests:
        raise DomainError("not_at_table", "The spokesperson must sit at this table.")
    out.emit(ev.SpokespersonSet, table_id=table.table_id, participant_id=cmd.participant_id)


def spokesperson_table(state: DebateState, participant_id: str | None) -> Table | None:
    table_id = state.seat_of.get(participant_id or "")
    table = state.tables.get(table_id or "")
    return table if table is not None and table.spokesperson_id == participant_id else None


def post_synthesis(state: DebateState, cmd: p.PostSynthesis, actor: Actor, out: Emitter) -> None:
    table = spokesperson_table(state, actor.participant_id)
    if table is None:
        raise DomainError("not_spokesperson", "Only a table's spokesperson posts its synthesis.")
    round_ = get_round(state, cmd.round_id)
    if round_.status != "live":
        raise DomainError("round_not_live", "Syntheses are posted while their round is live.")
    refuse_text(state, actor, cmd.text)  # every screen shows it at once: nowhere to hold it
    out.emit(ev.SynthesisPosted, round_id=round_.round_id, table_id=table.table_id, text=cmd.text)


def results_by_table(state: DebateState, poll: Poll) -> list[ev.TableResults]:
    """A poll's results by the table each voter sits at when it closes.

    The k ≥ 3 rule (``shared.breakdown``): a table is shown only when at least
    3 of its guests voted; the others are merged into "other tables" (table_id
    None), with the guests seated nowhere and the ballots of guests who erased
    (linked to nobody), so that the rest never gives one table back. No table
    shown: no breakdown at all (the rest would be the total, shown anyway).
    """
    if not any(not table.removed for table in state.tables.values()):
        return []
    # Counted as every screen counts (options ticked, or a rating's point); a word
    # cloud or open answers have no per-table results.
    if poll.kind == "choice":
        linked, unlinked = dict(poll.ballots), list(poll.unlinked_ballots)
    elif poll.kind == "rating":
        linked = {voter: [rating - 1] for voter, rating in poll.ratings.items()}
        unlinked = [[rating - 1] for rating in poll.unlinked_ratings]
    else:
        return []
    ballots: dict[str | None, list[list[int]]] = {}
    for voter, choices in linked.items():
        ballots.setdefault(state.seat_of.get(voter), []).append(choices)
    if unlinked:
        ballots.setdefault(None, []).extend(unlinked)
    sizes: dict[str | None, int] = {table_id: len(ballots.get(table_id, [])) for table_id in state.tables}
    # The unseated are one group among the others (so that, if few, they cannot be
    # told apart from a small table), never shown on their own.
    sizes[None] = len(ballots.get(None, []))
    split = breakdown(sizes)
    shown = [table_id for table_id in split.shown if table_id is not None]
    if not shown:
        return []

    def tally(groups: list[str | None]) -> tuple[int, list[int]]:
        counts = [0] * poll.buckets
        voters = 0
        for group in groups:
            for choices in ballots.get(group, []):
                voters += 1
                for index in choices:
                    counts[index] += 1
        return voters, counts

    results = []
    for table_id in shown:
        voters, counts = tally([table_id])
        results.append(
            ev.TableResults(
                table_id=table_id, table_name=state.tables[table_id].name, voters=voters, counts=counts
            )
        )
    rest = [*split.merged, *([None] if None in split.shown else [])]
    voters, counts = tally(rest)
    if voters:
        results.append(ev.TableResults(table_id=None, table_name=None, voters=voters, counts=counts))
    return results


# --- how its events change the state ----------------------------------------


@applies(ev.TableAdded)
def _table_added(state: DebateState, e: ev.TableAdded) -> None:
    count_id(state, "t", e.table_id)
    state.tables[e.table_id] = Table(e.table_id, e.name, e.seats)


@applies(ev.TableUpdated)
def _table_updated(state: DebateState, e: ev.TableUpdated) -> None:
    table = state.tables[e.table_id]
    table.name, table.seats = e.name, e.seats


@applies(ev.TableRemoved)
def _table_removed(state: DebateState, e: ev.TableRemoved) -> None:
    table = state.tables[e.table_id]
    for participant_id in table.guests:
        state.seat_of.pop(participant_id, None)
    table.guests, table.spokesperson_id, table.removed = [], None, True


@applies(ev.GuestSeated)
def _guest_seated(state: DebateState, e: ev.GuestSeated) -> None:
    previous = state.tables.get(state.seat_of.get(e.participant_id, ""))
    if previous is not None:
        previous.guests.remove(e.participant_id)
        if previous.spokesperson_id == e.participant_id:
            previous.spokesperson_id = None
    state.tables[e.table_id].guests.append(e.participant_id)
    state.seat_of[e.participant_id] = e.table_id


@applies(ev.SpokespersonSet)
def _spokesperson_set(state: DebateState, e: ev.SpokespersonSet) -> None:
    state.tables[e.table_id].spokesperson_id = e.participant_id


@applies(ev.SynthesisPosted)
def _synthesis_posted(state: DebateState, e: ev.SynthesisPosted) -> None:
    key = (e.round_id, e.table_id)
    existing = state.syntheses.get(key)
    if existing is None:
        state.syntheses[key] = Synthesis(e.round_id, e.table_id, e.text, e.at)
    else:  # replaced in place: the syntheses keep the order first posted
        existing.text, existing.at = e.text, e.at
