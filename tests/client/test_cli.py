"""The client's subcommands live in the one ``convive`` script, without loading Textual for the server."""

from __future__ import annotations

import logging
import subprocess
import sys
from pathlib import Path

import pytest

from client.app import ConviveApp
from server.cli import build_parser


def test_the_server_does_not_import_textual() -> None:
    code = (
        "import sys, server.cli; server.cli.build_parser(); "
        "assert 'textual' not in sys.modules, 'textual imported'"
    )
    subprocess.run([sys.executable, "-c", code], check=True)


def test_subcommands_parse(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("CONVIVE_DATA_DIR", str(tmp_path))
    # run_client silences the root logger (log lines would tear the screen): restore it after.
    monkeypatch.setattr(logging.getLogger(), "handlers", list(logging.getLogger().handlers))
    parser = build_parser()
    args = parser.parse_args(["join", "ws://h:1/", "--code", "ABC", "--name", "Ann", "--lang", "en"])
    assert (args.role, args.code, args.name, args.lang) == ("participant", "ABC", "Ann", "en")
    args = parser.parse_args(["screen", "ws://h:1/", "--code", "ABC"])
    assert args.role == "screen"
    monkeypatch.setenv("CONVIVE_MODERATOR_KEY", "from-the-environment-0123456789")
    args = parser.parse_args(["moderate", "ws://h:1/"])
    seen: dict[str, ConviveApp] = {}
    monkeypatch.setattr(ConviveApp, "run", lambda self: seen.setdefault("app", self))
    assert args.run(args) == 0
    app = seen["app"]
    assert app.role == "moderator"
    assert app.connection.moderator_key == "from-the-environment-0123456789"
