"""French and English texts, in one place: one catalogue per language.

Every text the client shows goes through :class:`Translator`; user text never
does. Server errors are translated by their ``code``; an unknown code falls
back to the server's own (English) message.
"""

from __future__ import annotations

from client.i18n import en, fr
from shared.language import Lang, default_language, is_singular

__all__ = ["CATALOGUES", "LANGUAGES", "Language", "Translator", "default_language"]

Language = Lang
CATALOGUES: dict[str, dict[str, str]] = {"en": en.TEXTS, "fr": fr.TEXTS}
LANGUAGES = tuple(CATALOGUES)


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
        one = is_singular(count, self.lang)
        return self(f"{key}.{'one' if one else 'many'}", count=count, **values)

    def error(self, code: str, fallback: str) -> str:
        return self.texts.get(f"error.{code}", fallback)
