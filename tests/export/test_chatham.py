"""The Chatham House rule (issue 13): no participant's name or id in any export made
under it — report and transcript, every format, both languages — except inside
the texts that contain one, which the export lists as warnings."""

from __future__ import annotations

import csv
import html
import io
import json
import re
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from convive.cli import main
from server.core import fold
from server.export import FORMATS, REPORT_FORMATS, Format, export_events
from server.export.chatham import NameFinder, _texts
from server.export.chatham import fold as fold_word
from server.export.csv_ import neutralise
from server.export.i18n import LANGS, Lang, typeset
from server.export.json_ import json_schema
from server.export.markdown import inline
from server.export.model import Transcript, build_transcript
from shared.events import EventBase, NotePosted
from shared.names import clean_name
from tests.export.conftest import PARIS, check_golden
from tests.export.report_fixture import MODERATOR, NAMED_MESSAGE, NAMED_QUESTION, NAMED_SYNTHESIS

# --- the rule ---------------------------------------------------------------------


def test_a_full_name_is_found_case_accents_and_spacing_aside() -> None:
    finder = NameFinder(["Alice Martin", "Chloé"])
    assert finder.find("Merci alice  MARTIN !") == ["alice  MARTIN"]
    assert finder.find("Alice-Martin l'a dit") == ["Alice-Martin"]
    assert finder.find("chloe et CHLOÉ, puis @chloe") == ["chloe", "CHLOÉ"]  # each way of writing it, once


def test_a_distinctive_part_is_found_alone_and_only_whole_words() -> None:
    finder = NameFinder(["Alice Martin", "Jean-Pierre de La Tour", "Li Wei"])
    assert finder.find("Comme disait martin, puis Alice.") == ["martin", "Alice"]
    assert finder.find("Martine et Martinez, Alicette") == []  # whole words only
    assert finder.find("Jean Pierre") == ["Jean", "Pierre"]
    assert finder.find("de la") == []  # particles: lowercase or under 3 letters
    assert finder.find("Li a parlé") == []  # a part under 3 letters is not distinctive
    assert finder.find("Wei a parlé") == ["Wei"]
    assert finder.find("Alice Martin et Alice") == ["Alice Martin", "Alice"]  # the full name, not its parts


def test_no_silly_false_positive_from_a_name_made_of_common_words() -> None:
    """A guest named like markup: its lowercase words are not distinctive, and its
    full name is found only whole."""
    finder = NameFinder(["<script>alert(1)</script>"])
    assert finder.find("<script>alert('x')</script> & une alerte") == []
    assert finder.find("il a écrit <script>alert(1)</script>") == ["script>alert(1)</script"]


def test_look_alike_letters_are_the_same_name() -> None:
    finder = NameFinder(["Mod\u00e9r\u0430trice"])  # a Cyrillic "а"
    assert finder.find("Merci à la Modératrice.") == ["Modératrice"]


_NAME_WORD = st.from_regex(r"[A-ZÉ][a-zéèïç]{2,9}", fullmatch=True)
_FILLER = st.lists(st.from_regex(r"[a-zé]{1,9}", fullmatch=True), max_size=8)


@settings(max_examples=150, deadline=None)
@given(
    st.lists(_NAME_WORD, min_size=1, max_size=3), _FILLER, _FILLER, st.sampled_from([" ", "\n", ", ", " — "])
)
def test_a_name_in_any_text_is_found_and_none_is_made_up(
    name: list[str], before: list[str], after: list[str], separator: str
) -> None:
    """Property: a participant's full name put anywhere in a text is found as written,
    whatever surrounds it; words that are no part of any name are never flagged."""
    finder = NameFinder([" ".join(name)])
    parts = {fold_word(word) for word in name}
    before = [w for w in before if fold_word(w) not in parts]
    after = [w for w in after if fold_word(w) not in parts]
    written = " ".join(word.upper() if i % 2 else word for i, word in enumerate(name))
    text = separator.join([*before, written, *after])
    assert finder.find(text) == [written]
    assert finder.find(separator.join([*before, *after])) == []


