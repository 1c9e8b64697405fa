"""Plan files: the evening's agenda and prepared polls, loaded into a new debate.

    title = "…"
    lang = "fr"  (optional: the language of the evening, for the invitations)
    [[rounds]]  title, theme, minutes
    [[polls]]   question, options, multiple (false), hide_results (false); or
                kind = "rating" (scale_max, scale_labels), "words" or "open", without options;
                or repeat_of = "p4": an earlier poll asked again (the polls of a plan are
                p1, p2, … in order), for its opinion shift
    [[guests]]  name, table (optional)
    [[tables]]  name, seats
    [filter]    words ([]), builtin (true), action ("hold" or "refuse"; "hold")

Loading goes through the core, as a moderator would, so every rule applies.
Guests are not debate content: each gets a personal invitation code, kept in
the database (see :func:`sync_guests`), also once the debate has begun.
"""

from __future__ import annotations

import hashlib
import json
import tomllib
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, ValidationError

from server.core import Actor
from server.debate import DebateService
from server.secrets_ import new_invitation_code
from server.storage import Store
from shared import limits
from shared import protocol as p
from shared.text import SingleLine
from shared.wordfilter import word_key

TABLE_MAX = 40

PLAN_ACTOR = Actor(participant_id="plan", role="moderator", name="plan")


class PlanError(Exception):
    """The plan cannot be read or cannot be loaded into this database."""


class Guest(BaseModel):
    """One ``[[guests]]`` entry: the name they join under and, maybe, their table."""

    model_config = ConfigDict(extra="forbid", frozen=True, strict=True)
    name: p.Name
    # The name of a ``[[tables]]`` entry (issue 13): the guest is seated there as
    # they first join, if it exists and has room; kept and printed on the card too.
    table: Annotated[str, SingleLine, StringConstraints(min_length=1, max_length=TABLE_MAX)] | None = None


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
    # Of the agenda only (title, rounds, polls, the word filter): adding a guest later is no new plan.
    digest: str
    guests: list[Guest] = field(default_factory=list)
    lang: Literal["fr", "en"] | None = None
    # Of the whole file, as earlier versions recorded it.
    file_digest: str = ""
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
        for index, table in enumerate(data.get("tables", [])):
            commands.append(p.AddTable(type="add_table", id=f"plan-table-{index}", **table))
        word_filter = WordFilterTable.model_validate(data["filter"]) if "filter" in data else None
    except (ValidationError, TypeError) as error:
        raise PlanError(f"the plan {path} has an invalid entry: {error}") from error
    for word in word_filter.words if word_filter else []:
        if word_key(word) is None:
            raise PlanError(f"the plan {path}: [filter] words must be single words, not {word!r}")
    title = data.get("title")
    if title is not None and not isinstance(title, str):
        raise PlanError(f"the plan {path}: 'title' must be a string")
    lang = data.get("lang")
    if lang not in (None, "fr", "en"):
        raise PlanError(f'the plan {path}: \'lang\' must be "fr" or "en"')
    guests: list[Guest] = []
    entries = data.get("guests", [])
    if not isinstance(entries, list):
        raise PlanError(f"the plan {path}: 'guests' must be a list of [[guests]] tables")
    for index, entry in enumerate(entries):
        try:
            guests.append(Guest.model_validate(entry))
        except ValidationError as error:
            raise PlanError(f"the plan {path}: guest {index + 1} is invalid: {error}") from error
    planned: dict[str, object] = {
        "title": title,
        "commands": [command.model_dump(mode="json") for command in commands],
    }
    if word_filter is not None:  # a plan without one keeps the digest it always had
        planned["filter"] = word_filter.model_dump(mode="json")
    agenda = json.dumps(planned, sort_keys=True, ensure_ascii=False)
    return Plan(
        title,
        commands,
        hashlib.sha256(agenda.encode()).hexdigest(),
        guests,
        lang,
        hashlib.sha256(raw).hexdigest(),
        word_filter,
    )


def load_plan(service: DebateService, plan: Plan) -> bool:
    """Load the plan into a new debate; True if loaded, False if it already was.

    Re-running the same command after a restart is harmless; loading a plan
    into a debate that already has content is refused.
    """
    loaded = service.store.get_meta("plan_digest")
    if loaded is not None and loaded in (plan.digest, plan.file_digest):
        return False
    state = service.state
    if loaded is not None:
        # The organiser edited the plan after loading it: the evening lives in the
        # database now, and merging two agendas would guess.
        raise PlanError(
            "this debate was loaded from another version of the plan, and its agenda is in "
            "the database now: run convive serve without --plan to go on with it, or use a "
            "new --db for the new plan"
        )
    if state.rounds or state.polls or state.messages or state.questions or state.tables:
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


def sync_guests(store: Store, plan: Plan) -> int:
    """Give each guest of the plan a personal code, once; returns how many were new.

    A guest is known by their name and its occurrence (the second "Jean Martin"
    is another guest): a guest already invited keeps their code, whatever the
    order of the plan, and their table follows the plan. A guest taken out of
    the plan (a name misspelt, then corrected; someone who cannot come) is
    withdrawn: their code joins nobody any more and their card is no longer
    printed; put back, they have their code again. Someone who joined with it
    already stays in (their devices resume with their own tokens).
    """
    if plan.lang is not None:
        store.set_meta("lang", plan.lang)
    everyone = store.invitations(withdrawn=True)
    existing: dict[tuple[str, int], int] = {}
    seen: Counter[str] = Counter()
    for invitation in everyone:
        seen[invitation.name] += 1
        existing[(invitation.name, seen[invitation.name])] = invitation.guest
    taken = {invitation.code for invitation in everyone}
    added: list[tuple[str, str | None, str]] = []
    kept: list[tuple[int, str | None]] = []
    wanted: Counter[str] = Counter()
    for guest in plan.guests:
        wanted[guest.name] += 1
        known = existing.get((guest.name, wanted[guest.name]))
        if known is None:
            code = new_invitation_code()
            while code in taken:
                code = new_invitation_code()
            taken.add(code)
            added.append((guest.name, guest.table, code))
        else:
            kept.append((known, guest.table))
    in_plan = {guest for guest, _ in kept}
    withdrawn = [i.guest for i in everyone if i.guest not in in_plan and not i.withdrawn]
    store.update_invitations(added, kept, withdrawn)
    return len(added)
