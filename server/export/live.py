"""The ``export_transcript`` command of a running server.

The export is built in a worker thread from its own read-only connection to the
database (the same path as ``convive export``), so a long export never stalls
the event loop, and it is a consistent snapshot at the seq the frame names.
"""

from __future__ import annotations

import asyncio
import base64
import logging
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from server.export import render
from server.export.model import build_transcript
from server.export.reader import ExportError, read_log
from server.storage import Store
from shared import protocol as p

log = logging.getLogger(__name__)


def build_frame(store: Store, command: p.ExportTranscript) -> p.TranscriptFrame:
    """The ``transcript`` frame for this command (blocking: run it in a thread)."""
    zone = ZoneInfo(command.tz) if command.tz else None  # checked by ``answer`` first
    events = read_log(*store.export_source()).events
    transcript = build_transcript(events, chatham_house=command.chatham_house)
    rendered = render(transcript, command.format, command.lang, zone, report=command.report)
    binary = rendered.binary
    return p.TranscriptFrame(
        id=command.id,
        seq=transcript.seq,
        format=command.format,
        filename=rendered.filename,
        encoding="base64" if binary else "utf-8",
        content=base64.b64encode(rendered.content).decode("ascii")
        if binary
        else rendered.content.decode("utf-8"),
    )


async def answer(store: Store, command: p.ExportTranscript) -> p.TranscriptFrame | p.Error:
    """The frame answering ``command``: a transcript, or an error to send instead."""
    if command.tz is not None:
        try:
            ZoneInfo(command.tz)
        except (ZoneInfoNotFoundError, ValueError):
            message = f"Unknown time zone {command.tz!r} (try Europe/Paris or UTC)."
            return p.Error(id=command.id, code="unknown_time_zone", message=message)
    try:
        return await asyncio.to_thread(build_frame, store, command)
    except ExportError as error:
        return p.Error(id=command.id, code="export_failed", message=str(error))
    except Exception:
        log.exception("export_transcript failed")
        return p.Error(id=command.id, code="internal_error", message="The export failed.")
