"""Issue 15, the command line: ``--db postgresql://…`` and ``--debate`` for
serve and export, one-line errors, and a password that is never shown."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest

from convive.cli import main
from server.core import Actor
from server.debate import DebateService
from server.storage import StoreError, open_store, redacted_url
from shared import protocol as p
from tests.pgcluster import PASSWORD, Cluster


def run(capsys: pytest.CaptureFixture[bytes], *args: str) -> tuple[int, bytes, str]:
    code = main(list(args))
    captured = capsys.readouterr()
    return code, captured.out, captured.err.decode()


def test_export_reads_one_debate_of_a_postgres_database(
    pg_cluster: Cluster, capsysbinary: pytest.CaptureFixture[bytes]
) -> None:
    url = pg_cluster.new_database()
    for slug, text in (("mardi", "Bonsoir mardi"), ("jeudi", "Bonsoir jeudi")):
        service = DebateService.open(url, debate=slug, title=f"Débat {slug}")
        try:
            participant, _, _ = service.join("Alice", "participant")
            actor = Actor(participant.participant_id, "participant", "Alice")
            reply = service.execute(p.PostMessage(type="post_message", id="m", text=text), actor)
            assert isinstance(reply.reply, p.Ack)
        finally:
            service.close()
    code, out, err = run(capsysbinary, "export", "--db", url, "--debate", "mardi", "--format", "json")
    assert code == 0, err
    exported = json.loads(out)
    assert "Bonsoir mardi" in out.decode() and "Bonsoir jeudi" not in out.decode()
    assert exported["title"] == "Débat mardi"
    # A debate the database does not hold: one line, no traceback, no password.
    code, out, err = run(capsysbinary, "export", "--db", url, "--debate", "absent", "--format", "json")
    assert code == 1 and "not a convive database" in err and "Traceback" not in err
    assert PASSWORD not in err
    # A bad slug is refused before anything is read.
    with pytest.raises(SystemExit) as exit_:
        main(["export", "--db", url, "--debate", "Not a slug!"])
    assert exit_.value.code == 2
    assert "invalid debate" in capsysbinary.readouterr().err.decode()


def test_an_unreachable_database_is_one_line_without_the_password(
    capsysbinary: pytest.CaptureFixture[bytes],
) -> None:
    url = f"postgresql://someone:{PASSWORD}@127.0.0.1:1/nowhere"
    code, out, err = run(capsysbinary, "serve", "--db", url, "--lang", "en", "--port", "0")
    assert code == 1
    assert "cannot reach postgresql://someone:***@127.0.0.1:1/nowhere" in err
    assert PASSWORD not in err and PASSWORD not in out.decode()
    code, out, err = run(capsysbinary, "export", "--db", url)
    assert code == 1 and PASSWORD not in err and "Traceback" not in err
    # The invitations' cards read a SQLite file: said so, nothing done.
    code, out, err = run(capsysbinary, "invitations", "--db", url, "--lang", "en")
    assert code == 2 and "reads a SQLite file" in err and PASSWORD not in err


def test_debate_needs_postgres_and_a_valid_slug(tmp_path: Path) -> None:
    with pytest.raises(StoreError, match="needs a PostgreSQL database"):
        open_store(tmp_path / "d.db", debate="mardi")
    with pytest.raises(StoreError, match="lower-case letters"):
        open_store(tmp_path / "d.db", debate="x" * 41)
    assert not (tmp_path / "d.db").exists(), "nothing created"


def test_a_missing_driver_is_a_clear_error(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "psycopg", None)  # import psycopg fails
    monkeypatch.delitem(sys.modules, "server.pg.store", raising=False)
    with pytest.raises(StoreError, match=r"pip install 'convive\[postgres\]'"):
        open_store("postgresql://u@127.0.0.1:1/db")


def test_the_password_is_redacted_from_urls() -> None:
    assert redacted_url("postgresql://u:pw@h:5432/db") == "postgresql://u:***@h:5432/db"
    assert redacted_url("postgresql://u@h/db") == "postgresql://u@h/db"
    assert redacted_url("postgres://u:p%40ss@[::1]:5/db?sslmode=require").startswith(
        "postgres://u:***@[::1]:5/"
    )
