"""The Markdown export parsed by a real CommonMark parser (markdown-it, which Textual uses).

Whatever a guest types, it comes out as text: no link, image, HTML, code, emphasis,
heading, list, quote or table of its own.
"""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st
from markdown_it import MarkdownIt
from markdown_it.token import Token

from server.export import export_events
from server.export.markdown import block, inline
from shared.events import EventBase
from shared.text import strip_controls
from tests.export.conftest import PARIS
from tests.export.fixture import INJECTIONS

MD = MarkdownIt("commonmark").enable("table").enable("strikethrough")
# Markdown's punctuation, spaces and line breaks, letters and digits, some non-ASCII.
TEXT = st.text(
    alphabet=st.sampled_from(list("\\`*_{}[]()#+-.!|<>~=&:;/'\"@ \t\n") + list("ab1é€")),
    max_size=60,
)


def _inline_children(source: str) -> list[Token]:
    tokens = MD.parse(source)
    children: list[Token] = []
    for token in tokens:
        if token.type == "inline":
            if children:  # a new paragraph or item: a line break in the text
                children.append(Token("softbreak", "br", 0))
            children.extend(token.children or [])
    return children


def _after_label(children: list[Token]) -> list[Token]:
    """The tokens after our bold label (``**20:00 · x**``)."""
    children = [token for token in children if token.type != "text" or token.content]
    assert children[0].type == "strong_open"
    close = next(i for i, token in enumerate(children) if token.type == "strong_close")
    return children[close + 1 :]


def _text_of(children: list[Token]) -> str:
    parts = []
    for token in children:
        if token.type == "text":
            parts.append(token.content)
        elif token.type in ("softbreak", "hardbreak"):
            parts.append("\n")
        else:
            raise AssertionError(f"{token.type} token from user text")
    return "".join(parts)


@settings(max_examples=300, deadline=None)
@given(TEXT)
def test_inline_text_stays_text(text: str) -> None:
    text = strip_controls(text)
    source = f"- **20:00 · x** — {inline(text)}"
    tokens = MD.parse(source)
    assert [t.type for t in tokens if t.nesting == 1] == [
        "bullet_list_open",
        "list_item_open",
        "paragraph_open",
    ]
    children = _inline_children(source)
    # Our own bold label, then the user's text, and nothing else.
    expected = " ".join(text.replace("\t", " ").split()) if text.strip() else ""
    got = _text_of(_after_label(children))
    assert " ".join(got.replace("\t", " ").split()) == f"— {expected}".strip()


@settings(max_examples=300, deadline=None)
@given(TEXT)
def test_block_text_stays_in_its_list_item(text: str) -> None:
    text = strip_controls(text).strip() or "x"
    source = f"- **20:00 · x** — {block(text, '  ')}\n- next"
    tokens = MD.parse(source)
    opened = [t.type for t in tokens if t.nesting == 1]
    # One list of two items; the user's text only adds paragraphs inside the first.
    assert opened.count("bullet_list_open") == 1
    assert opened.count("list_item_open") == 2
    assert set(opened) <= {"bullet_list_open", "list_item_open", "paragraph_open"}
    lines = [" ".join(line.replace("\t", " ").split()) for line in text.split("\n")]
    children = _inline_children(source)
    got = _text_of(_after_label(children)[:-1])  # after our label, before "next"
    got_lines = [" ".join(line.replace("\t", " ").split()) for line in got.split("\n")]
    assert [line for line in got_lines if line] == ["— " + lines[0], *[line for line in lines[1:] if line]]


def test_fixture_document_structure(fixture_events: list[EventBase]) -> None:
    _, rendered = export_events(fixture_events, "md", "fr", PARIS)
    tokens = MD.parse(rendered.content.decode())
    types = {t.type for t in tokens}
    children = [c for t in tokens for c in (t.children or [])]
    child_types = {c.type for c in children}
    assert not {"html_block", "blockquote_open", "ordered_list_open", "hr"} & types
    assert not {"link_open", "image", "html_inline", "code_inline", "s_open"} & child_types
    headings = [tokens[i + 1].content for i, t in enumerate(tokens) if t.type == "heading_open"]
    assert headings == [
        "Compte rendu — Club DSI — l'IA générative, et après\u202f?",
        "Programme",
        "Temps de parole",
        "Tables",
        "Temps 1 — Ouverture",
        "Synthèses des tables",
        "Discussion",
        "Questions",
        "Sondages",
        "Temps de parole",
        "Temps 2 — Gouvernance",
        "Discussion",
        "Sondages",
        "Temps de parole",
        "Temps 3 — Usages réels",
        "Hors des temps du débat",
        "Discussion",
        "Questions",
        "Sondages",
        "Temps de parole",
    ]
    # The agenda, the evening's speaking time, and each section's.
    assert sum(1 for t in tokens if t.type == "table_open") == 5
    text = "\n".join(c.content for c in children if c.type == "text").replace("\u202f", " ")
    assert INJECTIONS["script"] in text
    for line in INJECTIONS["markdown"].split("\n"):
        assert line in text


@settings(max_examples=300, deadline=None)
@given(TEXT)
def test_a_title_keeps_the_agenda_table_shape(title: str) -> None:
    cell = inline(strip_controls(title))
    source = f"| # | Round | Planned |\n|---:|---|---:|\n| 1 | {cell} | 5 min |\n| 2 | x | 5 min |\n"
    tokens = MD.parse(source)
    assert [t.type for t in tokens].count("tr_open") == 3
    assert [t.type for t in tokens].count("td_open") == 6
    cells = [tokens[i + 1] for i, t in enumerate(tokens) if t.type == "td_open"]
    assert [c.content for c in cells][0::3] == ["1", "2"]
    assert " ".join(_text_of(cells[1].children or []).split()) == " ".join(
        strip_controls(title).replace("\n", " ").split()
    )
