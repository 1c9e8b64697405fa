"""The footer, with key descriptions in the interface language."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.widgets import Footer
from textual.widgets._footer import FooterKey

from client.widgets.render import tr_of

# Textual's own bindings that show in the footer.
_BUILTIN = {"palette": "key.palette"}


class TranslatedFooter(Footer):
    def compose(self) -> ComposeResult:
        tr = tr_of(self)
        for widget in super().compose():
            if isinstance(widget, FooterKey):
                key = _BUILTIN.get(widget.description, widget.description)
                if key in tr.texts:
                    widget.description = tr(key)
            yield widget
