"""JSON: the transcript model as is, with ``schema_version``; its JSON Schema.

Under the Chatham House rule the personal properties (``chatham.PERSONAL_FIELDS``)
are left out of the document, and out of its schema (``json_schema(chatham_house=True)``).
"""

from __future__ import annotations

from typing import Any

from pydantic import TypeAdapter

from server.export.chatham import PERSONAL_FIELDS
from server.export.model import Transcript

_ADAPTER: TypeAdapter[Transcript] = TypeAdapter(Transcript)


def _dropped(definition: str, nested: dict[str, Any] | None = None) -> dict[str, Any]:
    out: dict[str, Any] = {name: True for name in PERSONAL_FIELDS.get(definition, ())}
    return {**(nested or {}), **out}


def _each(exclude: dict[str, Any]) -> dict[str, Any]:
    return {"__all__": exclude}


def _chatham_exclude() -> dict[str, Any]:
    """pydantic's ``exclude`` for the personal properties, at every place they are."""
    question = _dropped("ExportQuestion", {"variants": _each(_dropped("ExportVariant"))})
    section = {"messages": _each(_dropped("ExportMessage")), "questions": _each(question)}
    return _dropped(
        "Transcript",
        {
            "rounds": _each(_dropped("ExportRound", section)),
            "lobby": _dropped("ExportLobby", section),
            "tables": _each(_dropped("ExportTable")),
        },
    )


_CHATHAM_EXCLUDE = _chatham_exclude()


def render_json(transcript: Transcript) -> bytes:
    """UTF-8 JSON, indented, keys in the model's order (the same in any language)."""
    exclude = _CHATHAM_EXCLUDE if transcript.chatham_house else None
    return _ADAPTER.dump_json(transcript, indent=2, exclude=exclude) + b"\n"


def json_schema(*, chatham_house: bool = False) -> dict[str, Any]:
    """The JSON Schema (draft 2020-12) of what ``render_json`` writes.

    Every property is always written (null when it has no value), so every
    property is required. ``chatham_house``: the schema of an export under the
    rule, without the personal properties.
    """
    schema = _ADAPTER.json_schema(mode="serialization")
    definitions: dict[str, Any] = schema.get("$defs", {})
    if chatham_house:
        for name, fields in PERSONAL_FIELDS.items():
            target = schema if name == "Transcript" else definitions[name]
            for field_name in fields:
                del target["properties"][field_name]
        _drop_unused(schema)
    for definition in [schema, *schema.get("$defs", {}).values()]:
        if "properties" in definition:
            definition["required"] = list(definition["properties"])
    schema["title"] = "convive transcript" + (" (Chatham House rule)" if chatham_house else "")
    schema["description"] = (
        "The record of a convive debate: its agenda of rounds, and in each round "
        "(and in the lobby, outside any round) the chat messages, approved questions "
        "and polls. Times are ISO 8601 UTC."
    )
    if chatham_house:
        schema["description"] += (
            " Exported under the Chatham House rule (chatham_house true): no author, no "
            "per-person speaking time, no guest list; the participants' names found inside "
            "the texts, which are not rewritten, are listed in name_warnings."
        )
    return {"$schema": "https://json-schema.org/draft/2020-12/schema", **schema}


def _drop_unused(schema: dict[str, Any]) -> None:
    """Remove the definitions nothing refers to any more (ExportSpeaker)."""
    definitions: dict[str, Any] = schema["$defs"]
    while True:
        text = repr({k: v for k, v in schema.items() if k != "$defs"}) + repr(definitions)
        unused = [name for name in definitions if f"#/$defs/{name}'" not in text]
        if not unused:
            return
        for name in unused:
            del definitions[name]
