"""The organiser's report (issue 13): what it says, in French and English, Markdown and
HTML, under the k ≥ 3 rule, and how the command line asks for it."""

from __future__ import annotations

import html
import re
from pathlib import Path

import pytest

from convive.cli import main
from server.export import export_events
from server.export.i18n import Lang
from server.export.model import build_transcript
from server.export.report import build_report
from shared.events import EventBase
from tests.export.conftest import PARIS, check_golden
from tests.export.report_fixture import ANONYMOUS_QUESTION, NAMED_QUESTION
from tests.export.test_tables import _debate


@pytest.mark.parametrize("lang", ["fr", "en"])
@pytest.mark.parametrize("fmt", ["md", "html"])
def test_report_golden(report_events: list[EventBase], fmt: str, lang: Lang) -> None:
    _, rendered = export_events(report_events, fmt, lang, PARIS, report=True)  # type: ignore[arg-type]
    check_golden(f"report-fixture.report.{lang}.{fmt}", rendered.content)
    suffix = "rapport" if lang == "fr" else "report"
    assert (
        rendered.filename == f"club-dsi-l-ia-de-l-innovation-au-passage-a-l-echelle-2026-11-26-{suffix}.{fmt}"
    )


@pytest.mark.parametrize("fmt", ["md", "html"])
def test_chatham_report_golden(report_events: list[EventBase], fmt: str) -> None:
    _, rendered = export_events(report_events, fmt, "fr", PARIS, report=True, chatham_house=True)  # type: ignore[arg-type]
    check_golden(f"report-fixture.report.chatham.fr.{fmt}", rendered.content)
    assert rendered.filename.endswith("-rapport-chatham-house." + fmt)


def test_the_evening_in_numbers(report_events: list[EventBase]) -> None:
    numbers = build_report(build_transcript(report_events)).numbers
    # 9 guests (the moderator aside) at 3 tables; 4 messages; 6 approved questions;
    # 2 polls of 9 ballots each.
    assert (numbers.guests, numbers.tables, numbers.messages) == (9, 3, 4)
    assert (numbers.questions, numbers.polls, numbers.votes) == (6, 2, 18)


def test_top_questions_and_how_they_were_answered(report_events: list[EventBase]) -> None:
    report = build_report(build_transcript(report_events))
    first, second, third = report.rounds
    assert [(q.question.text, q.question.votes, q.answered) for q in first.top_questions] == [
        (ANONYMOUS_QUESTION, 5, "oral"),
        ("Quel budget pour passer à l'échelle en 2027 ?", 3, "written"),
        (NAMED_QUESTION, 2, "none"),
    ]
    assert first.more_questions == 2
    assert [(q.question.votes, q.answered) for q in second.top_questions] == [(4, "both")]
    assert not third.played and not third.polls
    assert [(q.question.text, q.round) for q in report.unanswered] == [
        (NAMED_QUESTION, 1),
        ("Comment éviter la dépendance à un fournisseur ?", 1),
        ("Où trouver les compétences ?", 1),
    ]
    # The anonymous question stays anonymous, and the others are named (without the rule).
    _, rendered = export_events(report_events, "md", "fr", PARIS, report=True)
    text = rendered.content.decode()
    assert "1. Qui paie la facture des GPU\u202f?  \n   **Anonyme** · _5 votes · répondue à l'oral_" in text
    assert "**Alice Martin** · _3 votes · réponse écrite_" in text
    assert "Olivier Garnier" not in text  # who asked anonymously


def test_polls_shifts_and_tables_come_from_the_core(report_events: list[EventBase]) -> None:
    """The report shows the transcript's own aggregates (fixed by the core when each
    poll closed), never counts of its own."""
    transcript = build_transcript(report_events)
    report = build_report(transcript)
    assert [r.polls for r in report.rounds[:2]] == [r.polls for r in transcript.rounds[:2]]
    again = report.rounds[1].polls[0]
    assert again.shift is not None and again.shift.changed == 6
    assert [(t.before, t.after, t.guests) for t in again.shift.transitions] == [("En pilote", "Oui", 3)]
    assert again.shift.other_changes == 3
    _, rendered = export_events(report_events, "html", "fr", PARIS, report=True)
    page = rendered.content.decode()
    assert "En pilote → Oui\u00a0: 3 invités · autres changements\u00a0: 3 invités" in page
    before_after = '<td class="pct">66,7\u202f%</td><td class="pct">33,3\u202f%</td>'
    assert before_after + '<td class="points">−33,4\u00a0pts</td>' in page


def test_speaking_time_per_table_is_the_sum_of_its_guests(report_events: list[EventBase]) -> None:
    transcript = build_transcript(report_events)
    seconds = {s.name: s.seconds for s in transcript.speaking_time}
    turns = {s.name: s.turns for s in transcript.speaking_time}
    for table in transcript.tables:
        row = next(t for t in transcript.speaking_by_table if t.table_id == table.table_id)
        assert row.turns == sum(turns.get(name, 0) for name in table.guests)
        # each person's total is rounded on its own: at most half a second each
        assert abs(row.seconds - sum(seconds.get(name, 0) for name in table.guests)) <= len(table.guests)
    _, rendered = export_events(report_events, "md", "fr", PARIS, report=True)
    assert "| Table Hopper | 3 | 4\u00a0min\u00a010\u00a0s |" in rendered.content.decode()


