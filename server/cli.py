"""The ``convive`` command and its subcommands."""

from __future__ import annotations

import argparse
import asyncio
import json
import logging
import os
import signal
import sys
from collections.abc import Sequence

from server.app import DebateServer, ServerSettings
from server.debate import DebateService
from server.plan import PlanError, load_plan, read_plan
from server.store import StoreError
from shared import protocol

log = logging.getLogger("convive")


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    logging.basicConfig(
        level=getattr(logging, args.log_level.upper()),
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
    )
    result: int = args.run(args)
    return result


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="convive", description="Run a dinner debate.")
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument(
        "--log-level", default="info", choices=["debug", "info", "warning", "error"]
    )
    commands = parser.add_subparsers(dest="command", required=True)

    serve = commands.add_parser("serve", help="run the debate server", parents=[common])
    serve.add_argument("--db", default="convive.db", help="SQLite database (default: ./convive.db)")
    serve.add_argument("--host", default="127.0.0.1", help="address to listen on (0.0.0.0: all)")
    serve.add_argument("--port", type=int, default=8765)
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
    serve.set_defaults(run=run_serve)

    proto = commands.add_parser(
        "protocol", help="print the JSON Schema of the wire protocol", parents=[common]
    )
    proto.set_defaults(run=run_protocol)

    export = commands.add_parser(
        "export",
        help="export the transcript of a debate (finished or still running)",
        description="Export the transcript: md and json go to stdout, html and csv (a zip) "
        "to a file named after the debate, unless --out says otherwise ('-': stdout).",
        parents=[common],
    )
    export.add_argument("--db", default="convive.db", help="SQLite database (default: ./convive.db)")
    export.add_argument("--format", choices=["md", "html", "json", "csv"], default="md")
    export.add_argument("--out", help="file to write ('-' for stdout)")
    export.add_argument("--lang", choices=["fr", "en"], default="fr", help="language (default: fr)")
    export.add_argument(
        "--tz", help="time zone of the times shown, e.g. Europe/Paris (default: this machine's)"
    )
    export.add_argument(
        "--schema", action="store_true", help="print the JSON Schema of the json format and exit"
    )
    export.set_defaults(run=run_export)
    _add_client_commands(commands, common)
    return parser


def _add_client_commands(
    commands: argparse._SubParsersAction,  # type: ignore[type-arg]
    common: argparse.ArgumentParser,
) -> None:
    """join, moderate and screen: the Textual client, imported only when run."""
    from client.cli import add_subcommands  # argparse only; Textual loads in run_client

    add_subcommands(commands, common)


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

    from server.export import export_database
    from server.export.json_ import json_schema
    from server.export.reader import ExportError

    if args.schema:
        return _write_stdout((json.dumps(json_schema(), indent=2, ensure_ascii=False) + "\n").encode())
    tz: tzinfo | None = None
    if args.tz:
        try:
            tz = ZoneInfo(args.tz)
        except (ZoneInfoNotFoundError, ValueError):
            print(
                f"convive: unknown time zone {args.tz!r} (try Europe/Paris or UTC).",
                file=sys.stderr,
            )
            return 2
    try:
        seq, rendered = export_database(args.db, args.format, args.lang, tz)
    except ExportError as error:
        print(f"convive: {error}", file=sys.stderr)
        return 1
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
        print(f"convive: cannot write {path}: {error.strerror}", file=sys.stderr)
        return 1
    print(
        f"convive: wrote {path} ({args.format}, {len(rendered.content):,} bytes, up to event {seq})",
        file=sys.stderr,
    )
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

    join_code = normalise_join_code(args.join_code) if args.join_code else None
    if join_code is not None and not valid_join_code(join_code):
        print("convive: a join code is 6 characters from A-Z and 2-9, without O, I, L.", file=sys.stderr)
        return 2
    if args.moderator_key is not None and len(args.moderator_key) < 22:
        print("convive: a moderator key needs at least 22 characters (128 bits).", file=sys.stderr)
        return 2
    try:
        plan = read_plan(args.plan) if args.plan else None
        service = DebateService.open(
            args.db,
            title=args.title or (plan.title if plan else None),
            join_code=join_code,
            moderator_key=args.moderator_key,
            durability=args.durability,
        )
    except (PlanError, StoreError) as error:
        print(f"convive: {error}", file=sys.stderr)
        return 1
    try:
        if plan is not None and load_plan(service, plan):
            log.info("plan loaded: %d rounds and polls", len(plan.commands))
    except PlanError as error:
        print(f"convive: {error}", file=sys.stderr)
        service.close()
        return 1
    try:
        asyncio.run(_serve(service, args.host, args.port))
    finally:
        service.close()
    return 0


async def _serve(service: DebateService, host: str, port: int) -> None:
    server = DebateServer(service, ServerSettings())
    try:
        await server.start(host, port)
    except OSError as error:
        print(f"convive: cannot listen on {host}:{port}: {error.strerror}", file=sys.stderr)
        raise SystemExit(1) from error
    shown_host = "localhost" if host in ("127.0.0.1", "0.0.0.0", "::") else host
    print(f"convive: « {service.state.title} »", flush=True)
    print(f"  websocket URL : ws://{shown_host}:{server.port}/", flush=True)
    print(f"  join code     : {service.join_code}", flush=True)
    print(f"  moderator key : {service.moderator_key}", flush=True)
    print(f"  database      : {service.store.path} (seq {service.state.seq})", flush=True)
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for signum in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(signum, stop.set)
    await stop.wait()
    log.info("stopping: closing connections with 1012")
    await server.stop(1012, "service restart")


if __name__ == "__main__":
    sys.exit(main())
