"""The ``convive`` script: the server's subcommands and the client's, in one parser.

This is the only package that may import both the server and the client; each
of them registers its own subcommands and never imports the other.
"""

from __future__ import annotations

import argparse
import logging
import sys
from collections.abc import Sequence

from client import cli as client_cli
from server import cli as server_cli


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
    common = server_cli.common_options()
    commands = parser.add_subparsers(dest="command", required=True)
    server_cli.add_subcommands(commands, common)
    # join, moderate and screen: argparse only here; Textual loads when one runs.
    client_cli.add_subcommands(commands, common)
    return parser


if __name__ == "__main__":
    sys.exit(main())
