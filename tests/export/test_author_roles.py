"""Every export badges the real moderator, from the author's role, never from
the name (issue 14, item 4): in the fixture a guest named like the moderator
(a look-alike) posts and asks too."""

from __future__ import annotations

import csv
import io
import json

import pytest

from server.export import export_events
from server.export.i18n import Lang
from shared.events import EventBase
from tests.export.conftest import PARIS
from tests.export.fixture import LOOK_ALIKE
from tests.export.test_html_csv import _members

REAL = "Merci à tous, à bientôt."
FAKE = "Je modère aussi, promis."
REAL_QUESTION = "Une date pour la prochaine, peut-être."
FAKE_QUESTION = "Et si je modérais, moi."


def test_the_json_export_carries_each_authors_role(fixture_events: list[EventBase]) -> None:
    data = json.loads(export_events(fixture_events, "json")[1].content)
    lobby = data["lobby"]
    roles = {m["text"]: (m["author_name"], m["author_role"]) for m in lobby["messages"]}
    assert roles[REAL] == ("Modératrice", "moderator")
    assert roles[FAKE][0].startswith(LOOK_ALIKE) and roles[FAKE][1] == "participant"
    questions = [q for r in [*data["rounds"], lobby] for q in r["questions"]]
    by_text = {q["text"]: q for q in questions}
    assert by_text[REAL_QUESTION]["author_role"] == "moderator"
    assert by_text[FAKE_QUESTION]["author_role"] == "participant"
    # An anonymous question names no role either: "a moderator asked" would narrow it.
    assert all(q["author_role"] is None for q in questions if q["anonymous"])


@pytest.mark.parametrize(("lang", "badge"), [("fr", "modération"), ("en", "moderator")])
def test_markdown_and_html_badge_only_the_moderator(
    fixture_events: list[EventBase], lang: Lang, badge: str
) -> None:
    markdown = export_events(fixture_events, "md", lang, PARIS)[1].content.decode()
    lines = markdown.splitlines()
    assert [line for line in lines if f"◆ _{badge}_" in line] == [
        next(line for line in lines if REAL in line),
        next(line for line in lines if REAL_QUESTION in line),
    ]
    page = export_events(fixture_events, "html", lang, PARIS)[1].content.decode()
    badged = [line for line in page.splitlines() if 'class="mod-badge"' in line]
    assert len(badged) == 2 and REAL in badged[0] and REAL_QUESTION in badged[1]
    assert f'<span aria-hidden="true">◆ </span>{badge}</span>' in badged[0]


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_the_csv_says_which_rows_the_moderator_wrote(fixture_events: list[EventBase], lang: Lang) -> None:
    members = _members(export_events(fixture_events, "csv", lang, PARIS)[1].content)
    delimiter = ";" if lang == "fr" else ","
    yes, no = ("oui", "non") if lang == "fr" else ("yes", "no")
    for name, real, fake in (
        ("messages.csv", REAL, FAKE),
        ("questions.csv", REAL_QUESTION, FAKE_QUESTION),
    ):
        header, *rows = csv.reader(io.StringIO(members[name].decode("utf-8-sig")), delimiter=delimiter)
        column = header.index("modération" if lang == "fr" else "moderator")
        by_moderator = {row[header.index("texte" if lang == "fr" else "text")]: row[column] for row in rows}
        assert by_moderator[real] == yes and by_moderator[fake] == no
        if name == "questions.csv":
            anonymous = header.index("anonyme" if lang == "fr" else "anonymous")
            assert all(row[column] == "" for row in rows if row[anonymous] == yes)
