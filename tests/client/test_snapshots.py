"""Snapshot tests of the three screens at 80×24 and 120×40 (pytest-textual-snapshot).

Deterministic: the server's and the client's clocks are frozen, the names and
the join code are fixed, and the shot waits until the connection is settled.
The server runs in a thread because ``snap_compare`` runs the app's own loop.
"""

from __future__ import annotations

import asyncio
import itertools
import threading
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from textual.pilot import Pilot
from textual.widgets import Input

from client.app import ConviveApp
from client.tokens import TokenStore
from server.app import DebateServer, ServerSettings
from server.core import Actor
from server.debate import DebateService
from shared import protocol as p

SERVER_TIME = "2026-11-26T19:30:00Z"
CLIENT_TIME = datetime(2026, 11, 26, 19, 35, 0, tzinfo=UTC)  # 5 minutes into the round
JOIN_CODE = "K7M2PQ"
MODERATOR_KEY = "snapshot-moderator-key-0123456789"
SIZES = [(80, 24), (120, 40)]

SnapCompare = Callable[..., bool]


def _seed(service: DebateService) -> None:
    ids = itertools.count(1)

    def run(actor: Actor, **frame: Any) -> str | None:
        command = p.client_frame_adapter.validate_python({"id": f"seed{next(ids)}", **frame})
        reply = service.execute(command, actor)
        assert isinstance(reply.reply, p.Ack), reply.reply
        return reply.reply.created

    mod, _, _ = service.join("Modératrice", "moderator")
    alice, _, _ = service.join("Alice Martin", "participant")
    bruno, _, _ = service.join("Bruno Petit", "participant")
    m = Actor(mod.participant_id, "moderator", mod.name)
    a = Actor(alice.participant_id, "participant", alice.name)
    b = Actor(bruno.participant_id, "participant", bruno.name)
    r1 = run(
        m,
        type="add_round",
        title="Innover avec les métiers",
        minutes=25,
        theme="Comment le CIO se place-t-il au cœur de l'innovation avec les métiers ?",
    )
    run(
        m,
        type="add_round",
        title="Industrialiser au-delà du POC",
        theme="Passer à l'échelle.",
        minutes=25,
    )
    run(
        m,
        type="add_round",
        title="Les garanties du CIO",
        theme="Sécurité, souveraineté.",
        minutes=20,
    )
    run(m, type="start_round", round_id=r1)
    run(a, type="post_message", text="Bonsoir à tous !")
    run(m, type="post_message", text="Bienvenue, on commence.")  # badged: the real moderator
    run(b, type="post_message", text="Chez nous, les métiers ont lancé 40 POC en six mois.")
    run(a, type="post_message", text="Et combien en production ?")
    q1 = run(a, type="submit_question", text="Qui arbitre les cas d'usage ?", anonymous=False)
    q2 = run(b, type="submit_question", text="Quel budget pour l'IA en 2027 ?", anonymous=True)
    q3 = run(b, type="submit_question", text="Faut-il un centre d'excellence ?", anonymous=False)
    for q in (q1, q2, q3):
        run(m, type="approve_question", question_id=q)
    run(a, type="upvote_question", question_id=q2)
    run(b, type="upvote_question", question_id=q2)
    run(a, type="upvote_question", question_id=q3)
    run(m, type="pin_question", question_id=q2)
    run(m, type="mark_answered", question_id=q1)
    run(a, type="submit_question", text="Et la dette technique ?", anonymous=False)  # pending
    poll = run(
        m,
        type="create_poll",
        question="Combien de cas d'usage en production ?",
        options=["Aucun", "1 à 3", "4 à 10", "Plus de 10"],
    )
    run(
        m,
        type="create_poll",
        question="Qui pilote la feuille de route IA ?",
        options=["La DSI", "Les métiers"],
    )
    run(m, type="open_poll", poll_id=poll)
    run(a, type="cast_ballot", poll_id=poll, choices=[1])
    run(b, type="cast_ballot", poll_id=poll, choices=[2])
    # Tables (issue 13): Alice speaks for hers, Bruno sits at the other.
    lovelace = run(m, type="add_table", name="Table Lovelace", seats=8)
    turing = run(m, type="add_table", name="Table Turing", seats=2)
    run(m, type="add_table", name="Table Hopper", seats=6)
    run(a, type="choose_table", table_id=lovelace)
    run(b, type="choose_table", table_id=turing)
    run(m, type="set_spokesperson", table_id=lovelace, participant_id=alice.participant_id)
    run(a, type="post_synthesis", round_id=r1, text="Les métiers portent les cas d'usage, la DSI arbitre.")


