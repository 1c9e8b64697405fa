"""HTML: one self-contained page, printable to PDF from a browser.

No script, no external reference (fonts, images, styles are all inline); a
Content-Security-Policy that allows inline styles and nothing else, so the page
stays inert even if it were edited. Every piece of text goes through
``html.escape``; poll bars are CSS widths.
"""

from __future__ import annotations

from html import escape

from server.export.i18n import Localizer, typeset
from server.export.model import (
    ExportLobby,
    ExportMessage,
    ExportPoll,
    ExportQuestion,
    ExportRound,
    ExportShift,
    ExportSpeaker,
    ExportTable,
    Transcript,
)
from server.export.text import (
    actual_text,
    footer_line,
    header_items,
    nothing_text,
    poll_meta,
    question_meta,
    round_times,
    shift_counts,
    shift_row,
    table_label,
    warning_where,
)

_CSS = """
:root { --ink: #1d1d1f; --muted: #5f6368; --rule: #d9d9de; --accent: #1f4e8c;
  --bar: #2f6db5; --track: #e9edf3; --soft: #f6f7f9; }
* { box-sizing: border-box; }
html { -webkit-text-size-adjust: 100%; }
body { margin: 0 auto; max-width: 48rem; padding: 2.5rem 1.5rem 4rem; color: var(--ink);
  background: #fff; font: 16px/1.55 Charter, "Bitstream Charter", "Sitka Text", Cambria,
  Georgia, serif; }
h1, h2, h3, .kicker, .facts dt, table.agenda th, .meta, .times, .note, .time, .author {
  font-family: system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial,
  sans-serif; }
h1 { font-size: 2rem; line-height: 1.2; margin: .2rem 0 1rem; }
h2 { font-size: 1.35rem; margin: 2.5rem 0 .4rem; padding-bottom: .3rem;
  border-bottom: 2px solid var(--accent); }
h3 { font-size: 1rem; text-transform: uppercase; letter-spacing: .06em; color: var(--accent);
  margin: 1.6rem 0 .5rem; }
.kicker { text-transform: uppercase; letter-spacing: .12em; font-size: .8rem;
  color: var(--muted); margin: 0; }
.facts { display: grid; grid-template-columns: max-content 1fr; gap: .2rem 1rem; margin: 0; }
.facts dt { color: var(--muted); font-size: .9rem; }
.facts dd { margin: 0; }
.note, .times, .meta { color: var(--muted); font-size: .85rem; }
.theme { font-style: italic; white-space: pre-wrap; margin: .4rem 0; }
.text { white-space: pre-wrap; overflow-wrap: anywhere; }
table { border-collapse: collapse; width: 100%; }
table.agenda th, table.agenda td { text-align: left; padding: .35rem .5rem;
  border-bottom: 1px solid var(--rule); }
table.agenda th { font-size: .85rem; color: var(--muted); }
table.agenda .n { text-align: right; white-space: nowrap; }
ul.chat { list-style: none; padding: 0; margin: 0; }
ul.syntheses { list-style: none; padding: 0; margin: 0; }
ul.syntheses li { margin: .5rem 0; padding: .4rem .7rem; border-left: 3px solid var(--accent); }
ul.tables { padding-left: 1.2rem; margin: .4rem 0; }
ul.chat li { padding: .35rem 0; border-bottom: 1px solid var(--soft); }
.time { color: var(--muted); font-size: .8rem; margin-right: .4rem; }
.author { font-weight: 600; font-size: .9rem; margin-right: .4rem; }
.mod-badge { font-size: .75rem; font-weight: 600; border: 1px solid currentColor; border-radius: .6rem;
  padding: 0 .35rem; margin-right: .4rem; }
ol.questions { padding-left: 1.4rem; margin: 0; }
ol.questions li { margin: .5rem 0; }
ol.questions .author { font-style: normal; }
.answer { margin: .3rem 0 0; padding: .4rem .7rem; border-left: 3px solid var(--rule); }
.answer .label { font-weight: 600; font-size: .85rem; }
ul.variants { margin: .3rem 0 0; padding-left: 1.2rem; color: var(--muted); list-style: "≈ "; }
.poll { margin: 1rem 0 1.4rem; padding: .8rem 1rem; background: var(--soft);
  border-radius: 6px; }
.poll .question { font-weight: 600; margin: 0; }
.poll .meta { margin: .1rem 0 .6rem; }
table.results td { padding: .2rem .4rem; vertical-align: middle; }
table.results .label { width: 35%; }
table.results .count, table.results .pct { text-align: right; white-space: nowrap; width: 4rem;
  font-variant-numeric: tabular-nums; }
.track { display: block; height: .8rem; background: var(--track); border-radius: 3px; }
.fill { display: block; height: 100%; background: var(--bar); border-radius: 3px; }
.empty { color: var(--muted); font-style: italic; }
.cloud { line-height: 1.9; margin: .2rem 0 .6rem; }
.shift-title { font-style: italic; margin: .6rem 0 .2rem; }
table.shift td, table.shift th { padding: .1rem .5rem; text-align: right; }
table.shift .label { text-align: left; }
table.shift .points { font-weight: 600; }
.shift .why { font-style: italic; font-size: .9em; }
.cloud span { margin-right: .8rem; font-weight: 600; }
ul.answers { margin: 0; padding-left: 1.2rem; }
ul.answers li { margin: .3rem 0; white-space: pre-line; }
footer { margin-top: 3rem; }
.chatham { font-weight: 600; margin: .8rem 0 0; }
section.warnings { margin: 1.5rem 0; padding: .6rem 1rem; border: 2px solid #b3261e;
  border-radius: 6px; }
section.warnings h2 { margin-top: .2rem; border: 0; color: #b3261e; }
section.warnings li { margin: .15rem 0; }
@page { margin: 16mm 15mm; }
@media print {
  body { max-width: none; padding: 0; font-size: 10.5pt; }
  h2, h3 { break-after: avoid; page-break-after: avoid; }
  .poll, ol.questions li, ul.chat li, table.agenda tr { break-inside: avoid;
    page-break-inside: avoid; }
  .poll, .track, .fill { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
  a { color: inherit; text-decoration: none; }
}
"""

_CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src 'none'; form-action 'none'"


def _e(text: str) -> str:
    """Escaped, with unbreakable spaces before ? ! ; : (no line starts with one)."""
    return escape(typeset(text), quote=True)


def _u(text: str) -> str:
    """User text, escaped and isolated (<bdi>): a right-to-left name or message
    cannot reorder what follows it on the line."""
    return f"<bdi>{_e(text)}</bdi>"


def render_html(transcript: Transcript, l10n: Localizer) -> str:
    title = transcript.title or l10n.t("untitled")
    out: list[str] = [
        "<!DOCTYPE html>",
        f'<html lang="{l10n.lang}">',
        "<head>",
        '<meta charset="utf-8">',
        f'<meta http-equiv="Content-Security-Policy" content="{_CSP}">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        '<meta name="generator" content="convive">',
        f"<title>{_e(l10n.t('transcript'))} — {_e(title)}</title>",
        f"<style>{_CSS}</style>",
        "</head>",
        "<body>",
        "<header>",
        f'<p class="kicker">{_e(l10n.t("transcript"))}</p>',
        f"<h1>{_e(title)}</h1>",
        '<dl class="facts">',
    ]
    for key, value in header_items(transcript, l10n):
        out.append(f"<dt>{_e(l10n.t(key))}</dt><dd>{_e(value)}</dd>")
    out.append("</dl>")
    if transcript.chatham_house:
        out.append(f'<p class="chatham">{_e(l10n.t("chatham_house"))}</p>')
    out.append("</header>")
    name_warnings(out, transcript, l10n)
    if transcript.rounds:
        out.append('<section class="agenda-section">')
        out.append(f"<h2>{_e(l10n.t('agenda'))}</h2>")
        out.append('<table class="agenda">')
        out.append(
            f'<thead><tr><th class="n">#</th><th>{_e(l10n.t("round"))}</th>'
            f'<th class="n">{_e(l10n.t("planned"))}</th>'
            f'<th class="n">{_e(l10n.t("actual"))}</th></tr></thead><tbody>'
        )
        for r in transcript.rounds:
            out.append(
                f'<tr><td class="n">{r.position}</td>'
                f'<td><a href="#round-{r.position}">{_u(r.title)}</a></td>'
                f'<td class="n">{_e(l10n.minutes(r.planned_minutes))}</td>'
                f'<td class="n">{_e(actual_text(r, l10n))}</td></tr>'
            )
        out.append("</tbody></table>")
        out.append("</section>")
    if transcript.speaking_time:
        out.append('<section class="speaking-section">')
        out.append(f"<h2>{_e(l10n.t('speaking_time'))}</h2>")
        out.append(f'<p class="times">{_e(l10n.t("speaking_intro"))}</p>')
        _speaking(out, transcript.speaking_time, l10n)
        out.append("</section>")
    elif transcript.chatham_house and transcript.speaking_by_table:  # no one's own time
        speaking_by_table(out, transcript, l10n, "h2")
    if transcript.tables:
        out.append('<section class="tables">')
        out.append(f"<h2>{_e(l10n.t('tables'))}</h2>")
        out.append(f'<p class="times">{_e(l10n.t("tables_intro"))}</p>')
        out.append('<ul class="tables">')
        out.extend(_table(t, l10n) for t in transcript.tables)
        out.append("</ul>")
        out.append("</section>")
    for r in transcript.rounds:
        out.append(f'<section class="round" id="round-{r.position}">')
        out.append(f"<h2>{_e(l10n.t('round_n', n=r.position))} — {_u(r.title)}</h2>")
        out.append(f'<p class="theme">{_u(r.theme)}</p>')
        out.append(f'<p class="times">{_e(round_times(r, l10n))}</p>')
        _section(out, r, l10n, transcript.chatham_house)
        out.append("</section>")
    lobby = transcript.lobby
    if lobby.messages or lobby.questions or lobby.polls or lobby.announcements or lobby.speaking:
        out.append('<section class="round lobby" id="lobby">')
        out.append(f"<h2>{_e(l10n.t('lobby'))}</h2>")
        out.append(f'<p class="times">{_e(l10n.t("lobby_intro"))}</p>')
        _section(out, lobby, l10n, transcript.chatham_house)
        out.append("</section>")
    if transcript.notes is not None:
        out.append('<section class="round notes" id="notes">')
        out.append(f"<h2>{_e(l10n.t('notes'))}</h2>")
        out.append(f'<p class="times">{_e(l10n.t("notes_intro"))}</p>')
        out.append('<ul class="messages">')
        out.extend(
            f'<li><span class="time">{_e(l10n.time(n.at))}</span>'
            # No author under the Chatham House rule.
            + (f'<span class="author">{_u(n.author_name)}</span>' if n.author_name else "")
            + f'<span class="text">{_u(n.text)}</span></li>'
            for n in transcript.notes
        )
        out.append("</ul>")
        out.append("</section>")
    out.append(f'<footer><p class="note">{_e(footer_line(transcript, l10n))}</p></footer>')
    out.append("</body>")
    out.append("</html>")
    return "\n".join(out) + "\n"


