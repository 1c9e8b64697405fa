"""One valid example of every command: the list every test that needs "all
the commands" takes, so that a new command is covered by adding it here (the
completeness test fails until it is).

The ids name what ``prepared_debate`` style fixtures create first: round
``r1``, message ``m1``, question ``q1``, poll ``p1``, table ``t1``.
"""

from __future__ import annotations

from typing import Any

from shared import protocol as p

EXAMPLES: dict[str, dict[str, Any]] = {
    "post_message": {"text": "Bonsoir à tous"},
    "hide_message": {"message_id": "m1"},
    "unhide_message": {"message_id": "m1"},
    "submit_question": {"text": "Quel budget pour 2027 ?", "anonymous": False},
    "upvote_question": {"question_id": "q1"},
    "withdraw_upvote": {"question_id": "q1"},
    "approve_question": {"question_id": "q1"},
    "reject_question": {"question_id": "q1"},
    "restore_question": {"question_id": "q1"},
    "mark_answered": {"question_id": "q1"},
    "pin_question": {"question_id": "q1"},
    "unpin_question": {"question_id": "q1"},
    "set_moderation": {"enabled": False},
    "add_round": {"title": "Agents", "theme": "Les agents en production", "minutes": 20},
    "update_round": {"round_id": "r1", "title": "Agents autonomes"},
    "move_round": {"round_id": "r1", "position": 0},
    "remove_round": {"round_id": "r1"},
    "start_round": {"round_id": "r1"},
    "end_round": {},
    "reopen_round": {"round_id": "r1"},
    "create_poll": {"question": "Des agents en production ?", "options": ["Oui", "Non"]},
    "open_poll": {"poll_id": "p1"},
    "close_poll": {"poll_id": "p1"},
    "cast_ballot": {"poll_id": "p1", "choices": [0]},
    "approve_answer": {"poll_id": "p1", "answer_id": "o1"},
    "reject_answer": {"poll_id": "p1", "answer_id": "o1"},
    "erase_my_contributions": {},
    "withdraw_question": {"question_id": "q1"},
    "set_spotlight": {"kind": "question", "item_id": "q1"},
    "announce": {"text": "Le dessert est servi : on reprend dans 10 minutes."},
    "export_transcript": {"format": "md", "lang": "fr"},
    "set_join_rate": {"per_minute": 120},
    "fetch_history": {"kind": "messages", "before": "m1"},
    # the word filter and the moderators' back-channel (issue 12)
    "release_message": {"message_id": "m1"},
    "post_note": {"text": "Deux questions encore, puis le sondage."},
    # Merged questions and written answers (issue 12).
    "merge_questions": {"keep_id": "q1", "merged_ids": ["q2"]},
    "unmerge_question": {"question_id": "q2"},
    "answer_question": {"question_id": "q1", "text": "Environ 2 % du budget IT, selon l'étude."},
    # the speaker queue (participant u2: the first guest to join after the moderator)
    "raise_hand": {"topic": "Un retour d'expérience sur les agents"},
    "lower_hand": {},
    "give_floor": {"participant_id": "u2"},
    "end_floor": {},
    # tables (issue 13): table t1
    "add_table": {"name": "Table Lovelace", "seats": 8},
    "update_table": {"table_id": "t1", "name": "Table Ada", "seats": 6},
    "remove_table": {"table_id": "t1"},
    "choose_table": {"table_id": "t1"},
    "seat_guest": {"participant_id": "u2", "table_id": "t1"},
    "set_spokesperson": {"table_id": "t1", "participant_id": "u2"},
    "post_synthesis": {"round_id": "r1", "text": "Notre table veut des agents, mais avec un pilote humain."},
}


def example(type_: str, command_id: str = "example-1") -> p.Command:
    """The example of ``type_`` as a validated command model."""
    command: p.Command = p.client_frame_adapter.validate_python(
        {"type": type_, "id": command_id, **EXAMPLES[type_]}
    )
    return command


def sent_by(role: p.Role) -> list[tuple[str, dict[str, Any]]]:
    """The examples of the commands ``role`` may send."""
    return [(type_, fields) for type_, fields in EXAMPLES.items() if role in p.COMMAND_MODELS[type_].roles]


def refused_to(role: p.Role) -> list[tuple[str, dict[str, Any]]]:
    """The examples of the commands ``role`` may not send."""
    return [
        (type_, fields) for type_, fields in EXAMPLES.items() if role not in p.COMMAND_MODELS[type_].roles
    ]