@pytest.fixture
def threaded_server(tmp_path: Path) -> Iterator[DebateServer]:
    service = DebateService.open(
        tmp_path / "snap.db",
        title="L'IA, de l'innovation au passage à l'échelle",
        join_code=JOIN_CODE,
        moderator_key=MODERATOR_KEY,
        clock=lambda: SERVER_TIME,
    )
    _seed(service)
    server = DebateServer(service, ServerSettings(coalesce_seconds=0.05))
    loop = asyncio.new_event_loop()
    started = threading.Event()

    def serve() -> None:
        asyncio.set_event_loop(loop)
        loop.run_until_complete(server.start("127.0.0.1", 0))
        started.set()
        loop.run_forever()

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    assert started.wait(5)
    yield server
    asyncio.run_coroutine_threadsafe(server.stop(), loop).result(20)
    loop.call_soon_threadsafe(loop.stop)
    thread.join(5)
    service.close()


def _app(server: DebateServer, role: p.Role, tmp_path: Path, lang: str = "fr") -> ConviveApp:
    return ConviveApp(
        f"ws://127.0.0.1:{server.port}/",
        role,
        join_code=JOIN_CODE if role != "moderator" else None,
        name="Chloé Durand" if role == "participant" else None,
        moderator_key=MODERATOR_KEY if role == "moderator" else None,
        lang=lang,
        tokens=TokenStore(tmp_path / "tokens"),
        clock=lambda: CLIENT_TIME,
        tz=UTC,
        join_url="ws://convive.example:8765/",
    )


async def _settled(pilot: Pilot[Any], *keys: str) -> None:
    app = pilot.app
    assert isinstance(app, ConviveApp)
    for _ in range(250):
        if app.link.status == "connected" and app.state.presence is not None:
            break
        await pilot.pause(0.02)
    assert app.link.status == "connected"
    await pilot.press(*keys)
    await pilot.pause(0.2)
    app.clear_notifications()
    for field in app.screen.query(Input):
        field.cursor_blink = False
    await pilot.pause(0.1)


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_participant_screen(
    snap_compare: SnapCompare, threaded_server: DebateServer, tmp_path: Path, size: tuple[int, int]
) -> None:
    app = _app(threaded_server, "participant", tmp_path)

    async def before(pilot: Pilot[Any]) -> None:
        await _settled(pilot)  # the open poll is announced above the input, the chat keeps the focus

    assert snap_compare(app, terminal_size=size, run_before=before)


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_participant_questions(
    snap_compare: SnapCompare, threaded_server: DebateServer, tmp_path: Path, size: tuple[int, int]
) -> None:
    app = _app(threaded_server, "participant", tmp_path, lang="en")

    async def before(pilot: Pilot[Any]) -> None:
        await _settled(pilot, "f3")

    assert snap_compare(app, terminal_size=size, run_before=before)


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_participant_poll(
    snap_compare: SnapCompare, threaded_server: DebateServer, tmp_path: Path, size: tuple[int, int]
) -> None:
    app = _app(threaded_server, "participant", tmp_path)

    async def before(pilot: Pilot[Any]) -> None:
        await _settled(pilot, "f4")

    assert snap_compare(app, terminal_size=size, run_before=before)


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_participant_tables(
    snap_compare: SnapCompare, threaded_server: DebateServer, tmp_path: Path, size: tuple[int, int]
) -> None:
    """Issue 13: every table and who sits there, and the round's syntheses."""
    app = _app(threaded_server, "participant", tmp_path)

    async def before(pilot: Pilot[Any]) -> None:
        await _settled(pilot, "f5")

    assert snap_compare(app, terminal_size=size, run_before=before)


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_moderator_triage(
    snap_compare: SnapCompare, threaded_server: DebateServer, tmp_path: Path, size: tuple[int, int]
) -> None:
    app = _app(threaded_server, "moderator", tmp_path)

    async def before(pilot: Pilot[Any]) -> None:
        await _settled(pilot, "f4")

    assert snap_compare(app, terminal_size=size, run_before=before)


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_moderator_agenda(
    snap_compare: SnapCompare, threaded_server: DebateServer, tmp_path: Path, size: tuple[int, int]
) -> None:
    app = _app(threaded_server, "moderator", tmp_path, lang="en")

    async def before(pilot: Pilot[Any]) -> None:
        await _settled(pilot, "f5")

    assert snap_compare(app, terminal_size=size, run_before=before)


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_moderator_polls(
    snap_compare: SnapCompare, threaded_server: DebateServer, tmp_path: Path, size: tuple[int, int]
) -> None:
    app = _app(threaded_server, "moderator", tmp_path)

    async def before(pilot: Pilot[Any]) -> None:
        await _settled(pilot, "f6")

    assert snap_compare(app, terminal_size=size, run_before=before)


