"""convive serve: secrets, plan files and clear errors."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest

from convive.cli import main
from server.debate import DebateService
from server.plan import PlanError, load_plan, read_plan
from server.secrets_ import JOIN_CODE_ALPHABET, new_join_code, valid_join_code
from tests.server.process import ServeProcess
from tests.wire import WireClient

EXAMPLE_PLAN = Path(__file__).parents[2] / "examples" / "ai-dinner.toml"


@pytest.fixture(autouse=True)
def english_messages(monkeypatch: pytest.MonkeyPatch) -> None:
    """The messages checked below are the English ones, whatever the machine's locale."""
    for variable in ("LC_ALL", "LC_MESSAGES", "LANGUAGE"):
        monkeypatch.delenv(variable, raising=False)
    monkeypatch.setenv("LANG", "en_GB.UTF-8")


def test_join_codes_avoid_look_alikes() -> None:
    for forbidden in "0O1IL":
        assert forbidden not in JOIN_CODE_ALPHABET
    codes = {new_join_code() for _ in range(200)}
    assert len(codes) > 190 and all(valid_join_code(code) for code in codes)


def test_secrets_are_created_once_and_kept(tmp_path: Path) -> None:
    first = DebateService.open(tmp_path / "d.db", title="Soirée")
    secrets = (first.join_code, first.moderator_key, first.epoch)
    assert len(first.moderator_key) >= 22
    first.close()
    again = DebateService.open(tmp_path / "d.db", title="Ignored on reopen")
    assert (again.join_code, again.moderator_key, again.epoch) == secrets
    assert again.state.title == "Soirée"
    again.close()


def test_secrets_can_be_given(tmp_path: Path) -> None:
    service = DebateService.open(tmp_path / "d.db", join_code="ABCDEF", moderator_key="k" * 30)
    assert service.check_join_code("abc-def") and not service.check_join_code("ABCDEG")
    assert service.check_moderator_key("k" * 30) and not service.check_moderator_key("k" * 29)
    service.close()


def test_the_example_plan_loads_once(tmp_path: Path) -> None:
    plan = read_plan(EXAMPLE_PLAN)
    service = DebateService.open(tmp_path / "d.db", title=plan.title)
    assert load_plan(service, plan) is True
    assert len(service.state.rounds) == 4 and len(service.state.polls) == 7
    assert [poll.kind for poll in service.state.polls.values()][-3:-1] == ["rating", "words"]
    repeat = service.state.polls["p7"]  # opinion shift: the fourth poll asked again
    assert (repeat.repeat_of, repeat.question) == ("p4", service.state.polls["p4"].question)
    assert service.state.title.startswith("L'IA")
    assert service.state.word_filter is not None and service.state.word_filter.action == "hold"
    seq = service.state.seq
    assert load_plan(service, plan) is False  # same command again: harmless
    assert service.state.seq == seq
    service.close()


def test_a_plan_is_refused_on_a_debate_with_content(tmp_path: Path) -> None:
    service = DebateService.open(tmp_path / "d.db")
    from server.plan import PLAN_ACTOR
    from shared import protocol as p

    service.execute(p.AddRound(type="add_round", id="x", title="R", theme="t", minutes=5), PLAN_ACTOR)
    with pytest.raises(PlanError, match="refusing"):
        load_plan(service, read_plan(EXAMPLE_PLAN))
    service.close()


def test_an_edited_plan_says_how_to_go_on(tmp_path: Path) -> None:
    """Restarting with the plan edited since (seen on a trial evening): the message
    says how to go on with the evening rather than only refusing."""
    service = DebateService.open(tmp_path / "d.db")
    assert load_plan(service, read_plan(EXAMPLE_PLAN)) is True
    edited = tmp_path / "edited.toml"
    edited.write_text(EXAMPLE_PLAN.read_text().replace("Innover avec les métiers", "Innover"))
    seq = service.state.seq
    with pytest.raises(PlanError, match="without --plan to go on with it"):
        load_plan(service, read_plan(edited))
    assert service.state.seq == seq
    service.close()


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("title = [", "not valid TOML"),
        ('[[rounds]]\ntitle = "x"\n', "invalid entry"),
        ('[[polls]]\nquestion = "q"\noptions = ["only one"]\n', "invalid entry"),
        ('[filter]\naction = "delete"\n', "invalid entry"),
        ("[filter]\nbuiltin = 1\n", "invalid entry"),
        ('[filter]\nwords = ["fils de pute"]\n', "single words"),
        ('[filter]\nwords = ["ok"]\nextra = true\n', "invalid entry"),
    ],
)
def test_bad_plans_are_reported(tmp_path: Path, content: str, message: str) -> None:
    path = tmp_path / "plan.toml"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(PlanError, match=message):
        read_plan(path)


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--join-code", "OOOOOO"], "join code"),
        (["--moderator-key", "short"], "moderator key"),
        (["--plan", "/nonexistent/plan.toml"], "cannot read the plan"),
    ],
)
def test_serve_refuses_bad_options_clearly(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], args: list[str], message: str
) -> None:
    code = main(["serve", "--db", str(tmp_path / "d.db"), *args])
    assert code != 0
    err = capsys.readouterr().err
    assert message in err and "Traceback" not in err


def test_serve_refuses_a_file_that_is_not_a_database(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "notes.db"
    path.write_text("these are my notes, not a database " * 50)
    assert main(["serve", "--db", str(path)]) == 1
    assert "not a convive database" in capsys.readouterr().err


async def test_serve_with_the_example_plan(tmp_path: Path) -> None:
    serve = await asyncio.to_thread(
        ServeProcess.start, tmp_path / "dinner.db", "--plan", str(EXAMPLE_PLAN), "--join-code", "K7DPXM"
    )
    try:
        assert serve.join_code == "K7DPXM"
        # The plan's evening is in French: so is the projector page it prints.
        assert serve.process.stdout is not None
        rest: list[str] = []
        while not any("screen?code=" in line for line in rest) and len(rest) < 10:
            rest.append(await asyncio.to_thread(serve.process.stdout.readline))  # the banner's last line
        assert rest[-1].rstrip().endswith("/screen?code=K7DPXM&lang=fr"), rest
        screen = await WireClient.join(serve.url, role="screen", join_code="k7dpxm")
        snapshot = screen.welcome["snapshot"]  # type: ignore[index]
        assert snapshot["title"] == "L'IA, de l'innovation au passage à l'échelle"
        assert snapshot["rounds"][0]["title"] == "Innover avec les métiers"
        assert snapshot["polls"] == []  # prepared polls are drafts: moderators only
        await screen.close()
    finally:
        assert await asyncio.to_thread(serve.terminate) == 0
