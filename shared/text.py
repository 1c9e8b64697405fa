"""Sanitising validators for every user-supplied text field.

Control characters are removed here, at the edge, so that no escape sequence
ever reaches a terminal or a file: C0 except newline and tab, DEL, and C1
(U+0080 to U+009F, which includes the 8-bit CSI U+009B). Lone surrogates, which
JSON allows but UTF-8 cannot carry, are dropped too, and so are the bidi
embedding, override and isolate controls (U+202A-U+202E, U+2066-U+2069), which
make "‮erialC" show as "Claire" and reorder whatever follows on a line.
Names are cleaned further (``shared.names``).
"""

import re
from typing import Any

from pydantic import BeforeValidator

from shared.names import clean_name

_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\ud800-\udfff\u202a-\u202e\u2066-\u2069]")
_LINE_BREAKS = re.compile(r"[\r\n\t]+")


def strip_controls(text: str) -> str:
    """Remove control characters but keep newlines and tabs."""
    return _CONTROL.sub("", text)


def reject_controls(text: str) -> str:
    """For identifiers and secrets, taken as they are: refuse what cleaning would alter.

    A lone surrogate cannot be encoded in UTF-8: echoed in an error, stored or
    hashed, it would fail far from here.
    """
    if _CONTROL.search(text):
        raise ValueError("control characters and lone surrogates are not allowed")
    return text


def single_line(text: str) -> str:
    """Remove control characters and fold line breaks and tabs into spaces."""
    return _LINE_BREAKS.sub(" ", strip_controls(text))


def _multi_line_input(value: Any) -> Any:
    return strip_controls(value).strip() if isinstance(value, str) else value


def _single_line_input(value: Any) -> Any:
    return single_line(value).strip() if isinstance(value, str) else value


def _name_input(value: Any) -> Any:
    return clean_name(single_line(value)) if isinstance(value, str) else value


# Sanitise, then trim; the length limits apply to what remains.
MultiLine = BeforeValidator(_multi_line_input)
SingleLine = BeforeValidator(_single_line_input)
NameText = BeforeValidator(_name_input)
