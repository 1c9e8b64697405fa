"""The organiser's report in Markdown, with the transcript's escaping (``inline``, ``block``)."""

from __future__ import annotations

from server.export.i18n import Localizer
from server.export.markdown import _colon, _label, _poll, block, inline, name_warnings, speaking_by_table
from server.export.report import Report, ReportQuestion, ReportRound
from server.export.text import evening_text, footer_line, report_numbers, report_question_meta


def render_report_markdown(report: Report, l10n: Localizer) -> str:
    transcript = report.transcript
    out: list[str] = []
    title = transcript.title or l10n.t("untitled")
    out.append(f"# {l10n.t('report')} — {inline(title)}")
    out.append("")
    day = transcript.started_at or transcript.created_at
    if day is not None:
        out.append(f"- {_label(l10n, 'date')} {l10n.date(day)}")
    out.append(f"- {_label(l10n, 'evening')} {evening_text(transcript, l10n)}")
    out.append("")
    if transcript.chatham_house:
        out.append(f"**{inline(l10n.t('chatham_house'))}**")
        out.append("")
    name_warnings(out, transcript, l10n)
    out.append(f"## {l10n.t('in_numbers')}")
    out.append("")
    out.append(" · ".join(f"**{n}** {label}" for n, label in report_numbers(report.numbers, l10n)))
    out.append("")
    out.append(f"_{inline(l10n.t('numbers_note'))}_")
    out.append("")
    for r in report.rounds:
        _round(out, r, report, l10n)
    out.append(f"## {l10n.t('unanswered')}")
    out.append("")
    if report.unanswered:
        for q in report.unanswered:
            where = l10n.t("round_n", n=q.round) if q.round is not None else l10n.t("lobby_short")
            meta = f"{where} · {l10n.plural('votes', q.question.votes)}"
            out.append(f"- {block(q.question.text, '  ')} _({meta})_")
        if report.more_unanswered:
            out.append("")
            out.append(f"_{l10n.plural('more_unanswered', report.more_unanswered)}_")
    else:
        none = "unanswered_none" if report.numbers.questions else "unanswered_no_questions"
        out.append(f"_{inline(l10n.t(none))}_")
    out.append("")
    if transcript.speaking_by_table:
        speaking_by_table(out, transcript, l10n, "##")
    out.append(f"_{inline(footer_line(transcript, l10n))}_")
    return "\n".join(out).rstrip("\n") + "\n"


def _round(out: list[str], r: ReportRound, report: Report, l10n: Localizer) -> None:
    if r.position is None:
        out.append(f"## {l10n.t('lobby')}")
        out.append("")
    else:
        out.append(f"## {l10n.t('round_n', n=r.position)} — {inline(r.title)}")
        out.append("")
        out.append(f"{_label(l10n, 'theme')} {block(r.theme, '')}")
        out.append("")
    if not r.played:
        out.append(f"_{l10n.t('round_not_played')}_")
        out.append("")
        return
    if r.syntheses:
        out.append(f"### {l10n.t('syntheses')}")
        out.append("")
        out.extend(f"- **{inline(x.table_name)}** — {block(x.text, '  ')}" for x in r.syntheses)
        out.append("")
    if r.top_questions:
        out.append(f"### {l10n.t('top_questions')}")
        out.append("")
        out.extend(_question(number, q, report, l10n) for number, q in enumerate(r.top_questions, start=1))
        if r.more_questions:
            out.append("")
            out.append(f"_{l10n.plural('more_questions', r.more_questions)}_")
        out.append("")
    if r.polls:
        out.append(f"### {l10n.t('polls')}")
        out.append("")
        for poll in r.polls:
            _poll(out, poll, l10n)


def _question(number: int, q: ReportQuestion, report: Report, l10n: Localizer) -> str:
    meta, author = report_question_meta(q, report.transcript.chatham_house, l10n)
    who = f"**{inline(author)}** · " if author is not None else ""
    text = f"{number}. {block(q.question.text, '   ')}  \n   {who}_{meta}_"
    if q.question.answer is not None:
        text += (
            f"  \n   **{l10n.t('written_answer')}{_colon(l10n).rstrip()}** {block(q.question.answer, '   ')}"
        )
    return text
