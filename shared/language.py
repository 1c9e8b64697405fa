"""The interface language: which one by default, and the plural rule of each.

Shared by the client's screens, the server's messages and the exports, so that
they all pick the same language and say "1 vote" / "2 votes" the same way.
"""

from __future__ import annotations

import locale
import os
import re
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


NNBSP = "\u202f"  # French typography: a narrow no-break space before ? ! ; and %
NBSP = "\u00a0"  # and a no-break space before : and inside « »

_SPACE_BEFORE_TALL = re.compile(r"(?<=\S)[ \u00a0]+([?!;])")
_SPACE_BEFORE_COLON = re.compile(r"(?<=\S)[ \u202f]+(:)")
_AFTER_OPENING_QUOTE = re.compile(r"«[ \u202f]+")
_BEFORE_CLOSING_QUOTE = re.compile(r"(?<=\S)[ \u202f]+»")


def typeset(text: str) -> str:
    """French spacing made unbreakable: a space before ? ! ; : or inside « »
    never lets a line start with the mark. Only existing spaces change, so
    this is safe on any text, a guest's included."""
    if not any(mark in text for mark in "?!;:«»"):
        return text  # most texts: nothing to do
    text = _SPACE_BEFORE_TALL.sub(NNBSP + r"\1", text)
    text = _SPACE_BEFORE_COLON.sub(NBSP + r"\1", text)
    text = _AFTER_OPENING_QUOTE.sub("«" + NBSP, text)
    return _BEFORE_CLOSING_QUOTE.sub(NBSP + "»", text)
