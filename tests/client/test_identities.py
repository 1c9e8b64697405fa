"""Issue 9 §5–6: who a guest joins as, what a wrong code says, and anonymous questions
that stay the guest's own (withdrawable) across a restart."""

from __future__ import annotations

import json
import stat
from pathlib import Path

from client.app import ConviveApp
from client.tokens import Saved, TokenStore
from client.widgets.questions import QuestionList
from server.app import DebateServer
from server.core import Actor
from shared import protocol as p
from tests.client.conftest import make_app, screen_text, wait_until
from tests.wire import WireClient


async def _join(server: DebateServer, tokens: TokenStore, **kwargs: object) -> tuple[str | None, str | None]:
    """Run a guest app until it is welcomed: (participant id, name)."""
    app = make_app(server, "participant", tokens, **kwargs)  # type: ignore[arg-type]
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_until(pilot, lambda: app.state.me is not None, what="welcome")
        return app.state.me, app.state.name


async def test_a_given_name_chooses_the_identity(server: DebateServer, tokens: TokenStore) -> None:
    claire, name = await _join(server, tokens, name="Claire Dubois")
    assert name == "Claire Dubois"
    # Another name on the same machine is another person, not Claire in disguise.
    marc, name = await _join(server, tokens, name="Marc Lefèvre")
    assert name == "Marc Lefèvre" and marc != claire
    # Each keeps an identity: the name finds it again (any case), no name takes the last one.
    assert (await _join(server, tokens, name="claire dubois"))[0] == claire
    assert (await _join(server, tokens, join_code=None))[0] == claire
    assert {saved.name for saved in tokens.identities(f"ws://127.0.0.1:{server.port}/", "participant")} == {
        "Claire Dubois",
        "Marc Lefèvre",
    }


async def test_new_joins_as_someone_new(server: DebateServer, tokens: TokenStore) -> None:
    claire, _ = await _join(server, tokens, name="Claire Dubois")
    other, name = await _join(server, tokens, name="Claire Dubois", new_identity=True)
    assert other != claire and name == "Claire Dubois (2)"  # the server keeps names apart
    # The new identity answers to the name that was asked for, too.
    assert (await _join(server, tokens, name="Claire Dubois (2)"))[0] == other


def test_the_first_file_format_still_reads(tmp_path: Path) -> None:
    store = TokenStore(tmp_path)
    store.path.write_text(
        json.dumps({"participant ws://h:1": {"token": "t", "epoch": "e", "name": "Claire"}})
    )
    assert store.load("ws://h:1/", "participant") == Saved("t", "e", "Claire")
    assert store.load("ws://h:1/", "participant", "Marc") is None


def test_the_data_directory_comes_from_the_environment(tmp_path: Path, monkeypatch: object) -> None:
    import pytest

    assert isinstance(monkeypatch, pytest.MonkeyPatch)
    monkeypatch.setenv("CONVIVE_DATA_DIR", str(tmp_path / "elsewhere"))
    assert TokenStore().path == tmp_path / "elsewhere" / "tokens.json"


async def test_a_wrong_code_says_code_to_a_guest(server: DebateServer, tokens: TokenStore) -> None:
    app = make_app(server, "participant", tokens, lang="fr", name="Alice", join_code="ZZZZZZ")
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_until(pilot, lambda: "incorrect" in screen_text(app), what="refusal")
        text = screen_text(app)
    assert "Code d'accès incorrect" in text and "clé" not in text


async def test_a_wrong_key_says_key_to_a_moderator(server: DebateServer, tokens: TokenStore) -> None:
    app = make_app(server, "moderator", tokens, lang="fr", moderator_key="x" * 30)
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_until(pilot, lambda: "incorrect" in screen_text(app), what="refusal")
        assert "Clé de modération incorrecte" in screen_text(app)


def _approve_all(server: DebateServer) -> None:
    service = server.service
    moderator, _, _ = service.join("Modération", "moderator")
    actor = Actor(moderator.participant_id, "moderator", moderator.name)
    for question in list(service.state.questions.values()):
        if question.status == "pending":
            command = p.ApproveQuestion(
                type="approve_question", id=f"ok-{question.question_id}", question_id=question.question_id
            )
            service.execute(command, actor)


async def test_anonymous_questions_stay_withdrawable_after_a_restart(
    server: DebateServer, tokens: TokenStore
) -> None:
    first = make_app(server, "participant", tokens, name="Alice")
    async with first.run_test(size=(80, 24)) as pilot:
        await wait_until(pilot, lambda: first.link.status == "connected", what="first run")
        first.send_command(lambda id_: p.SubmitQuestion(id=id_, text="Qui paie ?", anonymous=True))
        await wait_until(pilot, lambda: bool(first.state.my_secrets), what="secret")
        question_id, secret = next(iter(first.state.my_secrets.items()))
    # Kept beside the resume token, in a file only the user can read.
    assert stat.S_IMODE(tokens.path.stat().st_mode) == 0o600
    assert secret in tokens.path.read_text()
    _approve_all(server)

    second = make_app(server, "participant", tokens)
    async with second.run_test(size=(80, 24)) as pilot:
        await wait_until(pilot, lambda: question_id in second.state.questions, what="approved question")
        assert second.state.my_secrets == {question_id: secret}
        assert second.state.is_mine(second.state.questions[question_id])
        questions = second.screen.query_one(QuestionList)
        questions.highlighted = 0
        questions.action_withdraw()
        await wait_until(pilot, lambda: question_id not in server.service.state.questions, what="withdrawn")
    assert secret not in tokens.path.read_text()  # gone with its question


def test_a_new_app_drops_secrets_of_another_debate(tmp_path: Path) -> None:
    store = TokenStore(tmp_path)
    store.save("ws://h:1/", "participant", Saved("t", "epoch-1", "Alice", secrets={"q1": "s"}))
    app = ConviveApp("ws://h:1/", "participant", tokens=store)
    assert app.state.my_secrets == {"q1": "s"} and app.state.epoch == "epoch-1"
    store.save("ws://h:1/", "participant", Saved("t", "epoch-2", "Alice"))  # the same token, a new debate
    assert store.load("ws://h:1/", "participant") == Saved("t", "epoch-2", "Alice")


async def test_upvoting_ones_own_question_is_refused_in_words(
    server: DebateServer, tokens: TokenStore, moderator: WireClient
) -> None:
    app = make_app(server, "participant", tokens, lang="fr", name="Alice")
    notices: list[str] = []
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_until(pilot, lambda: app.link.status == "connected", what="guest")
        app.send_command(lambda id_: p.SubmitQuestion(id=id_, text="Qui paie ?", anonymous=True))
        await wait_until(pilot, lambda: bool(app.state.my_secrets), what="secret")
        question_id = next(iter(app.state.my_secrets))
        await moderator.command("approve_question", question_id=question_id)
        await wait_until(pilot, lambda: bool(app.state.approved_questions()), what="approved")
        original = app.notify

        def notify(message: str, **kwargs: object) -> None:
            notices.append(message)
            original(message, **kwargs)  # type: ignore[arg-type]

        app.notify = notify  # type: ignore[method-assign]
        questions = app.screen.query_one(QuestionList)
        questions.highlighted = 0
        questions.action_upvote()
        await wait_until(pilot, lambda: bool(notices), what="refusal")
    assert notices == ["Vous ne pouvez pas soutenir votre propre question."]
    assert not app.state.my_upvotes
