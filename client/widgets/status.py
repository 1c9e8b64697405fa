"""The status line: the link to the server, the room's size, what waits to be sent."""

from __future__ import annotations

from textual.widgets import Static

from client.messages import LinkChanged
from client.state import ClientState
from client.widgets.render import app_of, assemble, tr_of


class StatusLine(Static):
    def update_from(self, link: LinkChanged, state: ClientState) -> None:
        tr = tr_of(self)
        if link.status == "reconnecting":
            status = tr("status.reconnecting", attempt=link.attempt)
        else:
            status = tr(f"status.{link.status}")
        parts: list[str | tuple[str, str]] = [(status, "bold")]
        if link.status != "connected":
            parts += ["  ·  ", tr("status.people_unknown")]  # the last count may be stale
        elif state.presence is not None:
            parts += ["  ·  ", tr.plural("status.people", state.presence)]
        # Chat messages typed offline show in the log; other actions are counted here.
        waiting = link.pending - len(app_of(self).pending_messages())
        if waiting > 0 and link.status != "connected":
            parts += ["  ·  ", (tr.plural("status.pending", waiting), "bold")]
        if state.name:
            parts += ["  ·  ", tr("status.you"), (state.name, "italic")]
        self.update(assemble(*parts))
        for name in ("connecting", "connected", "reconnecting", "disconnected"):
            self.set_class(link.status == name, f"-{name}")
