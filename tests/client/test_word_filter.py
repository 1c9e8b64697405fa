"""The word filter and the moderators' notes, through the real apps and a real server (issue 12)."""

from __future__ import annotations

from pathlib import Path

from textual.pilot import Pilot

from client.app import ConviveApp
from client.tokens import TokenStore
from client.widgets.chat import ChatLog
from server.app import DebateServer
from server.plan import load_plan, read_plan
from tests.client.conftest import make_app, screen_text, send, wait_until


def _load_filter(server: DebateServer, tmp_path: Path, action: str) -> None:
    """As ``convive serve --plan`` does, before anyone connects."""
    plan = tmp_path / "plan.toml"
    plan.write_text(f'[filter]\nwords = ["blockchain"]\naction = "{action}"\n', encoding="utf-8")
    assert load_plan(server.service, read_plan(plan))


async def connected(pilot: Pilot[None], app: ConviveApp) -> None:
    await wait_until(pilot, lambda: app.link.status == "connected", what="connected")


def notes(app: ConviveApp) -> list[str]:
    return [str(n.message) for n in app._notifications]


async def test_a_held_message_awaits_review_for_its_author_and_v_shows_it(
    server: DebateServer, tokens: TokenStore, tmp_path: Path
) -> None:
    _load_filter(server, tmp_path, "hold")
    mod_app = make_app(server, "moderator", tokens)
    guest_app = make_app(server, "participant", tokens, name="Alice")
    other_app = make_app(server, "participant", TokenStore(tokens.path.parent / "other"), name="Bob")
    async with (
        mod_app.run_test(size=(100, 32)) as mod,
        guest_app.run_test(size=(100, 32)) as guest,
        other_app.run_test(size=(100, 32)) as other,
    ):
        for pilot, app in ((mod, mod_app), (guest, guest_app), (other, other_app)):
            await connected(pilot, app)
        await guest.press("f2", *"Quel c.o.n ce POC", "enter")
        await wait_until(guest, lambda: "m1" in guest_app.state.messages, what="held, at its author")
        assert guest_app.state.messages["m1"].held
        await wait_until(guest, lambda: "awaiting review" in screen_text(guest_app), what="marked")
        assert "Your message holds a filtered word: it awaits the moderators' review." in notes(guest_app)
        await wait_until(mod, lambda: "m1" in mod_app.state.messages, what="held, at the moderator")
        await mod.press("f2")
        mark = "held by the word filter (v shows it, h drops it)"
        await wait_until(mod, lambda: mark in screen_text(mod_app), what="marked for the moderator")
        await other.pause(0.2)
        assert "m1" not in other_app.state.messages and "c.o.n" not in screen_text(other_app)

        log = mod_app.screen.query_one(ChatLog)
        log.focus()
        log.highlighted = 0
        await mod.press("v")
        await wait_until(other, lambda: "m1" in other_app.state.messages, what="released to Bob")
        await wait_until(other, lambda: "Quel c.o.n ce POC" in screen_text(other_app), what="on Bob's screen")
        await wait_until(guest, lambda: "awaiting review" not in screen_text(guest_app), what="unmarked")
        assert "The moderators showed your message to everyone." in notes(guest_app)
        assert "Message shown to everyone." in notes(mod_app)

        # h drops a held message: its author sees it hidden, Bob never sees it.
        send(guest_app, "post_message", text="La blockchain, encore")
        await wait_until(mod, lambda: "m2" in mod_app.state.messages, what="second held message")
        log.highlighted = [option.id for option in log.options].index("m2")
        await mod.press("h")
        await wait_until(guest, lambda: guest_app.state.messages["m2"].hidden, what="dropped")
        assert server.service.state.messages["m2"].hidden
        assert "m2" not in other_app.state.messages


async def test_refuse_tells_the_guest_why_in_their_language(
    server: DebateServer, tokens: TokenStore, tmp_path: Path
) -> None:
    _load_filter(server, tmp_path, "refuse")
    guest_app = make_app(server, "participant", tokens, lang="fr", name="Alice")
    async with guest_app.run_test(size=(100, 32)) as guest:
        await connected(guest, guest_app)
        await guest.press("f2", *"MEEERDE alors", "enter")
        expected = "Non envoyé\u00a0: il contient un mot que ce débat filtre. Reformulez, s'il vous plaît."
        await wait_until(guest, lambda: expected in notes(guest_app), what="the refusal, in French")
        assert not server.service.state.messages and not guest_app.state.messages


async def test_a_filtered_question_is_marked_in_triage(
    server: DebateServer, tokens: TokenStore, tmp_path: Path
) -> None:
    _load_filter(server, tmp_path, "hold")
    mod_app = make_app(server, "moderator", tokens)
    guest_app = make_app(server, "participant", tokens, name="Alice")
    async with mod_app.run_test(size=(100, 32)) as mod, guest_app.run_test(size=(100, 32)) as guest:
        for pilot, app in ((mod, mod_app), (guest, guest_app)):
            await connected(pilot, app)
        send(mod_app, "set_moderation", enabled=False)
        await wait_until(guest, lambda: not guest_app.state.moderation, what="moderation off")
        send(guest_app, "submit_question", text="Et ce putain de budget ?")
        await wait_until(mod, lambda: len(mod_app.state.pending_questions()) == 1, what="in triage")
        await mod.press("f4")
        await wait_until(mod, lambda: "word filter" in screen_text(mod_app), what="marked in triage")
        await wait_until(
            guest, lambda: "Your question holds a filtered word" in " ".join(notes(guest_app)), what="told"
        )
        await guest.press("f3")
        await wait_until(guest, lambda: "awaiting moderation" in screen_text(guest_app), what="pending, own")


async def test_notes_tab_posts_and_shows_the_moderators_notes(
    server: DebateServer, tokens: TokenStore, tmp_path: Path
) -> None:
    _load_filter(server, tmp_path, "hold")
    mod_app = make_app(server, "moderator", tokens, name="Mod")
    other_app = make_app(server, "moderator", TokenStore(tokens.path.parent / "other"), name="Mod 2")
    async with mod_app.run_test(size=(100, 32)) as mod, other_app.run_test(size=(100, 32)) as other:
        for pilot, app in ((mod, mod_app), (other, other_app)):
            await connected(pilot, app)
        await mod.press("f10", *"Deux questions encore, puis le sondage.", "enter")
        await wait_until(mod, lambda: len(server.service.state.notes) == 1, what="note posted")
        await wait_until(other, lambda: len(other_app.state.notes) == 1, what="note at the co-moderator")
        await other.press("f10")
        text = screen_text(other_app)
        assert "Deux questions encore, puis le sondage." in text and "Notes (1)" in text
        assert "Word filter: matches are held for review; built-in lists and 1 word of the plan." in text
        # Arriving notes never take the focus: the co-moderator's chat input keeps it.
        await other.press("f2")
        send(mod_app, "post_note", text="Le sondage maintenant")
        await wait_until(other, lambda: len(other_app.state.notes) == 2, what="second note")
        assert other_app.focused is not None and other_app.focused.id == "chat-input"
