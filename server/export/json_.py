"""JSON: the transcript model as is, with ``schema_version``; its JSON Schema."""

from __future__ import annotations

from typing import Any

from pydantic import TypeAdapter

from server.export.model import Transcript

_ADAPTER: TypeAdapter[Transcript] = TypeAdapter(Transcript)


def render_json(transcript: Transcript) -> bytes:
    """UTF-8 JSON, indented, keys in the model's order (the same in any language)."""
    return _ADAPTER.dump_json(transcript, indent=2) + b"\n"


def json_schema() -> dict[str, Any]:
    """The JSON Schema (draft 2020-12) of what ``render_json`` writes.

    Every property is always written (null when it has no value), so every
    property is required.
    """
    schema = _ADAPTER.json_schema(mode="serialization")
    for definition in [schema, *schema.get("$defs", {}).values()]:
        if "properties" in definition:
            definition["required"] = list(definition["properties"])
    schema["title"] = "convive transcript"
    schema["description"] = (
        "The record of a convive debate: its agenda of rounds, and in each round "
        "(and in the lobby, outside any round) the chat messages, approved questions "
        "and polls. Times are ISO 8601 UTC."
    )
    return {"$schema": "https://json-schema.org/draft/2020-12/schema", **schema}