# Issue 9: every moderator tab at 80×24, so that a footer that no longer fits shows here.
@pytest.mark.parametrize(
    "keys",
    [("f2",), ("f2", "shift+tab"), ("f3",), ("f5", "down"), ("f7",), ("f9",)],
    ids=["chat", "chat-log", "questions", "agenda-planned", "people", "tables"],
)
def test_moderator_tab_at_80x24(
    snap_compare: SnapCompare, threaded_server: DebateServer, tmp_path: Path, keys: tuple[str, ...]
) -> None:
    app = _app(threaded_server, "moderator", tmp_path)

    async def before(pilot: Pilot[Any]) -> None:
        await _settled(pilot, *keys)

    assert snap_compare(app, terminal_size=(80, 24), run_before=before)


def test_participant_chooses_before_voting(
    snap_compare: SnapCompare, threaded_server: DebateServer, tmp_path: Path
) -> None:
    """The poll tab after Enter on an option: chosen, marked, not sent yet."""
    app = _app(threaded_server, "participant", tmp_path)

    async def before(pilot: Pilot[Any]) -> None:
        await _settled(pilot, "f4", "3", "enter")

    assert snap_compare(app, terminal_size=(80, 24), run_before=before)


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_projector_screen(
    snap_compare: SnapCompare, threaded_server: DebateServer, tmp_path: Path, size: tuple[int, int]
) -> None:
    app = _app(threaded_server, "screen", tmp_path)
    assert snap_compare(app, terminal_size=size, run_before=_settled)


def _moderate(server: DebateServer, type_: str, **fields: Any) -> None:
    """One more command before any client connects (the service is idle then)."""
    service = server.service
    moderator = next(x for x in service.state.participants.values() if x.role == "moderator")
    actor = Actor(moderator.participant_id, "moderator", moderator.name)
    command_id = f"extra-{service.state.seq}"  # each its own id: a repeated id is a retry
    command = p.client_frame_adapter.validate_python({"type": type_, "id": command_id, **fields})
    assert isinstance(service.execute(command, actor).reply, p.Ack)


# What the moderator puts on the projector (issue 9, section 3).
SPOTLIGHTS: dict[str, list[tuple[str, dict[str, Any]]]] = {
    "question": [("set_spotlight", {"kind": "question", "item_id": "q2"})],
    "poll": [("set_spotlight", {"kind": "poll", "item_id": "p1"})],
    "welcome": [("set_spotlight", {"kind": "welcome"})],
    "syntheses": [("set_spotlight", {"kind": "syntheses"})],
    "ended": [
        ("end_round", {}),
        ("start_round", {"round_id": "r2"}),
        ("start_round", {"round_id": "r3"}),
        ("end_round", {}),
    ],
}


