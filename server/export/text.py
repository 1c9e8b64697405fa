"""Texts shared by the document formats (Markdown and HTML), before any escaping.

The values here may contain user text (names, titles): each format escapes
what it gets from these helpers.
"""

from __future__ import annotations

from server.export.i18n import Localizer
from server.export.model import ExportPoll, ExportQuestion, ExportRound, ExportShift, Transcript


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
