"""The word filter's matcher: does a text hold one of the filtered words?

Pure and deterministic. A word matches as a whole word, or as its plural in -s
or -x, whatever the case and accents, and through simple disguises:

- repeated letters ("merdeeee", "coonnnard"): each letter of a listed word may
  be repeated in the text, never dropped (so "cône" is not "conne");
- separators between letters ("c.o.n", "c-o-n", "c o n"): the parts of one
  token are also read joined, and so are runs of one-letter tokens;
- look-alike letters from other scripts (a Cyrillic "о" for an "o"), through
  the Unicode TR39 prototypes of ``shared.names``, and invisible characters;
- digits and "@" used as letters (0 1 3 4 5 7 @), inside a token that holds a
  letter (a number alone stays a number: "5 à 7" is not a word); "1", "i" and
  "l" are one letter here, since each passes for the others.

The built-in lists are in ``shared.filter_words``.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import lru_cache

from shared.filter_words import BUILTIN
from shared.names import _prototypes

# Digits and signs that stand for letters inside a word.
_AS_LETTERS = {"0": "o", "1": "i", "3": "e", "4": "a", "5": "s", "7": "t", "@": "a"}
_LIGATURES = {"œ": "oe", "æ": "ae", "ß": "ss", "ø": "o", "đ": "d", "ł": "l"}
_SEPARATORS = re.compile(r"[\W_]+")
# A run of one-letter tokens ("c o n") is read joined, up to this many letters.
_LONGEST_SPELLED_WORD = 24
# Letters that pass for one another ("1" is read "i").
_SAME_LETTER = {"l": "i"}


def _fold_char(char: str) -> str:
    if char.isascii():
        return char
    if char in _LIGATURES:
        return _LIGATURES[char]
    prototype = _prototypes().get(char)
    if prototype is not None:
        plain = _strip_marks(prototype).casefold()
        if plain.isascii() and plain.isalnum():
            return plain
    return char


def _strip_marks(text: str) -> str:
    return "".join(
        char for char in unicodedata.normalize("NFD", text) if unicodedata.category(char) not in ("Mn", "Me")
    )


def fold(text: str) -> str:
    """Lower case, no accents, no invisible characters, look-alikes made plain."""
    text = unicodedata.normalize("NFKC", text).casefold()
    kept = (char for char in _strip_marks(text) if unicodedata.category(char) not in ("Cf", "Cc", "Co"))
    return "".join(_fold_char(char) for char in kept)


def _letters(token: str) -> str:
    """Digits and '@' read as letters, in a token that holds a letter."""
    if any(char.isalpha() for char in token):
        return "".join(_AS_LETTERS.get(char, char) for char in token)
    return token


def candidates(text: str) -> Iterator[str]:
    """Every way the text may be read as words (see the module's docstring)."""
    run: list[str] = []  # one-letter tokens in a row (a digit alone in upper case)
    for token in fold(text).split():
        parts = [part for part in _SEPARATORS.split(_letters(token)) if part]
        yield from parts
        joined = "".join(parts)
        if len(parts) > 1:
            yield joined
        if joined.isalpha() and len(set(joined)) == 1:  # "c o nn": one letter, maybe repeated
            run.append(joined)
        elif token in _AS_LETTERS:  # "c 0 n": a digit among spelled letters
            run.append(_AS_LETTERS[token].upper())
        else:
            yield from _spelled(run)
            run = []
    yield from _spelled(run)


def _spelled(run: list[str]) -> Iterator[str]:
    """Each stretch of at least two one-letter tokens, read as one word, if it
    holds a letter (digits alone stay numbers: "1 2 3")."""
    for start in range(len(run)):
        for end in range(start + 2, min(len(run), start + _LONGEST_SPELLED_WORD) + 1):
            stretch = run[start:end]
            if any(char.islower() for char in stretch):
                yield "".join(stretch).lower()


def word_key(word: str) -> str | None:
    """A listed word as the matcher reads it, or None when it is not one word."""
    parts = [part for part in _SEPARATORS.split(_letters(fold(word.strip()))) if part]
    if len(parts) != 1 or not any(char.isalpha() for char in parts[0]):
        return None
    return parts[0]


def _pattern(key: str) -> str:
    """Each letter may repeat; i and l are one letter."""
    pieces: list[str] = []
    canonical = [_SAME_LETTER.get(char, char) for char in key]
    index = 0
    while index < len(canonical):
        char = canonical[index]
        length = 1
        while index + length < len(canonical) and canonical[index + length] == char:
            length += 1
        atom = "[il]" if char == "i" else re.escape(char)
        pieces.append(atom + ("+" if length == 1 else f"{{{length},}}"))
        index += length
    return "".join(pieces)


_PLURAL = "(?:s+|x+)?"


@dataclass(frozen=True)
class WordFilter:
    """The compiled filter of one list of words."""

    words: tuple[str, ...]
    _any: re.Pattern[str]
    _each: tuple[tuple[str, re.Pattern[str]], ...]

    def first_match(self, text: str) -> str | None:
        """The listed word the text holds first, or None."""
        if not self.words:
            return None
        for candidate in candidates(text):
            if self._any.fullmatch(candidate):
                return next(word for word, pattern in self._each if pattern.fullmatch(candidate))
        return None


def build_filter(words: Iterable[str], builtin: bool) -> WordFilter:
    """The filter of ``words`` (not one word each: skipped) and the built-in lists."""
    return _build(tuple(words), builtin)


@lru_cache(maxsize=8)
def _build(words: tuple[str, ...], builtin: bool) -> WordFilter:
    listed = [*(BUILTIN if builtin else ()), *words]
    each: list[tuple[str, re.Pattern[str]]] = []
    seen: set[str] = set()
    for word in listed:
        key = word_key(word)
        if key is None or key in seen:
            continue
        seen.add(key)
        each.append((word, re.compile(_pattern(key) + _PLURAL)))
    if not each:
        return WordFilter((), re.compile("(?!)"), ())
    combined = re.compile(
        "(?:" + "|".join(pattern.pattern[: -len(_PLURAL)] for _, pattern in each) + ")" + _PLURAL
    )
    return WordFilter(tuple(word for word, _ in each), combined, tuple(each))
