"""Plan files: the evening's agenda and prepared polls, loaded into a new debate.

    title = "…"
    [[rounds]]  title, theme, minutes
    [[polls]]   question, options, multiple (false), hide_results (false)
    [filter]    words ([]), builtin (true), action ("hold" or "refuse"; "hold")

Loading goes through the core, as a moderator would, so every rule applies.
"""

from __future__ import annotations

import hashlib
import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, ValidationError

from server.core import Actor
from server.debate import DebateService
from shared import limits
from shared import protocol as p
from shared.text import SingleLine
from shared.wordfilter import word_key

PLAN_ACTOR = Actor(participant_id="plan", role="moderator", name="plan")


class PlanError(Exception):
    """The plan cannot be read or cannot be loaded into this database."""


FilterWord = Annotated[str, SingleLine, StringConstraints(min_length=1, max_length=limits.FILTER_WORD_MAX)]


class WordFilterTable(BaseModel):
    """The plan's ``[filter]``: words added to the built-in lists (or alone,
    ``builtin = false``), and what a match does (see ``shared.wordfilter``)."""

    model_config = ConfigDict(extra="forbid", strict=True, frozen=True)
    words: Annotated[list[FilterWord], Field(max_length=limits.FILTER_WORDS_MAX)] = []
    builtin: bool = True
    action: Literal["hold", "refuse"] = "hold"


@dataclass(frozen=True)
class Plan:
    title: str | None
    commands: list[p.Command]
    digest: str
    word_filter: WordFilterTable | None = None


def read_plan(path: str | Path) -> Plan:
    try:
        raw = Path(path).read_bytes()
        data = tomllib.loads(raw.decode("utf-8"))
    except OSError as error:
        raise PlanError(f"cannot read the plan {path}: {error.strerror}") from error
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as error:
        raise PlanError(f"the plan {path} is not valid TOML: {error}") from error
    commands: list[p.Command] = []
    try:
        for index, round_ in enumerate(data.get("rounds", [])):
            commands.append(p.AddRound(type="add_round", id=f"plan-round-{index}", **round_))
        for index, poll in enumerate(data.get("polls", [])):
            commands.append(p.CreatePoll(type="create_poll", id=f"plan-poll-{index}", **poll))
        word_filter = WordFilterTable.model_validate(data["filter"]) if "filter" in data else None
    except (ValidationError, TypeError) as error:
        raise PlanError(f"the plan {path} has an invalid entry: {error}") from error
    for word in word_filter.words if word_filter else []:
        if word_key(word) is None:
            raise PlanError(f"the plan {path}: [filter] words must be single words, not {word!r}")
    title = data.get("title")
    if title is not None and not isinstance(title, str):
        raise PlanError(f"the plan {path}: 'title' must be a string")
    return Plan(title, commands, hashlib.sha256(raw).hexdigest(), word_filter)


def load_plan(service: DebateService, plan: Plan) -> bool:
    """Load the plan into a new debate; True if loaded, False if it already was.

    Re-running the same command after a restart is harmless; loading a plan
    into a debate that already has content is refused.
    """
    loaded = service.store.get_meta("plan_digest")
    if loaded == plan.digest:
        return False
    state = service.state
    if state.rounds or state.polls or state.messages or state.questions or loaded:
        raise PlanError(
            "this database already holds a debate with content; "
            "refusing to load a plan into it (use a new --db)"
        )
    if plan.word_filter is not None:
        table = plan.word_filter
        service.set_word_filter(list(table.words), table.builtin, table.action)
    for command in plan.commands:
        reply = service.execute(command, PLAN_ACTOR).reply
        if isinstance(reply, p.Error):
            raise PlanError(f"the plan was refused: {reply.message}")
    service.store.set_meta("plan_digest", plan.digest)
    return True
