"""The page-load storm at tiny size: every page and every websocket served (no times)."""

from __future__ import annotations

import posixpath
import re
from pathlib import Path

from benchmarks.page_storm import page_files, page_storm
from benchmarks.seed import seed_database
from benchmarks.servers import start_convive
from server.web.site import ASSETS, read_package_file


def test_a_page_load_fetches_every_file_the_page_uses() -> None:
    html = read_package_file("index.html")
    files = page_files(html)
    assert "/app.js" in files and "/style.css" in files
    assert set(files) <= set(ASSETS)
    # Every module the page imports is fetched by the storm too (preloaded by the page).
    imported = {
        posixpath.normpath(posixpath.join(posixpath.dirname(path), name))
        for path in ASSETS
        if path.endswith(".js")
        for name in re.findall(r'from ?"(\./[\w/.-]+)"', read_package_file(ASSETS[path]).decode())
    }
    assert "/vendor/preact.js" in imported
    assert imported <= set(files), imported - set(files)


async def test_every_page_and_websocket_is_served(tmp_path: Path) -> None:
    seed = tmp_path / "seed.db"
    seed_database(seed, events=120, guests=4)
    server = start_convive(seed)
    try:
        figures = await page_storm(server, loads=8, joins=8, window=0.2)
    finally:
        server.stop()
    assert figures["failures"] == 0, figures["first_failure"]
    assert figures["pages_served"] == 8 and figures["welcomed"] == 8
    assert figures["page_bytes"] > 10_000
