"""The client's subcommands: ``convive join``, ``convive moderate``, ``convive screen``.

Registered by ``convive.cli`` (the one ``convive`` script) next to the server's;
Textual itself loads only in ``run_client``, so that the server never loads it.
"""

from __future__ import annotations

import argparse
import os
import ssl
import sys

from client.i18n import LANGUAGES
from client.zones import zone_named

KEY_VARIABLE = "CONVIVE_MODERATOR_KEY"


def add_subcommands(
    commands: argparse._SubParsersAction,  # type: ignore[type-arg]
    common: argparse.ArgumentParser,
) -> None:
    lang = argparse.ArgumentParser(add_help=False)
    lang.add_argument("--lang", choices=LANGUAGES, help="interface language (default: from the locale)")
    lang.add_argument(
        "--cafile",
        help="for a wss:// URL: trust this CA or self-signed certificate (PEM) besides the system's",
    )

    join = commands.add_parser(
        "join",
        help="join a debate as a guest",
        description="Join a debate as a guest. Your identity (and the secrets of your anonymous "
        "questions) is kept per server in $CONVIVE_DATA_DIR, or else the user data directory "
        "(~/.local/share/convive on Linux), so joining again rejoins as the same person.",
        parents=[common, lang],
    )
    join.add_argument("url", help="the server's websocket URL, e.g. ws://host:8765/")
    join.add_argument("--code", help="the join code (asked if missing)")
    join.add_argument(
        "--name",
        help="your display name (asked if missing); rejoins as the identity saved under that name "
        "on this machine, or as someone new if none is",
    )
    join.add_argument(
        "--new", action="store_true", help="join as someone new, even if an identity is saved for this server"
    )
    join.set_defaults(run=run_client, role="participant")

    moderate = commands.add_parser("moderate", help="moderate a debate", parents=[common, lang])
    moderate.add_argument("url", help="the server's websocket URL")
    moderate.add_argument(
        "--key", help=f"the moderator key (or env {KEY_VARIABLE}; asked if missing, never shown)"
    )
    moderate.add_argument(
        "--tz",
        help="time zone of the times shown and exported, e.g. Europe/Paris (default: this machine's)",
    )
    moderate.set_defaults(run=run_client, role="moderator")

    screen = commands.add_parser("screen", help="the projector view of a debate", parents=[common, lang])
    screen.add_argument("url", help="the server's websocket URL")
    screen.add_argument("--code", help="the join code (asked if missing)")
    screen.add_argument("--public-url", help="the URL shown to the room (default: URL)")
    screen.set_defaults(run=run_client, role="screen")


def run_client(args: argparse.Namespace) -> int:
    import logging

    from client.app import ConviveApp

    # Checked before the screen takes over, so the error is a plain line.
    try:
        ssl_context = tls_context(args.url, args.cafile)
    except (OSError, ssl.SSLError, ValueError) as error:
        print(f"convive: {error}", file=sys.stderr)
        return 2
    zone_name = getattr(args, "tz", None)
    if zone_name is not None and zone_named(zone_name) is None:
        print(f"convive: unknown time zone {zone_name!r} (try Europe/Paris or UTC).", file=sys.stderr)
        return 2
    # Log lines would tear the full-screen interface: keep only the app's own.
    logging.getLogger().handlers.clear()
    logging.getLogger().addHandler(logging.NullHandler())
    key = None
    if args.role == "moderator":
        key = args.key or os.environ.get(KEY_VARIABLE)
    app = ConviveApp(
        args.url,
        args.role,
        join_code=getattr(args, "code", None),
        name=getattr(args, "name", None),
        moderator_key=key or None,
        lang=args.lang,
        join_url=getattr(args, "public_url", None),
        ssl_context=ssl_context,
        tz=zone_named(zone_name) if zone_name else None,
        export_zone=zone_name,
        new_identity=getattr(args, "new", False),
    )
    app.run()
    return 0


def tls_context(url: str, cafile: str | None) -> ssl.SSLContext | None:
    """The TLS context for a wss:// URL: the system's CAs, plus ``cafile`` if given."""
    if cafile is None:
        return None
    if not url.startswith("wss://"):
        raise ValueError("--cafile goes with a wss:// URL.")
    try:
        return ssl.create_default_context(cafile=cafile)
    except FileNotFoundError as error:
        raise ValueError(f"cannot read the CA file {cafile}.") from error
    except ssl.SSLError as error:
        raise ValueError(f"{cafile} is not a PEM certificate ({error.reason}).") from error