@pytest.mark.parametrize("spotlight", SPOTLIGHTS)
def test_projector_spotlight(
    snap_compare: SnapCompare, threaded_server: DebateServer, tmp_path: Path, spotlight: str
) -> None:
    for type_, fields in SPOTLIGHTS[spotlight]:
        _moderate(threaded_server, type_, **fields)
    app = _app(threaded_server, "screen", tmp_path)
    assert snap_compare(app, terminal_size=(120, 40), run_before=_settled)


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_participant_announcement(
    snap_compare: SnapCompare, threaded_server: DebateServer, tmp_path: Path, size: tuple[int, int]
) -> None:
    _moderate(threaded_server, "announce", text="Le dessert est servi : on reprend à 21 h 30.")
    app = _app(threaded_server, "participant", tmp_path)

    async def before(pilot: Pilot[Any]) -> None:
        await _settled(pilot, "f2")

    assert snap_compare(app, terminal_size=size, run_before=before)


# --- poll kinds (issue 12) -------------------------------------------------------------


def _as_guest(server: DebateServer, name: str, type_: str, **fields: Any) -> None:
    service = server.service
    guest = next(x for x in service.state.participants.values() if x.name == name)
    actor = Actor(guest.participant_id, "participant", guest.name)
    command = p.client_frame_adapter.validate_python(
        {"type": type_, "id": f"guest-{service.state.seq}", **fields}
    )
    assert isinstance(service.execute(command, actor).reply, p.Ack)


KINDS: dict[str, tuple[dict[str, Any], list[tuple[str, dict[str, Any]]]]] = {
    "rating": (
        {"kind": "rating", "scale_max": 5, "scale_labels": ["Pas du tout", "Tout à fait"]},
        [("Alice Martin", {"rating": 4}), ("Bruno Petit", {"rating": 2})],
    ),
    "words": (
        {"kind": "words"},
        [
            ("Alice Martin", {"words": ["Confiance", "Coûts", "Souveraineté"]}),
            ("Bruno Petit", {"words": ["confiance !", "Talents"]}),
        ],
    ),
    "open": (
        {"kind": "open"},
        [("Alice Martin", {"text": "Trouver les compétences."}), ("Bruno Petit", {"text": "Le budget."})],
    ),
}


def _poll_of_kind(server: DebateServer, kind: str) -> None:
    fields, ballots = KINDS[kind]
    _moderate(server, "close_poll", poll_id="p1")
    _moderate(server, "create_poll", question="Et maintenant ?", **fields)
    _moderate(server, "open_poll", poll_id="p3")
    for name, ballot in ballots:
        _as_guest(server, name, "cast_ballot", poll_id="p3", **ballot)
    if kind == "open":
        _moderate(server, "approve_answer", poll_id="p3", answer_id="o1")


@pytest.mark.parametrize("kind", list(KINDS))
def test_projector_poll_kinds(
    snap_compare: SnapCompare, threaded_server: DebateServer, tmp_path: Path, kind: str
) -> None:
    """Full screen: a rating's bars and average, a word cloud, the approved answers."""
    _poll_of_kind(threaded_server, kind)
    _moderate(threaded_server, "set_spotlight", kind="poll", item_id="p3")
    app = _app(threaded_server, "screen", tmp_path)
    assert snap_compare(app, terminal_size=(120, 40), run_before=_settled)


def test_moderator_reviews_open_answers(
    snap_compare: SnapCompare, threaded_server: DebateServer, tmp_path: Path
) -> None:
    _poll_of_kind(threaded_server, "open")
    app = _app(threaded_server, "moderator", tmp_path)

    async def before(pilot: Pilot[Any]) -> None:
        await _settled(pilot, "f6")

    assert snap_compare(app, terminal_size=(120, 40), run_before=before)


def _as(server: DebateServer, name: str, type_: str, **fields: Any) -> None:
    """One command as the participant named ``name``, before any client connects."""
    service = server.service
    who = next(x for x in service.state.participants.values() if x.name == name)
    actor = Actor(who.participant_id, who.role, who.name)
    frame = {"type": type_, "id": f"as-{service.state.seq}", **fields}
    command = p.client_frame_adapter.validate_python(frame)
    assert isinstance(service.execute(command, actor).reply, p.Ack)


