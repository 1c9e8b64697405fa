"""Server time as it appears in events: ISO 8601, UTC, milliseconds."""

from datetime import UTC, datetime


def utc_now() -> str:
    return datetime.now(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")
