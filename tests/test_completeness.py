"""Forgetting a step of adding a command or an event fails here, not in the room.

Adding a command = protocol model (roles, rate bucket), rule, event + applier,
audience, view reducer, screens, i18n, docs, one example. Each check below
names what was forgotten.
"""

from __future__ import annotations

import re
import typing
from pathlib import Path

import pytest

from client.i18n import CATALOGUES
from server.core.decide import _HANDLERS
from server.core.erasure import NOT_ERASED_TEXTS, REDACTABLE_TYPES
from server.core.state import APPLIERS
from shared import events as ev
from shared import protocol as p
from shared.view import REDUCERS
from tests.examples import EXAMPLES, example

ROOT = Path(__file__).resolve().parent.parent
# Commands the transport answers itself rather than the debate's rules.
TRANSPORT_COMMANDS = {"export_transcript", "fetch_history"}
EVENT_TYPES = {model.model_fields["type"].default: model for model in ev.EVENT_MODELS}
ERROR_CODES: tuple[str, ...] = typing.get_args(p.ErrorCode)


def test_every_event_has_a_core_applier_and_a_view_reducer() -> None:
    assert set(APPLIERS) == set(ev.EVENT_MODELS), "server/core: an event without an applier"
    assert set(REDUCERS) == set(ev.EVENT_MODELS), "shared/view.py: an event without a reducer"


def test_every_event_with_a_text_is_erasable_or_says_why_not() -> None:
    """Forgetting the erasure rule would leave an erased author's text in the log."""
    with_text = {name for name, model in EVENT_TYPES.items() if "text" in model.model_fields}
    assert with_text <= set(REDACTABLE_TYPES) | set(NOT_ERASED_TEXTS), with_text - set(REDACTABLE_TYPES)


def test_every_event_is_documented() -> None:
    doc = (ROOT / "docs" / "protocol.md").read_text(encoding="utf-8")
    missing = [name for name in EVENT_TYPES if f"`{name}`" not in doc]
    assert not missing, f"docs/protocol.md does not describe {missing}"


@pytest.mark.parametrize("type_", sorted(p.COMMAND_MODELS))
def test_every_command_is_complete(type_: str) -> None:
    model = p.COMMAND_MODELS[type_]
    assert "roles" in vars(model), f"{model.__name__} must declare its roles itself"
    assert "rate_bucket" in vars(model), f"{model.__name__} must declare its rate bucket itself"
    assert model.roles and "screen" not in model.roles
    assert type_ in _HANDLERS or type_ in TRANSPORT_COMMANDS, f"no rule handles {type_}"
    assert type_ in EXAMPLES, f"tests/examples.py has no example of {type_}"
    assert isinstance(example(type_), model)
    doc = (ROOT / "docs" / "protocol.md").read_text(encoding="utf-8")
    assert f"`{type_}`" in doc, f"docs/protocol.md does not describe {type_}"


def test_examples_name_only_real_commands() -> None:
    assert set(EXAMPLES) == set(p.COMMAND_MODELS) == p.COMMAND_TYPES


def test_the_error_codes_raised_in_the_code_are_all_declared() -> None:
    """mypy checks the typed call sites; this catches the rest (a code in a string)."""
    sources = [*ROOT.glob("server/**/*.py"), *ROOT.glob("client/**/*.py")]
    pattern = re.compile(r'(?:DomainError|HelloRefused|code=|_send_error\([^"\n]*)\(?\s*"([a-z_]+)"')
    used = {code for path in sources for code in pattern.findall(path.read_text(encoding="utf-8"))}
    assert used, "the pattern found no code: it is broken"
    assert used <= set(ERROR_CODES), used - set(ERROR_CODES)


@pytest.mark.parametrize("code", ERROR_CODES)
def test_every_error_code_is_documented_and_translated(code: str) -> None:
    doc = (ROOT / "docs" / "protocol.md").read_text(encoding="utf-8")
    assert f"`{code}`" in doc, f"docs/protocol.md does not explain {code}"
    for lang, texts in CATALOGUES.items():
        assert f"error.{code}" in texts, f"client/i18n/{lang}.py has no error.{code}"
