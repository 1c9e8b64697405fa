"""Every example frame in docs/protocol.md is a valid frame of its direction."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from convive.cli import main
from shared.protocol import client_frame_adapter, server_frame_adapter

DOC = Path(__file__).parents[2] / "docs" / "protocol.md"
BLOCKS = re.findall(r"```json (client|server)\n(.*?)```", DOC.read_text(encoding="utf-8"), re.S)


def test_the_document_has_examples_in_both_directions() -> None:
    directions = [direction for direction, _ in BLOCKS]
    assert directions.count("client") >= 5 and directions.count("server") >= 5


@pytest.mark.parametrize(("direction", "frame"), BLOCKS)
def test_example_frame_validates(direction: str, frame: str) -> None:
    adapter = client_frame_adapter if direction == "client" else server_frame_adapter
    adapter.validate_json(frame.strip())


def test_every_command_is_documented() -> None:
    text = DOC.read_text(encoding="utf-8")
    from shared.protocol import COMMAND_TYPES

    for command in COMMAND_TYPES:
        assert f"`{command}`" in text, command


def test_convive_protocol_prints_both_schemas(capsys: pytest.CaptureFixture[str]) -> None:
    import json

    assert main(["protocol"]) == 0
    schema = json.loads(capsys.readouterr().out)
    assert set(schema) == {"client_to_server", "server_to_client"}
    assert "hello" in json.dumps(schema["client_to_server"])
    assert "welcome" in json.dumps(schema["server_to_client"])


def test_every_event_is_documented() -> None:
    text = DOC.read_text(encoding="utf-8")
    from shared.events import EVENT_MODELS

    for model in EVENT_MODELS:
        assert f"`{model.model_fields['type'].default}`" in text, model
