"""The exports' words: French typography, real plurals, no jargon, shares of voters."""

from __future__ import annotations

import html
import re

import pytest

from server.export import export_events
from server.export.i18n import Lang, Localizer, typeset
from shared import events as ev
from shared.events import EventBase
from tests.export.conftest import PARIS

AT = "2026-11-26T19:00:00.000Z"
LATER = "2026-11-26T19:00:20.000Z"  # twenty seconds later

# A space that lets a line break before ? ! : ; or inside « ».
_BREAKABLE = re.compile(r"[ \t\n][?!:;»]|«[ \t\n]")


def _outside_code(document: str) -> str:
    """The document's words: no fenced code (Markdown), no style sheet (HTML)."""
    document = re.sub(r"^```.*?^```$", "", document, flags=re.S | re.M)
    return html.unescape(re.sub(r"<style>.*?</style>", "", document, flags=re.S))


@pytest.mark.parametrize("fmt", ["md", "html"])
def test_french_exports_never_break_before_a_tall_mark(fixture_events: list[EventBase], fmt: str) -> None:
    _, rendered = export_events(fixture_events, fmt, "fr", PARIS)  # type: ignore[arg-type]
    text = _outside_code(rendered.content.decode())
    assert _BREAKABLE.search(text) is None, _BREAKABLE.search(text)
    # The guests' own "Quel budget pour 2027 ?" is kept, with its space made unbreakable.
    assert "Quel budget pour 2027\u202f?" in text


def test_typeset_changes_only_spaces() -> None:
    assert typeset("Vraiment ? Oui ! Note : « citation » ; fin") == (
        "Vraiment\u202f? Oui\u202f! Note\u00a0: «\u00a0citation\u00a0»\u202f; fin"
    )
    assert typeset("http://x?a=1 et 20:30") == "http://x?a=1 et 20:30"
    assert typeset("? au début") == "? au début"  # no space before it: nothing to bind


@pytest.mark.parametrize(
    ("lang", "n", "votes", "voters"),
    [
        ("fr", 0, "0 vote", "0 votant"),
        ("fr", 1, "1 vote", "1 votant"),
        ("fr", 2, "2 votes", "2 votants"),
        ("en", 0, "0 votes", "0 voters"),
        ("en", 1, "1 vote", "1 voter"),
        ("en", 2, "2 votes", "2 voters"),
    ],
)
def test_real_plurals(lang: Lang, n: int, votes: str, voters: str) -> None:
    l10n = Localizer(lang, PARIS)
    assert l10n.plural("votes", n) == votes
    assert l10n.plural("voters", n) == voters


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_no_placeholder_plurals_in_the_fixture(fixture_events: list[EventBase], lang: Lang) -> None:
    for fmt in ("md", "html"):
        _, rendered = export_events(fixture_events, fmt, lang, PARIS)
        assert "(s)" not in rendered.content.decode()


def _short_round_events(ended: bool) -> list[EventBase]:
    events: list[EventBase] = [
        ev.DebateCreated(seq=1, at=AT, title="T"),
        ev.RoundAdded(seq=2, at=AT, round_id="r1", title="R", theme="t", minutes=5, position=0),
        ev.RoundStarted(seq=3, at=AT, round_id="r1"),
    ]
    if ended:
        events.append(ev.RoundEnded(seq=4, at=LATER, round_id="r1"))
    return events


@pytest.mark.parametrize(
    ("lang", "said"),
    [
        ("fr", ["moins d'une minute", "Aucun message, aucune question ni aucun sondage pendant ce temps."]),
        ("en", ["under a minute", "No message, question or poll during this round."]),
    ],
)
def test_an_empty_short_round_is_said_in_words(lang: Lang, said: list[str]) -> None:
    _, rendered = export_events(_short_round_events(ended=True), "md", lang, PARIS)
    text = rendered.content.decode()
    for words in said:
        assert words in text
    for jargon in ("0 min", "0,3 min", "0.3 min", "Rien.", "Nothing.", "événement n°", "event no."):
        assert jargon not in text


def test_a_live_empty_round_says_so_far() -> None:
    _, rendered = export_events(_short_round_events(ended=False), "html", "fr", PARIS)
    text = html.unescape(rendered.content.decode())
    assert "Aucun message, aucune question ni aucun sondage pour l'instant." in text


def test_multiple_choice_percentages_are_shares_of_voters(fixture_events: list[EventBase]) -> None:
    transcript, rendered = export_events(fixture_events, "md", "fr", PARIS)
    several = next(p for r in transcript.rounds for p in r.polls if p.multiple)
    assert several.voters == 2
    assert [(o.count, o.percent) for o in several.options] == [(2, 100.0), (1, 50.0), (0, 0.0)]
    assert "plusieurs réponses possibles\u00a0: chaque pourcentage est la part des votants" in (
        rendered.content.decode()
    )