# --- every export under the rule ----------------------------------------------------


def _variants() -> Iterator[tuple[Format, Lang, bool]]:
    for fmt in FORMATS:
        for lang in LANGS:
            for report in (False, True):
                if not report or fmt in REPORT_FORMATS:
                    yield fmt, lang, report


def _needles(events: list[EventBase]) -> tuple[list[str], list[str]]:
    """Every participant's name (full, and each word of 3 letters or more, as any
    renderer may write it) and id."""
    names: set[str] = set()
    ids: list[str] = []
    for participant in fold(events).participants.values():
        ids.append(participant.participant_id)
        full = clean_name(participant.name)
        words = [w for w in re.findall(r"[^\W_]+", full) if len(w) >= 3 and w.isalpha() and w[0].isupper()]
        for form in (full, *words):
            names.update({form, html.escape(typeset(form)), inline(form), json.dumps(form)[1:-1]})
    return sorted(names, key=len, reverse=True), ids


def _flagged_texts(events: list[EventBase], chatham: Transcript) -> list[str]:
    """The texts the export says contain a name (the place of each warning)."""
    places = {(w.round, w.where, w.item_id) for w in chatham.name_warnings}
    plain = build_transcript(events)
    return [text for position, where, item_id, text in _texts(plain) if (position, where, item_id) in places]


def _visible(fmt: Format, content: bytes, flagged: list[str]) -> str:
    """The export without its warnings and without the flagged texts."""
    if fmt == "csv":
        out: list[str] = []
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            for name in archive.namelist():
                if name == "warnings.csv":
                    continue
                text = archive.read(name).decode("utf-8-sig")
                delimiter = ";" if ";" in text.splitlines()[0] else ","
                for row in csv.reader(io.StringIO(text), delimiter=delimiter):
                    out.extend(c for c in row if c not in flagged and c not in map(neutralise, flagged))
        return "\n".join(out)
    text = content.decode()
    if fmt == "json":
        data = json.loads(text)
        data.pop("name_warnings")

        def strip(value: Any) -> Any:
            if isinstance(value, dict):
                return {k: strip(v) for k, v in value.items()}
            if isinstance(value, list):
                return [strip(v) for v in value]
            return "" if value in flagged else value

        return json.dumps(strip(data), ensure_ascii=False)
    if fmt == "html":
        text = re.sub(r'<section class="warnings">.*?</section>', "", text, flags=re.S)
        for flagged_text in flagged:
            text = text.replace(html.escape(typeset(flagged_text), quote=True), "")
        return text
    text = re.sub(r"^## ⚠.*?(?=^## )", "", text, flags=re.S | re.M)
    for flagged_text in flagged:
        for line in flagged_text.split("\n"):
            text = text.replace(inline(line.strip()), "")
    return text


@pytest.mark.parametrize("fixture", ["fixture_events", "report_events"])
@pytest.mark.parametrize(("fmt", "lang", "report"), list(_variants()))
def test_no_name_and_no_id_outside_the_texts_that_contain_one(
    fixture: str, fmt: Format, lang: Lang, report: bool, request: pytest.FixtureRequest
) -> None:
    events: list[EventBase] = request.getfixturevalue(fixture)
    transcript, rendered = export_events(events, fmt, lang, PARIS, report=report, chatham_house=True)
    names, ids = _needles(events)
    flagged = _flagged_texts(events, transcript)
    if fixture == "report_events":
        assert set(flagged) == {NAMED_SYNTHESIS, NAMED_MESSAGE, NAMED_QUESTION}
        raw = rendered.content if fmt != "csv" else _visible(fmt, rendered.content, []).encode()
        assert b"Karim" in raw  # the flagged texts are there, not rewritten
    visible = _visible(fmt, rendered.content, flagged)
    for needle in ids:
        assert needle not in visible, (fmt, lang, report, needle)
    for needle in names:
        match = re.search(rf"(?<!\w){re.escape(needle)}(?!\w)", visible, re.IGNORECASE)
        context = visible[max(0, match.start() - 80) : match.end() + 80] if match else ""
        assert match is None, (fmt, lang, report, needle, context)


