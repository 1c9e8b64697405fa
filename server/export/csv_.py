"""CSV: a zip of questions.csv, polls.csv (one row per option, point of a rating scale,
word of a word cloud or approved open answer), messages.csv, speaking.csv (speaking
time per person and round, in seconds), tables.csv (one row per seated guest),
syntheses.csv, poll_tables.csv (closed polls' results by table, one row per table and
option, under the k ≥ 3 rule) and shifts.csv (the opinion shifts of repeated polls:
changes of at least 3 guests, aggregates only).

Under the Chatham House rule: no author, moderator or anonymous column, speaking.csv
per table, tables.csv with a count of guests instead of their names, and warnings.csv,
the participants' names found inside the texts.

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
from server.export.text import table_label, warning_place

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


def _authorship(transcript: Transcript, *cells: str) -> tuple[str, ...]:
    """The columns that say who: none under the Chatham House rule."""
    return () if transcript.chatham_house else cells


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
                    *_authorship(
                        transcript,
                        l10n.t("anonymous") if anonymous else (q.author_name or ""),
                        # Left empty for an anonymous question: "no" would narrow who asked.
                        "" if anonymous else l10n.t("yes" if q.author_role == "moderator" else "no"),
                        l10n.t("yes" if anonymous else "no"),
                    ),
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
                        *_authorship(
                            transcript,
                            l10n.t("anonymous") if hidden_name else (variant.author_name or ""),
                            ""
                            if hidden_name
                            else l10n.t("yes" if variant.author_role == "moderator" else "no"),
                            l10n.t("yes" if hidden_name else "no"),
                        ),
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
        *_authorship(transcript, "col_author", "col_by_moderator", "col_anonymous"),
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
            shifts = poll.shift.options if poll.shift is not None else []
            for number, option in enumerate(answers or poll.rows(), start=1):
                shift = shifts[number - 1] if number <= len(shifts) else None
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
                        poll.repeat_of or "",
                        "" if shift is None else l10n.decimal(shift.before),
                        # A fall starts with "-": neutralised like any such cell ('-41,7).
                        "" if shift is None else l10n.decimal(shift.points),
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
        "col_repeat_of",
        "col_percent_before",
        "col_shift_points",
    ]
    return _table(l10n, header, rows)


def shifts_csv(transcript: Transcript, l10n: Localizer) -> bytes:
    """One row per change of at least 3 guests of each repeated poll, and one for
    the merged rest; a poll where fewer than 3 voted both times: one row, no change."""
    rows: list[list[str | int]] = []
    for position, title, section in _sections(transcript, l10n):
        for poll in section.polls:
            shift = poll.shift
            if shift is None:
                continue
            head: list[str | int] = [position, title, poll.poll_id, shift.before_poll_id, poll.question]
            head.append(shift.both)
            changed: str | int = "" if shift.changed is None else shift.changed
            changes: list[tuple[str, str, str | int]] = [
                (t.before, t.after, t.guests) for t in shift.transitions
            ]
            if shift.other_changes:
                changes.append((l10n.t("other_changes"), l10n.t("other_changes"), shift.other_changes))
            for before, after, guests in changes or [("", "", "")]:
                rows.append([*head, changed, before, after, guests])
    header = [
        "col_round",
        "col_round_title",
        "col_poll",
        "col_repeat_of",
        "col_question",
        "col_voted_both",
        "col_changed",
        "col_from",
        "col_to",
        "col_guests",
    ]
    return _table(l10n, header, rows)


def messages_csv(transcript: Transcript, l10n: Localizer) -> bytes:
    rows: list[list[str | int]] = []
    for position, title, section in _sections(transcript, l10n):
        for m in section.messages:
            by_moderator = l10n.t("yes" if m.author_role == "moderator" else "no")
            time = l10n.timestamp(m.at)
            author = _authorship(transcript, m.author_name, by_moderator)
            rows.append([position, title, m.message_id, time, *author, m.text])
    header = [
        "col_round",
        "col_round_title",
        "col_id",
        "col_time",
        *_authorship(transcript, "col_author", "col_by_moderator"),
        "col_text",
    ]
    return _table(l10n, header, rows)


def speaking_csv(transcript: Transcript, l10n: Localizer) -> bytes:
    """Per person and round; under the Chatham House rule, per table over the evening."""
    rows: list[list[str | int]] = []
    if transcript.chatham_house:
        for t in transcript.speaking_by_table:
            rows.append([t.table_id or "", table_label(t.table_id, t.table_name, l10n), t.turns, t.seconds])
        return _table(l10n, ["col_table", "col_table_name", "col_turns", "col_seconds"], rows)
    for position, title, section in _sections(transcript, l10n):
        for s in section.speaking:
            rows.append([position, title, s.name, s.turns, s.seconds])
    header = ["col_round", "col_round_title", "col_speaker", "col_turns", "col_seconds"]
    return _table(l10n, header, rows)


def tables_csv(transcript: Transcript, l10n: Localizer) -> bytes:
    """Issue 13: one row per seated guest (a table with nobody: one row without a guest)."""
    rows: list[list[str | int]] = []
    for table in transcript.tables:
        removed = l10n.t("yes" if table.removed else "no")
        if transcript.chatham_house:  # the guests counted, not named
            rows.append([table.table_id, table.name, table.seats, table.seated, removed])
            continue
        for guest in table.guests or [""]:
            rows.append([table.table_id, table.name, table.seats, guest, removed])
    guest = "col_seated" if transcript.chatham_house else "col_guest"
    return _table(l10n, ["col_table", "col_table_name", "col_seats", guest, "col_removed"], rows)


def warnings_csv(transcript: Transcript, l10n: Localizer) -> bytes:
    """Chatham House rule: the participants' names found inside the texts."""
    titles = {r.position: r.title for r in transcript.rounds}
    rows: list[list[str | int]] = [
        [
            "" if w.round is None else str(w.round),
            l10n.t("lobby_short") if w.round is None else titles.get(w.round, ""),
            warning_place(w, transcript, l10n),
            w.item_id or "",
            w.found,
        ]
        for w in transcript.name_warnings
    ]
    return _table(l10n, ["col_round", "col_round_title", "col_where", "col_id", "col_name_found"], rows)


