"""The word filter's built-in lists: short, common French and English swear words.

Kept short and mild on purpose: the filter is a first line for a dinner debate,
not a catalogue of slurs; the organiser adds their own words in the plan's
``[filter]`` table (``words``) and may switch these off (``builtin = false``).
Plurals in -s and -x are matched without being listed.

Left out because ordinary words share their spelling (a dinner debate must not
hold "un pain bâtard", "cul sec", "a bite to eat" or "Philip K. Dick"): bâtard,
cul, bite, dick, ass, bordel. One known false positive stays: "con" is also the
English "pros and cons" and "chili con carne"; an English-speaking evening
that needs them writes ``builtin = false`` and its own list.
"""

from __future__ import annotations

FRENCH: tuple[str, ...] = (
    "con",
    "conne",
    "connard",
    "connasse",
    "couille",
    "enculé",
    "enfoiré",
    "merde",
    "pétasse",
    "pouffiasse",
    "putain",
    "pute",
    "salaud",
    "salope",
)

ENGLISH: tuple[str, ...] = (
    "asshole",
    "bitch",
    "bollocks",
    "crap",
    "cunt",
    "fuck",
    "fucker",
    "fucking",
    "motherfucker",
    "shit",
    "slut",
    "twat",
    "wanker",
    "whore",
)

BUILTIN: tuple[str, ...] = FRENCH + ENGLISH
