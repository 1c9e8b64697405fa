"""Word clouds: how the words guests send are grouped and counted.

Two words are the same word when they differ only by case, accents or the
punctuation around them ("Café!", "cafe", "« CAFÉ »"). Each ballot counts a
word once; what is shown is the form most guests typed. Pure, standard
library only: the core counts with it, the clients only draw the result.
"""

from __future__ import annotations

import unicodedata
from collections import Counter
from collections.abc import Iterable, Sequence


def _is_edge_noise(char: str) -> bool:
    # Punctuation, symbols and spaces around a word are not part of it.
    return unicodedata.category(char)[0] in "PSZ"


def clean_word(text: str) -> str:
    """The word as shown: surrounding punctuation and inner runs of spaces gone."""
    words = " ".join(text.split())
    start, end = 0, len(words)
    while start < end and _is_edge_noise(words[start]):
        start += 1
    while end > start and _is_edge_noise(words[end - 1]):
        end -= 1
    return words[start:end]


def word_key(text: str) -> str:
    """What groups words: the clean word without case or accents ("" if nothing is left)."""
    decomposed = unicodedata.normalize("NFKD", clean_word(text))
    bare = "".join(char for char in decomposed if not unicodedata.combining(char))
    return unicodedata.normalize("NFC", bare).casefold()


def word_cloud(ballots: Iterable[Sequence[str]], limit: int | None = None) -> list[tuple[str, int]]:
    """(word, number of ballots that have it), most frequent first, then alphabetical.

    The word shown for a group is the form typed most often (ties: the first
    in alphabetical order), so the result depends only on the ballots, never
    on who sent them or when.
    """
    counts: Counter[str] = Counter()
    forms: dict[str, Counter[str]] = {}
    for ballot in ballots:
        seen: set[str] = set()
        for word in ballot:
            key = word_key(word)
            if not key or key in seen:
                continue
            seen.add(key)
            counts[key] += 1
            forms.setdefault(key, Counter())[clean_word(word)] += 1
    cloud = [
        (min(forms[key].items(), key=lambda item: (-item[1], item[0]))[0], count)
        for key, count in counts.items()
    ]
    cloud.sort(key=lambda item: (-item[1], word_key(item[0]), item[0]))
    return cloud if limit is None else cloud[:limit]
