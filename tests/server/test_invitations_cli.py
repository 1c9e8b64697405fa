"""Issue 14, item 2: ``convive invitations`` prints place cards (html) or a mail-merge CSV."""

from __future__ import annotations

import asyncio
import csv
import io
from html.parser import HTMLParser
from pathlib import Path

import pytest

from convive.cli import main
from server.debate import DebateService
from server.invitations import read_guest_list
from tests import logscan
from tests.server.process import ServeProcess
from tests.server.test_banner import _free_port
from tests.wire import WireClient

PLAN = """
title = "L'IA <script>alert(1)</script>"
lang = "fr"

[[guests]]
name = "Alice Martin"
table = "7"

[[guests]]
name = "Bob <b>Durand</b> & fils"

[[guests]]
name = "=HYPERLINK(\\"http://evil\\")"
table = "+33"
""" + "".join(f'\n[[guests]]\nname = "Invité {n}"\n' for n in range(6))

URL = "http://192.168.1.20:8765/"


class Cards(HTMLParser):
    """The place cards of the page: each card's text and links; the page's styles."""

    def __init__(self) -> None:
        super().__init__()
        self.cards: list[dict[str, object]] = []
        self.style = ""
        self.lang: str | None = None
        self.sheets = 0
        self._in_style = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = dict(attrs)
        if tag == "html":
            self.lang = attributes.get("lang")
        if tag == "style":
            self._in_style = True
        if tag == "section" and attributes.get("class") == "sheet":
            self.sheets += 1
        if tag == "article":
            self.cards.append({"text": "", "links": [], "svg": 0})
        if self.cards and tag == "a":
            self.cards[-1]["links"].append(attributes.get("href"))  # type: ignore[attr-defined]
        if self.cards and tag == "svg":
            self.cards[-1]["svg"] += 1  # type: ignore[operator]

    def handle_endtag(self, tag: str) -> None:
        if tag == "style":
            self._in_style = False

    def handle_data(self, data: str) -> None:
        if self._in_style:
            self.style += data
        elif self.cards:
            self.cards[-1]["text"] += data  # type: ignore[operator]


@pytest.fixture
def plan(tmp_path: Path) -> Path:
    path = tmp_path / "plan.toml"
    path.write_text(PLAN, encoding="utf-8")
    return path


def _codes(db_path: Path) -> dict[str, str]:
    service = DebateService.open(db_path)
    codes = {invitation.name: invitation.code for invitation in service.invitations}
    service.close()
    for code in codes.values():
        logscan.remember(code)
    return codes


def test_html_place_cards(
    db_path: Path, plan: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "cards.html"
    args = ["invitations", "--db", str(db_path), "--plan", str(plan), "--public-url", URL, "--out", str(out)]
    assert main(args) == 0
    assert "9 invitations écrites" in capsys.readouterr().err.replace("\u00a0", " ")
    codes = _codes(db_path)
    page = out.read_text(encoding="utf-8")
    assert "<script>" not in page and "<b>" not in page  # user text is escaped
    parser = Cards()
    parser.feed(page)
    assert parser.lang == "fr"
    assert "@page" in parser.style and "A4" in parser.style
    assert len(parser.cards) == 9 and parser.sheets == 2  # eight cards per A4 page
    by_name = {}
    for card in parser.cards:
        assert card["svg"] == 1
        links: list[str] = card["links"]  # type: ignore[assignment]
        (link,) = links
        by_name[next(name for name, code in codes.items() if link == f"{URL}j/{code}")] = card
    alice = str(by_name["Alice Martin"]["text"])
    assert "Alice Martin" in alice and "Table\u00a0: 7" in alice
    assert "L'IA <script>alert(1)</script>" in alice  # the title, as text
    code = codes["Alice Martin"]
    assert f"{code[:5]}-{code[5:]}" in alice
    assert "Bob <b>Durand</b> & fils" in str(by_name["Bob <b>Durand</b> & fils"]["text"])
    assert "Table" not in str(by_name["Bob <b>Durand</b> & fils"]["text"])
    # The same command again: the same codes, nothing added.
    assert main(args) == 0
    assert _codes(db_path) == codes


def test_csv_for_a_mail_merge(db_path: Path, plan: Path, capsysbinary: pytest.CaptureFixture[bytes]) -> None:
    args = [
        "invitations",
        "--db",
        str(db_path),
        "--plan",
        str(plan),
        "--format",
        "csv",
        "--public-url",
        "wss://debat.example.org/",
        "--lang",
        "en",
    ]
    assert main(args) == 0
    content = capsysbinary.readouterr().out
    assert content.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(content.decode("utf-8-sig"))))
    codes = _codes(db_path)
    assert rows[0] == ["name", "table", "code", "link"]
    assert len(rows) == 10
    assert rows[1] == [
        "Alice Martin",
        "7",
        codes["Alice Martin"],
        f"https://debat.example.org/j/{codes['Alice Martin']}",
    ]
    # Formula injection: a cell never starts a formula.
    assert rows[3][:2] == ['\'=HYPERLINK("http://evil")', "'+33"]


