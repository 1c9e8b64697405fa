"""Markdown: readable as plain text and in any renderer (CommonMark, GFM).

Every piece of user text goes through ``inline`` or ``block``, which escape the
Markdown syntax that could change the document's structure: emphasis, links,
images, code, HTML, tables, headings, lists, quotes and thematic breaks. Poll
results are text bars in a fenced code block, whose fence is longer than any
run of backticks inside it.
"""

from __future__ import annotations

import re

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

# Backslash-escaped everywhere (CommonMark lets any ASCII punctuation be escaped).
_INLINE = re.compile(r"[\\`*_\[\]<>|~#&]")
# Only structural at the start of a line: list markers, setext underlines.
_LINE_START = re.compile(r"^([-+=])")
_ORDERED = re.compile(r"^(\d{1,9})([.)])")
_BACKTICKS = re.compile(r"`+")
_STARTS = frozenset("-+=0123456789")

BAR_WIDTH = 20


def inline(text: str) -> str:
    """User text on one line, inert: it cannot open or close any construct.

    Its spaces before ? ! ; : are made unbreakable, so no line starts with one.
    """
    escaped = typeset(text.replace("\n", " ").strip())
    if _INLINE.search(escaped):  # most texts have nothing to escape
        escaped = _INLINE.sub(r"\\\g<0>", escaped)
    if escaped[:1] in _STARTS:
        escaped = _ORDERED.sub(r"\1\\\2", _LINE_START.sub(r"\\\1", escaped))
    return escaped


def block(text: str, indent: str) -> str:
    """User text over several lines, for a list item indented by ``indent``.

    Leading spaces are dropped (they would make code blocks), each line is
    escaped as if it started a line, and lines end with a hard break.
    """
    if "\n" not in text:
        return inline(text.strip())
    lines = [inline(line.strip()) if line.strip() else "" for line in text.split("\n")]
    out: list[str] = []
    for index, line in enumerate(lines):
        last = index == len(lines) - 1 or not lines[index + 1]
        out.append(line if not line or last else line + "  ")
    return ("\n" + indent).join(out).replace("\n" + indent + "\n", "\n\n")


def _label(l10n: Localizer, key: str) -> str:
    colon = "\u00a0:" if l10n.lang == "fr" else ":"
    return f"**{l10n.t(key)}{colon}**"


def render_markdown(transcript: Transcript, l10n: Localizer) -> str:
    out: list[str] = []
    title = transcript.title or l10n.t("untitled")
    out.append(f"# {l10n.t('transcript')} — {inline(title)}")
    out.append("")
    out.extend(f"- {_label(l10n, key)} {value}" for key, value in header_items(transcript, l10n))
    out.append("")
    out.append(f"_{inline(footer_line(transcript, l10n))}_")
    out.append("")
    if transcript.chatham_house:
        out.append(f"**{inline(l10n.t('chatham_house'))}**")
        out.append("")
        name_warnings(out, transcript, l10n)
    if transcript.rounds:
        out.append(f"## {l10n.t('agenda')}")
        out.append("")
        out.append(f"| # | {l10n.t('round')} | {l10n.t('planned')} | {l10n.t('actual')} |")
        out.append("|---:|---|---:|---:|")
        for r in transcript.rounds:
            out.append(
                f"| {r.position} | {inline(r.title)} | {l10n.minutes(r.planned_minutes)} "
                f"| {actual_text(r, l10n)} |"
            )
        out.append("")
    if transcript.speaking_time:
        out.append(f"## {l10n.t('speaking_time')}")
        out.append("")
        out.append(f"_{l10n.t('speaking_intro')}_")
        out.append("")
        _speaking(out, transcript.speaking_time, l10n)
    elif transcript.chatham_house and transcript.speaking_by_table:  # no one's own time
        speaking_by_table(out, transcript, l10n, "##")
    if transcript.tables:
        out.append(f"## {l10n.t('tables')}")
        out.append("")
        out.append(f"_{l10n.t('tables_intro')}_")
        out.append("")
        out.extend(_table(t, l10n) for t in transcript.tables)
        out.append("")
    for r in transcript.rounds:
        out.append(f"## {l10n.t('round_n', n=r.position)} — {inline(r.title)}")
        out.append("")
        out.append(f"{_label(l10n, 'theme')} {block(r.theme, '')}")
        out.append("")
        out.append(round_times(r, l10n))
        out.append("")
        _section(out, r, l10n, "###", transcript.chatham_house)
    lobby = transcript.lobby
    if lobby.messages or lobby.questions or lobby.polls or lobby.announcements or lobby.speaking:
        out.append(f"## {l10n.t('lobby')}")
        out.append("")
        out.append(f"_{l10n.t('lobby_intro')}_")
        out.append("")
        _section(out, lobby, l10n, "###", transcript.chatham_house)
    if transcript.notes is not None:
        out.append(f"## {l10n.t('notes')}")
        out.append("")
        out.append(f"_{l10n.t('notes_intro')}_")
        out.append("")
        for n in transcript.notes:
            # Under the Chatham House rule a note has no author (``chatham.redact``).
            who = f" · {inline(n.author_name)}" if n.author_name else ""
            out.append(f"- **{l10n.time(n.at)}{who}** — {block(n.text, '  ')}")
        out.append("")
    return "\n".join(out).rstrip("\n") + "\n"


