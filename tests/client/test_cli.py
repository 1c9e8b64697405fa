"""The client's subcommands live in the one ``convive`` script, without loading Textual for the server."""

from __future__ import annotations

import logging
import subprocess
import sys
import zoneinfo
from pathlib import Path

import pytest

from client.app import ConviveApp
from client.zones import local_zone_name
from convive.cli import build_parser


def test_the_convive_parser_does_not_import_textual() -> None:
    code = (
        "import sys, convive.cli; convive.cli.build_parser(); "
        "assert 'textual' not in sys.modules, 'textual imported'"
    )
    subprocess.run([sys.executable, "-c", code], check=True)


def test_the_server_commands_do_not_import_the_client() -> None:
    code = (
        "import argparse, sys; from server import cli; "
        "cli.add_subcommands(argparse.ArgumentParser().add_subparsers(), cli.common_options()); "
        "loaded = sorted(m for m in sys.modules if m == 'client' or m.startswith('client.')); "
        "assert not loaded, loaded"
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


def test_the_local_time_zone_is_found_by_name(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("TZ", "Europe/Paris")
    assert local_zone_name() == "Europe/Paris"
    monkeypatch.delenv("TZ")
    link = tmp_path / "localtime"
    link.symlink_to(Path(zoneinfo.TZPATH[0]) / "Europe" / "Berlin")
    assert local_zone_name(link) == "Europe/Berlin"
    assert local_zone_name(tmp_path / "missing") is None


def test_moderate_refuses_an_unknown_time_zone(capsys: pytest.CaptureFixture[str]) -> None:
    args = build_parser().parse_args(["moderate", "ws://h:1/", "--tz", "Mars/Olympus_Mons"])
    assert args.run(args) == 2
    assert "unknown time zone 'Mars/Olympus_Mons'" in capsys.readouterr().err
