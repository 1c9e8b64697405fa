"""The time zone the moderator's exports use: the one given, or this machine's."""

from __future__ import annotations

import os
from pathlib import Path
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError


def zone_named(name: str) -> ZoneInfo | None:
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return None


def local_zone_name(localtime: Path = Path("/etc/localtime")) -> str | None:
    """This machine's IANA time zone name (Europe/Paris), or None when it cannot tell.

    From ``TZ`` when it names a zone, else from where ``/etc/localtime`` points
    (``…/zoneinfo/Europe/Paris``), as on Linux and macOS.
    """
    variable = os.environ.get("TZ", "").removeprefix(":")
    if variable and zone_named(variable) is not None:
        return variable
    try:
        target = str(localtime.resolve(strict=True))
    except OSError:
        return None
    _, found, name = target.partition("zoneinfo/")
    return name if found and zone_named(name) is not None else None
