"""The terminal projector's QR code scans: decoded by zbarimg from the cells drawn.

Each cell holds two modules (half blocks); the cells are turned back into
pixels from their characters and colours, dark where the ink is, and the
picture goes to zbarimg (Debian's zbar-tools), as a phone would read it.
"""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest
from rich.color import Color

from client.tokens import TokenStore
from client.widgets.qr import QRCode
from server.app import DebateServer
from tests.client.conftest import make_app, screen_rows, wait_until

SCALE = 6  # pixels per module


def _dark(color: Color | None) -> bool:
    if color is None:
        return False
    red, green, blue = color.get_truecolor()
    return red + green + blue < 3 * 128


def cells_to_pgm(widget: QRCode, path: Path) -> None:
    """The widget's cells as a greyscale picture, two pixel rows per cell row."""
    rows: list[list[bool]] = []
    for y in range(widget.size.height):
        upper: list[bool] = []
        lower: list[bool] = []
        for segment in widget.render_line(y):
            style = segment.style
            assert style is not None
            ink, paper = _dark(style.color), _dark(style.bgcolor)
            for char in segment.text:
                top = ink if char in "▀█" else paper
                bottom = ink if char in "▄█" else paper
                upper.append(top)
                lower.append(bottom)
        rows += [upper, lower]
    width = len(rows[0])
    pixels = bytearray()
    for row in rows:
        line = bytearray()
        for dark in row:
            line += bytes([0 if dark else 255]) * SCALE
        pixels += bytes(line) * SCALE
    path.write_bytes(f"P5 {width * SCALE} {len(rows) * SCALE} 255\n".encode() + bytes(pixels))


def zbar(path: Path) -> str:
    if shutil.which("zbarimg") is None:
        pytest.skip("zbarimg is missing (apt-get install zbar-tools)")
    result = subprocess.run(
        ["zbarimg", "--quiet", "--raw", str(path)], capture_output=True, text=True, timeout=30
    )
    assert result.returncode == 0, result.stderr
    return result.stdout.strip()


async def test_the_terminal_projector_shows_a_qr_code_that_scans(
    server: DebateServer, tokens: TokenStore, tmp_path: Path
) -> None:
    app = make_app(server, "screen", tokens, join_url="ws://192.168.1.20:8765/")
    code = server.service.join_code
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_until(pilot, lambda: app.link.status == "connected")
        qr = app.screen.query_one(QRCode)
        await wait_until(pilot, lambda: qr.display and qr.size.height > 0)
        picture = tmp_path / "qr.pgm"
        cells_to_pgm(qr, picture)
        # The guest page, upper-cased for QR's compact alphanumeric mode.
        assert zbar(picture) == f"HTTP://192.168.1.20:8765/J/{code}"
        # Drawn whole on the screen: its rows are there, with the quiet zone around.
        on_screen = "\n".join(screen_rows(app))
        assert all(row.strip() in on_screen for row in qr.rows if row.strip())
        assert f"http://192.168.1.20:8765/j/{code}" in on_screen


async def test_the_qr_code_is_hidden_rather_than_cut_on_a_small_terminal(
    server: DebateServer, tokens: TokenStore
) -> None:
    app = make_app(server, "screen", tokens)
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_until(pilot, lambda: app.link.status == "connected")
        await pilot.pause()
        assert not app.screen.query_one(QRCode).display


def test_inverted_cells_would_not_scan(tmp_path: Path) -> None:
    """The check is not vacuous: light modules drawn dark (segno's terminal style) fail."""
    from client.widgets.qr import qr_rows

    rows = qr_rows("HTTP://192.168.1.20:8765/J/ABCDEF")
    inverted = {"█": " ", " ": "█", "▀": "▄", "▄": "▀"}
    pixels = bytearray()
    for row in rows:
        for half in ("▀", "▄"):
            line = bytearray()
            for char in "".join(inverted[c] for c in row):
                line += bytes([0 if char in (half, "█") else 255]) * SCALE
            pixels += bytes(line) * SCALE
    path = tmp_path / "inverted.pgm"
    path.write_bytes(f"P5 {len(rows[0]) * SCALE} {len(rows) * 2 * SCALE} 255\n".encode() + bytes(pixels))
    if shutil.which("zbarimg") is None:
        pytest.skip("zbarimg is missing (apt-get install zbar-tools)")
    result = subprocess.run(["zbarimg", "--quiet", "--raw", str(path)], capture_output=True, timeout=30)
    assert result.returncode != 0
