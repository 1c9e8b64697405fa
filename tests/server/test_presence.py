"""Presence: moderators get who is connected (typed entries), once whole and then as
changes; guests get the count, less often as the room grows (issue 14, item 6)."""

from __future__ import annotations

import json

from server.app import DebateServer
from server.presence import ENTRIES_PER_FRAME, PresenceBook
from shared import protocol as p
from tests.conftest import join_participant
from tests.wire import WireClient


async def test_moderators_see_who_is_connected_as_typed_entries(
    server: DebateServer, url: str, moderator: WireClient
) -> None:
    # The projector first: the presence that lists Alice comes after it connected.
    screen = await WireClient.join(url, role="screen", join_code=server.service.join_code)
    guest = await join_participant(server, url, "Alice")
    raw = await moderator.wait_for(
        lambda f: f["type"] == "presence_changed" and any(e["name"] == "Alice" for e in f["joined"])
    )
    # Three plain fields per entry, as in the whole list.
    assert all(set(entry) == {"participant_id", "name", "role"} for entry in raw["joined"])
    changed = p.server_frame_adapter.validate_python(raw)
    assert isinstance(changed, p.PresenceChanged)
    assert all(isinstance(entry, p.ConnectedView) for entry in changed.joined)
    count, connected = moderator.presence()
    by_role = {entry["role"]: entry for entry in connected.values()}
    assert by_role["participant"]["name"] == "Alice" and by_role["participant"]["participant_id"]
    assert by_role["moderator"]["name"] == "Mod"
    assert "screen" not in by_role  # projectors are no one
    assert count == 1
    public = await guest.wait_for(lambda f: f["type"] == "presence")
    assert "connected" not in public
    assert not any(f["type"] == "presence_changed" for f in guest.frames)
    await guest.close()
    await screen.close()


async def test_moderators_get_changes_and_a_newcomer_the_whole_list(
    server: DebateServer, url: str, moderator: WireClient
) -> None:
    guests = [await join_participant(server, url, f"Guest {i}") for i in range(4)]
    await moderator.wait_for(lambda f: f["type"] == "presence_changed" and f["count"] == 4)
    leaving = guests.pop()
    assert leaving.welcome is not None
    await leaving.close()
    # A leave, not an earlier join that also made 3 (joins are coalesced only when they are quick).
    gone = await moderator.wait_for(
        lambda f: f["type"] == "presence_changed" and f["count"] == 3 and bool(f["left"])
    )
    assert gone["left"] == [leaving.welcome["participant_id"]] and gone["joined"] == []
    # After its first frame, the moderator never gets the whole list again.
    whole = [f for f in moderator.frames if f["type"] == "presence" and "connected" in f]
    assert len(whole) == 1 and moderator.frames.index(whole[0]) <= 2
    # A moderator who arrives now gets the whole list at once, with its welcome.
    late = await WireClient.join(
        url, role="moderator", moderator_key=server.service.moderator_key, name="Late"
    )
    first = await late.wait_for(lambda f: f["type"] == "presence")
    assert {e["name"] for e in first["connected"]} == {"Mod", "Guest 0", "Guest 1", "Guest 2"}
    await late.wait_for(
        lambda f: f["type"] == "presence_changed" and any(e["name"] == "Late" for e in f["joined"])
    )
    assert {e["name"] for e in late.presence()[1].values()} == {
        "Mod",
        "Late",
        "Guest 0",
        "Guest 1",
        "Guest 2",
    }
    for guest in guests:
        await guest.close()
    await late.close()


def test_no_presence_frame_grows_with_the_room() -> None:
    """15,000 guests with long names in four-byte characters: every frame stays
    far below 1 MiB (the whole list was 1.5 MiB and cut the moderator off, 1009)."""
    book = PresenceBook()
    name = "\U0001f600" * 40
    for i in range(15_000):
        book.touch(f"u{i:012x}")
    joined, left = book.settle(
        {pid: p.ConnectedView(participant_id=pid, name=name, role="participant") for pid in book.touched}
    )
    assert len(joined) == 15_000 and not left and book.count == 15_000
    frames = [*book.deltas(joined, left), *book.whole_list()]
    sizes = [len(frame.model_dump_json().encode()) for frame in frames]
    assert max(sizes) < 256 * 1024
    # The whole list, folded, is everyone once.
    listed = [
        e.participant_id
        for f in book.whole_list()
        for e in (f.connected if isinstance(f, p.Presence) else f.joined) or []
    ]
    assert len(listed) == len(set(listed)) == 15_000
    assert all(
        len((f.connected if isinstance(f, p.Presence) else f.joined) or []) <= ENTRIES_PER_FRAME
        for f in frames
    )
    # Half of them leave: changes only, in bounded frames too.
    for i in range(0, 15_000, 2):
        book.touch(f"u{i:012x}")
    joined, left = book.settle({})
    assert len(left) == 7_500 and book.count == 7_500
    assert max(len(json.dumps(f.model_dump(mode="json"))) for f in book.deltas(joined, left)) < 256 * 1024


async def test_guests_get_the_count_less_often_as_the_room_grows(
    server: DebateServer, url: str, moderator: WireClient
) -> None:
    # At most 0.01 count frames a second in all: with a few guests, one every few
    # minutes. The moderator still gets every change.
    server.settings.presence_count_frames_per_second = 0.01
    first = await join_participant(server, url, "First")
    await first.wait_for(lambda f: f["type"] == "presence")  # right after its welcome
    others = [await join_participant(server, url, f"Other {i}") for i in range(5)]
    await moderator.wait_for(lambda f: f["type"] == "presence_changed" and f["count"] == 6)
    await first.drain(quiet=0.3)
    counts = [f for f in first.frames if f["type"] == "presence"]
    # The one after its welcome, at most one broadcast, then nothing for minutes.
    assert len(counts) <= 2
    # Each newcomer still gets the count at once, with its welcome.
    for other in others:
        assert (await other.wait_for(lambda f: f["type"] == "presence"))["count"] >= 1
    for client in [first, *others]:
        await client.close()
