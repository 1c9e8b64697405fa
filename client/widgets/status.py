"""The status line: the link to the server, the room's size, what waits to be sent."""

from __future__ import annotations

from textual.widgets import Static

from client.messages import LinkChanged
from client.state import ClientState
from client.widgets.render import assemble, tr_of


class StatusLine(Static):
    def update_from(self, link: LinkChanged, state: ClientState) -> None:
        tr = tr_of(self)
        if link.status == "reconnecting":
            status = tr("status.reconnecting", attempt=link.attempt)
        else:
            status = tr(f"status.{link.status}")
        parts: list[str | tuple[str, str]] = [(status, "bold")]
        if state.presence is not None:
            parts += ["  ·  ", tr.plural("status.people", state.presence)]
        if link.pending:
            parts += ["  ·  ", (tr.plural("status.pending", link.pending), "bold")]
        if state.name:
            parts += ["  ·  ", tr("status.you"), (state.name, "italic")]
        self.update(assemble(*parts))
        for name in ("connecting", "connected", "reconnecting", "disconnected"):
            self.set_class(link.status == name, f"-{name}")
