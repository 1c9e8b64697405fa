"""The organiser's report as one HTML page, printable on one or two A4 sheets.

The same page rules as the transcript's (``html.py``): no script, no external
reference, a CSP that allows inline styles only, every text escaped. The layout
is denser than the transcript's: syntheses side by side, a poll's results by
table as one small table, its opinion shift beside its results.
"""

from __future__ import annotations

from server.export.html import _CSP, _CSS, _e, _u, name_warnings, speaking_by_table
from server.export.i18n import Localizer
from server.export.model import ExportPoll, ExportShift
from server.export.report import Report, ReportQuestion, ReportRound
from server.export.text import (
    evening_text,
    footer_line,
    poll_meta,
    report_numbers,
    report_question_meta,
    shift_counts,
    shift_row,
)

MAX_ROWS = 10  # a words poll's words, an open poll's answers: the report shows the first ones

_REPORT_CSS = """
body.report { max-width: 52rem; font-size: 15px; line-height: 1.45; }
.report .note, .report .times, .report .meta, .report .more { font-size: .85em; }
.report h1 { font-size: 1.8em; margin: .1em 0 .2em; }
.report h2 { font-size: 1.25em; margin: 1.2em 0 .4em; }
.report h3 { font-size: .8em; margin: .9em 0 .3em; }
.report .when { margin: 0; color: var(--muted); }
.report .theme { margin: .2em 0 .4em; }
.figures { display: grid; grid-template-columns: repeat(6, 1fr); gap: .4em; margin: .4em 0 .2em;
  padding: 0; list-style: none; }
.figures li { text-align: center; padding: .3em .2em; background: var(--soft); border-radius: 6px; }
.figures .n { display: block; font: 700 1.6em/1.1 system-ui, -apple-system, "Segoe UI", Roboto, Arial,
  sans-serif; color: var(--accent); font-variant-numeric: tabular-nums; }
.figures .label { font-size: .85em; color: var(--muted); }
.report ul.syntheses { display: grid; grid-template-columns: repeat(auto-fit, minmax(14em, 1fr));
  gap: .4em .8em; }
.report ul.syntheses li { margin: 0; padding: .1em .6em; }
.report .author { font-size: .95em; }
.report ul.syntheses .author { display: block; margin: 0; }
.report ol.questions li { margin: .25em 0; }
.report .answer { margin: .15em 0 0; padding: .1em .6em; }
.report .answer .label { font-size: .9em; }
.report .more { color: var(--muted); margin: .1em 0 0; }
.status-none { color: #b3261e; }
.report .poll { margin: .5em 0 .8em; padding: .5em .8em; }
.report .poll .meta { margin: 0 0 .3em; }
.report table.results td, .report table.results th { padding: .05em .4em; }
.report table.results th, .report table.by-table th { font: 600 .8em system-ui, -apple-system, "Segoe UI",
  Roboto, Arial, sans-serif; color: var(--muted); text-align: right; }
.report table.results .label { width: 30%; }
.report table.results .bar { width: 30%; }
.report table.results .points { font-weight: 600; text-align: right; white-space: nowrap; }
.report table.by-table { margin-top: .4em; font-size: .9em; }
.report table.by-table th, .report table.by-table td { padding: .05em .4em; text-align: right;
  border-bottom: 1px solid var(--rule); }
.report table.by-table .label { text-align: left; }
.report .shift-counts { margin: .4em 0 0; }
.report ul.unanswered { padding-left: 1.2em; margin: .2em 0; }
.report ul.unanswered li { margin: .1em 0; }
.report table.speaking { max-width: 32em; font-size: .95em; }
.report table.speaking th, .report table.speaking td { padding: .15em .5em; }
.report table.speaking th { font-size: .85em; }
.report section.warnings { margin: 1em 0; padding: .3em .9em .5em; }
.report section.warnings h2 { font-size: 1.1em; margin: .3em 0; }
.report section.warnings ul { margin: .3em 0 0; padding-left: 1.2em; }
@page { size: A4; margin: 12mm 13mm; }
@media print {
  body.report { font-size: 9.5pt; line-height: 1.35; }
  .figures li { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
  .report .poll, .report ul.syntheses li, section.warnings { break-inside: avoid; page-break-inside: avoid; }
}
"""


