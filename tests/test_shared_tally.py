"""The one definition of a poll's percentages and of plurals (shared/)."""

from __future__ import annotations

import pytest

from shared.language import default_language, is_singular
from shared.tally import share_of_voters, voters_or_ticks


def test_share_of_voters() -> None:
    assert share_of_voters(2, 2) == 100.0
    assert share_of_voters(1, 2) == 50.0
    assert share_of_voters(1, 3) == pytest.approx(33.333, abs=0.001)
    assert share_of_voters(0, 0) == 0.0


def test_several_answers_are_shares_of_voters_not_of_ticks() -> None:
    counts, voters = [2, 1, 0], 2  # two voters ticked 3 options in all
    assert [share_of_voters(count, voters) for count in counts] == [100.0, 50.0, 0.0]
    assert voters_or_ticks(counts, voters) == 2
    assert voters_or_ticks([1, 2], None) == 3


def test_plural_rules() -> None:
    assert [is_singular(n, "fr") for n in (0, 1, 2)] == [True, True, False]
    assert [is_singular(n, "en") for n in (0, 1, 2)] == [False, True, False]


def test_default_language_follows_the_locale(monkeypatch: pytest.MonkeyPatch) -> None:
    for variable in ("LC_ALL", "LC_MESSAGES", "LANG", "LANGUAGE"):
        monkeypatch.delenv(variable, raising=False)
    monkeypatch.setenv("LANG", "fr_FR.UTF-8")
    assert default_language() == "fr"
    monkeypatch.setenv("LC_ALL", "en_GB.UTF-8")
    assert default_language() == "en"


# --- opinion shift (issue 13) ------------------------------------------------------


def test_shares_in_tenths_round_half_up_and_shifts_add_up() -> None:
    from shared.tally import one_decimal, share_tenths, shift_of_option

    assert [share_tenths(1, 3), share_tenths(2, 3), share_tenths(0, 0)] == [333, 667, 0]
    assert share_tenths(1, 16) == 63  # 6.25 % rounds half up, in integers: no float ties
    before, after, points = shift_of_option(2, 3, 1, 4)
    assert (before, after, points) == (66.7, 25.0, -41.7)
    assert one_decimal(points, "fr", signed=True) == "\u221241,7"
    assert one_decimal(0.0, "en", signed=True) == "0.0"
    assert one_decimal(41.7, "en", signed=True) == "+41.7" and one_decimal(before, "fr") == "66,7"