def _table(table: ExportTable, l10n: Localizer) -> str:
    if table.removed:
        removed = _e(l10n.t("table_removed"))
        return f'<li><strong>{_u(table.name)}</strong> <span class="meta">{removed}</span></li>'
    seats = l10n.t("table_seats", seated=table.seated, seats=table.seats)
    guests = (
        ", ".join(_u(name) for name in table.guests)
        or f'<span class="empty">{_e(l10n.t("table_empty"))}</span>'
    )
    if not table.guests and table.seated:  # Chatham House rule: counted, not named
        guests = _e(l10n.plural("seated_count", table.seated))
    return f'<li><strong>{_u(table.name)}</strong> <span class="meta">{_e(seats)}</span> — {guests}</li>'


def _section(
    out: list[str], section: ExportRound | ExportLobby, l10n: Localizer, chatham: bool = False
) -> None:
    if isinstance(section, ExportRound) and section.syntheses:
        # Issue 13: what each table reported, attributed to the table only.
        out.append(f"<h3>{_e(l10n.t('syntheses'))}</h3>")
        out.append('<ul class="syntheses">')
        out.extend(
            f'<li><span class="author">{_u(x.table_name)}</span>'
            f'<span class="time">{_e(l10n.time(x.at))}</span><div class="text">{_u(x.text)}</div></li>'
            for x in section.syntheses
        )
        out.append("</ul>")
    if not (
        section.messages or section.questions or section.polls or section.announcements or section.speaking
    ):
        if isinstance(section, ExportRound) and section.syntheses:
            return
        empty = nothing_text(section, l10n) if isinstance(section, ExportRound) else None
        if empty is not None:
            out.append(f'<p class="empty">{_e(empty)}</p>')
        return
    if section.announcements:
        out.append(f"<h3>{_e(l10n.t('announcements'))}</h3>")
        out.append('<ul class="announcements">')
        out.extend(
            f'<li><span class="time">{_e(l10n.time(a.at))}</span>'
            f'<strong class="text">{_u(a.text)}</strong></li>'
            for a in section.announcements
        )
        out.append("</ul>")
    if section.messages:
        out.append(f"<h3>{_e(l10n.t('chat'))}</h3>")
        out.append('<ul class="chat">')
        out.extend(_message(m, l10n) for m in section.messages)
        out.append("</ul>")
    if section.questions:
        out.append(f"<h3>{_e(l10n.t('questions'))}</h3>")
        out.append('<ol class="questions">')
        out.extend(_question(q, l10n, chatham) for q in section.questions)
        out.append("</ol>")
    if section.polls:
        out.append(f"<h3>{_e(l10n.t('polls'))}</h3>")
        for poll in section.polls:
            _poll(out, poll, l10n)
    if section.speaking:
        out.append(f"<h3>{_e(l10n.t('speaking_time'))}</h3>")
        _speaking(out, section.speaking, l10n)


