"""``convive export``: defaults, outputs and one-line errors (never a traceback)."""

from __future__ import annotations

import json
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from convive.cli import main
from server.store import SCHEMA_VERSION
from tests.export.conftest import GOLDEN


def run(capsys: pytest.CaptureFixture[bytes], *args: str) -> tuple[int, bytes, str]:
    code = main(["export", *args])
    captured = capsys.readouterr()
    return code, captured.out, captured.err.decode()


def _locale(monkeypatch: pytest.MonkeyPatch, lang: str) -> None:
    for variable in ("LC_ALL", "LC_MESSAGES", "LANGUAGE"):
        monkeypatch.delenv(variable, raising=False)
    monkeypatch.setenv("LANG", lang)


@pytest.fixture(autouse=True)
def english_locale(monkeypatch: pytest.MonkeyPatch) -> None:
    """The messages below are English unless a test says otherwise."""
    _locale(monkeypatch, "en_GB.UTF-8")


def test_markdown_to_stdout_by_default(
    fixture_db: Path, capsysbinary: pytest.CaptureFixture[bytes], monkeypatch: pytest.MonkeyPatch
) -> None:
    _locale(monkeypatch, "fr_FR.UTF-8")  # the language follows the locale, as the client's does
    code, out, err = run(capsysbinary, "--db", str(fixture_db), "--tz", "Europe/Paris")
    assert code == 0, err
    assert out == (GOLDEN / "fixture.fr.md").read_bytes()


def test_messages_follow_the_language(
    fixture_db: Path, tmp_path: Path, capsysbinary: pytest.CaptureFixture[bytes]
) -> None:
    target = tmp_path / "cr.html"
    code, _, err = run(
        capsysbinary, "--db", str(fixture_db), "--format", "html", "--out", str(target), "--lang", "fr"
    )
    assert code == 0
    assert "convive\u00a0: compte rendu écrit dans" in err and "octets" in err
    assert '<html lang="fr">' in target.read_text()
    code, _, err = run(capsysbinary, "--db", str(tmp_path / "missing.db"), "--lang", "fr")
    assert code == 1 and "ce fichier n'existe pas" in err
    code, _, err = run(capsysbinary, "--db", str(fixture_db), "--tz", "Mars/Olympus", "--lang", "fr")
    assert code == 2 and "fuseau horaire" in err


def test_json_to_stdout_and_english(fixture_db: Path, capsysbinary: pytest.CaptureFixture[bytes]) -> None:
    code, out, _ = run(capsysbinary, "--db", str(fixture_db), "--format", "json")
    assert code == 0
    assert out == (GOLDEN / "fixture.json").read_bytes()
    code, out, _ = run(capsysbinary, "--db", str(fixture_db), "--lang", "en", "--tz", "Europe/Paris")
    assert out == (GOLDEN / "fixture.en.md").read_bytes()


@pytest.mark.parametrize(("fmt", "ext"), [("html", "html"), ("csv", "zip")])
def test_html_and_csv_go_to_a_file_named_after_the_debate(
    fixture_db: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsysbinary: pytest.CaptureFixture[bytes],
    fmt: str,
    ext: str,
) -> None:
    monkeypatch.chdir(tmp_path)
    code, out, err = run(capsysbinary, "--db", str(fixture_db), "--format", fmt)
    assert code == 0, err
    assert out == b""
    written = tmp_path / f"club-dsi-l-ia-generative-et-apres-2026-11-26.{ext}"
    assert written.exists()
    assert str(written.name) in err and "wrote" in err
    assert not list(tmp_path.glob("*.part"))


def test_out_names_the_file(
    fixture_db: Path, tmp_path: Path, capsysbinary: pytest.CaptureFixture[bytes]
) -> None:
    target = tmp_path / "record.md"
    code, out, _ = run(
        capsysbinary, "--db", str(fixture_db), "--out", str(target), "--tz", "Europe/Paris", "--lang", "fr"
    )
    assert code == 0 and out == b""
    assert target.read_bytes() == (GOLDEN / "fixture.fr.md").read_bytes()


def test_schema(capsysbinary: pytest.CaptureFixture[bytes]) -> None:
    code, out, _ = run(capsysbinary, "--schema")
    assert code == 0
    schema = json.loads(out)
    assert "schema_version" in schema["properties"]


def _one_line_error(code: int, out: bytes, err: str) -> str:
    assert code != 0
    assert out == b""
    lines = err.strip().splitlines()
    assert len(lines) == 1, err
    assert "Traceback" not in err
    return lines[0]


def test_missing_file(tmp_path: Path, capsysbinary: pytest.CaptureFixture[bytes]) -> None:
    line = _one_line_error(*run(capsysbinary, "--db", str(tmp_path / "nope.db")))
    assert "no such file" in line
    assert not (tmp_path / "nope.db").exists()  # nothing created


def test_directory(tmp_path: Path, capsysbinary: pytest.CaptureFixture[bytes]) -> None:
    line = _one_line_error(*run(capsysbinary, "--db", str(tmp_path)))
    assert "not a file" in line


@pytest.mark.parametrize("content", [b"", b"hello, not a database" * 100])
def test_not_a_database(tmp_path: Path, capsysbinary: pytest.CaptureFixture[bytes], content: bytes) -> None:
    path = tmp_path / "notes.db"
    path.write_bytes(content)
    line = _one_line_error(*run(capsysbinary, "--db", str(path)))
    assert "not a convive database" in line
    assert path.read_bytes() == content  # untouched


def test_another_sqlite_database(tmp_path: Path, capsysbinary: pytest.CaptureFixture[bytes]) -> None:
    path = tmp_path / "other.db"
    with sqlite3.connect(path) as db:
        db.execute("CREATE TABLE meta (key TEXT, value TEXT)")
        db.execute("INSERT INTO meta VALUES ('owner', 'someone else')")
    line = _one_line_error(*run(capsysbinary, "--db", str(path)))
    assert "not a convive database" in line


def test_newer_schema(fixture_db: Path, tmp_path: Path, capsysbinary: pytest.CaptureFixture[bytes]) -> None:
    path = tmp_path / "future.db"
    path.write_bytes(fixture_db.read_bytes())
    with sqlite3.connect(path) as db:
        db.execute("UPDATE meta SET value = ? WHERE key = 'schema_version'", (str(SCHEMA_VERSION + 1),))
    db.close()
    line = _one_line_error(*run(capsysbinary, "--db", str(path)))
    assert "newer convive" in line


def test_unknown_time_zone(fixture_db: Path, capsysbinary: pytest.CaptureFixture[bytes]) -> None:
    line = _one_line_error(*run(capsysbinary, "--db", str(fixture_db), "--tz", "Mars/Olympus"))
    assert "time zone" in line


def test_unwritable_output(
    fixture_db: Path, tmp_path: Path, capsysbinary: pytest.CaptureFixture[bytes]
) -> None:
    line = _one_line_error(
        *run(capsysbinary, "--db", str(fixture_db), "--out", str(tmp_path / "no" / "dir" / "x.md"))
    )
    assert "cannot write" in line


def test_installed_command_exits_non_zero_without_traceback(tmp_path: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "convive.cli", "export", "--db", str(tmp_path / "missing.db")],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 1
    assert result.stdout == ""
    assert result.stderr.startswith("convive: ") and "Traceback" not in result.stderr
