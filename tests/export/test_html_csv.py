"""HTML (parses, self-contained, inert) and CSV (zip, BOM, quoting, no formulas)."""

from __future__ import annotations

import csv
import io
import zipfile
from html.parser import HTMLParser

import pytest

from server.export import export_events
from server.export.csv_ import neutralise
from server.export.i18n import Lang
from shared.events import EventBase
from tests.export.conftest import PARIS, check_golden
from tests.export.fixture import INJECTIONS

VOID = {"meta", "br", "hr", "img", "input", "link", "col", "area", "base", "source", "wbr"}


class Checker(HTMLParser):
    """Collects tags, attributes, text; checks that every element is closed in order."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.stack: list[str] = []
        self.tags: list[str] = []
        self.attributes: list[tuple[str, str, str | None]] = []
        self.text: list[str] = []
        self.style = ""
        self.errors: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)
        self.attributes.extend((tag, name, value) for name, value in attrs)
        if tag not in VOID:
            self.stack.append(tag)

    def handle_endtag(self, tag: str) -> None:
        if not self.stack or self.stack[-1] != tag:
            self.errors.append(f"unexpected </{tag}> with open {self.stack[-3:]}")
            return
        self.stack.pop()

    def handle_data(self, data: str) -> None:
        if self.stack and self.stack[-1] == "style":
            self.style += data
        else:
            self.text.append(data)


def parse(content: bytes) -> Checker:
    checker = Checker()
    checker.feed(content.decode())
    checker.close()
    return checker


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_html_golden(fixture_events: list[EventBase], lang: Lang) -> None:
    _, rendered = export_events(fixture_events, "html", lang, PARIS)
    check_golden(f"fixture.{lang}.html", rendered.content)
    assert rendered.filename.endswith(".html")


def test_html_parses_and_is_self_contained(fixture_events: list[EventBase]) -> None:
    _, rendered = export_events(fixture_events, "html", "fr", PARIS)
    page = parse(rendered.content)
    assert page.errors == [] and page.stack == []
    assert rendered.content.startswith(b"<!DOCTYPE html>")
    # No script anywhere, in any case, and no event handler attribute.
    assert "script" not in page.tags
    assert b"<script" not in rendered.content.lower()
    assert not [name for _, name, _ in page.attributes if name.startswith("on")]
    # No external reference: no src, links only to anchors in the page, no url() in CSS.
    for tag, name, value in page.attributes:
        assert name not in ("src", "srcset", "action", "data", "poster", "background"), tag
        if name == "href":
            assert value is not None and value.startswith("#")
        assert "//" not in (value or "") and "http" not in (value or ""), (tag, name)
    assert "url(" not in page.style and "@import" not in page.style and "//" not in page.style
    assert not [tag for tag in page.tags if tag in ("link", "img", "iframe", "object", "embed")]
    assert "@media print" in page.style
    # Nothing that looks like an address, anywhere (the only "http" is http-equiv).
    assert b"//" not in rendered.content
    assert rendered.content.count(b"http") == rendered.content.count(b"http-equiv") == 1


def test_html_user_text_is_text(fixture_events: list[EventBase]) -> None:
    _, rendered = export_events(fixture_events, "html", "fr", PARIS)
    page = parse(rendered.content)
    text = "".join(page.text)
    assert INJECTIONS["script"] in text  # shown as typed…
    assert "<script>alert(1)</script>" in text  # …names too
    assert "b" not in page.tags  # …and the <b> inside it is no element
    assert b"&lt;script&gt;" in rendered.content
    assert "[a](javascript:alert(1))" in text
    assert "javascript" not in " ".join(v or "" for _, _, v in page.attributes)


def test_html_poll_bars(fixture_events: list[EventBase]) -> None:
    _, rendered = export_events(fixture_events, "html", "fr", PARIS)
    widths = [v for tag, name, v in parse(rendered.content).attributes if name == "style"]
    assert widths[:3] == ["width:33.3%"] * 3
    assert widths[3:6] == ["width:100.0%", "width:50.0%", "width:0.0%"]


def _members(content: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        assert archive.testzip() is None
        return {name: archive.read(name) for name in archive.namelist()}


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_csv_golden(fixture_events: list[EventBase], lang: Lang) -> None:
    _, rendered = export_events(fixture_events, "csv", lang, PARIS)
    assert rendered.filename.endswith(".zip") and rendered.binary
    members = _members(rendered.content)
    assert list(members) == [
        "questions.csv",
        "polls.csv",
        "messages.csv",
        "speaking.csv",
        "tables.csv",
        "syntheses.csv",
        "poll_tables.csv",
        "shifts.csv",
    ]
    for name, content in members.items():
        assert content.startswith(b"\xef\xbb\xbf")  # UTF-8 BOM, for spreadsheets
        check_golden(f"fixture.{lang}.{name}", content)
    # The same events give the same zip, byte for byte.
    assert export_events(fixture_events, "csv", lang, PARIS)[1].content == rendered.content


def _rows(content: bytes, lang: Lang) -> list[list[str]]:
    text = content.decode("utf-8-sig")
    return list(csv.reader(io.StringIO(text), delimiter=";" if lang == "fr" else ","))


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_csv_rows(fixture_events: list[EventBase], lang: Lang) -> None:
    members = _members(export_events(fixture_events, "csv", lang, PARIS)[1].content)
    questions = _rows(members["questions.csv"], lang)
    # header + three in round 1 (the first with its two merged duplicates) + three in the lobby
    assert len(questions) == 1 + 6 + 2
    header = questions[0]
    kept = next(row for row in questions if row[7] == "Quel budget pour 2027 ?")
    variants = [row for row in questions if row[-2] == kept[2]]
    assert [row[7] for row in variants] == ["Le budget 2027, concrètement ?", "Combien pour 2027 ?"]
    assert kept[-1].startswith("Voté en décembre.") and len(header) == len(kept)
    polls = _rows(members["polls.csv"], lang)
    # One row per option, per point of the rating scale, per word, per approved open answer.
    assert len(polls) == 1 + 3 + 3 + 5 + 4 + 2 + 3 + 2
    messages = _rows(members["messages.csv"], lang)
    # A multi-line message stays one quoted cell.
    assert any(row[-1] == "Ligne 1\n\n    ligne indentée\n- pas une liste" for row in messages)
    # Issue 13: one row per seated guest (a removed table: one row, nobody), and each
    # table's latest synthesis of each round, by table: no spokesperson's name.
    tables = _rows(members["tables.csv"], lang)
    assert [row[1:4] for row in tables[1:]] == [
        ["Table Lovelace", "6", "Alice Martin"],
        ["Table Lovelace", "6", "Bruno Lefèvre"],
        ["Turing <b>&</b> co", "4", "Chloé"],
        ["Table Hopper", "2", ""],
    ]
    syntheses = _rows(members["syntheses.csv"], lang)
    assert [(row[0], row[3], row[-1]) for row in syntheses[1:]] == [
        ("1", "Table Lovelace", "Des agents, oui,\nmais supervisés."),
        ("1", "Turing <b>&</b> co", INJECTIONS["markdown"]),
        ("1", "Table Hopper", "'" + INJECTIONS["formula"]),
    ]
    assert not any("Bruno" in cell or "<script>" in cell for row in syntheses for cell in row)


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_csv_formulas_are_neutralised(fixture_events: list[EventBase], lang: Lang) -> None:
    members = _members(export_events(fixture_events, "csv", lang, PARIS)[1].content)
    cells = [cell for name in members for row in _rows(members[name], lang) for cell in row]
    assert "'" + INJECTIONS["formula"] in cells
    assert "'+33 6 12 34 56 78 ou @chloe ?" in cells
    assert "'-En pilote" in cells
    assert "'- pas une liste" not in cells  # only the cell's first character counts
    for cell in cells:
        assert not cell.startswith(("=", "+", "-", "@", "\t", "\r")), cell


@pytest.mark.parametrize(
    ("cell", "safe"),
    [
        ("=1+1", "'=1+1"),
        ("+1", "'+1"),
        ("-1", "'-1"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\t=1", "'\t=1"),
        ("\r=1", "'\r=1"),
        ("a=1", "a=1"),
        ("", ""),
    ],
)
def test_neutralise(cell: str, safe: str) -> None:
    assert neutralise(cell) == safe


def test_user_text_is_isolated_in_the_html_export() -> None:
    """Issue 14, item 4: a right-to-left name or message cannot reorder the line around it."""
    from server.core import fold
    from server.export import export_events
    from tests.core.debate import CoreDebate

    d = CoreDebate()
    d.mod("set_moderation", enabled=False)
    alice = d.join("\u05e9\u05e8\u05d4 Sarah")  # a Hebrew name
    d.mod("add_round", title="Agents", theme="Qui arbitre ?", minutes=10)
    d.mod("start_round", round_id="r1")
    d.run(alice, "post_message", text="\u05e9\u05dc\u05d5\u05dd 12:30")
    d.run(alice, "submit_question", text="Quel budget ?")
    assert fold(d.log).seq == d.state.seq
    _, rendered = export_events(d.log, "html", "fr")
    page = rendered.content.decode() if isinstance(rendered.content, bytes) else rendered.content
    assert '<span class="author"><bdi>\u05e9\u05e8\u05d4 Sarah</bdi></span>' in page
    assert "<bdi>\u05e9\u05dc\u05d5\u05dd 12:30</bdi>" in page
    assert "<bdi>Quel budget\u00a0?</bdi>" in page or "<bdi>Quel budget\u202f?</bdi>" in page


# --- opinion shift (issue 13) -----------------------------------------------------


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_csv_opinion_shift(fixture_events: list[EventBase], lang: Lang) -> None:
    """polls.csv: the share before and the shift beside each option of the repeat;
    shifts.csv: the changes, here two of one guest each, merged into one row."""
    members = _members(export_events(fixture_events, "csv", lang, PARIS)[1].content)
    polls = _rows(members["polls.csv"], lang)
    header = polls[0]
    repeat_of, before, points = (header.index(name) for name in header[-3:])
    repeated = [row for row in polls[1:] if row[repeat_of]]
    comma = "," if lang == "fr" else "."
    assert [(row[before], row[points]) for row in repeated] == [
        (f"33{comma}3", f"'-8{comma}3"),  # a fall starts with "-": neutralised like any such cell
        (f"33{comma}3", f"41{comma}7"),
        (f"33{comma}3", f"'-33{comma}3"),
    ]
    shifts = _rows(members["shifts.csv"], lang)
    assert len(shifts) == 2
    both, changed, _from, _to, guests = shifts[1][-5:]
    assert (both, changed, guests) == ("3", "2", "2")
    assert _from == _to == ("(autres changements)" if lang == "fr" else "(other changes)")