def _speaking(out: list[str], speakers: list[ExportSpeaker], l10n: Localizer) -> None:
    out.append('<table class="agenda speaking">')
    out.append(
        f"<thead><tr><th>{_e(l10n.t('speaker'))}</th>"
        f'<th class="n">{_e(l10n.t("turns"))}</th>'
        f'<th class="n">{_e(l10n.t("time_spoken"))}</th></tr></thead><tbody>'
    )
    out.extend(
        f'<tr><td>{_u(s.name)}</td><td class="n">{s.turns}</td>'
        f'<td class="n">{_e(l10n.spoken(s.seconds))}</td></tr>'
        for s in speakers
    )
    out.append("</tbody></table>")


def _badge(role: str | None, l10n: Localizer) -> str:
    """The moderators' badge, from the author's role (never from the name)."""
    if role != "moderator":
        return ""
    return f'<span class="mod-badge"><span aria-hidden="true">◆ </span>{_e(l10n.t("moderator_badge"))}</span>'


def _message(m: ExportMessage, l10n: Localizer) -> str:
    author = (  # none under the Chatham House rule
        f'<span class="author">{_u(m.author_name)}</span>{_badge(m.author_role, l10n)}'
        if m.author_name
        else ""
    )
    time = f'<span class="time">{_e(l10n.time(m.at))}</span>'
    return f'<li>{time}{author}<span class="text">{_u(m.text)}</span></li>'


def _author(anonymous: bool, name: str | None, l10n: Localizer) -> str:
    return l10n.t("anonymous") if anonymous or name is None else name


def _who(anonymous: bool, name: str | None, role: str | None, chatham: bool, l10n: Localizer) -> str:
    """The author and badge before a question's time; nothing under the Chatham House rule."""
    if chatham:
        return ""
    return f'<span class="author">{_u(_author(anonymous, name, l10n))}</span>{_badge(role, l10n)}'