def render_report_html(report: Report, l10n: Localizer) -> str:
    transcript = report.transcript
    title = transcript.title or l10n.t("untitled")
    out: list[str] = [
        "<!DOCTYPE html>",
        f'<html lang="{l10n.lang}">',
        "<head>",
        '<meta charset="utf-8">',
        f'<meta http-equiv="Content-Security-Policy" content="{_CSP}">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        '<meta name="generator" content="convive">',
        f"<title>{_e(l10n.t('report'))} — {_e(title)}</title>",
        f"<style>{_CSS}{_REPORT_CSS}</style>",
        "</head>",
        '<body class="report">',
        "<header>",
        f'<p class="kicker">{_e(l10n.t("report"))}</p>',
        f"<h1>{_e(title)}</h1>",
    ]
    day = transcript.started_at or transcript.created_at
    when = [l10n.date(day)] if day is not None else []
    when.append(evening_text(transcript, l10n))
    out.append(f'<p class="when">{_e(" · ".join(when))}</p>')
    if transcript.chatham_house:
        out.append(f'<p class="chatham">{_e(l10n.t("chatham_house"))}</p>')
    out.append("</header>")
    name_warnings(out, transcript, l10n)
    out.append('<section class="numbers">')
    out.append(f"<h2>{_e(l10n.t('in_numbers'))}</h2>")
    out.append('<ul class="figures">')
    out.extend(
        f'<li><span class="n">{n}</span><span class="label">{_e(label)}</span></li>'
        for n, label in report_numbers(report.numbers, l10n)
    )
    out.append("</ul>")
    out.append(f'<p class="note">{_e(l10n.t("numbers_note"))}</p>')
    out.append("</section>")
    for r in report.rounds:
        _round(out, r, report, l10n)
    out.append('<section class="unanswered">')
    out.append(f"<h2>{_e(l10n.t('unanswered'))}</h2>")
    if report.unanswered:
        out.append('<ul class="unanswered">')
        for q in report.unanswered:
            where = l10n.t("round_n", n=q.round) if q.round is not None else l10n.t("lobby_short")
            meta = f"{where} · {l10n.plural('votes', q.question.votes)}"
            text = f'<span class="text">{_u(q.question.text)}</span>'
            out.append(f'<li>{text} <span class="meta">{_e(meta)}</span></li>')
        out.append("</ul>")
        if report.more_unanswered:
            out.append(f'<p class="more">{_e(l10n.plural("more_unanswered", report.more_unanswered))}</p>')
    else:
        none = "unanswered_none" if report.numbers.questions else "unanswered_no_questions"
        out.append(f'<p class="empty">{_e(l10n.t(none))}</p>')
    out.append("</section>")
    if transcript.speaking_by_table:
        speaking_by_table(out, transcript, l10n, "h2")
    out.append(f'<footer><p class="note">{_e(footer_line(transcript, l10n))}</p></footer>')
    out.append("</body>")
    out.append("</html>")
    return "\n".join(out) + "\n"


def _round(out: list[str], r: ReportRound, report: Report, l10n: Localizer) -> None:
    if r.position is None:
        out.append('<section class="round lobby">')
        out.append(f"<h2>{_e(l10n.t('lobby'))}</h2>")
    else:
        out.append('<section class="round">')
        out.append(f"<h2>{_e(l10n.t('round_n', n=r.position))} — {_u(r.title)}</h2>")
        out.append(f'<p class="theme">{_u(r.theme)}</p>')
    if not r.played:
        out.append(f'<p class="empty">{_e(l10n.t("round_not_played"))}</p>')
        out.append("</section>")
        return
    if r.syntheses:
        out.append(f"<h3>{_e(l10n.t('syntheses'))}</h3>")
        out.append('<ul class="syntheses">')
        out.extend(
            f'<li><span class="author">{_u(x.table_name)}</span><span class="text">{_u(x.text)}</span></li>'
            for x in r.syntheses
        )
        out.append("</ul>")
    if r.top_questions:
        out.append(f"<h3>{_e(l10n.t('top_questions'))}</h3>")
        out.append('<ol class="questions">')
        out.extend(_question(q, report, l10n) for q in r.top_questions)
        out.append("</ol>")
        if r.more_questions:
            out.append(f'<p class="more">{_e(l10n.plural("more_questions", r.more_questions))}</p>')
    if r.polls:
        out.append(f"<h3>{_e(l10n.t('polls'))}</h3>")
        for poll in r.polls:
            _poll(out, poll, l10n)
    out.append("</section>")


def _question(q: ReportQuestion, report: Report, l10n: Localizer) -> str:
    meta, author = report_question_meta(q, report.transcript.chatham_house, l10n)
    who = f'<span class="author">{_u(author)}</span>' if author is not None else ""
    css = ' class="status-none"' if q.answered == "none" else ""
    out = (
        f'<li><div class="text">{_u(q.question.text)}</div>'
        f'<div class="meta">{who}<span{css}>{_e(meta)}</span></div>'
    )
    if q.question.answer is not None:
        colon = "\u00a0: " if l10n.lang == "fr" else ": "
        out += (
            f'<div class="answer"><span class="label">{_e(l10n.t("written_answer"))}{colon}</span>'
            f'<span class="text">{_u(q.question.answer)}</span></div>'
        )
    return out + "</li>"