def syntheses_csv(transcript: Transcript, l10n: Localizer) -> bytes:
    """Issue 13: each table's synthesis of each round, attributed to the table."""
    rows: list[list[str | int]] = []
    for r in transcript.rounds:
        for x in r.syntheses:
            rows.append([str(r.position), r.title, x.table_id, x.table_name, l10n.timestamp(x.at), x.text])
    header = ["col_round", "col_round_title", "col_table", "col_table_name", "col_time", "col_text"]
    return _table(l10n, header, rows)


def poll_tables_csv(transcript: Transcript, l10n: Localizer) -> bytes:
    """Issue 13: closed polls' results by table (k ≥ 3; table empty: the other tables)."""
    rows: list[list[str | int]] = []
    for position, title, section in _sections(transcript, l10n):
        for poll in section.polls:
            for group in poll.by_table:
                name = group.table_name if group.table_id is not None else l10n.t("other_tables")
                for number, option in enumerate(group.options, start=1):
                    rows.append(
                        [
                            position,
                            title,
                            poll.poll_id,
                            group.table_id or "",
                            name or "",
                            group.voters,
                            number,
                            option.label,
                            option.count,
                            l10n.number(option.percent),
                        ]
                    )
    header = [
        "col_round",
        "col_round_title",
        "col_poll",
        "col_table",
        "col_table_name",
        "col_table_voters",
        "col_option_no",
        "col_option",
        "col_count",
        "col_percent",
    ]
    return _table(l10n, header, rows)


def notes_csv(transcript: Transcript, l10n: Localizer) -> bytes:
    """The moderators' notes; under the Chatham House rule, without the author column."""
    if transcript.chatham_house:
        plain: list[list[str | int]] = [
            [n.note_id, l10n.timestamp(n.at), n.text] for n in transcript.notes or []
        ]
        return _table(l10n, ["col_id", "col_time", "col_note"], plain)
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
            ("speaking.csv", speaking_csv(transcript, l10n)),
            ("tables.csv", tables_csv(transcript, l10n)),
            ("syntheses.csv", syntheses_csv(transcript, l10n)),
            ("poll_tables.csv", poll_tables_csv(transcript, l10n)),
            ("shifts.csv", shifts_csv(transcript, l10n)),
        ]
        if transcript.notes is not None:  # the organiser asked for them
            members.append(("notes.csv", notes_csv(transcript, l10n)))
        if transcript.chatham_house:
            members.append(("warnings.csv", warnings_csv(transcript, l10n)))
        for name, content in members:
            info = zipfile.ZipInfo(name, date_time=stamp)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            archive.writestr(info, content)
    return buffer.getvalue()
