"""Issue 13 in every export format: a poll's results by table under the k ≥ 3 rule."""

from __future__ import annotations

import io
import json
import zipfile

import pytest

from server.core import Actor
from server.export import export_events
from tests.core.debate import CoreDebate
from tests.export.conftest import PARIS


def _debate() -> CoreDebate:
    """Lovelace: 3 voters (shown). Turing: 2, merged with 1 guest seated nowhere."""
    d = CoreDebate("Tables")
    d.mod("add_table", name="Lovelace", seats=8)
    d.mod("add_table", name="Turing", seats=8)
    d.mod("add_round", title="Agents", theme="t", minutes=20)
    d.mod("start_round", round_id="r1")
    d.mod("create_poll", question="Des agents ?", options=["Oui", "Non"])
    d.mod("open_poll", poll_id="p1")
    names = ["Anne", "Bruno", "Chloé", "Denis", "Emma", "Farid"]
    for name, table_id, choice in zip(
        names, ["t1", "t1", "t1", "t2", "t2", None], [0, 0, 1, 1, 1, 0], strict=True
    ):
        guest = d.join(name)
        if table_id is not None:
            d.run(guest, "choose_table", table_id=table_id)
        d.run(guest, "cast_ballot", poll_id="p1", choices=[choice])
    d.mod("close_poll", poll_id="p1")
    return d


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_results_by_table_in_markdown_and_html(lang: str) -> None:
    events = _debate().log
    _, md = export_events(events, "md", lang, PARIS)  # type: ignore[arg-type]
    text = md.content.decode()
    if lang == "fr":
        assert "_Par table\u00a0:_" in text
        assert "- **Lovelace** — 3 votants\u00a0: Oui 2 (67\u202f%) · Non 1 (33\u202f%)" in text
        assert "- **Autres tables** — 3 votants\u00a0: Oui 1 (33\u202f%) · Non 2 (67\u202f%)" in text
        assert "regroupés pour qu'aucun vote ne puisse être deviné" in text
    else:
        assert "- **Lovelace** — 3 voters: Oui 2 (67%) · Non 1 (33%)" in text
        assert "- **Other tables** — 3 voters: Oui 1 (33%) · Non 2 (67%)" in text
    assert "Turing" not in text.split("Lovelace** —")[1]  # the 2 at Turing are never shown apart
    _, page = export_events(events, "html", lang, PARIS)  # type: ignore[arg-type]
    assert '<ul class="by-table">' in page.content.decode()
    assert "<bdi>Lovelace</bdi></strong> — 3 " in page.content.decode()


def test_results_by_table_in_json_and_csv() -> None:
    events = _debate().log
    _, rendered = export_events(events, "json", "en", PARIS)
    [poll] = json.loads(rendered.content)["rounds"][0]["polls"]
    assert [(g["table_name"], g["voters"], [o["count"] for o in g["options"]]) for g in poll["by_table"]] == [
        ("Lovelace", 3, [2, 1]),
        (None, 3, [1, 2]),
    ]
    assert poll["by_table_withheld"] is False
    _, zipped = export_events(events, "csv", "en", PARIS)
    with zipfile.ZipFile(io.BytesIO(zipped.content)) as archive:
        rows = archive.read("poll_tables.csv").decode("utf-8-sig").splitlines()
    assert rows[1:] == [
        "1,Agents,p1,t1,Lovelace,3,1,Oui,2,66.7",
        "1,Agents,p1,t1,Lovelace,3,2,Non,1,33.3",
        "1,Agents,p1,,Other tables,3,1,Oui,1,33.3",
        "1,Agents,p1,,Other tables,3,2,Non,2,66.7",
    ]


def test_no_table_group_under_three_voters_in_any_export() -> None:
    """A second poll where two vote at each table: no table can be shown, and the
    record says why; no export ever shows a group of fewer than 3 voters."""
    d = _debate()
    d.mod("create_poll", question="Et demain ?", options=["Oui", "Non"])
    d.mod("open_poll", poll_id="p2")
    for participant_id in ("u2", "u3", "u5", "u6"):  # Anne, Bruno (Lovelace), Denis, Emma (Turing)
        guest = d.state.participants[participant_id]
        d.run(
            Actor(guest.participant_id, "participant", guest.name), "cast_ballot", poll_id="p2", choices=[0]
        )
    d.mod("close_poll", poll_id="p2")
    transcript, _ = export_events(d.log, "json", "en", PARIS)
    polls = transcript.rounds[0].polls
    for poll in polls:
        for group in poll.by_table:
            assert group.voters >= 3
    # p2: Lovelace 2 and Turing 2: nothing can be shown, and the record says why.
    assert polls[1].by_table == [] and polls[1].by_table_withheld