def test_french_csv_uses_semicolons(
    db_path: Path, plan: Path, capsysbinary: pytest.CaptureFixture[bytes]
) -> None:
    assert (
        main(
            ["invitations", "--db", str(db_path), "--plan", str(plan), "--format", "csv", "--public-url", URL]
        )
        == 0
    )
    first = capsysbinary.readouterr().out.decode("utf-8-sig").splitlines()[0]
    assert first == "nom;table;code;lien"


def test_refusals(db_path: Path, plan: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["invitations", "--db", str(tmp_path / "none.db"), "--lang", "en"]) == 1
    assert "no such file" in capsys.readouterr().err
    DebateService.open(db_path).close()
    assert main(["invitations", "--db", str(db_path), "--lang", "en", "--public-url", URL]) == 1
    assert "has no guests" in capsys.readouterr().err
    assert main(["invitations", "--db", str(db_path), "--plan", str(plan), "--lang", "en"]) == 2
    assert "--public-url" in capsys.readouterr().err
    assert main(["invitations", "--db", str(db_path), "--lang", "en", "--public-url", "ftp://x/"]) == 2
    _codes(db_path)


def test_the_public_url_of_the_last_serve_is_the_default(
    db_path: Path, plan: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    service = DebateService.open(db_path)
    service.store.set_meta("public_url", "wss://debat.example.org/")  # as convive serve records it
    service.close()
    assert main(["invitations", "--db", str(db_path), "--plan", str(plan), "--format", "csv"]) == 0
    codes = _codes(db_path)
    assert f"https://debat.example.org/j/{codes['Alice Martin']}" in capsys.readouterr().out


async def test_convive_serve_invites_the_plans_guests(
    db_path: Path, plan: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The real command: --plan gives the guests their codes, --invite-only keeps the room's
    code from making anyone new, and the cards then point at the announced address."""
    port = _free_port()
    serve = await asyncio.to_thread(
        ServeProcess.start,
        db_path,
        "--plan",
        str(plan),
        "--invite-only",
        "--host",
        "0.0.0.0",
        "--public-url",
        "wss://debat.example.org/",
        "--port",
        str(port),
    )
    try:
        assert serve.process.stdout is not None
        row = await asyncio.to_thread(serve.process.stdout.readline)
        assert "new guests" in row and "by invitation only (9 personal invitations)" in row
        codes = {i.name: i.code for i in read_guest_list(db_path).invitations}
        for code in codes.values():
            logscan.remember(code)
        local = f"ws://127.0.0.1:{port}/"
        alice = await WireClient.join(local, role="participant", join_code=codes["Alice Martin"])
        assert alice.welcome is not None and alice.welcome["name"] == "Alice Martin"
        stranger = await WireClient.open(local)
        refused = await stranger.hello(role="participant", join_code=serve.join_code, name="Stranger")
        assert refused["code"] == "invite_only"
        for client in (alice, stranger):
            await client.close()
    finally:
        assert await asyncio.to_thread(serve.terminate) == 0
    capsys.readouterr()
    assert main(["invitations", "--db", str(db_path), "--format", "csv"]) == 0
    assert f"https://debat.example.org/j/{codes['Alice Martin']}" in capsys.readouterr().out
