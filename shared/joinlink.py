"""The join link guests open from the QR code: ``<public URL>/j/<CODE>``."""

from __future__ import annotations

from urllib.parse import urlsplit

# QR codes' alphanumeric mode (denser than bytes) holds only these characters.
_QR_ALPHANUMERIC = frozenset("0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ $%*+-./:")


# A personal invitation code has 10 characters, the room's join code 6 (same
# alphabet): a client tells them apart by length, and asks no name for the former.
INVITATION_CODE_LENGTH = 10


def is_invitation_code(code: str) -> bool:
    """Whether a code as typed (dashes and spaces aside) is a personal invitation."""
    return len(code.strip().replace("-", "").replace(" ", "")) == INVITATION_CODE_LENGTH


def join_link(public_url: str, code: str) -> str:
    """The link as people read it (lower-case scheme and host)."""
    return f"{public_url.rstrip('/')}/j/{code.upper()}"


def join_link_for_qr(public_url: str, code: str) -> str:
    """The same link, upper-cased when that is still the same address.

    Scheme and host are case-insensitive and convive answers ``/J/CODE`` as
    ``/j/CODE``; an all-upper-case link fits QR's alphanumeric mode, which
    makes a smaller code that phones scan from further away. A public URL with
    a path of its own (a reverse proxy's prefix) keeps its case.
    """
    link = join_link(public_url, code)
    if urlsplit(public_url).path.strip("/"):
        return link
    upper = link.upper()
    return upper if set(upper) <= _QR_ALPHANUMERIC else link


def http_url_of(websocket_url: str) -> str:
    """``ws://host:port/`` -> ``http://host:port/`` (the page is on the same port)."""
    if websocket_url.startswith("wss://"):
        return "https://" + websocket_url[len("wss://") :]
    if websocket_url.startswith("ws://"):
        return "http://" + websocket_url[len("ws://") :]
    return websocket_url


def websocket_url_of(http_url: str) -> str:
    """``http://host:port/`` -> ``ws://host:port/`` (the terminal clients' address)."""
    if http_url.startswith("https://"):
        return "wss://" + http_url[len("https://") :]
    if http_url.startswith("http://"):
        return "ws://" + http_url[len("http://") :]
    return http_url
