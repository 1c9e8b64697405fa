"""The interface language: which one by default, and the plural rule of each.

Shared by the client's screens, the server's messages and the exports, so that
they all pick the same language and say "1 vote" / "2 votes" the same way.
"""

from __future__ import annotations

import locale
import os
from typing import Literal

Lang = Literal["fr", "en"]
LANGS: tuple[Lang, ...] = ("fr", "en")


def default_language() -> Lang:
    """French when the user's locale is French, English otherwise."""
    for variable in ("LC_ALL", "LC_MESSAGES", "LANG", "LANGUAGE"):
        value = os.environ.get(variable)
        if value:
            return "fr" if value.lower().startswith("fr") else "en"
    try:
        code = locale.getlocale()[0] or ""
    except ValueError:
        code = ""
    return "fr" if code.lower().startswith("fr") else "en"


def is_singular(count: int, lang: str) -> bool:
    """French treats 0 and 1 as singular ("0 vote", "1 vote"); English only 1."""
    return count <= 1 if lang == "fr" else count == 1