def _table(table: ExportTable, l10n: Localizer) -> str:
    colon = "\u00a0:" if l10n.lang == "fr" else ":"
    if table.removed:
        return f"- **{inline(table.name)}** — _{l10n.t('table_removed')}_"
    seats = l10n.t("table_seats", seated=table.seated, seats=table.seats)
    guests = ", ".join(inline(name) for name in table.guests) or f"_{l10n.t('table_empty')}_"
    if not table.guests and table.seated:  # Chatham House rule: counted, not named
        guests = l10n.plural("seated_count", table.seated)
    return f"- **{inline(table.name)}** ({seats}){colon} {guests}"


def _section(
    out: list[str], section: ExportRound | ExportLobby, l10n: Localizer, level: str, chatham: bool = False
) -> None:
    if isinstance(section, ExportRound) and section.syntheses:
        # Issue 13: what each table reported, attributed to the table only.
        out.append(f"{level} {l10n.t('syntheses')}")
        out.append("")
        out.extend(
            f"- **{inline(x.table_name)}** ({l10n.time(x.at)}) — {block(x.text, '  ')}"
            for x in section.syntheses
        )
        out.append("")
    if not (
        section.messages or section.questions or section.polls or section.announcements or section.speaking
    ):
        if isinstance(section, ExportRound) and section.syntheses:
            return
        empty = nothing_text(section, l10n) if isinstance(section, ExportRound) else None
        if empty is not None:
            out.append(f"_{empty}_")
            out.append("")
        return
    if section.announcements:
        out.append(f"{level} {l10n.t('announcements')}")
        out.append("")
        out.extend(f"- **{l10n.time(a.at)}** — {block(a.text, '  ')}" for a in section.announcements)
        out.append("")
    if section.messages:
        out.append(f"{level} {l10n.t('chat')}")
        out.append("")
        out.extend(_message(m, l10n) for m in section.messages)
        out.append("")
    if section.questions:
        out.append(f"{level} {l10n.t('questions')}")
        out.append("")
        for q in section.questions:
            out.append(_question(q, l10n, chatham))
        out.append("")
    if section.polls:
        out.append(f"{level} {l10n.t('polls')}")
        out.append("")
        for poll in section.polls:
            _poll(out, poll, l10n)
    if section.speaking:
        out.append(f"{level} {l10n.t('speaking_time')}")
        out.append("")
        _speaking(out, section.speaking, l10n)