def _visible_text(page: str) -> str:
    page = re.sub(r"<style>.*?</style>|<head>.*?</head>", "", page, flags=re.S)
    return html.unescape(re.sub(r"<[^>]+>", "", page))


@pytest.mark.parametrize("chatham", [False, True])
def test_french_typography_and_plurals(report_events: list[EventBase], chatham: bool) -> None:
    _, rendered = export_events(report_events, "html", "fr", PARIS, report=True, chatham_house=chatham)
    text = _visible_text(rendered.content.decode())
    # No ordinary space (nor none) before : ; ! ? % or inside « », anywhere on the page.
    assert not re.search(r" [:;!?%»]|« ", text), re.findall(r".{20} [:;!?%»].{5}|« .{10}", text)
    assert not re.search(r"\w[;!?%]", text), re.findall(r".{20}\w[;!?%]", text)
    assert "0 vote" in text and "1 vote" in text and "2 votes" in text
    assert "0 votes" not in text and "1 votes" not in text
    assert "1\u202f%" not in text or "11\u202f%" in text  # percentages keep their narrow space
    assert "et 2 autres questions" in text
    # In the numbers: a figure, then its word, singular or plural as the figure says.
    assert '<span class="n">2</span><span class="label">sondages</span>' in rendered.content.decode()


def test_the_report_keeps_the_k3_rule_for_tables() -> None:
    """Two voters at Turing: never shown apart in the report, merged with the guest
    seated nowhere into « Autres tables »."""
    events = _debate().log
    for fmt in ("md", "html"):
        _, rendered = export_events(events, fmt, "fr", PARIS, report=True)
        text = rendered.content.decode()
        assert "Turing" not in text
        assert "Autres tables" in text and "Lovelace" in text
    report = build_report(build_transcript(events))
    for group in report.rounds[0].polls[0].by_table:
        assert group.voters >= 3


def test_report_only_for_documents(report_db: Path, capsysbinary: pytest.CaptureFixture[bytes]) -> None:
    for fmt in ("json", "csv"):
        code = main(["export", "--db", str(report_db), "--format", fmt, "--report", "--lang", "en"])
        captured = capsysbinary.readouterr()
        assert code == 2 and captured.out == b""
        err = captured.err.decode()
        assert err.count("\n") == 1 and f"--report makes a document to read, md or html (not {fmt})" in err


def test_report_from_the_command_line(
    report_db: Path,
    tmp_path: Path,
    capsysbinary: pytest.CaptureFixture[bytes],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.chdir(tmp_path)
    code = main(
        [
            "export",
            "--db",
            str(report_db),
            "--format",
            "html",
            "--report",
            "--lang",
            "fr",
            "--tz",
            "Europe/Paris",
        ]
    )
    assert code == 0
    written = tmp_path / "club-dsi-l-ia-de-l-innovation-au-passage-a-l-echelle-2026-11-26-rapport.html"
    assert "compte rendu écrit dans" in capsysbinary.readouterr().err.decode()
    assert (
        written.read_bytes()
        == export_events(build_transcript_events(report_db), "html", "fr", PARIS, report=True)[1].content
    )
    code = main(["export", "--db", str(report_db), "--report", "--lang", "en", "--tz", "Europe/Paris"])
    out = capsysbinary.readouterr().out.decode()
    assert code == 0 and out.startswith("# Evening report — Club DSI")


def build_transcript_events(path: Path) -> list[EventBase]:
    from server.export.reader import read_log

    return read_log(path).events


def test_the_report_lists_the_most_upvoted_questions_left_unanswered() -> None:
    """A long evening: the 20 most upvoted unanswered questions, and how many more."""
    from tests.core.debate import CoreDebate

    d = CoreDebate("Questions")
    d.mod("set_moderation", enabled=False)
    asker, voter = d.join("Anne"), d.join("Bruno")
    for number in range(23):
        question = d.run(asker, "submit_question", text=f"Question {number} ?")
        if number % 2:
            d.run(voter, "upvote_question", question_id=question.created)
    report = build_report(build_transcript(d.log))
    assert len(report.unanswered) == 20 and report.more_unanswered == 3
    assert [q.question.votes for q in report.unanswered[:11]] == [1] * 11  # upvoted first
    _, rendered = export_events(d.log, "html", "fr", PARIS, report=True)
    assert "et 3 autres questions sans réponse, dans le compte rendu complet" in rendered.content.decode()
    _, rendered = export_events(d.log, "md", "en", PARIS, report=True)
    assert "_and 3 more questions left unanswered, in the full transcript_" in rendered.content.decode()


def test_an_evening_without_questions_says_so() -> None:
    """Not "every question was answered" when none was asked (seen on a trial evening)."""
    events = _debate().log
    assert build_report(build_transcript(events)).numbers.questions == 0
    for fmt in ("md", "html"):
        _, rendered = export_events(events, fmt, "fr", PARIS, report=True)
        text = html.unescape(rendered.content.decode()).replace("\\", "")
        assert "Aucune question n'a été posée." in text
        assert "Toutes les questions" not in text
