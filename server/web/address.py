"""The address guests are given: one they can reach, never ``localhost``."""

from __future__ import annotations

import contextlib
import ipaddress
import socket

_EVERY_INTERFACE = ("", "0.0.0.0", "::")


def first_non_loopback_address() -> str | None:
    """This machine's address on its default route, else any non-loopback IPv4 one."""
    # A UDP "connect" sends nothing: it only asks the kernel which source address
    # it would use (192.0.2.1 is a documentation address, never reached).
    with contextlib.suppress(OSError), socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as probe:
        probe.connect(("192.0.2.1", 9))
        address = str(probe.getsockname()[0])
        if not ipaddress.ip_address(address).is_loopback and address != "0.0.0.0":
            return address
    with contextlib.suppress(OSError):
        for *_, sockaddr in socket.getaddrinfo(socket.gethostname(), None, socket.AF_INET):
            address = str(sockaddr[0])
            if not ipaddress.ip_address(address).is_loopback:
                return address
    return None


def guest_url(host: str, port: int, tls: bool, public_url: str | None = None) -> str:
    """``--public-url`` when given; else this server's own address, as guests reach it.

    Listening on every interface, that is the machine's network address, never
    ``localhost`` (which on a guest's phone is the phone).
    """
    if public_url:
        return public_url.rstrip("/") + "/"
    scheme = "https" if tls else "http"
    if host in _EVERY_INTERFACE:
        shown = first_non_loopback_address() or "127.0.0.1"
    elif _is_loopback(host):
        # Only this machine can connect anyway; "localhost" is the name certificates carry.
        shown = "localhost"
    else:
        shown = host
    if ":" in shown:  # an IPv6 address
        shown = f"[{shown}]"
    return f"{scheme}://{shown}:{port}/"


def _is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False
