"""French and English texts, in one place: one catalogue per language.

Every text the client shows goes through :class:`Translator`; user text never
does. Server errors are translated by their ``code``; an unknown code falls
back to the server's own (English) message.
"""

from __future__ import annotations

import locale
import os
from typing import Literal

from client.i18n import en, fr

Language = Literal["fr", "en"]
CATALOGUES: dict[str, dict[str, str]] = {"en": en.TEXTS, "fr": fr.TEXTS}
LANGUAGES = tuple(CATALOGUES)


def default_language() -> str:
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


class Translator:
    def __init__(self, lang: str) -> None:
        if lang not in CATALOGUES:
            raise ValueError(f"unknown language {lang!r}")
        self.lang: Language = "fr" if lang == "fr" else "en"
        self.texts = CATALOGUES[lang]

    def __call__(self, key: str, **values: object) -> str:
        text = self.texts[key]  # a missing key is a bug: the tests check both catalogues
        return text.format(**values) if values else text

    def plural(self, key: str, count: int, **values: object) -> str:
        """``key.one`` or ``key.many`` (French counts 0 and 1 as singular)."""
        one = count <= 1 if self.lang == "fr" else count == 1
        return self(f"{key}.{'one' if one else 'many'}", count=count, **values)

    def error(self, code: str, fallback: str) -> str:
        return self.texts.get(f"error.{code}", fallback)
