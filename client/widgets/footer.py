"""The footer, with key descriptions in the interface language."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.widgets import Footer
from textual.widgets._footer import FooterKey, FooterLabel

from client.widgets.render import tr_of

# Textual's own bindings that show in the footer.
_BUILTIN = {"palette": "key.palette"}


class TranslatedFooter(Footer):
    """Binding descriptions are catalogue keys (``key.ask``); shown translated.

    Compact below 100 columns, so that a moderator's keys fit at 80×24.
    """

    def compose(self) -> ComposeResult:
        tr = tr_of(self)
        for widget in super().compose():
            if isinstance(widget, FooterKey):
                key = _BUILTIN.get(widget.description, widget.description)
                if key in tr.texts:
                    widget.description = tr(key)
            elif isinstance(widget, FooterLabel):
                key = str(widget.content)
                if key in tr.texts:
                    widget.update(tr(key))
            yield widget

    def on_resize(self) -> None:
        self.compact = self.app.size.width < 100
