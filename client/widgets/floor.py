"""The speaker queue on screen: the moderator's queue, the guest's place, the
projector's line (who has the floor, who is next)."""

from __future__ import annotations

from datetime import datetime
from typing import ClassVar

from textual.binding import Binding, BindingType
from textual.content import Content
from textual.widgets import Static
from textual.widgets.option_list import Option

from client import messages as m
from client.i18n import Translator
from client.state import ClientState
from client.widgets.moderation import _Synced
from client.widgets.render import Part, app_of, assemble, parse_time, tr_of, user
from shared import protocol as p

# How many names the projector lists after the speaker.
NEXT_SHOWN = 3


def format_duration(seconds: float, tr: Translator) -> str:
    """A wait or a turn as people say it: ``45 s``, ``3 min 20 s``, ``1 h 05 min``."""
    total = max(0, int(seconds))
    hours, rest = divmod(total, 3600)
    minutes, secs = divmod(rest, 60)
    if hours:
        return tr("duration.hours", hours=hours, minutes=f"{minutes:02d}")
    if minutes:
        return tr("duration.minutes", minutes=minutes, seconds=f"{secs:02d}")
    return tr("duration.seconds", seconds=secs)


def seconds_since(iso: str, now: datetime) -> float:
    moment = parse_time(iso)
    return (now - moment).total_seconds() if moment is not None else 0.0


def floor_line(state: ClientState, tr: Translator, now: datetime) -> Content | None:
    """Who has the floor and who is next, for the room (None: nobody and no hand)."""
    hands = state.queue
    if state.floor is None and not hands:
        return None
    parts: list[Part] = []
    if state.floor is not None:
        parts += [
            ("🎤 ", "bold"),
            (tr("floor.has_floor", name=user(state.floor.name, one_line=True)), "bold"),
            "  ",
            (format_duration(seconds_since(state.floor.since, now), tr), "italic"),
        ]
    else:
        parts += [(tr("floor.nobody"), "italic")]
    if hands:
        names = ", ".join(user(h.name, one_line=True) for h in hands[:NEXT_SHOWN])
        more = len(hands) - NEXT_SHOWN
        if more > 0:
            names += " " + tr("floor.and_more", count=more)
        parts += ["   ·   ", (tr("floor.next"), "bold"), names]
    return assemble(*parts)


class MyHandLine(Static):
    """A guest's own place: their hand in the queue, or that they have the floor;
    else who has it, if anyone."""

    def update_from(self, state: ClientState) -> None:
        tr = tr_of(self)
        place = state.place_in_queue(state.me)
        speaking = state.floor is not None and state.floor.participant_id == state.me
        # Moderators follow the queue in their Floor tab: the line is the guests'.
        self.display = not state.is_moderator and (speaking or place is not None or state.floor is not None)
        if state.floor is not None and not speaking and place is None:
            name = user(state.floor.name, one_line=True)
            self.update(assemble(("🎤 ", "bold"), tr("floor.has_floor", name=name)))
        elif speaking:
            self.update(assemble(("🎤 " + tr("floor.you_have_it"), "bold")))
        elif place is not None:
            self.update(
                assemble(
                    ("✋ ", "bold"),
                    (tr("floor.place_first") if place == 1 else tr("floor.place_nth", place=place), "bold"),
                    "  ",
                    (tr("floor.lower_hint"), "italic"),
                )
            )


class FloorList(_Synced):
    """The moderator's queue: who has the floor, then the hands in order with
    their topics and how long each has waited (updated every second)."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("g,enter", "give", "key.give_floor"),
        Binding("e", "end", "key.end_floor"),
        Binding("x,delete", "lower", "key.lower_hand"),
    ]

    def on_mount(self) -> None:
        self.set_interval(1.0, self.tick)

    def tick(self) -> None:
        if self.is_attached and (app_of(self).state.hands or app_of(self).state.floor):
            self.sync(app_of(self).state)

    def sync(self, state: ClientState) -> None:
        tr = tr_of(self)
        app = app_of(self)
        now = app.server_now()
        online = {c.participant_id for c in state.connected}
        known = app.link.status == "connected"
        head: list[Part]
        if state.floor is not None:
            head = [
                ("🎤 ", "bold"),
                (tr("floor.has_floor", name=user(state.floor.name, one_line=True)), "bold"),
                "  ",
                tr("floor.speaking_for", duration=format_duration(seconds_since(state.floor.since, now), tr)),
                "  ",
                (tr("floor.end_hint"), "italic"),
            ]
        else:
            head = [(tr("floor.nobody"), "italic")]
        options = [Option(assemble(*head), id="floor-head", disabled=True)]
        for place, hand in enumerate(state.queue, start=1):
            parts: list[Part] = [
                (f"{place}. ", "bold"),
                (user(hand.name, one_line=True), "bold"),
                "  ",
                tr("floor.waiting", duration=format_duration(seconds_since(hand.raised_at, now), tr)),
            ]
            if known and hand.participant_id not in online:
                parts += ["  ", (tr("floor.offline"), "reverse")]
            if hand.topic:
                parts += ["\n   ", (user(hand.topic, one_line=True), "italic")]
            options.append(Option(assemble(*parts), id=hand.participant_id))
        if not state.queue:
            options.append(Option(assemble((tr("floor.empty"), "italic")), disabled=True))
        self.keep_highlight(options)
        if self.highlighted is not None and self.options[self.highlighted].disabled:
            first = next((i for i, o in enumerate(self.options) if not o.disabled), None)
            self.highlighted = first

    def _hand(self) -> str | None:
        option = self.highlighted_option
        if option is None or option.disabled or option.id is None:
            return None
        return option.id if option.id in app_of(self).state.hands else None

    def action_give(self) -> None:
        if (participant_id := self._hand()) is not None:
            self.screen.post_message(
                m.CommandWanted(lambda id_: p.GiveFloor(id=id_, participant_id=participant_id))
            )

    def action_end(self) -> None:
        if app_of(self).state.floor is None:
            app_of(self).notify(tr_of(self)("error.no_floor"), severity="warning")
            return
        self.screen.post_message(m.CommandWanted(lambda id_: p.EndFloor(id=id_)))

    def action_lower(self) -> None:
        if (participant_id := self._hand()) is not None:
            self.screen.post_message(
                m.CommandWanted(lambda id_: p.LowerHand(id=id_, participant_id=participant_id))
            )
