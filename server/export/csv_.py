"""CSV: a zip of questions.csv, polls.csv (one row per option, point of a rating scale,
word of a word cloud or approved open answer) and messages.csv.

A poll's percentages are shares of its voters (several answers possible: they
may add up to more than 100), as on every screen and in every other format.

For spreadsheets: UTF-8 with a byte order mark (so Excel reads the accents),
quoting by the csv module, and cells that a spreadsheet would take for a
formula (starting with = + - @, a tab or a carriage return) prefixed with an
apostrophe. French exports use ``;`` and a decimal comma, as a French
spreadsheet expects; English ones ``,`` and a decimal point.
"""

from __future__ import annotations

import csv
import io
import zipfile

from server.export.i18n import Localizer, parse_time
from server.export.model import ExportLobby, ExportOption, ExportRound, Transcript

_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def neutralise(cell: str) -> str:
    """A cell a spreadsheet shows as text, never evaluates (formula injection)."""
    return "'" + cell if cell.startswith(_FORMULA_START) else cell


def _sections(transcript: Transcript, l10n: Localizer) -> list[tuple[str, str, ExportRound | ExportLobby]]:
    out: list[tuple[str, str, ExportRound | ExportLobby]] = [
        (str(r.position), r.title, r) for r in transcript.rounds
    ]
    out.append(("", l10n.t("lobby_short"), transcript.lobby))
    return out


def _table(l10n: Localizer, header: list[str], rows: list[list[str | int]]) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(
        buffer,
        delimiter=";" if l10n.lang == "fr" else ",",
        quoting=csv.QUOTE_MINIMAL,
        lineterminator="\r\n",
    )
    writer.writerow([l10n.t(key) for key in header])
    for row in rows:
        writer.writerow([neutralise(cell) if isinstance(cell, str) else cell for cell in row])
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def questions_csv(transcript: Transcript, l10n: Localizer) -> bytes:
    rows: list[list[str | int]] = []
    for position, title, section in _sections(transcript, l10n):
        for q in section.questions:
            anonymous = q.anonymous or q.author_name is None
            rows.append(
                [
                    position,
                    title,
                    q.question_id,
                    l10n.timestamp(q.at),
                    l10n.t("anonymous") if anonymous else (q.author_name or ""),
                    # Left empty for an anonymous question: "no" would narrow who asked.
                    "" if anonymous else l10n.t("yes" if q.author_role == "moderator" else "no"),
                    l10n.t("yes" if anonymous else "no"),
                    q.text,
                    q.votes,
                    l10n.t("yes" if q.answered else "no"),
                    l10n.t("yes" if q.on_the_floor else "no"),
                    "",
                    q.answer or "",
                ]
            )
            # Issue 12: its merged duplicates, each on its own row, naming it.
            for variant in q.variants:
                hidden_name = variant.anonymous or variant.author_name is None
                rows.append(
                    [
                        position,
                        title,
                        variant.question_id,
                        l10n.timestamp(variant.at),
                        l10n.t("anonymous") if hidden_name else (variant.author_name or ""),
                        "" if hidden_name else l10n.t("yes" if variant.author_role == "moderator" else "no"),
                        l10n.t("yes" if hidden_name else "no"),
                        variant.text,
                        0,
                        l10n.t("no"),
                        l10n.t("no"),
                        q.question_id,
                        "",
                    ]
                )
    header = [
        "col_round",
        "col_round_title",
        "col_id",
        "col_time",
        "col_author",
        "col_by_moderator",
        "col_anonymous",
        "col_text",
        "col_votes",
        "col_answered",
        "col_on_the_floor",
        "col_merged_into",
        "col_written_answer",
    ]
    return _table(l10n, header, rows)


def polls_csv(transcript: Transcript, l10n: Localizer) -> bytes:
    rows: list[list[str | int]] = []
    for position, title, section in _sections(transcript, l10n):
        for poll in section.polls:
            status = l10n.t("status_closed" if poll.status == "closed" else "status_open")
            kind = l10n.t(f"csv_kind_{poll.kind}")
            average = "" if poll.average is None else l10n.number(poll.average, 2)
            # An open poll: one row per approved answer (the answer in the option column).
            answers = [ExportOption(a.text, 1, 0.0) for a in poll.answers] if poll.kind == "open" else []
            for number, option in enumerate(answers or poll.rows(), start=1):
                rows.append(
                    [
                        position,
                        title,
                        poll.poll_id,
                        poll.question,
                        status,
                        l10n.t("yes" if poll.multiple else "no"),
                        poll.voters,
                        number,
                        option.label,
                        "" if answers else option.count,
                        "" if answers else l10n.number(option.percent),
                        kind,
                        average,
                    ]
                )
    header = [
        "col_round",
        "col_round_title",
        "col_poll",
        "col_question",
        "col_status",
        "col_multiple",
        "col_voters",
        "col_option_no",
        "col_option",
        "col_count",
        "col_percent",
        "col_kind",
        "col_average",
    ]
    return _table(l10n, header, rows)


def messages_csv(transcript: Transcript, l10n: Localizer) -> bytes:
    rows: list[list[str | int]] = []
    for position, title, section in _sections(transcript, l10n):
        for m in section.messages:
            by_moderator = l10n.t("yes" if m.author_role == "moderator" else "no")
            time = l10n.timestamp(m.at)
            rows.append([position, title, m.message_id, time, m.author_name, by_moderator, m.text])
    header = [
        "col_round",
        "col_round_title",
        "col_id",
        "col_time",
        "col_author",
        "col_by_moderator",
        "col_text",
    ]
    return _table(l10n, header, rows)


def notes_csv(transcript: Transcript, l10n: Localizer) -> bytes:
    rows: list[list[str | int]] = [
        [n.note_id, l10n.timestamp(n.at), n.author_name, n.text] for n in transcript.notes or []
    ]
    return _table(l10n, ["col_id", "col_time", "col_author", "col_note"], rows)


def render_csv_zip(transcript: Transcript, l10n: Localizer) -> bytes:
    """The zip, byte for byte the same for the same events (fixed member dates)."""
    moment = parse_time(transcript.as_of) if transcript.as_of else None
    stamp = (
        (
            max(moment.year, 1980),
            moment.month,
            moment.day,
            moment.hour,
            moment.minute,
            moment.second,
        )
        if moment is not None
        else (1980, 1, 1, 0, 0, 0)
    )
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        members = [
            ("questions.csv", questions_csv(transcript, l10n)),
            ("polls.csv", polls_csv(transcript, l10n)),
            ("messages.csv", messages_csv(transcript, l10n)),
        ]
        if transcript.notes is not None:  # the organiser asked for them
            members.append(("notes.csv", notes_csv(transcript, l10n)))
        for name, content in members:
            info = zipfile.ZipInfo(name, date_time=stamp)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            archive.writestr(info, content)
    return buffer.getvalue()