def _question(q: ExportQuestion, l10n: Localizer, chatham: bool = False) -> str:
    who = _who(q.anonymous, q.author_name, q.author_role, chatham, l10n)
    out = (
        f'<li><div class="text">{_u(q.text)}</div>'
        f'<div class="meta">{who}{_e(l10n.time(q.at))} · {_e(question_meta(q, l10n))}</div>'
    )
    if q.answer is not None:  # issue 12: under the question, before its variants
        when = f' <span class="time">{_e(l10n.time(q.answer_at))}</span>' if q.answer_at else ""
        out += (
            f'<div class="answer"><span class="label">{_e(l10n.t("written_answer"))}</span>{when}'
            f'<div class="text">{_u(q.answer)}</div></div>'
        )
    if q.variants:
        out += f'<ul class="variants" aria-label="{_e(l10n.t("variant"))}">'
        for variant in q.variants:
            who = _who(variant.anonymous, variant.author_name, variant.author_role, chatham, l10n)
            out += (
                f'<li><span class="text">{_u(variant.text)}</span> '
                f'<span class="meta">{who}{_e(l10n.time(variant.at))}</span></li>'
            )
        out += "</ul>"
    return out + "</li>"


def _cloud(out: list[str], poll: ExportPoll) -> None:
    """A words poll's cloud: each word sized by how many gave it (the table below has the numbers)."""
    top = max(word.count for word in poll.words)
    spans = [
        f'<span style="font-size:{0.9 + 1.6 * word.count / top:.2f}rem">{_u(word.word)}</span>'
        for word in poll.words
    ]
    out.append(f'<p class="cloud" aria-hidden="true">{" ".join(spans)}</p>')


def _answers(out: list[str], poll: ExportPoll, l10n: Localizer) -> None:
    """An open poll's approved answers (anonymous: no author to show)."""
    if not poll.answers:
        out.append(f'<p class="empty">{_e(l10n.t("no_answer_shown"))}</p>')
        return
    out.append(f"<p>{_e(l10n.t('answers_note'))}</p>")
    out.append('<ul class="answers">')
    out.extend(f"<li>{_u(answer.text)}</li>" for answer in poll.answers)
    out.append("</ul>")


def _shift(out: list[str], shift: ExportShift, l10n: Localizer) -> None:
    """The opinion shift of a repeated poll: aggregates only."""
    out.append('<div class="shift">')
    out.append(f'<p class="shift-title">{_e(l10n.t("shift_title"))}</p>')
    before_head, after_head = _e(l10n.t("shift_before")), _e(l10n.t("shift_after"))
    out.append('<table class="shift"><thead><tr><th></th>')
    out.append(f"<th>{before_head}</th><th>{after_head}</th><th></th></tr></thead><tbody>")
    for option in shift.options:
        label, before, after, points = shift_row(
            option.label, option.before, option.after, option.points, l10n
        )
        out.append(
            f'<tr><td class="label">{_u(label)}</td><td class="pct">{_e(before)}</td>'
            f'<td class="pct">{_e(after)}</td><td class="points">{_e(points)}</td></tr>'
        )
    out.append("</tbody></table>")
    out.append(f"<p>{_e(shift_counts(shift, l10n))}</p>")
    if shift.changed is None:
        out.append(f'<p class="why">{_e(l10n.t("shift_too_few"))}</p>')
        out.append("</div>")
        return
    if shift.transitions or shift.other_changes:
        out.append('<ul class="transitions">')
        colon = "\u00a0: " if l10n.lang == "fr" else ": "
        for t in shift.transitions:
            guests = l10n.plural("shift_guests", t.guests)
            out.append(f"<li>{_u(t.before)} → {_u(t.after)}{colon}{_e(guests)}</li>")
        if shift.other_changes:
            guests = l10n.plural("shift_guests", shift.other_changes)
            out.append(f"<li>{_e(l10n.t('shift_other', guests=guests))}</li>")
        out.append("</ul>")
    if shift.other_changes:
        out.append(f'<p class="why">{_e(l10n.t("shift_other_why"))}</p>')
    out.append("</div>")