def _speaking(out: list[str], speakers: list[ExportSpeaker], l10n: Localizer) -> None:
    out.append(f"| {l10n.t('speaker')} | {l10n.t('turns')} | {l10n.t('time_spoken')} |")
    out.append("|---|---:|---:|")
    out.extend(f"| {inline(s.name)} | {s.turns} | {l10n.spoken(s.seconds)} |" for s in speakers)
    out.append("")


def _badge(role: str | None, l10n: Localizer) -> str:
    """Outside the bold name, so no name (escaped) can imitate it."""
    return f" ◆ _{l10n.t('moderator_badge')}_" if role == "moderator" else ""


def _message(m: ExportMessage, l10n: Localizer) -> str:
    if not m.author_name:  # Chatham House rule: unattributed
        return f"- **{l10n.time(m.at)}** — {block(m.text, '  ')}"
    badge = _badge(m.author_role, l10n)
    return f"- **{l10n.time(m.at)} · {inline(m.author_name)}**{badge} — {block(m.text, '  ')}"


def _author(anonymous: bool, name: str | None, l10n: Localizer) -> str:
    return l10n.t("anonymous") if anonymous or name is None else name


def _who(anonymous: bool, name: str | None, role: str | None, chatham: bool, at: str, l10n: Localizer) -> str:
    """``**Alice** ◆ modération (20:15)``; under the Chatham House rule, ``**20:15**``."""
    if chatham:
        return f"**{l10n.time(at)}**"
    return f"**{inline(_author(anonymous, name, l10n))}**{_badge(role, l10n)} ({l10n.time(at)})"


def _question(q: ExportQuestion, l10n: Localizer, chatham: bool = False) -> str:
    who = _who(q.anonymous, q.author_name, q.author_role, chatham, q.at, l10n)
    text = f"- {who} — {block(q.text, '  ')}"
    text += f"  \n  _{question_meta(q, l10n)}_"
    if q.answer is not None:  # issue 12: under the question, before its variants
        when = f" ({l10n.time(q.answer_at)})" if q.answer_at else ""
        colon = "\u00a0:" if l10n.lang == "fr" else ":"
        text += f"  \n  **{l10n.t('written_answer')}{when}{colon}** {block(q.answer, '  ')}"
    for variant in q.variants:
        who = _who(variant.anonymous, variant.author_name, variant.author_role, chatham, variant.at, l10n)
        text += f"\n  - _{l10n.t('variant')}_ — {who} — {block(variant.text, '    ')}"
    return text


def text_bar(percent: float, width: int = BAR_WIDTH) -> str:
    filled = max(0, min(width, round(percent * width / 100)))
    return "█" * filled + "░" * (width - filled)


def _poll(out: list[str], poll: ExportPoll, l10n: Localizer) -> None:
    out.append(f"**{inline(poll.question)}** — {poll_meta(poll, l10n)}")
    out.append("")
    if poll.kind == "open":
        _answers(out, poll, l10n)
        return
    options = poll.rows()
    if not options:  # a words poll nobody answered yet
        return
    width = max(len(option.label) for option in options)
    count_width = max(len(str(option.count)) for option in options)
    rows = [
        f"{option.label.ljust(width)}  {text_bar(option.percent)}  "
        f"{str(option.count).rjust(count_width)}  {l10n.percent(option.percent)}"
        for option in options
    ]
    longest = max((len(run) for row in rows for run in _BACKTICKS.findall(row)), default=0)
    fence = "`" * max(3, longest + 1)
    out.append(fence)
    out.extend(rows)
    out.append(fence)
    out.append("")
    if poll.by_table:  # issue 13, k ≥ 3
        colon = "\u00a0:" if l10n.lang == "fr" else ":"
        out.append(f"_{l10n.t('by_table')}{colon}_")
        out.append("")
        for group in poll.by_table:
            name = inline(group.table_name or "") if group.table_id is not None else l10n.t("other_tables")
            shares = " · ".join(
                f"{inline(o.label)} {o.count} ({l10n.percent(o.percent)})" for o in group.options
            )
            out.append(f"- **{name}** — {l10n.plural('voters', group.voters)}{colon} {shares}")
        out.append("")
        if any(group.table_id is None for group in poll.by_table):
            out.append(f"_{l10n.t('by_table_merged')}_")
            out.append("")
    elif poll.by_table_withheld:
        out.append(f"_{l10n.t('by_table_none')}_")
        out.append("")
    if poll.shift is not None:
        _shift(out, poll.shift, l10n)


