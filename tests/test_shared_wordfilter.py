"""The word filter's matcher (shared.wordfilter): property tests.

What it must catch: a listed word, whole, in any case, with accents or not, its
plural in -s/-x, and the simple disguises (repeated letters, separators between
letters, look-alike letters from other scripts, digits as letters). What it
must not: ordinary words that contain or resemble one (the seed article, the
example plan, a list of near misses).
"""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from shared.filter_words import BUILTIN, ENGLISH, FRENCH
from shared.wordfilter import build_filter, fold, word_key

ROOT = Path(__file__).resolve().parent.parent
SEED = Path("/work/shared/seed")
BUILTIN_FILTER = build_filter([], builtin=True)
# Letters as a troll writes them (each stands for the letter on the left).
DIGITS = {"o": "0", "i": "1", "e": "3", "a": "4", "s": "5", "t": "7"}
CYRILLIC = {"a": "а", "o": "о", "e": "е", "c": "с", "p": "р", "x": "х", "y": "у", "i": "і", "s": "ѕ"}
ORDINARY_WORDS = st.sampled_from(
    ["Bonsoir", "le", "budget", "des", "agents", "IA", "en", "production", "et", "alors", "2027", "!"]
)


def plain(word: str) -> str:
    key = word_key(word)
    assert key is not None
    return key


@st.composite
def disguised(draw: st.DrawFn) -> tuple[str, str]:
    """A built-in word and one way a guest may disguise it."""
    word = draw(st.sampled_from(BUILTIN))
    letters = list(plain(word))
    out: list[str] = []
    for letter in letters:
        choice = draw(st.sampled_from(["same", "upper", "repeat", "digit", "cyrillic"]))
        if choice == "upper":
            letter = letter.upper()
        elif choice == "repeat":
            letter = letter * draw(st.integers(2, 4))
        elif choice == "digit" and letter in DIGITS:
            letter = DIGITS[letter]
        elif choice == "cyrillic" and letter in CYRILLIC:
            letter = CYRILLIC[letter]
        out.append(letter)
    if draw(st.booleans()):  # the plural, spelled like the rest
        out.append(draw(st.sampled_from(["s", "x", "S"])))
    separator = draw(st.sampled_from(["", "", ".", "-", "_", " ", "*", "\u200b"]))
    return word, separator.join(out)


@settings(max_examples=400)
@given(disguised(), st.lists(ORDINARY_WORDS, max_size=5), st.lists(ORDINARY_WORDS, max_size=5))
def test_a_disguised_builtin_word_is_caught_anywhere_in_a_text(
    case: tuple[str, str], before: list[str], after: list[str]
) -> None:
    _, text = case
    message = " ".join([*before, text, *after])
    assert BUILTIN_FILTER.first_match(message) is not None, message


@settings(max_examples=300)
@given(st.sampled_from(BUILTIN), st.text("bdfghkmpqruvwyz", min_size=2, max_size=4))
def test_a_listed_word_inside_a_longer_word_is_not_a_match(word: str, tail: str) -> None:
    """Whole words only: "concept" holds "con", "connardise" is not "connard"."""
    key = plain(word)
    # A repeated first or last letter is a disguise, not another word.
    texts = [f"Voici {key}{tail} ici"] if tail[0] != key[-1] else []
    texts += [f"Voici {tail}{key} ici"] if tail[-1] != key[0] else []
    for text in texts:
        found = BUILTIN_FILTER.first_match(text)
        assert found is None or plain(found) != key, text


@given(st.text(max_size=200))
def test_any_text_gets_an_answer(text: str) -> None:
    result = BUILTIN_FILTER.first_match(text)
    assert result is None or result in BUILTIN
    assert BUILTIN_FILTER.first_match(text) == result  # pure: the same text, the same answer


@given(st.text(max_size=60))
def test_fold_is_stable(text: str) -> None:
    assert fold(fold(text)) == fold(text)


@pytest.mark.parametrize(
    "text",
    [
        "Quel con !",
        "C0NNARD",
        "c.o.n",
        "c o n",
        "c 0 n",
        "m-e-r-d-e",
        "MEEERDE",
        "pu7ain",
        "s@lope",
        "Ѕаlоре",  # Cyrillic look-alikes
        "ｃｏｎ",  # fullwidth
        "co\u200bnnard",  # a zero-width space
        "enculés",
        "Fuuuuck",
        "sh1t",
        "f*u*c*k",
    ],
)
def test_the_simple_tricks(text: str) -> None:
    assert BUILTIN_FILTER.first_match(text) is not None


@pytest.mark.parametrize(
    "text",
    [
        "Un cône de glace",
        "un concept, une connexion ratée",
        "conte, conter, raconter, console, contre",
        "le cul-de-sac",
        "on boit cul sec",
        "un pain bâtard",
        "a bite to eat",
        "il y a 5 à 7 personnes, 1 2 3",
        "shiitake, crapaud, putatif, salade, merle, pétanque",
        "Scunthorpe, cocktail, assessment, Dick Cheney",
        "jean@exemple.fr",
    ],
)
def test_ordinary_words_are_not_matched(text: str) -> None:
    assert BUILTIN_FILTER.first_match(text) is None


def ordinary_french() -> list[str]:
    """The seed article's paragraphs and the example plan's texts."""
    texts = [
        p for path in sorted(SEED.glob("*.txt")) for p in path.read_text(encoding="utf-8").split("\n") if p
    ]
    plan = tomllib.loads((ROOT / "examples" / "ai-dinner.toml").read_text(encoding="utf-8"))
    texts += [r["theme"] for r in plan["rounds"]] + [r["title"] for r in plan["rounds"]]
    for poll in plan["polls"]:  # a poll asked again (repeat_of) has no texts of its own
        texts += [poll.get("question", ""), *poll.get("options", []), *poll.get("scale_labels", [])]
    texts += [t["name"] for t in plan.get("tables", [])]
    return [text for text in texts if text]


def test_the_seed_article_and_the_example_plan_produce_no_match() -> None:
    texts = ordinary_french()
    assert len(texts) > 10
    for text in texts:
        assert BUILTIN_FILTER.first_match(text) is None, text


def test_the_organisers_words_add_to_or_replace_the_lists() -> None:
    theirs = build_filter(["Blockchain", "métavers"], builtin=False)
    assert theirs.first_match("la BLOCKCHAIN") == "Blockchain"
    assert theirs.first_match("des metavers") == "métavers"
    assert theirs.first_match("merde") is None
    both = build_filter(["blockchain"], builtin=True)
    assert both.first_match("merde") == "merde" and both.first_match("blockchain") == "blockchain"


def test_a_phrase_or_a_sign_is_not_a_word() -> None:
    assert word_key("fils de pute") is None
    assert word_key("!!!") is None
    assert build_filter(["!!!", "  "], builtin=False).first_match("!!!") is None


def test_the_builtin_lists_are_short_single_words_without_duplicates() -> None:
    keys = [plain(word) for word in BUILTIN]
    assert len(keys) == len(set(keys)) and len(FRENCH) <= 20 and len(ENGLISH) <= 20
    assert all(3 <= len(key) <= 12 for key in keys)
