"""Who is connected, as the moderators were last told, and what changed since.

Moderators get the whole list once (after their welcome, in frames of at most
``ENTRIES_PER_FRAME`` entries) and then only the changes (``presence_changed``),
so no frame grows with the room: at 15,000 guests the whole list was past 1 MiB.
Guests get the count alone, less often as the room grows.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field

from shared import protocol as p

# About 100 bytes an entry (a name may take 160): a frame stays far below 1 MiB.
ENTRIES_PER_FRAME = 500


@dataclass
class PresenceBook:
    shown: dict[str, p.ConnectedView] = field(default_factory=dict)
    # Participants whose connections came or went since the last flush.
    touched: set[str] = field(default_factory=set)
    count: int = 0  # connected participants (role participant), as last told

    def touch(self, participant_id: str) -> None:
        self.touched.add(participant_id)

    def settle(
        self, connected: Mapping[str, p.ConnectedView | None]
    ) -> tuple[list[p.ConnectedView], list[str]]:
        """Bring ``shown`` up to date for the touched participants; return who
        joined and who left. ``connected`` maps a touched participant to its
        entry when it holds a connection now, to None when it holds none."""
        touched, self.touched = self.touched, set()
        joined: list[p.ConnectedView] = []
        left: list[str] = []
        for participant_id in sorted(touched):
            entry = connected.get(participant_id)
            if entry is not None and participant_id not in self.shown:
                self.shown[participant_id] = entry
                joined.append(entry)
                self.count += entry.role == "participant"
            elif entry is None and participant_id in self.shown:
                gone = self.shown.pop(participant_id)
                left.append(participant_id)
                self.count -= gone.role == "participant"
        return joined, left

    def whole_list(self) -> Iterator[p.Presence | p.PresenceChanged]:
        """The list as last told, for a moderator who just arrived: a ``presence``
        frame, then ``presence_changed`` frames for the rest of a long list."""
        entries = list(self.shown.values())
        yield p.Presence(count=self.count, connected=entries[:ENTRIES_PER_FRAME])
        for start in range(ENTRIES_PER_FRAME, len(entries), ENTRIES_PER_FRAME):
            yield p.PresenceChanged(count=self.count, joined=entries[start : start + ENTRIES_PER_FRAME])

    def deltas(self, joined: list[p.ConnectedView], left: list[str]) -> Iterator[p.PresenceChanged]:
        """The changes, in frames of at most ``ENTRIES_PER_FRAME`` entries each."""
        for start in range(0, max(len(joined), len(left)), ENTRIES_PER_FRAME):
            yield p.PresenceChanged(
                count=self.count,
                joined=joined[start : start + ENTRIES_PER_FRAME],
                left=left[start : start + ENTRIES_PER_FRAME],
            )
