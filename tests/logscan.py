"""Everything the server logs during the whole test run, scanned for secrets.

A handler on the root logger at debug level keeps every record except the
test clients' own (``websockets.client`` quotes their hello frames, which is
the client's business, not the server's). Fixtures and ``WireClient`` register
each secret they meet: join codes, moderator keys, resume tokens, anonymous
question secrets. At the end of the session none may appear in the log.
"""

from __future__ import annotations

import logging

SECRETS: set[str] = set()


class _Capture(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.lines: list[str] = []
        self.setFormatter(logging.Formatter("%(levelname)s %(name)s: %(message)s"))

    def emit(self, record: logging.LogRecord) -> None:
        if record.name.startswith("websockets.client"):
            return
        try:
            self.lines.append(self.format(record))
        except Exception:  # a record that cannot be formatted is a bug elsewhere
            self.lines.append(f"UNFORMATTABLE {record.name}: {record.msg!r}")


_handler = _Capture()


def remember(secret: str | None) -> None:
    if secret:
        SECRETS.add(secret)


def install() -> None:
    root = logging.getLogger()
    root.addHandler(_handler)
    root.setLevel(logging.DEBUG)
    # The test clients' debug records are not scanned: do not even make them.
    logging.getLogger("websockets.client").setLevel(logging.INFO)


def uninstall() -> None:
    logging.getLogger().removeHandler(_handler)


def lines() -> list[str]:
    return list(_handler.lines)


def leaks(extra_lines: list[str] | None = None) -> list[tuple[str, str]]:
    """(secret, line) for every secret found in a captured line."""
    found = []
    for line in [*_handler.lines, *(extra_lines or [])]:
        for secret in SECRETS:
            if secret in line:
                found.append((secret, line))
    return found
