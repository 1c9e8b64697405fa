"""The join link's QR code in the terminal: half blocks, dark on white, with a quiet zone.

segno's own compact terminal output is drawn for dark terminals (light modules
lit), which phones do not scan on a projector; here every cell is painted
black on white whatever the theme, two modules per cell (upper and lower half).
"""

from __future__ import annotations

import segno
from rich.segment import Segment
from rich.style import Style
from textual.strip import Strip
from textual.widget import Widget

QUIET_ZONE = 4  # modules of white around the code, as the QR standard asks
_INK = Style(color="#000000", bgcolor="#ffffff")
# (upper module dark, lower module dark) -> the cell's character
_HALVES = {(False, False): " ", (True, False): "▀", (False, True): "▄", (True, True): "█"}


def qr_rows(text: str) -> list[str]:
    """The code as lines of half-block characters (quiet zone included)."""
    code = segno.make(text, error="m")
    matrix = [[bool(module) for module in row] for row in code.matrix_iter(scale=1, border=QUIET_ZONE)]
    if len(matrix) % 2:
        matrix.append([False] * len(matrix[0]))
    return [
        "".join(_HALVES[(upper, lower)] for upper, lower in zip(matrix[y], matrix[y + 1], strict=True))
        for y in range(0, len(matrix), 2)
    ]


class QRCode(Widget):
    """A QR code drawn black on white; it sizes itself to the code."""

    DEFAULT_CSS = """
    QRCode {
        width: auto;
        height: auto;
    }
    """

    def __init__(self, text: str = "", *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.rows: list[str] = []
        self.text = ""
        self.set_text(text)

    def set_text(self, text: str) -> None:
        if text == self.text:
            return
        self.text = text
        self.rows = qr_rows(text) if text else []
        self.refresh(layout=True)

    def get_content_width(self, container: object, viewport: object) -> int:
        return len(self.rows[0]) if self.rows else 0

    def get_content_height(self, container: object, viewport: object, width: int) -> int:
        return len(self.rows)

    def render_line(self, y: int) -> Strip:
        if y >= len(self.rows):
            return Strip.blank(self.size.width)
        return Strip([Segment(self.rows[y], _INK)])
