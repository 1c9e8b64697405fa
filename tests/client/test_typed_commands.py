"""The client sends ``shared.protocol`` models: a misspelt field fails in the type
checker, the connection gives each command its id, and a retry keeps it."""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
from pydantic import ValidationError
from textual.message import Message

from client import messages as m
from client.tokens import TokenStore
from server.app import DebateServer
from shared import limits
from shared import protocol as p
from tests.client.conftest import make_app, wait_until

ROOT = Path(__file__).parents[2]


def test_a_command_is_built_without_repeating_its_type() -> None:
    command = p.PostMessage(id="c1", text="hello")
    assert command.type == "post_message"
    assert p.parse_client_frame(command.model_dump_json()) == command


def test_the_wire_still_requires_the_type() -> None:
    with pytest.raises(ValidationError):
        p.parse_client_frame(json.dumps({"id": "c1", "text": "hello"}))
    with pytest.raises(ValidationError):
        p.parse_client_frame(json.dumps({"protocol": limits.PROTOCOL_VERSION, "role": "participant"}))


def test_the_schema_still_says_type_is_required() -> None:
    definitions = p.client_frame_adapter.json_schema()["$defs"]
    assert len(definitions) == len(p.COMMAND_MODELS) + 1  # and hello
    for name, definition in definitions.items():
        assert "type" in definition["required"], name


SNIPPET = """
from client.app import ConviveApp
from shared import protocol as p


def right(app: ConviveApp) -> None:
    app.send_command(lambda id_: p.PostMessage(id=id_, text="hello"))


def misspelt(app: ConviveApp) -> None:
    app.send_command(lambda id_: p.PostMessage(id=id_, txt="hello"))


def as_a_dict(app: ConviveApp) -> None:
    app.connection.send({"type": "post_message", "text": "hello"})
"""


def test_the_type_checker_refuses_a_misspelt_field_and_a_dict(tmp_path: Path) -> None:
    snippet = tmp_path / "uses_the_client.py"
    snippet.write_text(SNIPPET, encoding="utf-8")
    result = subprocess.run(
        [sys.executable, "-m", "mypy", "--config-file", str(ROOT / "pyproject.toml"), str(snippet)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    lines = SNIPPET.splitlines()
    # By file name: mypy's cache may report a snippet seen before under its first path.
    reported = [line.split(":") for line in result.stdout.splitlines()]
    flagged = {int(parts[1]) for parts in reported if len(parts) > 2 and Path(parts[0]).name == snippet.name}
    assert flagged == {lines.index(line) + 1 for line in lines if "txt=" in line or '{"type"' in line}, (
        result.stdout
    )


async def test_refused_for_speed_the_commands_go_again_with_their_ids(
    server: DebateServer, tokens: TokenStore
) -> None:
    acked: list[str] = []
    refused: list[str] = []

    def watch(message: Message) -> None:
        if isinstance(message, m.CommandAcked):
            acked.append(message.command.id)
        elif isinstance(message, m.CommandRefused) and message.command is not None:
            refused.append(message.command.id)

    app = make_app(server, "participant", tokens, name="Alice")
    async with app.run_test(size=(80, 24), message_hook=watch) as pilot:
        await wait_until(pilot, lambda: app.link.status == "connected")
        count = limits.CHAT_BURST + 2

        def message(n: int) -> Callable[[str], p.PostMessage]:
            return lambda id_: p.PostMessage(id=id_, text=f"message {n}")

        sent = [app.send_command(message(n)) for n in range(count)]
        await wait_until(pilot, lambda: not app.connection.outbox, timeout=10, what="every command acked")
    ids = [command.id for command in sent]
    assert len(set(ids)) == count
    assert refused and set(refused) <= set(ids)
    assert sorted(acked) == sorted(ids)
    texts = [message.text for message in server.service.state.messages.values()]
    assert sorted(texts) == sorted(f"message {n}" for n in range(count))


def test_widgets_post_commands_up_and_never_send_them() -> None:
    """Widgets post CommandWanted; only screens (and the app) send commands."""
    import ast
    from pathlib import Path

    widgets = Path(__file__).resolve().parents[2] / "client" / "widgets"
    senders = []
    bubbled = []  # CommandWanted goes to the screen itself (see its docstring)
    for path in sorted(widgets.glob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Attribute) and node.attr == "send_command":
                senders.append(f"{path.name}:{node.lineno}")
            if (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Attribute)
                and node.func.attr == "post_message"
                and any(
                    isinstance(arg, ast.Call) and ast.unparse(arg.func).endswith("CommandWanted")
                    for arg in node.args
                )
                and ast.unparse(node.func) != "self.screen.post_message"
            ):
                bubbled.append(f"{path.name}:{node.lineno}")
    assert senders == []
    assert bubbled == []