def test_the_texts_that_name_someone_are_reported_with_where(report_events: list[EventBase]) -> None:
    transcript = build_transcript(report_events, chatham_house=True)
    turing = next(t.table_id for t in transcript.tables if t.name == "Table Turing")
    assert [(w.round, w.where, w.item_id, w.found) for w in transcript.name_warnings] == [
        (1, "synthesis", turing, "Karim"),
        (1, "message", "m2", "léa rousseau"),
        (1, "question", "q4", MODERATOR.split()[0]),  # the moderator's name too
    ]
    _, page = export_events(report_events, "html", "fr", PARIS, chatham_house=True)
    text = page.content.decode()
    assert "Temps 1, synthèse de «\u00a0Table Turing\u00a0»\u00a0: <strong><bdi>Karim</bdi></strong>" in text
    assert "Temps 1, message m2\u00a0: <strong><bdi>léa rousseau</bdi></strong>" in text
    _, page = export_events(report_events, "md", "en", PARIS, report=True, chatham_house=True)
    assert "- Round 1, question q4: **Hélène**" in page.content.decode()


def test_without_the_rule_nothing_is_flagged(report_events: list[EventBase]) -> None:
    transcript = build_transcript(report_events)
    assert not transcript.chatham_house and transcript.name_warnings == []
    assert any(m.author_name for r in transcript.rounds for m in r.messages)


def test_chatham_json_matches_its_own_schema(report_events: list[EventBase]) -> None:
    _, rendered = export_events(report_events, "json", chatham_house=True)
    data = json.loads(rendered.content)
    schema = json_schema(chatham_house=True)
    defs = schema["$defs"]
    assert data["chatham_house"] is True and data["name_warnings"]
    assert set(data) == set(schema["properties"])
    round_ = data["rounds"][0]
    assert set(round_) == set(defs["ExportRound"]["properties"])
    assert (
        set(round_["messages"][0]) == set(defs["ExportMessage"]["properties"]) == {"message_id", "at", "text"}
    )
    assert set(round_["questions"][0]) == set(defs["ExportQuestion"]["properties"])
    assert set(data["lobby"]) == set(defs["ExportLobby"]["properties"])
    assert set(data["tables"][0]) == set(defs["ExportTable"]["properties"])
    assert set(data["name_warnings"][0]) == set(defs["ExportNameWarning"]["properties"])
    assert "guests" not in defs["ExportTable"]["properties"]
    text = json.dumps(schema)
    for personal in ("author_name", "author_role", "speaking_time", "ExportSpeaker"):
        assert personal not in text, personal
    # The usual schema still describes the usual export.
    assert "author_name" in json.dumps(json_schema())


def test_chatham_csv_has_no_column_about_a_person(report_events: list[EventBase]) -> None:
    _, rendered = export_events(report_events, "csv", "en", PARIS, chatham_house=True)
    with zipfile.ZipFile(io.BytesIO(rendered.content)) as archive:
        headers = {
            name: archive.read(name).decode("utf-8-sig").splitlines()[0] for name in archive.namelist()
        }
        warnings = archive.read("warnings.csv").decode("utf-8-sig").splitlines()
    assert headers["questions.csv"].startswith("round,round_title,id,time,text,votes")
    assert headers["messages.csv"] == "round,round_title,id,time,text"
    assert headers["speaking.csv"] == "table,table_name,turns,seconds"
    assert headers["tables.csv"] == "table,table_name,seats,guests,removed"
    assert warnings[1:] == [
        "1,Où en sommes-nous ?,synthesis of “Table Turing”,t2,Karim",
        "1,Où en sommes-nous ?,message m2,m2,léa rousseau",
        "1,Où en sommes-nous ?,question q4,q4,Hélène",
    ]


