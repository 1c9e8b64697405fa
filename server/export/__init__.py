"""Transcript exports: a fold over the event log, rendered as md, html, json or csv.

``export_events(events, format, lang)`` is the whole pipeline; the CLI reads the
events from the database (``read_log``), the server from its own log.
"""

from __future__ import annotations

import gc
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import tzinfo
from pathlib import Path
from typing import Literal

from server.export.i18n import Lang, Localizer
from server.export.model import SCHEMA_VERSION, Transcript, build_transcript
from shared.events import EventBase

Format = Literal["md", "html", "json", "csv"]
FORMATS: tuple[Format, ...] = ("md", "html", "json", "csv")
_EXTENSIONS: dict[Format, str] = {"md": "md", "html": "html", "json": "json", "csv": "zip"}


@dataclass(frozen=True)
class Rendered:
    """One export: its suggested file name and its bytes."""

    format: Format
    filename: str
    content: bytes

    @property
    def binary(self) -> bool:
        """True for the csv zip; the other formats are UTF-8 text."""
        return self.format == "csv"


REPORT_FORMATS: tuple[Format, ...] = ("md", "html")


def render(
    transcript: Transcript, fmt: Format, lang: Lang = "fr", tz: tzinfo | None = None, *, report: bool = False
) -> Rendered:
    """``report``: the organiser's report (md or html only) rather than the transcript."""
    l10n = Localizer(lang, tz)
    content: bytes
    if report:
        content = _render_report(transcript, fmt, l10n)
    elif fmt == "md":
        from server.export.markdown import render_markdown

        content = render_markdown(transcript, l10n).encode()
    elif fmt == "html":
        from server.export.html import render_html

        content = render_html(transcript, l10n).encode()
    elif fmt == "json":
        from server.export.json_ import render_json

        content = render_json(transcript)
    elif fmt == "csv":
        from server.export.csv_ import render_csv_zip

        content = render_csv_zip(transcript, l10n)
    else:  # pragma: no cover - Literal
        raise ValueError(f"unknown format {fmt!r}")
    return Rendered(fmt, filename_for(transcript, fmt, l10n, report=report), content)


def _render_report(transcript: Transcript, fmt: Format, l10n: Localizer) -> bytes:
    from server.export.report import build_report

    if fmt == "md":
        from server.export.report_markdown import render_report_markdown

        return render_report_markdown(build_report(transcript), l10n).encode()
    if fmt == "html":
        from server.export.report_html import render_report_html

        return render_report_html(build_report(transcript), l10n).encode()
    raise ValueError(f"the report is a document to read: md or html, not {fmt!r}")


def export_events(
    events: Iterable[EventBase],
    fmt: Format,
    lang: Lang = "fr",
    tz: tzinfo | None = None,
    *,
    include_notes: bool = False,
    report: bool = False,
    chatham_house: bool = False,
) -> tuple[Transcript, Rendered]:
    """``include_notes``: the moderators' back-channel too (``--include-notes``)."""
    transcript = build_transcript(events, include_notes, chatham_house=chatham_house)
    return transcript, render(transcript, fmt, lang, tz, report=report)


def export_database(
    path: str | Path,
    fmt: Format,
    lang: Lang = "fr",
    tz: tzinfo | None = None,
    debate: str = "default",
    *,
    include_notes: bool = False,
    report: bool = False,
    chatham_house: bool = False,
) -> tuple[Transcript, Rendered]:
    """Read the log at ``path`` (a SQLite file or a PostgreSQL URL; ``debate``: which
    debate of a PostgreSQL database), a consistent snapshot, and render it: (transcript, export).

    Meant for a short-lived process (``convive export``): the cyclic garbage
    collector is paused meanwhile, as every object built here lives until the
    end (it would add about a third to the time at 100,000 events).
    """
    from server.export.reader import read_log

    enabled = gc.isenabled()
    gc.disable()
    try:
        snapshot = read_log(path, debate)
        transcript = build_transcript(snapshot.events, include_notes, chatham_house=chatham_house)
        return transcript, render(transcript, fmt, lang, tz, report=report)
    finally:
        if enabled:
            gc.enable()


def slug(text: str) -> str:
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")[:60].strip("-")


def filename_for(transcript: Transcript, fmt: Format, l10n: Localizer, *, report: bool = False) -> str:
    """``<title>-<date>.<ext>``, safe on any file system: diner-debat-2026-11-26.html;
    the report and the Chatham House rule say so: …-2026-11-26-rapport-chatham-house.html."""
    name = slug(transcript.title) or "convive"
    day = transcript.started_at or transcript.created_at
    if day is not None:
        name += "-" + l10n.local(day).strftime("%Y-%m-%d")
    if report:
        name += "-" + l10n.t("report_file")
    if transcript.chatham_house:
        name += "-" + l10n.t("chatham_file")
    return f"{name}.{_EXTENSIONS[fmt]}"


__all__ = [
    "FORMATS",
    "REPORT_FORMATS",
    "SCHEMA_VERSION",
    "Format",
    "Rendered",
    "Transcript",
    "build_transcript",
    "export_database",
    "export_events",
    "filename_for",
    "render",
]