def _queue(server: DebateServer) -> None:
    """Bruno has the floor; Alice waits with a topic (5 minutes by the frozen clocks)."""
    bruno = next(x for x in server.service.state.participants.values() if x.name == "Bruno Petit")
    _as(server, "Bruno Petit", "raise_hand")
    _as(server, "Alice Martin", "raise_hand", topic="Un retour d'expérience sur les agents en production")
    _moderate(server, "give_floor", participant_id=bruno.participant_id)


# Issue 12: the speaker queue on the three screens.
def test_moderator_floor_tab(
    snap_compare: SnapCompare, threaded_server: DebateServer, tmp_path: Path
) -> None:
    _queue(threaded_server)
    app = _app(threaded_server, "moderator", tmp_path)

    async def before(pilot: Pilot[Any]) -> None:
        await _settled(pilot, "f8")

    assert snap_compare(app, terminal_size=(80, 24), run_before=before)


def test_projector_floor(snap_compare: SnapCompare, threaded_server: DebateServer, tmp_path: Path) -> None:
    _queue(threaded_server)
    app = _app(threaded_server, "screen", tmp_path)
    assert snap_compare(app, terminal_size=(120, 40), run_before=_settled)


def test_participant_hand_raised(
    snap_compare: SnapCompare, threaded_server: DebateServer, tmp_path: Path
) -> None:
    _queue(threaded_server)
    app = _app(threaded_server, "participant", tmp_path)

    async def before(pilot: Pilot[Any]) -> None:
        await _settled(pilot, "ctrl+r")
        await pilot.press(*"Sur la sécurité", "enter")
        for _ in range(500):  # the event, then the ack's notice (cleared below)
            if app.state.me in app.state.hands and len(app._notifications):
                break
            await pilot.pause(0.02)
        await pilot.pause(0.1)
        app.clear_notifications()
        for _ in range(250):  # the form gone, the chat input has the focus back
            if isinstance(app.focused, Input) and app.focused.id != "topic":
                break
            await pilot.pause(0.02)
        for field in app.screen.query(Input):
            field.cursor_blink = False
        await pilot.pause(0.2)

    assert snap_compare(app, terminal_size=(80, 24), run_before=before)


# --- opinion shift (issue 13) ------------------------------------------------------------


def _repeated_poll(server: DebateServer) -> None:
    """p1 asked again as p3: three guests go from "1 à 3" to "4 à 10", two keep theirs."""
    for name in ("Dan Roux", "Eve Blanc"):
        server.service.join(name, "participant")
    _as_guest(server, "Dan Roux", "cast_ballot", poll_id="p1", choices=[1])
    _as_guest(server, "Eve Blanc", "cast_ballot", poll_id="p1", choices=[1])
    _moderate(server, "cast_ballot", poll_id="p1", choices=[0])
    _moderate(server, "close_poll", poll_id="p1")
    _moderate(server, "create_poll", repeat_of="p1")
    _moderate(server, "open_poll", poll_id="p3")
    for name in ("Alice Martin", "Bruno Petit", "Dan Roux", "Eve Blanc"):
        _as_guest(server, name, "cast_ballot", poll_id="p3", choices=[2])
    _moderate(server, "cast_ballot", poll_id="p3", choices=[0])
    _moderate(server, "close_poll", poll_id="p3")


def test_projector_shows_the_opinion_shift(
    snap_compare: SnapCompare, threaded_server: DebateServer, tmp_path: Path
) -> None:
    _repeated_poll(threaded_server)
    _moderate(threaded_server, "set_spotlight", kind="poll", item_id="p3")
    app = _app(threaded_server, "screen", tmp_path)
    assert snap_compare(app, terminal_size=(120, 40), run_before=_settled)


@pytest.mark.parametrize("role", ["participant", "moderator"])
def test_guest_and_moderator_see_the_opinion_shift(
    snap_compare: SnapCompare, threaded_server: DebateServer, tmp_path: Path, role: p.Role
) -> None:
    _repeated_poll(threaded_server)
    app = _app(threaded_server, role, tmp_path)

    async def before(pilot: Pilot[Any]) -> None:
        await _settled(pilot, "f4" if role == "participant" else "f6")

    size = (80, 24) if role == "participant" else (120, 40)
    assert snap_compare(app, terminal_size=size, run_before=before)
