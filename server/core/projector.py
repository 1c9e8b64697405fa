"""The projector is the moderator's: what the room sees, and announcements."""

from server.core.emit import Emitter
from server.core.errors import DomainError
from server.core.lookup import get_open_question, get_poll, get_round
from server.core.state import Announcement, DebateState, applies, count_id
from server.core.tables import get_table
from shared import events as ev
from shared import protocol as p

# The kinds that show one item, and must name it.
_NEEDS_ITEM = frozenset({"question", "poll"})
# The slides, which show no item.
_NO_ITEM = frozenset({"welcome", "end", "blank"})


def set_spotlight(state: DebateState, cmd: p.SetSpotlight, out: Emitter) -> None:
    if cmd.kind in _NEEDS_ITEM and cmd.item_id is None:
        raise DomainError("bad_spotlight", f"Showing a {cmd.kind} needs its item_id.")
    if cmd.kind in _NO_ITEM and cmd.item_id is not None:
        raise DomainError("bad_spotlight", f"The {cmd.kind} slide takes no item_id.")
    if cmd.item_id is not None:
        if cmd.kind == "question":
            # A pending or rejected question is not the room's to see.
            get_open_question(state, cmd.item_id)
        elif cmd.kind == "poll":
            if get_poll(state, cmd.item_id).status == "draft":
                raise DomainError("poll_is_draft", "Open this poll before showing it.")
        elif cmd.kind == "syntheses":  # one table's (none: every table's)
            get_table(state, cmd.item_id)
        else:
            get_round(state, cmd.item_id)
    out.emit(ev.SpotlightSet, kind=cmd.kind, item_id=cmd.item_id)


def announce(state: DebateState, cmd: p.Announce, out: Emitter) -> str:
    announcement_id = state.next_id("a")
    out.emit(
        ev.AnnouncementPosted,
        announcement_id=announcement_id,
        round_id=state.live_round_id,
        text=cmd.text,
    )
    return announcement_id


# --- how its events change the state ----------------------------------------


@applies(ev.SpotlightSet)
def _spotlight_set(state: DebateState, e: ev.SpotlightSet) -> None:
    state.spotlight = (e.kind, e.item_id)


@applies(ev.AnnouncementPosted)
def _announcement_posted(state: DebateState, e: ev.AnnouncementPosted) -> None:
    count_id(state, "a", e.announcement_id)
    state.announcements[e.announcement_id] = Announcement(e.announcement_id, e.round_id, e.text, e.at)