def _shift(out: list[str], shift: ExportShift, l10n: Localizer) -> None:
    """The opinion shift of a repeated poll: aggregates only."""
    out.append(f"*{l10n.t('shift_title')}*")
    out.append("")
    rows = [shift_row(o.label, o.before, o.after, o.points, l10n) for o in shift.options]
    widths = [max(len(row[i]) for row in rows) for i in range(4)] if rows else [0] * 4
    lines = [
        f"{row[0].ljust(widths[0])}  {row[1].rjust(widths[1])} → {row[2].rjust(widths[2])}  "
        f"{row[3].rjust(widths[3])}"
        for row in rows
    ]
    longest = max((len(run) for line in lines for run in _BACKTICKS.findall(line)), default=0)
    fence = "`" * max(3, longest + 1)
    out.extend([fence, *lines, fence, ""])
    out.append(inline(shift_counts(shift, l10n)))
    out.append("")
    if shift.changed is None:
        out.append(f"*{inline(l10n.t('shift_too_few'))}*")
        out.append("")
        return
    for t in shift.transitions:
        guests = l10n.plural("shift_guests", t.guests)
        out.append(f"- {inline(t.before)} → {inline(t.after)}{_colon(l10n)}{guests}")
    if shift.other_changes:
        guests = l10n.plural("shift_guests", shift.other_changes)
        out.append(f"- {inline(l10n.t('shift_other', guests=guests))}")
    if shift.transitions or shift.other_changes:
        out.append("")
    if shift.other_changes:
        out.append(f"*{inline(l10n.t('shift_other_why'))}*")
        out.append("")


def _colon(l10n: Localizer) -> str:
    return "\u00a0: " if l10n.lang == "fr" else ": "


def _answers(out: list[str], poll: ExportPoll, l10n: Localizer) -> None:
    """An open poll's approved answers, as a list (anonymous: no author to show)."""
    if not poll.answers:
        out.append(f"*{l10n.t('no_answer_shown')}*")
        out.append("")
        return
    out.append(l10n.t("answers_note"))
    out.append("")
    for answer in poll.answers:
        out.append(f"- {block(answer.text, '  ')}")
    out.append("")


# --- the Chatham House rule and the report (issue 13) -------------------------


def name_warnings(out: list[str], transcript: Transcript, l10n: Localizer) -> None:
    """The participants' names found in the texts (not rewritten), for the editor."""
    if not transcript.name_warnings:
        return
    out.append(f"## ⚠ {l10n.t('warnings')}")
    out.append("")
    out.append(f"_{inline(l10n.t('warnings_intro'))}_")
    out.append("")
    for w in transcript.name_warnings:
        out.append(f"- {inline(warning_where(w, transcript, l10n))}{_colon(l10n)}**{inline(w.found)}**")
    out.append("")


def speaking_by_table(out: list[str], transcript: Transcript, l10n: Localizer, level: str) -> None:
    out.append(f"{level} {l10n.t('speaking_by_table')}")
    out.append("")
    out.append(f"_{l10n.t('speaking_by_table_intro')}_")
    out.append("")
    out.append(f"| {l10n.t('col_table').capitalize()} | {l10n.t('turns')} | {l10n.t('time_spoken')} |")
    out.append("|---|---:|---:|")
    out.extend(
        f"| {inline(table_label(t.table_id, t.table_name, l10n))} | {t.turns} | {l10n.spoken(t.seconds)} |"
        for t in transcript.speaking_by_table
    )
    out.append("")
