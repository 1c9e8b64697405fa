"""Browser tests: Playwright (from PyPI) driving Debian's Chromium.

Never ``playwright install`` (it downloads a browser build). Without Chromium
these tests skip with the reason; with ``CI=true`` a missing browser fails.
"""

from __future__ import annotations

import os
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest

CHROMIUM = Path(os.environ.get("CONVIVE_CHROMIUM", "/usr/lib/chromium/chromium"))
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]
PHONE = {"width": 360, "height": 640}


def _browser_missing() -> str | None:
    try:
        import playwright  # noqa: F401
    except ImportError:
        return "playwright is not installed (pip install -e '.[test]')"
    if not CHROMIUM.exists():
        return f"no Chromium at {CHROMIUM} (apt-get install chromium)"
    return None


def require_browser() -> None:
    missing = _browser_missing()
    if missing is None:
        return
    if os.environ.get("CI") == "true":
        pytest.fail(f"browser tests cannot run in CI: {missing}")
    pytest.skip(missing)


@pytest.fixture
async def browser() -> AsyncIterator[Any]:
    require_browser()
    from playwright.async_api import async_playwright

    async with async_playwright() as playwright:
        launched = await playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield launched
        await launched.close()


@pytest.fixture
def screenshots(tmp_path: Path) -> Path:
    """Where screenshots go: CONVIVE_SCREENSHOTS to keep them for a look, else a temporary folder."""
    folder = Path(os.environ.get("CONVIVE_SCREENSHOTS") or tmp_path)
    folder.mkdir(parents=True, exist_ok=True)
    return folder


async def new_phone(browser: Any, **options: Any) -> Any:
    """A page in a fresh phone-sized context (its own localStorage), failing on page errors."""
    context = await browser.new_context(viewport=PHONE, has_touch=True, is_mobile=True, **options)
    page = await context.new_page()
    page.errors = []
    page.on("pageerror", lambda error: page.errors.append(str(error)))
    # The browser logs each refused websocket while the server is away: expected, not a page error.
    page.on(
        "console",
        lambda message: message.type == "error"
        and not message.text.startswith("WebSocket connection to")
        and page.errors.append(message.text),
    )
    return page
