"""The server's subcommands of ``convive``: serve, protocol, export.

``convive.cli`` composes them with the client's; this package never imports
the client (an import contract checks it).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import logging
import os
import signal
import ssl
import sys
from typing import TYPE_CHECKING

from server.addresses import EVERY_INTERFACE, LOOPBACK_NAMES, guest_hosts, url_for
from server.app import DebateServer, ServerSettings
from server.cli_text import CliText
from server.debate import DebateService
from server.plan import PlanError, load_plan, read_plan, sync_guests
from server.storage import DEFAULT_DEBATE, StoreError, is_postgres_url, valid_slug
from shared import protocol
from shared.joinlink import http_url_of, join_link
from shared.language import LANGS, Lang, default_language

if TYPE_CHECKING:
    from server.export import Transcript

log = logging.getLogger("convive")


def common_options() -> argparse.ArgumentParser:
    """The options every subcommand takes (the parent of each subparser)."""
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument(
        "--log-level", default="info", choices=["debug", "info", "warning", "error"]
    )
    return common


def add_subcommands(
    commands: argparse._SubParsersAction,  # type: ignore[type-arg]
    common: argparse.ArgumentParser,
) -> None:
    serve = commands.add_parser("serve", help="run the debate server", parents=[common])
    serve.add_argument(
        "--db",
        default="convive.db",
        help="the log: a SQLite file (default: ./convive.db), or postgresql://user@host:port/dbname "
        "to share it between several convive processes",
    )
    _debate_option(serve)
    serve.add_argument("--host", default="127.0.0.1", help="address to listen on (0.0.0.0: all)")
    serve.add_argument("--port", type=int, default=8765)
    serve.add_argument(
        "--public-url",
        help="the address guests use (ws:// or wss://), shown in the banner and on the projector "
        "(default: this machine's first network address with --host 0.0.0.0)",
    )
    serve.add_argument("--lang", choices=LANGS, help="language of the messages (default: from the locale)")
    serve.add_argument("--title", help="title of a new debate")
    serve.add_argument("--plan", help="TOML plan of rounds and polls, loaded into a new debate")
    serve.add_argument(
        "--join-code",
        default=os.environ.get("CONVIVE_JOIN_CODE"),
        help="join code (env CONVIVE_JOIN_CODE; default: generated once)",
    )
    serve.add_argument(
        "--moderator-key",
        default=os.environ.get("CONVIVE_MODERATOR_KEY"),
        help="moderator key (env CONVIVE_MODERATOR_KEY; default: generated once)",
    )
    serve.add_argument(
        "--durability",
        choices=["normal", "full"],
        default="normal",
        help="normal: survives a crash of the process; full: also a power loss (slower)",
    )
    serve.add_argument(
        "--hide-moderator-key",
        action="store_true",
        help="do not print the moderator key (when stdout goes to a log, e.g. under systemd; "
        "set it with --moderator-key or CONVIVE_MODERATOR_KEY)",
    )
    serve.add_argument(
        "--origin",
        action="append",
        default=[],
        metavar="ORIGIN",
        help="another origin whose pages may open the websocket, e.g. https://debate.example.org "
        "(repeatable; the guest page's own origin is always allowed)",
    )
    tls = serve.add_argument_group("TLS (wss://); or leave TLS to a reverse proxy")
    tls.add_argument("--certfile", help="PEM certificate chain: serve wss:// (with --keyfile)")
    tls.add_argument("--keyfile", help="PEM private key of --certfile")
    limits_ = serve.add_argument_group("limits (defaults suit a dinner of a hundred guests)")
    d = ServerSettings()
    limits_.add_argument(
        "--ping-interval", type=float, default=d.ping_interval, metavar="S",
        help=f"keepalive ping every S seconds (default {d.ping_interval:g})",
    )
    limits_.add_argument(
        "--ping-timeout", type=float, default=d.ping_timeout, metavar="S",
        help=f"drop a peer whose pong is S seconds late (default {d.ping_timeout:g})",
    )
    limits_.add_argument(
        "--close-timeout", type=float, default=d.close_timeout, metavar="S",
        help=f"wait S seconds for a closing peer (default {d.close_timeout:g})",
    )
    limits_.add_argument(
        "--backlog-cap", type=int, default=d.backlog_cap_bytes, metavar="BYTES",
        help="close (code 4008) a client whose unsent backlog passes BYTES "
        f"(default {d.backlog_cap_bytes})",
    )
    limits_.add_argument(
        "--command-burst", type=int, default=d.command_burst, metavar="N",
        help=f"commands of any kind a guest may send at once (default {d.command_burst})",
    )
    limits_.add_argument(
        "--command-rate", type=float, default=d.command_per_second, metavar="PER_S",
        help=f"then this many per second on average (default {d.command_per_second:g})",
    )
    limits_.add_argument(
        "--chat-burst", type=int, default=d.chat_burst, metavar="N",
        help=f"chat messages a guest may send at once (default {d.chat_burst})",
    )
    limits_.add_argument(
        "--chat-rate", type=float, default=d.chat_per_second, metavar="PER_S",
        help=f"then this many per second on average (default {d.chat_per_second:g})",
    )
    limits_.add_argument(
        "--question-burst", type=int, default=d.question_burst, metavar="N",
        help=f"questions a guest may send at once (default {d.question_burst})",
    )
    limits_.add_argument(
        "--question-rate", type=float, default=d.question_per_second, metavar="PER_S",
        help=f"then this many per second on average (default {d.question_per_second:g})",
    )
    limits_.add_argument(
        "--hello-failures-burst", type=int, default=d.hello_failures_burst, metavar="N",
        help=f"failed hellos (wrong code or key) per address at once (default {d.hello_failures_burst})",
    )
    limits_.add_argument(
        "--hello-failures-rate", type=float, default=d.hello_failures_per_second, metavar="PER_S",
        help=f"then this many per second (default {d.hello_failures_per_second:g})",
    )
    limits_.add_argument(
        "--debate-hello-failures-burst", type=int, default=d.debate_hello_failures_burst, metavar="N",
        help="failed hellos of all addresses together at once "
        f"(default {d.debate_hello_failures_burst})",
    )
    limits_.add_argument(
        "--debate-hello-failures-rate", type=float, default=d.debate_hello_failures_per_second,
        metavar="PER_S", help=f"then this many per second (default {d.debate_hello_failures_per_second:g})",
    )
    limits_.add_argument(
        "--max-connections-per-address", type=int, default=d.max_connections_per_address, metavar="N",
        help="connections one address may hold, said hello or not; more get HTTP 503 "
        f"too_many_connections (default {d.max_connections_per_address}: a venue NAT of 40 guests)",
    )
    limits_.add_argument(
        "--max-connections-per-guest", type=int, default=d.max_connections_per_participant, metavar="N",
        help="connections one guest may hold; a newer one closes the oldest with code 4009 "
        f"(default {d.max_connections_per_participant})",
    )
    limits_.add_argument(
        "--guest-hello-burst", type=int, default=d.participant_hello_burst, metavar="N",
        help=f"reconnections (resumes) of one guest at once (default {d.participant_hello_burst})",
    )
    limits_.add_argument(
        "--guest-hello-rate", type=float, default=d.participant_hellos_per_second, metavar="PER_S",
        help="then this many per second; more get too_many_hellos "
        f"(default {d.participant_hellos_per_second:g})",
    )
    limits_.add_argument(
        "--replay-chunk", type=int, default=d.replay_chunk_events, metavar="EVENTS",
        help="build a resuming guest's replay this many events at a time, letting others "
        f"through in between (default {d.replay_chunk_events})",
    )
    limits_.add_argument(
        "--presence-count-rate", type=float, default=d.presence_count_frames_per_second,
        metavar="FRAMES_PER_S",
        help="guests' presence count frames per second in all: a large room gets the count "
        f"less often (default {d.presence_count_frames_per_second:g})",
    )
    joins = serve.add_argument_group(
        "new guests (the join code is on the projector: anyone in the room can use it)"
    )
    joins.add_argument(
        "--invite-only", action="store_true",
        help="only the personal codes of the plan's [[guests]] join someone new; the shared join "
        "code then joins nobody new (the projector, the moderator and returning guests are unaffected)",
    )
    joins.add_argument(
        "--join-burst", type=int, default=d.join_burst, metavar="N",
        help="new guests one address may make at once with the shared join code "
        f"(default {d.join_burst}: a room of 40 behind one NAT)",
    )
    joins.add_argument(
        "--join-rate", type=float, default=d.join_per_second, metavar="PER_S",
        help=f"then this many per second; more get too_many_joins (default {d.join_per_second:g})",
    )
    joins.add_argument(
        "--debate-join-rate", type=int, default=d.debate_joins_per_minute, metavar="PER_MIN",
        help="new guests per minute with the shared join code, all addresses together, until "
        f"a moderator sets another rate (set_join_rate) (default {d.debate_joins_per_minute})",
    )
    limits_.add_argument(
        "--trust-forwarded-for", action="store_true",
        help="behind a reverse proxy: take the client's address from X-Forwarded-For "
        "(for the hello limit and the log); only when every connection comes through the proxy",
    )
    serve.set_defaults(run=run_serve)

    proto = commands.add_parser(
        "protocol", help="print the JSON Schema of the wire protocol", parents=[common]
    )
    proto.set_defaults(run=run_protocol)

    export = commands.add_parser(
        "export",
        help="export the transcript of a debate (finished or still running)",
        description="Export the transcript: md and json go to stdout, html and csv (a zip) "
        "to a file named after the debate, unless --out says otherwise ('-': stdout). "
        "--report: the organiser's one-to-two-page report instead (md or html). "
        "--chatham-house: no one's name, in the report or the transcript, any format.",
        parents=[common],
    )
    export.add_argument(
        "--db",
        default="convive.db",
        help="the log: a SQLite file (default: ./convive.db), or postgresql://user@host:port/dbname "
        "to share it between several convive processes",
    )
    _debate_option(export)
    export.add_argument("--format", choices=["md", "html", "json", "csv"], default="md")
    export.add_argument("--out", help="file to write ('-' for stdout)")
    export.add_argument(
        "--lang", choices=LANGS, help="language of the export and messages (default: from the locale)"
    )
    export.add_argument(
        "--tz", help="time zone of the times shown, e.g. Europe/Paris (default: this machine's)"
    )
    export.add_argument(
        "--report",
        action="store_true",
        help="the organiser's report (the evening in numbers, each round's syntheses, top questions "
        "and polls, the questions left unanswered, speaking time per table): md or html only",
    )
    export.add_argument(
        "--chatham-house",
        action="store_true",
        help="the Chatham House rule: no participant's name anywhere (moderators included), texts "
        "unattributed, a count instead of the guest list; names found inside the texts are listed "
        "as warnings (in the export and on stderr)",
    )
    export.add_argument(
        "--schema",
        action="store_true",
        help="print the JSON Schema of the json format and exit (with --chatham-house: of that export)",
    )
    export.add_argument(
        "--include-notes",
        action="store_true",
        help="add the moderators' notes to one another (left out by default)",
    )
    export.set_defaults(run=run_export)

    invitations = commands.add_parser(
        "invitations",
        help="print the guests' personal invitations (place cards or a CSV)",
        description="The personal code and join link of each guest of the plan ([[guests]]): "
        "html, a printable A4 page of place cards with a QR code each; csv, one row per guest "
        "for a mail merge. The codes are secrets: keep the output as private as the database.",
        parents=[common],
    )
    invitations.add_argument("--db", default="convive.db", help="SQLite database (default: ./convive.db)")
    invitations.add_argument("--format", choices=["html", "csv"], default="html")
    invitations.add_argument("--out", help="file to write (default: stdout)")
    invitations.add_argument(
        "--public-url",
        help="the address guests reach the server at (ws://, wss://, http:// or https://); "
        "default: the one the last `convive serve --host/--public-url` announced",
    )
    invitations.add_argument(
        "--plan",
        help="add the plan's guests first (creating the database if needed), e.g. to print the "
        "invitations before the evening; a running server takes new guests at its next start",
    )
    invitations.add_argument(
        "--lang", choices=LANGS, help="language of the cards (default: the plan's, else the locale)"
    )
    invitations.set_defaults(run=run_invitations)


def run_protocol(_args: argparse.Namespace) -> int:
    schema = {
        "client_to_server": protocol.client_frame_adapter.json_schema(),
        "server_to_client": protocol.server_frame_adapter.json_schema(),
    }
    print(json.dumps(schema, indent=2, ensure_ascii=False))
    return 0


def run_export(args: argparse.Namespace) -> int:
    from datetime import tzinfo
    from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

    from server.export import REPORT_FORMATS, export_database
    from server.export.json_ import json_schema
    from server.export.reader import ExportError

    if args.schema:
        schema = json_schema(chatham_house=args.chatham_house)
        return _write_stdout((json.dumps(schema, indent=2, ensure_ascii=False) + "\n").encode())
    lang = args.lang or default_language()
    text = CliText(lang)
    if args.report and args.format not in REPORT_FORMATS:
        print(text("report_format", format=args.format), file=sys.stderr)
        return 2
    tz: tzinfo | None = None
    if args.tz:
        try:
            tz = ZoneInfo(args.tz)
        except (ZoneInfoNotFoundError, ValueError):
            print(text("unknown_tz", tz=args.tz), file=sys.stderr)
            return 2
    try:
        transcript, rendered = export_database(
            args.db,
            args.format,
            lang,
            tz,
            args.debate,
            include_notes=args.include_notes,
            report=args.report,
            chatham_house=args.chatham_house,
        )
    except ExportError as error:
        print(text("error", error=text(f"export_error.{error.key}", **error.values)), file=sys.stderr)
        return 1
    _name_warnings(transcript, lang, text)
    out = args.out
    if out is None and args.format in ("md", "json"):
        out = "-"
    if out == "-":
        return _write_stdout(rendered.content)
    path = out or rendered.filename
    temporary = f"{path}.part"
    try:
        with open(temporary, "wb") as file:
            file.write(rendered.content)
        os.replace(temporary, path)
    except OSError as error:
        print(text("cannot_write", path=path, error=error.strerror), file=sys.stderr)
        return 1
    size = text.size(len(rendered.content))
    print(text("wrote", path=path, format=args.format, size=size), file=sys.stderr)
    return 0


def _name_warnings(transcript: Transcript, lang: Lang, text: CliText) -> None:
    """Chatham House rule: the names found in the texts, on stderr too (the editor may
    never open the warnings section)."""
    from server.export.i18n import Localizer
    from server.export.text import warning_where

    warnings = transcript.name_warnings
    if not warnings:
        return
    l10n = Localizer(lang)
    print(text.plural("names_found", len(warnings)), file=sys.stderr)
    for w in warnings:
        print(text("name_found", where=warning_where(w, transcript, l10n), found=w.found), file=sys.stderr)


def _debate_slug(value: str) -> str:
    if not valid_slug(value):
        raise argparse.ArgumentTypeError(
            f"invalid debate {value[:60]!r}: lower-case letters, digits and '-', 1 to 40 of them"
        )
    return value


def _debate_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--debate",
        type=_debate_slug,
        default=DEFAULT_DEBATE,
        help="which debate of a PostgreSQL database (default: default); each has its own join "
        "code, moderator key and log",
    )


def run_invitations(args: argparse.Namespace) -> int:
    from server.export.reader import ExportError
    from server.invitations import read_guest_list, render_csv, render_html

    text = CliText(args.lang or default_language())
    if is_postgres_url(args.db):
        print(text("error", error="convive invitations reads a SQLite file; with PostgreSQL, "
                   "give the plan to convive serve and print the invitations from a SQLite copy."),
              file=sys.stderr)
        return 2
    if args.plan:
        try:
            plan = read_plan(args.plan)
            service = DebateService.open(args.db, title=plan.title)
        except (PlanError, StoreError) as error:
            print(text("error", error=error), file=sys.stderr)
            return 1
        try:
            sync_guests(service.store, plan)
        finally:
            service.close()
    try:
        guests = read_guest_list(args.db)
    except ExportError as error:
        print(text("error", error=text(f"export_error.{error.key}", **error.values)), file=sys.stderr)
        return 1
    lang: Lang = args.lang or ("fr" if guests.meta.get("lang") == "fr" else None) or (
        "en" if guests.meta.get("lang") == "en" else default_language()
    )
    text = CliText(lang)
    if not guests.invitations:
        print(text("no_guests", path=args.db), file=sys.stderr)
        return 1
    public_url = args.public_url or guests.meta.get("public_url")
    if public_url is None:
        print(text("invitations_need_url"), file=sys.stderr)
        return 2
    if not public_url.startswith(("ws://", "wss://", "http://", "https://")):
        print(text("bad_invitation_url"), file=sys.stderr)
        return 2
    page = http_url_of(public_url)
    if args.format == "html":
        content = render_html(guests, page, lang).encode("utf-8")
    else:
        content = render_csv(guests, page, lang)
    if args.out is None or args.out == "-":
        return _write_stdout(content)
    temporary = f"{args.out}.part"
    try:
        with open(temporary, "wb") as file:
            file.write(content)
        os.replace(temporary, args.out)
    except OSError as error:
        print(text("cannot_write", path=args.out, error=error.strerror), file=sys.stderr)
        return 1
    print(text.plural("wrote_invitations", len(guests.invitations), path=args.out), file=sys.stderr)
    return 0


def _write_stdout(content: bytes) -> int:
    """Write bytes to stdout; a reader that stops early (``| head``) is no error."""
    try:
        sys.stdout.flush()
        sys.stdout.buffer.write(content)
        sys.stdout.buffer.flush()
    except BrokenPipeError:
        # Python would complain again when flushing stdout at exit.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0
    return 0


def run_serve(args: argparse.Namespace) -> int:
    from server.secrets_ import normalise_join_code, valid_join_code

    text = CliText(args.lang or default_language())
    join_code = normalise_join_code(args.join_code) if args.join_code else None
    if join_code is not None and not valid_join_code(join_code):
        print(text("bad_join_code"), file=sys.stderr)
        return 2
    if args.moderator_key is not None and len(args.moderator_key) < 22:
        print(text("short_key"), file=sys.stderr)
        return 2
    if args.public_url is not None and not args.public_url.startswith(("ws://", "wss://")):
        print(text("bad_public_url"), file=sys.stderr)
        return 2
    try:
        tls = _tls_context(args.certfile, args.keyfile)
    except ValueError as error:
        print(text("error", error=error), file=sys.stderr)
        return 2
    try:
        plan = read_plan(args.plan) if args.plan else None
        service = DebateService.open(
            args.db,
            debate=args.debate,
            title=args.title or (plan.title if plan else None),
            join_code=join_code,
            moderator_key=args.moderator_key,
            durability=args.durability,
        )
    except (PlanError, StoreError) as error:
        print(text("error", error=error), file=sys.stderr)
        return 1
    try:
        if plan is not None:
            # Guests first: inviting one more guest after the evening began is fine.
            sync_guests(service.store, plan)
            service.reload_invitations()
            if load_plan(service, plan):
                log.info("plan loaded: %d rounds and polls", len(plan.commands))
    except PlanError as error:
        print(text("error", error=error), file=sys.stderr)
        service.close()
        return 1
    try:
        asyncio.run(
            _serve(
                service,
                args.host,
                args.port,
                _settings(args),
                tls,
                args.hide_moderator_key,
                text=text,
                public_url=args.public_url,
            )
        )
    finally:
        service.close()
    return 0


def _settings(args: argparse.Namespace) -> ServerSettings:
    return ServerSettings(
        ping_interval=args.ping_interval,
        ping_timeout=args.ping_timeout,
        close_timeout=args.close_timeout,
        backlog_cap_bytes=args.backlog_cap,
        command_burst=args.command_burst,
        command_per_second=args.command_rate,
        chat_burst=args.chat_burst,
        chat_per_second=args.chat_rate,
        question_burst=args.question_burst,
        question_per_second=args.question_rate,
        hello_failures_burst=args.hello_failures_burst,
        hello_failures_per_second=args.hello_failures_rate,
        debate_hello_failures_burst=args.debate_hello_failures_burst,
        debate_hello_failures_per_second=args.debate_hello_failures_rate,
        max_connections_per_address=args.max_connections_per_address,
        max_connections_per_participant=args.max_connections_per_guest,
        participant_hello_burst=args.guest_hello_burst,
        participant_hellos_per_second=args.guest_hello_rate,
        replay_chunk_events=args.replay_chunk,
        presence_count_frames_per_second=args.presence_count_rate,
        trust_forwarded_for=args.trust_forwarded_for,
        origins=list(args.origin) or None,
        invite_only=args.invite_only,
        join_burst=args.join_burst,
        join_per_second=args.join_rate,
        debate_joins_per_minute=args.debate_join_rate,
    )


# Files the server holds besides its connections: the database and its WAL,
# the listening sockets, stdio, the logs, an export's reader thread.
RESERVED_FILES = 32


def raise_open_file_limit() -> int | None:
    """Raise the soft open-file limit to the hard one; return the limit now in force.

    Each connection holds a file descriptor: under the usual soft limit of 1,024,
    a thousand silent connections would lock every guest out. None where the
    platform has no such limit (Windows).
    """
    try:
        import resource
    except ImportError:
        return None
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if hard != soft:
        target = hard
        if hard == resource.RLIM_INFINITY:
            target = 1 << 20  # the kernel's usual ceiling (fs.nr_open)
        try:
            resource.setrlimit(resource.RLIMIT_NOFILE, (target, hard))
            soft = target
        except (ValueError, OSError) as error:
            log.warning("cannot raise the open-file limit from %d: %s", soft, error)
    return None if soft == resource.RLIM_INFINITY else int(soft)


def _tls_context(certfile: str | None, keyfile: str | None) -> ssl.SSLContext | None:
    """The server's TLS context, or None for plain ws://; raises ValueError."""
    if certfile is None and keyfile is None:
        return None
    if certfile is None or keyfile is None:
        raise ValueError("--certfile and --keyfile go together.")
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.minimum_version = ssl.TLSVersion.TLSv1_2
    try:
        context.load_cert_chain(certfile, keyfile)
    except ssl.SSLError as error:  # before OSError, of which it is a kind
        raise ValueError(f"the certificate and key do not fit together ({error.reason})") from error
    except OSError as error:
        raise ValueError(f"cannot read the certificate or key: {error.strerror or error}") from error
    return context


