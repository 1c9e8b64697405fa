"""Issue 14, item 4: names that cannot impersonate."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from shared import protocol as p
from shared.names import clean_name, name_keys
from shared.text import strip_controls
from tests.core.debate import CoreDebate

LOOK_ALIKES = [
    "Cl\u200baire",  # zero-width space
    "Cla\u200dire",  # zero-width joiner
    "Clai\u2060re",  # word joiner
    "Cla\u00adire",  # soft hyphen
    "Cl\u0430ire",  # Cyrillic а
    "\uff23\uff4c\uff41\uff49\uff52\uff45",  # fullwidth
    "CIaire",  # capital I for l
    "CLAIRE",
    "  Claire  ",
    "Claire\ufeff",  # byte order mark
]
INVISIBLE = ["\u200b", "\u3164", "\u00ad\u200d", "\u2800", " \u200e ", "\ufeff\u115f"]


@pytest.mark.parametrize("look_alike", LOOK_ALIKES)
def test_a_look_alike_of_a_name_in_use_gets_a_suffix(look_alike: str) -> None:
    debate = CoreDebate()
    debate.join("Claire")
    hello = p.parse_client_frame(
        f'{{"type": "hello", "protocol": 1, "role": "participant", "join_code": "X", "name": "{look_alike}"}}'
    )
    assert isinstance(hello, p.Hello) and hello.name is not None
    joined = debate.join(hello.name)
    assert joined.name is not None and joined.name.endswith(" (2)"), joined.name


def test_different_names_stay_different() -> None:
    assert name_keys("Chloé").isdisjoint(name_keys("Chloe"))
    assert name_keys("Marc").isdisjoint(name_keys("Mark"))
    debate = CoreDebate()
    debate.join("Claire")
    assert debate.join("Clara").name == "Clara"


@pytest.mark.parametrize("name", INVISIBLE)
def test_an_invisible_name_is_refused(name: str) -> None:
    with pytest.raises(ValidationError) as error:
        p.client_frame_adapter.validate_python(
            {"type": "hello", "protocol": 1, "role": "participant", "name": name}
        )
    assert error.value.errors()[0]["type"] in ("string_too_short", "too_short")


def test_names_are_shown_as_cleaned() -> None:
    assert clean_name("\uff2d\uff41\uff52\uff43\u3000 Lef\u00e8vre\u200b") == "Marc Lefèvre"
    assert clean_name("\u202eerialC") == "erialC"  # no right-to-left override to show "Claire"


def test_no_bidi_override_reaches_any_text() -> None:
    assert strip_controls("a\u202eb\u2066c\u2069d\u202ae") == "abcde"
    message = p.client_frame_adapter.validate_python(
        {"type": "post_message", "id": "1", "text": "Prix : \u202e0001\u202c €"}
    )
    assert message.text == "Prix : 0001 €"
    # Emoji sequences keep their joiners in messages.
    assert (
        p.client_frame_adapter.validate_python({"type": "post_message", "id": "2", "text": "👩\u200d💻"}).text
        == "👩\u200d💻"
    )
