"""Announcements belong in the record: each in its round, escaped like any text (issue 9)."""

from __future__ import annotations

import json

from server.export import export_events
from tests.core.debate import CoreDebate


def test_announcements_appear_in_their_round_in_every_text_format() -> None:
    d = CoreDebate("Soirée")
    d.mod("add_round", title="Innover", theme="t", minutes=20)
    d.mod("start_round", round_id="r1")
    d.mod("announce", text="Le dessert <b>arrive</b> *bientôt*")
    d.mod("end_round")
    d.mod("announce", text="Merci à tous")

    transcript, markdown = export_events(d.log, "md", "fr")
    [in_round] = transcript.rounds[0].announcements
    assert in_round.text == "Le dessert <b>arrive</b> *bientôt*"
    assert [a.text for a in transcript.lobby.announcements] == ["Merci à tous"]
    md = markdown.content if isinstance(markdown.content, str) else markdown.content.decode()
    assert "### Annonces de la modération" in md and r"\*bientôt\*" in md and "Merci à tous" in md

    _, html = export_events(d.log, "html", "en")
    page = html.content if isinstance(html.content, str) else html.content.decode()
    assert (
        "<h3>Announcements</h3>" in page and "&lt;b&gt;arrive&lt;/b&gt;" in page and "<b>arrive" not in page
    )

    _, as_json = export_events(d.log, "json", "en")
    data = json.loads(as_json.content)
    assert data["rounds"][0]["announcements"][0]["text"] == "Le dessert <b>arrive</b> *bientôt*"
