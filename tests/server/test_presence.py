"""``presence`` is typed: moderators get ``ConnectedView`` entries, the others the count."""

from __future__ import annotations

from server.app import DebateServer
from shared import protocol as p
from tests.conftest import join_participant
from tests.wire import WireClient


async def test_moderators_see_who_is_connected_as_typed_entries(
    server: DebateServer, url: str, moderator: WireClient
) -> None:
    # The projector first: the presence that lists Alice comes after it connected.
    screen = await WireClient.join(url, role="screen", join_code=server.service.join_code)
    guest = await join_participant(server, url, "Alice")
    raw = await moderator.wait_for(lambda f: f["type"] == "presence" and len(f.get("connected", [])) == 2)
    # The wire is as before: three plain fields per entry.
    assert all(set(entry) == {"participant_id", "name", "role"} for entry in raw["connected"])
    presence = p.server_frame_adapter.validate_python(raw)
    assert isinstance(presence, p.Presence) and presence.connected is not None
    assert all(isinstance(entry, p.ConnectedView) for entry in presence.connected)
    by_role = {entry.role: entry for entry in presence.connected}
    assert by_role["participant"].name == "Alice" and by_role["participant"].participant_id
    assert by_role["moderator"].name == "Mod"
    assert "screen" not in by_role  # projectors are no one
    assert presence.count == 1
    public = await guest.wait_for(lambda f: f["type"] == "presence")
    assert "connected" not in public
    await guest.close()
    await screen.close()
