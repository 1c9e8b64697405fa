"""The addresses guests can reach this server at, for the banner and the projector.

Listening on every interface (``0.0.0.0`` or ``::``) says nothing about where
guests should connect: ``localhost`` is this machine only. So the banner lists
the machine's own non-loopback addresses and puts the first forward; a
``--public-url`` (a name, a reverse proxy) overrides them all.
"""

from __future__ import annotations

import contextlib
import ipaddress
import itertools
import socket
from pathlib import Path

EVERY_INTERFACE = frozenset({"", "0.0.0.0", "::"})
LOOPBACK_NAMES = frozenset({"127.0.0.1", "::1", "localhost"})
# Documentation networks (RFC 5737, RFC 3849): "connecting" a UDP socket there
# sends nothing, and tells which local address the default route would use.
_PROBES = {socket.AF_INET: "192.0.2.1", socket.AF_INET6: "2001:db8::1"}


def _usable(text: str) -> str | None:
    try:
        address = ipaddress.ip_address(text.split("%", 1)[0])
    except ValueError:
        return None
    if address.is_loopback or address.is_link_local or address.is_unspecified or address.is_multicast:
        return None
    return str(address)


def _routed(family: socket.AddressFamily) -> list[str]:
    """The address the default route leaves from (the one guests most likely see)."""
    with contextlib.suppress(OSError), socket.socket(family, socket.SOCK_DGRAM) as probe:
        probe.connect((_PROBES[family], 9))
        return [str(probe.getsockname()[0])]
    return []


def _linux_ipv4() -> list[str]:
    """Every local IPv4 address, from the kernel's routing table (Linux only)."""
    found: list[str] = []
    with contextlib.suppress(OSError):
        lines = Path("/proc/net/fib_trie").read_text().splitlines()
        for previous, line in itertools.pairwise(lines):
            if line.strip() == "/32 host LOCAL":
                found.append(previous.split()[-1])
    return found


def _linux_ipv6() -> list[str]:
    found: list[str] = []
    with contextlib.suppress(OSError):
        for line in Path("/proc/net/if_inet6").read_text().splitlines():
            digits = line.split()[0]
            found.append(str(ipaddress.IPv6Address(int(digits, 16))))
    return found


def _by_name(family: socket.AddressFamily) -> list[str]:
    with contextlib.suppress(OSError):
        return [str(info[4][0]) for info in socket.getaddrinfo(socket.gethostname(), None, family)]
    return []


def local_addresses(ipv6: bool = False) -> list[str]:
    """This machine's non-loopback addresses, the default route's first."""
    candidates = _routed(socket.AF_INET) + _linux_ipv4() + _by_name(socket.AF_INET)
    if ipv6:
        candidates += _routed(socket.AF_INET6) + _linux_ipv6() + _by_name(socket.AF_INET6)
    found: list[str] = []
    for candidate in candidates:
        usable = _usable(candidate)
        if usable is not None and usable not in found:
            found.append(usable)
    return found


def guest_hosts(host: str) -> list[str]:
    """Where guests connect to a server listening on ``host``, best first."""
    if host in EVERY_INTERFACE:
        return local_addresses(ipv6=host == "::") or [socket.gethostname()]
    if host in LOOPBACK_NAMES:
        return ["localhost"]  # this machine only: the banner says so
    return [host]


def url_for(host: str, port: int, tls: bool) -> str:
    """ws://host:port/ (an IPv6 address in brackets)."""
    shown = f"[{host}]" if ":" in host else host
    return f"{'wss' if tls else 'ws'}://{shown}:{port}/"