def test_speaking_time_per_table_instead_of_per_person(report_events: list[EventBase]) -> None:
    plain = build_transcript(report_events)
    chatham = build_transcript(report_events, chatham_house=True)
    assert chatham.speaking_time == [] and all(not r.speaking for r in chatham.rounds)
    seconds = {s.name: s.seconds for s in plain.speaking_time}
    for table in plain.tables:
        row = next(t for t in chatham.speaking_by_table if t.table_id == table.table_id)
        assert abs(row.seconds - sum(seconds.get(name, 0) for name in table.guests)) <= len(table.guests)
    assert [t.seated for t in chatham.tables] == [3, 3, 3] and all(not t.guests for t in chatham.tables)


@pytest.mark.parametrize("lang", LANGS)
def test_chatham_transcript_golden(report_events: list[EventBase], lang: Lang) -> None:
    _, rendered = export_events(report_events, "md", lang, PARIS, chatham_house=True)
    check_golden(f"report-fixture.chatham.{lang}.md", rendered.content)


def test_chatham_json_golden(report_events: list[EventBase]) -> None:
    _, rendered = export_events(report_events, "json", chatham_house=True)
    check_golden("report-fixture.chatham.json", rendered.content)


def test_the_command_line_warns_on_stderr(
    report_db: Path, tmp_path: Path, capsysbinary: pytest.CaptureFixture[bytes]
) -> None:
    target = tmp_path / "cr.html"
    code = main(
        [
            "export",
            "--db",
            str(report_db),
            "--format",
            "html",
            "--chatham-house",
            "--lang",
            "fr",
            "--out",
            str(target),
        ]
    )
    err = capsysbinary.readouterr().err.decode()
    assert code == 0
    assert "3 noms de participants trouvés dans les textes" in err
    assert "  - Temps 1, message m2\u00a0: «\u00a0léa rousseau\u00a0»" in err
    assert "Hélène Vasseur" not in target.read_text()
    code = main(["export", "--db", str(report_db), "--format", "json", "--chatham-house", "--lang", "en"])
    captured = capsysbinary.readouterr()
    assert code == 0 and json.loads(captured.out)["chatham_house"] is True
    assert "3 participants' names found in the texts" in captured.err.decode()
    assert "  - Round 1, question q4: “Hélène”" in captured.err.decode()


def test_the_command_line_prints_the_chatham_schema(capsysbinary: pytest.CaptureFixture[bytes]) -> None:
    assert main(["export", "--schema", "--chatham-house"]) == 0
    schema = json.loads(capsysbinary.readouterr().out)
    assert schema == json_schema(chatham_house=True)


@pytest.mark.parametrize("fmt", FORMATS)
def test_the_moderators_notes_are_unattributed_and_scanned_too(
    report_events: list[EventBase], fmt: Format
) -> None:
    """``--include-notes`` with ``--chatham-house``: the notes come without their
    author, and a name typed in one is listed like any other text's."""
    moderator = next(p for p in fold(report_events).participants.values() if p.name == MODERATOR)
    last = report_events[-1]
    note = NotePosted(
        seq=last.seq + 1,
        at=last.at,
        note_id="n1",
        author_id=moderator.participant_id,
        author_name=moderator.name,
        text="Relancer Karim sur la gouvernance.",
    )
    events = [*report_events, note]
    transcript, rendered = export_events(events, fmt, "fr", PARIS, include_notes=True, chatham_house=True)
    assert transcript.notes is not None and [n.author_name for n in transcript.notes] == [""]
    assert ("note", "n1", "Karim") in {(w.where, w.item_id, w.found) for w in transcript.name_warnings}
    names, ids = _needles(events)
    visible = _visible(fmt, rendered.content, [*_flagged_texts(events, transcript), note.text])
    for needle in ids:
        assert needle not in visible, needle
    for needle in names:
        assert re.search(rf"(?<!\w){re.escape(needle)}(?!\w)", visible, re.IGNORECASE) is None, needle
