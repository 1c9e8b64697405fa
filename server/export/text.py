"""Texts shared by the document formats (Markdown and HTML), before any escaping.

The values here may contain user text (names, titles): each format escapes
what it gets from these helpers.
"""

from __future__ import annotations

from server.export.i18n import Localizer
from server.export.model import (
    ExportNameWarning,
    ExportPoll,
    ExportQuestion,
    ExportRound,
    ExportShift,
    Transcript,
)
from server.export.report import ReportNumbers, ReportQuestion


def header_items(transcript: Transcript, l10n: Localizer) -> list[tuple[str, str]]:
    """Date, time span and participants: (catalogue key of the label, value)."""
    items: list[tuple[str, str]] = []
    day = transcript.started_at or transcript.created_at
    if day is not None:
        items.append(("date", l10n.date(day)))
    items.append(("evening", evening_text(transcript, l10n)))
    items.append(("participants", str(transcript.participants)))
    return items


def evening_text(transcript: Transcript, l10n: Localizer) -> str:
    if transcript.started_at is None:
        return l10n.t("not_started")
    start = l10n.time(transcript.started_at)
    if transcript.ended_at is None:
        return l10n.t("from_ongoing", start=start)
    return l10n.t("from_to", start=start, end=l10n.time(transcript.ended_at))


def footer_line(transcript: Transcript, l10n: Localizer) -> str:
    parts = [l10n.t("times_in", tz=l10n.zone_name(transcript.as_of))]
    if transcript.as_of is not None:
        parts.append(
            l10n.t(
                "as_of",
                date=l10n.date(transcript.as_of),
                time=l10n.time(transcript.as_of),
            )
        )
    return " · ".join(parts)


def actual_text(r: ExportRound, l10n: Localizer) -> str:
    if r.actual_minutes is not None:
        return l10n.duration(r.actual_minutes)
    return l10n.t("status_live") if r.status == "live" else l10n.t("status_pending")


def round_times(r: ExportRound, l10n: Localizer) -> str:
    """Début à 20:00 · Durée prévue : 10 min · Durée réelle : 23 min."""
    colon = "\u00a0: " if l10n.lang == "fr" else ": "
    parts = []
    if r.started_at is not None:
        parts.append(l10n.t("started", time=l10n.time(r.started_at)))
    parts.append(f"{l10n.t('planned')}{colon}{l10n.minutes(r.planned_minutes)}")
    if r.actual_minutes is not None:
        parts.append(f"{l10n.t('actual')}{colon}{l10n.duration(r.actual_minutes)}")
    else:
        parts.append(actual_text(r, l10n))
    return " · ".join(parts)


def nothing_text(r: ExportRound, l10n: Localizer) -> str | None:
    """What an empty round says; None for a round not played (its status says it)."""
    if r.status == "pending":
        return None
    return l10n.t("nothing_live" if r.status == "live" else "nothing_ended")


def question_meta(q: ExportQuestion, l10n: Localizer) -> str:
    parts = [l10n.plural("votes", q.votes), l10n.t("answered" if q.answered else "not_answered")]
    if q.on_the_floor:
        parts.append(l10n.t("on_the_floor"))
    return " · ".join(parts)


def poll_meta(poll: ExportPoll, l10n: Localizer) -> str:
    if poll.kind == "open":
        parts = [
            l10n.plural("answers_received", poll.voters),
            l10n.plural("answers_shown", len(poll.answers)),
        ]
    else:
        parts = [l10n.plural("voters", poll.voters)]
    if poll.kind == "rating":
        parts.append(l10n.t("kind_rating", max=len(poll.options)))
        if poll.average is not None:
            parts.append(l10n.t("average", average=l10n.number(poll.average, 2), max=len(poll.options)))
    elif poll.kind == "words":
        parts.append(l10n.t("kind_words"))
    if poll.multiple:
        parts.append(l10n.t("multiple"))
    if poll.repeat_of is not None:
        parts.append(l10n.t("repeat_of"))
    if poll.status == "open":
        parts.append(l10n.t("poll_open"))
    return " · ".join(parts)


# --- opinion shift (issue 13) ------------------------------------------------


def shift_row(label: str, before: float, after: float, points: float, l10n: Localizer) -> tuple[str, ...]:
    """One option: its label, the shares before and after, the shift in points."""
    return (
        label,
        l10n.percent_one_decimal(before),
        l10n.percent_one_decimal(after),
        l10n.t("shift_points", n=l10n.decimal(points, signed=True)),
    )


def shift_counts(shift: ExportShift, l10n: Localizer) -> str:
    """Who voted both times and how many changed (or why that is not said)."""
    both = l10n.plural("shift_both", shift.both)
    if shift.changed is None:
        return both
    return f"{both} · {l10n.plural('shift_changed', shift.changed)}"


# --- the Chatham House rule and the report (issue 13) -------------------------


def warning_place(w: ExportNameWarning, transcript: Transcript, l10n: Localizer) -> str:
    """What text a name was found in: "question q12", "synthèse de « Table Turing »"."""
    item = w.item_id or ""
    if w.where in ("synthesis", "table_name"):  # a table: by its name, as everywhere
        item = next((t.name for t in transcript.tables if t.table_id == w.item_id), item)
    return l10n.t(f"where_{w.where}", id=item).strip()


def warning_where(w: ExportNameWarning, transcript: Transcript, l10n: Localizer) -> str:
    """Where a name was found: "Temps 2, question q12" / "Outside the rounds, message m40"."""
    place = warning_place(w, transcript, l10n)
    if w.round is not None:
        return f"{l10n.t('round_n', n=w.round)}, {place}"
    if w.where in ("title", "table_name"):
        return place[:1].upper() + place[1:]
    return f"{l10n.t('lobby')}, {place}"


def table_label(table_id: str | None, table_name: str | None, l10n: Localizer) -> str:
    """A table's name, or what the people at no table are called."""
    return (table_name or "") if table_id is not None else l10n.t("no_table")


def report_numbers(numbers: ReportNumbers, l10n: Localizer) -> list[tuple[int, str]]:
    """The evening in numbers: (figure, the word after it, singular or plural)."""
    return [
        (numbers.guests, l10n.plural("n_guests", numbers.guests)),
        (numbers.tables, l10n.plural("n_tables", numbers.tables)),
        (numbers.messages, l10n.plural("n_messages", numbers.messages)),
        (numbers.questions, l10n.plural("n_questions", numbers.questions)),
        (numbers.polls, l10n.plural("n_polls", numbers.polls)),
        (numbers.votes, l10n.plural("n_votes", numbers.votes)),
    ]


_ANSWERED = {
    "written": ("answered_written",),
    "oral": ("answered_oral",),
    "both": ("answered_oral", "answered_written"),
    "none": ("not_answered",),
}


def report_question_meta(q: ReportQuestion, chatham: bool, l10n: Localizer) -> tuple[str, str | None]:
    """A top question's votes and answer status, and who asked it (None: no one is named)."""
    parts = [l10n.plural("votes", q.question.votes), *(l10n.t(key) for key in _ANSWERED[q.answered])]
    author: str | None = None
    if not chatham:
        anonymous = q.question.anonymous or q.question.author_name is None
        author = l10n.t("anonymous") if anonymous else q.question.author_name
    return " · ".join(parts), author
