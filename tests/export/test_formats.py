"""Golden files and safety properties of each export format on the fixture debate."""

from __future__ import annotations

import json

import pytest

from server.export import export_events
from server.export.i18n import Lang
from server.export.json_ import json_schema
from server.export.markdown import block, inline
from shared.events import EventBase
from tests.export.conftest import PARIS, check_golden
from tests.export.fixture import SECRET_AUTHOR, SECRET_TEXT


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_markdown_golden(fixture_events: list[EventBase], lang: Lang) -> None:
    _, rendered = export_events(fixture_events, "md", lang, PARIS)
    check_golden(f"fixture.{lang}.md", rendered.content)
    assert rendered.filename == "club-dsi-l-ia-generative-et-apres-2026-11-26.md"


def test_json_golden(fixture_events: list[EventBase]) -> None:
    _, rendered = export_events(fixture_events, "json", "fr", PARIS)
    check_golden("fixture.json", rendered.content)
    data = json.loads(rendered.content)
    assert data["schema_version"] == 1
    # The JSON is the same whatever the language or time zone.
    assert export_events(fixture_events, "json", "en")[1].content == rendered.content


def test_json_matches_its_schema(fixture_events: list[EventBase]) -> None:
    schema = json_schema()
    data = json.loads(export_events(fixture_events, "json")[1].content)
    assert schema["$schema"].endswith("2020-12/schema")
    assert set(schema["required"]) == set(data)
    # Every nested object has exactly the properties its definition names.
    defs = schema["$defs"]
    assert set(data["rounds"][0]) == set(defs["ExportRound"]["properties"])
    assert set(data["rounds"][0]["questions"][0]) == set(defs["ExportQuestion"]["properties"])
    assert set(data["rounds"][0]["polls"][0]) == set(defs["ExportPoll"]["properties"])
    assert set(data["rounds"][0]["polls"][0]["options"][0]) == set(defs["ExportOption"]["properties"])
    assert set(data["lobby"]) == set(defs["ExportLobby"]["properties"])
    for definition in [schema, *defs.values()]:
        assert definition["required"] == list(definition["properties"])


def test_transcript_content(fixture_events: list[EventBase]) -> None:
    transcript, _ = export_events(fixture_events, "json")
    assert transcript.participants == 6  # the moderator is not counted
    assert [r.title for r in transcript.rounds] == ["Ouverture", "Gouvernance", "Usages réels"]
    assert [r.status for r in transcript.rounds] == ["ended", "ended", "pending"]
    opening, governance, unplayed = transcript.rounds
    texts = [m.text for m in opening.messages]
    assert "Message masqué par la modération" not in texts  # hidden
    questions = {q.text: q for q in opening.questions}
    assert set(questions) == {
        "Quel budget pour 2027 ?",
        SECRET_TEXT,
        "+33 6 12 34 56 78 ou @chloe ?",
    }
    anonymous = questions[SECRET_TEXT]
    assert anonymous.author_name is None and anonymous.anonymous
    assert (anonymous.votes, anonymous.answered, anonymous.on_the_floor) == (2, True, True)
    poll = opening.polls[0]
    assert (poll.voters, [o.count for o in poll.options]) == (3, [1, 1, 1])
    assert [o.percent for o in governance.polls[0].options] == [100.0, 50.0, 0.0]
    assert not (unplayed.messages or unplayed.questions or unplayed.polls)
    lobby = transcript.lobby
    assert [q.text for q in lobby.questions] == [
        "Question d'avant-match ?",
        "Une date pour la prochaine, peut-être.",
        "Et si je modérais, moi.",
    ]
    assert lobby.polls[0].status == "open" and lobby.polls[0].voters == 1
    assert all(p.question != "Jamais ouvert ?" for p in lobby.polls)  # a draft


@pytest.mark.parametrize("fmt", ["md", "html", "json", "csv"])
@pytest.mark.parametrize("lang", ["fr", "en"])
def test_anonymous_author_appears_nowhere(
    fixture_events: list[EventBase], fixture_service: object, fmt: str, lang: Lang
) -> None:
    from server.debate import DebateService

    assert isinstance(fixture_service, DebateService)
    secret = fixture_service.state.participants
    secret_id = next(pid for pid, p in secret.items() if p.name == SECRET_AUTHOR)
    _, rendered = export_events(fixture_events, fmt, lang, PARIS)  # type: ignore[arg-type]
    content = _all_text(rendered.content, fmt)
    assert SECRET_TEXT in content  # the question is there…
    assert SECRET_AUTHOR not in content  # …but not who asked it
    assert secret_id not in content
    for name in ("Zoé", "Secrète", "Zo\\u00e9"):
        assert name not in content
    # Hidden, pending and rejected content is in no export either.
    for left_out in (
        "Message masqué par la modération",
        "Question anonyme restée en attente",
        "Question rejetée",
        "Jamais ouvert",
    ):
        assert left_out not in content


def _all_text(content: bytes, fmt: str) -> str:
    """The export's text, its unbreakable spaces read as spaces (French typography)."""
    if fmt != "csv":
        return content.decode().replace("\u202f", " ").replace("\u00a0", " ")
    import io
    import zipfile

    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        return "\n".join(archive.read(name).decode("utf-8-sig") for name in archive.namelist())


def test_markdown_inline_escaping_is_inert() -> None:
    assert inline("# x") == "\\# x"
    assert inline("[a](javascript:alert(1))") == "\\[a\\](javascript:alert(1))"
    assert inline("a | b") == "a \\| b"
    assert inline("<script>") == "\\<script\\>"
    assert inline("- item") == "\\- item"
    assert inline("12. item") == "12\\. item"
    assert inline("*em* _em_ `c` ~~s~~ &amp;") == "\\*em\\* \\_em\\_ \\`c\\` \\~\\~s\\~\\~ \\&amp;"


def test_markdown_block_keeps_lines_inside_the_item() -> None:
    text = "un\n    code?\n\n> citation\n==="
    assert block(text, "  ") == "un  \n  code?\n\n  \\> citation  \n  \\==="


def test_markdown_injection_cannot_add_structure(fixture_events: list[EventBase]) -> None:
    _, rendered = export_events(fixture_events, "md", "fr", PARIS)
    lines = rendered.content.decode().splitlines()
    # Only our own headings, tables and links: none from user text.
    headings = [line for line in lines if line.startswith("#")]
    assert all(line.startswith(("# Compte rendu", "## ", "### ")) for line in headings)
    assert "## x" not in lines and "# x" not in lines
    assert not any(line.startswith("[a]") or "](javascript" in line.replace("\\]", "") for line in lines)
    table_rows = [line for line in lines if line.startswith("|")]
    # The agenda (header, rule, three rounds) and the speaking-time tables: the
    # evening's (four people), round 1's (two), round 2's (one), the lobby's (one).
    assert len(table_rows) == (2 + 3) + (2 + 4) + (2 + 2) + (2 + 1) + (2 + 1)
