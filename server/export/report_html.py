"""The organiser's report as one HTML page, printable on one or two A4 sheets.

The same page rules as the transcript's (``html.py``): no script, no external
reference, a CSP that allows inline styles only, every text escaped.
"""

from __future__ import annotations

from server.export.html import _CSP, _CSS, _e, _poll, _u, name_warnings, speaking_by_table
from server.export.i18n import Localizer
from server.export.report import Report, ReportQuestion, ReportRound
from server.export.text import evening_text, footer_line, report_numbers, report_question_meta

_REPORT_CSS = """
.figures { display: grid; grid-template-columns: repeat(6, 1fr); gap: .5rem; margin: .6rem 0 .3rem;
  padding: 0; list-style: none; }
.figures li { text-align: center; padding: .5rem .2rem; background: var(--soft); border-radius: 6px; }
.figures .n { display: block; font: 700 1.6rem/1.1 system-ui, -apple-system, "Segoe UI", Roboto, Arial,
  sans-serif; color: var(--accent); font-variant-numeric: tabular-nums; }
.figures .label { font-size: .85rem; color: var(--muted); }
ol.questions .meta { margin-top: .1rem; }
.more { color: var(--muted); font-size: .85rem; margin: .2rem 0 0; }
.status-none { color: #b3261e; }
@page { size: A4; margin: 14mm 14mm; }
@media print {
  body { font-size: 10pt; line-height: 1.4; }
  h2 { margin-top: 1.2rem; }
  h3 { margin-top: .8rem; }
  .poll { margin: .5rem 0 .7rem; padding: .5rem .7rem; }
  .figures li { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
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
        '<dl class="facts">',
    ]
    day = transcript.started_at or transcript.created_at
    if day is not None:
        out.append(f"<dt>{_e(l10n.t('date'))}</dt><dd>{_e(l10n.date(day))}</dd>")
    out.append(f"<dt>{_e(l10n.t('evening'))}</dt><dd>{_e(evening_text(transcript, l10n))}</dd>")
    out.append("</dl>")
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
            out.append(
                f'<li><span class="text">{_u(q.question.text)}</span> '
                f'<span class="meta">{_e(meta)}</span></li>'
            )
        out.append("</ul>")
    else:
        out.append(f'<p class="empty">{_e(l10n.t("unanswered_none"))}</p>')
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
            f'<li><span class="author">{_u(x.table_name)}</span><div class="text">{_u(x.text)}</div></li>'
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
        out += (
            f'<div class="answer"><span class="label">{_e(l10n.t("written_answer"))}</span>'
            f'<div class="text">{_u(q.question.answer)}</div></div>'
        )
    return out + "</li>"
