"""Merged questions and written answers through the real apps and a real server (issue 12)."""

from __future__ import annotations

from textual.pilot import Pilot
from textual.widgets import TextArea

from client.app import ConviveApp
from client.dialogs.forms import AnswerScreen
from client.tokens import TokenStore
from client.widgets.questions import QuestionList
from server.app import DebateServer
from tests.client.conftest import make_app, screen_text, send, wait_until
from tests.client.test_projector_spotlight import run_palette


async def connected(pilot: Pilot[None], app: ConviveApp) -> None:
    await wait_until(pilot, lambda: app.link.status == "connected", what="connected")


def notes(app: ConviveApp) -> list[str]:
    return [str(n.message) for n in app._notifications]


def highlight(app: ConviveApp, question_id: str) -> None:
    questions = app.screen.query_one(QuestionList)
    ids = [option.id for option in questions.options]
    questions.highlighted = ids.index(question_id)


async def test_the_moderator_marks_merges_and_undoes_and_the_authors_are_told(
    server: DebateServer, tokens: TokenStore
) -> None:
    mod_app = make_app(server, "moderator", tokens)
    alice_app = make_app(server, "participant", tokens, name="Alice")
    bob_app = make_app(server, "participant", TokenStore(tokens.path.parent / "bob"), name="Bob")
    async with (
        mod_app.run_test(size=(100, 32)) as mod,
        alice_app.run_test(size=(100, 32)) as alice,
        bob_app.run_test(size=(100, 32)) as bob,
    ):
        for pilot, app in ((mod, mod_app), (alice, alice_app), (bob, bob_app)):
            await connected(pilot, app)
        send(mod_app, "set_moderation", enabled=False)
        await wait_until(alice, lambda: not alice_app.state.moderation, what="moderation off")
        send(bob_app, "submit_question", text="Quel budget pour l'IA ?")
        await wait_until(alice, lambda: "q1" in alice_app.state.questions, what="q1")
        send(alice_app, "submit_question", text="Combien investir dans l'IA ?", anonymous=True)
        send(alice_app, "submit_question", text="[b]Le budget[/b] IA ?")
        await wait_until(bob, lambda: len(bob_app.state.approved_questions()) == 3, what="three questions")
        send(bob_app, "upvote_question", question_id="q2")
        await wait_until(mod, lambda: mod_app.state.questions["q2"].votes == 1, what="upvote")

        # x marks the two duplicates, M on the one to keep merges them.
        await mod.press("f3")
        for question_id in ("q2", "q3"):
            highlight(mod_app, question_id)
            await mod.press("x")
        assert "2 questions marked: highlight the one to keep and press M." in notes(mod_app)
        highlight(mod_app, "q1")
        await mod.press("M")
        await wait_until(bob, lambda: bob_app.state.questions["q2"].merged_into == "q1", what="merged")
        done = "2 questions merged. U on one, or the palette, splits it off."
        await wait_until(mod, lambda: done in notes(mod_app), what="merged, said")
        # Both of Alice's questions: she is told twice, the anonymous one too; Bob is not told.
        told = "The moderators merged your question into a similar one: “Quel budget pour l'IA ?”."
        await wait_until(alice, lambda: sum(note.startswith(told) for note in notes(alice_app)) == 2)
        assert not [note for note in notes(bob_app) if note.startswith("The moderators merged")]
        # The guest's list: one question, with its duplicates under it; Bob's upvote of
        # q2 counts for q1 (and shows as his).
        assert [q.question_id for q in bob_app.state.approved_questions()] == ["q1"]
        assert bob_app.state.upvoted("q1") and bob_app.state.questions["q1"].votes == 1
        await bob.press("f3")
        text = screen_text(bob_app)
        assert "2 similar questions merged here" in text
        assert "≈ [b]Le budget[/b] IA ? — Alice" in text  # literal, never markup
        assert "≈ Combien investir dans l'IA ? — Anonymous" in text
        # Alice's own duplicates say so, the anonymous one too (her client knows it).
        await alice.press("f3")
        mine = screen_text(alice_app)
        assert "— Alice · yours" in mine and "— Anonymous · yours" in mine
        # The moderator sees each duplicate on its own line, to split it off.
        assert "merged (U splits it off)" in screen_text(mod_app)

        # U on a duplicate splits it off; the palette's undo splits off the rest.
        highlight(mod_app, "q3")
        await mod.press("U")
        await wait_until(bob, lambda: bob_app.state.questions["q3"].merged_into is None, what="q3 back")
        await run_palette(mod, "Undo the last merge")
        await wait_until(bob, lambda: bob_app.state.questions["q2"].merged_into is None, what="q2 back")
        assert bob_app.state.questions["q2"].votes == 1 and bob_app.state.questions["q1"].votes == 0
        assert len(bob_app.state.approved_questions()) == 3

        # Guests have none of these keys.
        await bob.press("x", "M")
        await bob.pause(0.2)
        assert all(q.merged_into is None for q in bob_app.state.questions.values())


async def test_a_written_answer_from_its_dialog_shows_under_the_question_everywhere(
    server: DebateServer, tokens: TokenStore
) -> None:
    mod_app = make_app(server, "moderator", tokens, lang="fr")
    guest_app = make_app(server, "participant", tokens, name="Alice")
    screen_app = make_app(server, "screen", tokens)
    async with (
        mod_app.run_test(size=(100, 32)) as mod,
        guest_app.run_test(size=(100, 32)) as guest,
        screen_app.run_test(size=(120, 40)) as screen,
    ):
        for pilot, app in ((mod, mod_app), (guest, guest_app), (screen, screen_app)):
            await connected(pilot, app)
        send(mod_app, "set_moderation", enabled=False)
        await wait_until(guest, lambda: not guest_app.state.moderation, what="moderation off")
        send(guest_app, "submit_question", text="Quel budget pour 2027 ?")
        await wait_until(mod, lambda: len(mod_app.state.approved_questions()) == 1, what="question")

        await mod.press("f3")
        highlight(mod_app, "q1")
        await mod.press("A")
        await wait_until(mod, lambda: isinstance(mod_app.screen, AnswerScreen), what="the dialog")
        assert "Question : Quel budget pour 2027 ?" in screen_text(mod_app)
        await mod.press(*"Environ 2 %", "enter", *"du budget IT.")
        await mod.press("ctrl+s")
        await wait_until(guest, lambda: guest_app.state.questions["q1"].answer is not None, what="answer")
        assert guest_app.state.questions["q1"].answer == "Environ 2 %\ndu budget IT."
        assert not guest_app.state.questions["q1"].answered  # not "mark answered"
        assert "Réponse envoyée." in notes(mod_app)
        await guest.press("f3")
        assert "Answer: Environ 2 %" in screen_text(guest_app)

        # The projector shows it with the question; a second answer, opened on the
        # first, replaces it.
        send(mod_app, "set_spotlight", kind="question", item_id="q1")
        await wait_until(screen, lambda: screen_app.state.spotlight.kind == "question", what="spotlight")
        await wait_until(screen, lambda: "Environ 2 %" in screen_text(screen_app), what="on the projector")
        await mod.press("A")
        await wait_until(mod, lambda: isinstance(mod_app.screen, AnswerScreen), what="the dialog again")
        area = mod_app.screen.query_one("#answer-text", TextArea)
        assert area.text == "Environ 2 %\ndu budget IT."
        area.text = "Plutôt 3 %."
        await mod.press("ctrl+s")
        await wait_until(screen, lambda: "Plutôt 3 %." in screen_text(screen_app), what="replaced")
        assert "Environ 2 %" not in screen_text(screen_app)