def _poll(out: list[str], poll: ExportPoll, l10n: Localizer) -> None:
    """A poll: its results (and, asked again, the shares the first time and the shift
    in points beside them), then its results by table as one small table."""
    out.append('<figure class="poll">')
    out.append(f'<p class="question">{_u(poll.question)}</p>')
    out.append(f'<p class="meta">{_e(poll_meta(poll, l10n))}</p>')
    if poll.kind == "open":
        _answers(out, poll, l10n)
        out.append("</figure>")
        return
    rows = poll.rows()
    shift = poll.shift
    out.append('<table class="results">')
    if shift is not None:  # asked again: the shares the first time, now, and the shift
        out.append(
            f"<thead><tr><th></th><th></th><th></th><th>{_e(l10n.t('shift_before'))}</th>"
            f"<th>{_e(l10n.t('shift_after'))}</th><th></th></tr></thead>"
        )
    out.append("<tbody>")
    for number, option in enumerate(rows[:MAX_ROWS]):
        width = f"{max(0.0, min(100.0, option.percent)):.1f}"
        bar = f'<span class="track"><span class="fill" style="width:{width}%"></span></span>'
        cells = f'<td class="label">{_u(option.label)}</td><td class="bar">{bar}</td>'
        cells += f'<td class="count">{option.count}</td>'
        if shift is not None and number < len(shift.options):
            moved = shift.options[number]
            _, before, now, points = shift_row(moved.label, moved.before, moved.after, moved.points, l10n)
            cells += f'<td class="pct">{_e(before)}</td><td class="pct">{_e(now)}</td>'
            cells += f'<td class="points">{_e(points)}</td>'
        else:
            cells += f'<td class="pct">{_e(l10n.percent(option.percent))}</td>'
        out.append(f"<tr>{cells}</tr>")
    out.append("</tbody></table>")
    if len(rows) > MAX_ROWS:
        out.append(f'<p class="more">{_e(l10n.plural("more_rows", len(rows) - MAX_ROWS))}</p>')
    if poll.by_table:  # issue 13: k ≥ 3, as the core fixed it
        _by_table(out, poll, l10n)
    elif poll.by_table_withheld:
        out.append(f'<p class="note">{_e(l10n.t("by_table_none"))}</p>')
    if shift is not None:
        _shift(out, shift, l10n)
    out.append("</figure>")


def _by_table(out: list[str], poll: ExportPoll, l10n: Localizer) -> None:
    labels = [option.label for option in poll.by_table[0].options]
    head = "".join(f"<th>{_u(label)}</th>" for label in labels)
    out.append('<table class="by-table">')
    out.append(
        f'<thead><tr><th class="label">{_e(l10n.t("by_table"))}</th>'
        f"<th>{_e(l10n.t('col_voters').capitalize())}</th>{head}</tr></thead><tbody>"
    )
    for group in poll.by_table:
        name = _u(group.table_name or "") if group.table_id is not None else _e(l10n.t("other_tables"))
        shares = "".join(f"<td>{_e(l10n.percent(o.percent))}</td>" for o in group.options)
        out.append(f'<tr><td class="label">{name}</td><td>{group.voters}</td>{shares}</tr>')
    out.append("</tbody></table>")
    if any(group.table_id is None for group in poll.by_table):
        out.append(f'<p class="note">{_e(l10n.t("by_table_merged"))}</p>')


def _shift(out: list[str], shift: ExportShift, l10n: Localizer) -> None:
    """Who voted both times, how many changed, and the changes of at least 3 guests."""
    colon = "\u00a0: " if l10n.lang == "fr" else ": "
    parts = [shift_counts(shift, l10n)]
    changes = [
        f"{t.before} → {t.after}{colon}{l10n.plural('shift_guests', t.guests)}" for t in shift.transitions
    ]
    if shift.other_changes:  # "autres changements : 3 invités", inside the sentence
        other = l10n.t("shift_other", guests=l10n.plural("shift_guests", shift.other_changes))
        changes.append(other[:1].lower() + other[1:])
    text = " · ".join(parts + changes)
    out.append(f'<p class="shift-counts">{_e(l10n.t("shift_title"))}{colon}{_e(text)}</p>')
    if shift.changed is None:
        out.append(f'<p class="note">{_e(l10n.t("shift_too_few"))}</p>')
    elif shift.other_changes:
        out.append(f'<p class="note">{_e(l10n.t("shift_other_why"))}</p>')


def _answers(out: list[str], poll: ExportPoll, l10n: Localizer) -> None:
    if not poll.answers:
        out.append(f'<p class="empty">{_e(l10n.t("no_answer_shown"))}</p>')
        return
    out.append('<ul class="answers">')
    out.extend(f"<li>{_u(answer.text)}</li>" for answer in poll.answers[:MAX_ROWS])
    out.append("</ul>")
    if len(poll.answers) > MAX_ROWS:
        out.append(f'<p class="more">{_e(l10n.plural("more_rows", len(poll.answers) - MAX_ROWS))}</p>')