def projector_link(page: str, join_code: str, evening_lang: str | None) -> str:
    """The projector page's address: in the evening's language (the plan's ``lang``)
    when there is one, since the room's screen speaks to the room, not to the
    browser that happens to show it."""
    link = f"{page}screen?code={join_code}"
    return f"{link}&lang={evening_lang}" if evening_lang in LANGS else link


async def _serve(
    service: DebateService,
    host: str,
    port: int,
    settings: ServerSettings | None = None,
    tls: ssl.SSLContext | None = None,
    hide_key: bool = False,
    *,
    text: CliText | None = None,
    public_url: str | None = None,
) -> None:
    text = text or CliText(default_language())
    # Signals first: a SIGTERM as soon as the URL is printed must still close cleanly.
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for signum in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(signum, stop.set)
    open_files = raise_open_file_limit()
    server = DebateServer(service, settings or ServerSettings())
    try:
        await server.start(host, port, ssl=tls)
    except OSError as error:
        print(text("cannot_listen", host=host, port=port, error=error.strerror), file=sys.stderr)
        raise SystemExit(1) from error
    urls = (
        [public_url] if public_url else [url_for(h, server.port, tls is not None) for h in guest_hosts(host)]
    )
    if public_url or host not in LOOPBACK_NAMES:
        server.public_url = urls[0]  # the projector shows it, not the address it used itself
        # ``convive invitations`` prints links to it by default.
        service.store.set_meta("public_url", urls[0])
    shown_url = urls[0] if host not in LOOPBACK_NAMES or public_url else f"{urls[0]} {text('local_only')}"
    rows = [("url", shown_url)]
    if len(urls) > 1 and host in EVERY_INTERFACE:
        rows.append(("other_urls", ", ".join(urls[1:])))
    shown_key = text("key_hidden") if hide_key else service.moderator_key
    invited = len(service.invitations)
    invite_only = server.settings.invite_only
    rows += [
        ("join_code", service.join_code),
        ("moderator_key", shown_key),
        *(
            [("new_guests", text.plural("invite_only" if invite_only else "invited", invited))]
            if invited or invite_only
            else []
        ),
        ("database", text.plural("events", service.state.seq, path=service.store.location)),
    ]
    if open_files is not None:
        capacity = max(0, open_files - RESERVED_FILES)
        rows.append(("capacity", text("capacity_value", n=text.size(capacity), limit=text.size(open_files))))
    # The guest page and the projector page, on the same port (the QR code's link first).
    page = http_url_of(urls[0])
    rows += [
        ("guest_page", join_link(page, service.join_code)),
        ("projector_page", projector_link(page, service.join_code, service.store.get_meta("lang"))),
    ]
    print(text("title", title=service.state.title), flush=True)
    for line in text.banner(rows):
        print(line, flush=True)
    await stop.wait()
    log.info("stopping: closing connections with 1012")
    await server.stop(1012, "service restart")