def _poll(out: list[str], poll: ExportPoll, l10n: Localizer) -> None:
    out.append('<figure class="poll">')
    out.append(f'<p class="question">{_u(poll.question)}</p>')
    out.append(f'<p class="meta">{_e(poll_meta(poll, l10n))}</p>')
    if poll.kind == "open":
        _answers(out, poll, l10n)
        out.append("</figure>")
        return
    if poll.kind == "words" and poll.words:
        _cloud(out, poll)
    out.append('<table class="results"><tbody>')
    for option in poll.rows():
        width = f"{max(0.0, min(100.0, option.percent)):.1f}"
        out.append(
            f'<tr><td class="label">{_u(option.label)}</td>'
            f'<td><span class="track"><span class="fill" style="width:{width}%"></span></span></td>'
            f'<td class="count">{option.count}</td>'
            f'<td class="pct">{_e(l10n.percent(option.percent))}</td></tr>'
        )
    out.append("</tbody></table>")
    if poll.by_table:  # issue 13, k ≥ 3
        out.append(f'<p class="meta">{_e(l10n.t("by_table"))}</p>')
        out.append('<ul class="by-table">')
        for group in poll.by_table:
            name = _u(group.table_name or "") if group.table_id is not None else _e(l10n.t("other_tables"))
            shares = " · ".join(
                f"{_u(o.label)} {o.count} ({_e(l10n.percent(o.percent))})" for o in group.options
            )
            voters = l10n.plural("voters", group.voters) + ("\u00a0:" if l10n.lang == "fr" else ":")
            out.append(f"<li><strong>{name}</strong> — {_e(voters)} {shares}</li>")
        out.append("</ul>")
        if any(group.table_id is None for group in poll.by_table):
            out.append(f'<p class="note">{_e(l10n.t("by_table_merged"))}</p>')
    elif poll.by_table_withheld:
        out.append(f'<p class="note">{_e(l10n.t("by_table_none"))}</p>')
    if poll.shift is not None:
        _shift(out, poll.shift, l10n)
    out.append("</figure>")


# --- the Chatham House rule and the report (issue 13) -------------------------


def name_warnings(out: list[str], transcript: Transcript, l10n: Localizer) -> None:
    """The participants' names found in the texts (not rewritten), for the editor."""
    if not transcript.name_warnings:
        return
    colon = "\u00a0: " if l10n.lang == "fr" else ": "
    out.append('<section class="warnings">')
    out.append(f"<h2>⚠ {_e(l10n.t('warnings'))}</h2>")
    out.append(f'<p class="note">{_e(l10n.t("warnings_intro"))}</p>')
    out.append("<ul>")
    out.extend(
        f"<li>{_e(warning_where(w, transcript, l10n))}{colon}<strong>{_u(w.found)}</strong></li>"
        for w in transcript.name_warnings
    )
    out.append("</ul>")
    out.append("</section>")


def speaking_by_table(out: list[str], transcript: Transcript, l10n: Localizer, level: str) -> None:
    out.append('<section class="speaking-section">')
    out.append(f"<{level}>{_e(l10n.t('speaking_by_table'))}</{level}>")
    out.append(f'<p class="times">{_e(l10n.t("speaking_by_table_intro"))}</p>')
    out.append('<table class="agenda speaking">')
    out.append(
        f"<thead><tr><th>{_e(l10n.t('col_table').capitalize())}</th>"
        f'<th class="n">{_e(l10n.t("turns"))}</th>'
        f'<th class="n">{_e(l10n.t("time_spoken"))}</th></tr></thead><tbody>'
    )
    out.extend(
        f"<tr><td>{_u(table_label(t.table_id, t.table_name, l10n))}</td>"
        f'<td class="n">{t.turns}</td><td class="n">{_e(l10n.spoken(t.seconds))}</td></tr>'
        for t in transcript.speaking_by_table
    )
    out.append("</tbody></table>")
    out.append("</section>")
