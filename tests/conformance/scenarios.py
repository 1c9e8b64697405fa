"""The debates the conformance cases are written from: every event type, every role.

Each scenario is a list of (who, command, fields), run after the four people
of :mod:`tests.conformance.harness` have joined. Change one and run
``python -m tests.conformance.generate`` to rewrite the committed cases.
"""

from __future__ import annotations

from typing import Any

Script = list[tuple[str, str, dict[str, Any]]]

ROUND = {"title": "Agents", "theme": "Les agents en production", "minutes": 20}

SCENARIOS: dict[str, tuple[str, Script]] = {
    "agenda": (
        "Rounds added, moved, renamed, removed, started and ended; chat in and out of a round.",
        [
            ("mod", "add_round", ROUND),
            ("mod", "add_round", {"title": "Données", "theme": "Gouvernance des données", "minutes": 15}),
            ("mod", "add_round", {"title": "Brouillon", "theme": "À retirer", "minutes": 5}),
            ("mod", "move_round", {"round_id": "r2", "position": 0}),
            ("mod", "update_round", {"round_id": "r1", "title": "Agents autonomes", "minutes": 25}),
            ("mod", "remove_round", {"round_id": "r3"}),
            ("alice", "post_message", {"text": "Bonsoir à tous !"}),
            ("mod", "start_round", {"round_id": "r2"}),
            ("bob", "post_message", {"text": "Qui a un DPO à temps plein ?"}),
            ("mod", "end_round", {}),
            ("mod", "start_round", {"round_id": "r1"}),
        ],
    ),
    "chat": (
        "Messages posted, one hidden by the moderator, one author erasing what they wrote.",
        [
            ("mod", "add_round", ROUND),
            ("mod", "start_round", {"round_id": "r1"}),
            ("alice", "post_message", {"text": "Nous avons 2 agents en pilote."}),
            ("bob", "post_message", {"text": "[b]pas de markup[/b] ici"}),
            ("carol", "post_message", {"text": "Hors sujet"}),
            ("mod", "hide_message", {"message_id": "m3"}),
            ("alice", "erase_my_contributions", {}),
        ],
    ),
    "hidden_then_shown": (
        "A message hidden (its author and the moderators still see it, marked) then shown again.",
        [
            ("alice", "post_message", {"text": "Un avis tranché"}),
            ("bob", "post_message", {"text": "Réponse"}),
            ("mod", "hide_message", {"message_id": "m1"}),
            ("mod", "hide_message", {"message_id": "m2"}),
            ("mod", "unhide_message", {"message_id": "m1"}),
        ],
    ),
    "questions": (
        "Moderated questions, named and anonymous: approved, rejected, upvoted, pinned, answered.",
        [
            ("mod", "add_round", ROUND),
            ("mod", "start_round", {"round_id": "r1"}),
            ("alice", "submit_question", {"text": "Quel budget pour 2027 ?"}),
            ("alice", "submit_question", {"text": "Qui porte le risque ?", "anonymous": True}),
            ("carol", "submit_question", {"text": "Hors sujet ?"}),
            ("mod", "approve_question", {"question_id": "q1"}),
            ("mod", "approve_question", {"question_id": "q2"}),
            ("mod", "reject_question", {"question_id": "q3"}),
            ("bob", "upvote_question", {"question_id": "q1"}),
            ("carol", "upvote_question", {"question_id": "q1"}),
            ("bob", "upvote_question", {"question_id": "q2"}),
            ("bob", "withdraw_upvote", {"question_id": "q2"}),
            ("mod", "pin_question", {"question_id": "q1"}),
            ("mod", "pin_question", {"question_id": "q2"}),
            ("mod", "mark_answered", {"question_id": "q1"}),
            ("mod", "unpin_question", {"question_id": "q2"}),
        ],
    ),
    "undo": (
        "The moderator's undo: a round reopened, questions rejected (named, anonymous, approved) "
        "and restored, an answered question leaving the floor.",
        [
            ("mod", "add_round", ROUND),
            ("mod", "add_round", {"title": "Données", "theme": "Gouvernance des données", "minutes": 15}),
            ("mod", "start_round", {"round_id": "r1"}),
            ("mod", "start_round", {"round_id": "r2"}),
            ("mod", "reopen_round", {"round_id": "r1"}),
            ("alice", "submit_question", {"text": "Nommée, rejetée"}),
            ("alice", "submit_question", {"text": "Anonyme, rejetée", "anonymous": True}),
            ("bob", "submit_question", {"text": "Validée puis rejetée"}),
            ("mod", "reject_question", {"question_id": "q1"}),
            ("mod", "reject_question", {"question_id": "q2"}),
            ("mod", "approve_question", {"question_id": "q3"}),
            ("carol", "upvote_question", {"question_id": "q3"}),
            ("mod", "pin_question", {"question_id": "q3"}),
            ("mod", "reject_question", {"question_id": "q3"}),
            ("mod", "restore_question", {"question_id": "q1"}),
            ("mod", "restore_question", {"question_id": "q2"}),
            ("mod", "restore_question", {"question_id": "q3"}),
            ("mod", "approve_question", {"question_id": "q1"}),
            ("mod", "approve_question", {"question_id": "q3"}),
            ("mod", "pin_question", {"question_id": "q1"}),
            ("mod", "mark_answered", {"question_id": "q1"}),
            ("mod", "end_round", {}),
            ("mod", "reopen_round", {"round_id": "r2"}),
        ],
    ),
    "projector": (
        "The moderator drives the projector: slides, one question, one poll with hidden results "
        "(voters counted while open), announcements; the floor clears with its round.",
        [
            ("mod", "set_spotlight", {"kind": "welcome"}),
            ("mod", "announce", {"text": "Bienvenue ! On commence à 20 h."}),
            ("mod", "add_round", ROUND),
            ("mod", "add_round", {"title": "Données", "theme": "Gouvernance des données", "minutes": 15}),
            ("mod", "start_round", {"round_id": "r1"}),
            ("mod", "set_spotlight", {"kind": "round"}),
            ("mod", "announce", {"text": "Le dessert arrive."}),
            ("mod", "set_moderation", {"enabled": False}),
            ("alice", "submit_question", {"text": "Qui porte le risque ?"}),
            ("mod", "pin_question", {"question_id": "q1"}),
            ("mod", "set_spotlight", {"kind": "question", "item_id": "q1"}),
            (
                "mod",
                "create_poll",
                {"question": "Prêts ?", "options": ["Oui", "Non"], "hide_results": True},
            ),
            ("mod", "open_poll", {"poll_id": "p1"}),
            ("mod", "set_spotlight", {"kind": "poll", "item_id": "p1"}),
            ("alice", "cast_ballot", {"poll_id": "p1", "choices": [0]}),
            ("bob", "cast_ballot", {"poll_id": "p1", "choices": [1]}),
            ("mod", "close_poll", {"poll_id": "p1"}),
            ("mod", "start_round", {"round_id": "r2"}),
            ("mod", "set_spotlight", {"kind": "round", "item_id": "r2"}),
            ("mod", "end_round", {}),
            ("mod", "set_spotlight", {"kind": "end"}),
            ("mod", "set_spotlight", {"kind": "blank"}),
        ],
    ),
    "unmoderated": (
        "Moderation off: questions go straight to everyone; authors withdraw theirs.",
        [
            ("mod", "set_moderation", {"enabled": False}),
            ("alice", "submit_question", {"text": "Et la souveraineté ?"}),
            ("alice", "submit_question", {"text": "Question gênante", "anonymous": True}),
            ("bob", "upvote_question", {"question_id": "q2"}),
            ("alice", "withdraw_question", {"question_id": "q2"}),
            ("alice", "withdraw_question", {"question_id": "q1"}),
            ("mod", "set_moderation", {"enabled": True}),
            ("alice", "submit_question", {"text": "Pendante, puis retirée", "anonymous": True}),
            ("alice", "withdraw_question", {"question_id": "q3"}),
        ],
    ),
    "poll": (
        "A poll drafted, opened, voted (a vote changed) and closed; live counts for everyone.",
        [
            ("mod", "add_round", ROUND),
            ("mod", "start_round", {"round_id": "r1"}),
            (
                "mod",
                "create_poll",
                {"question": "Des agents en production ?", "options": ["Oui", "Non", "Bientôt"]},
            ),
            ("mod", "open_poll", {"poll_id": "p1"}),
            ("alice", "cast_ballot", {"poll_id": "p1", "choices": [0]}),
            ("bob", "cast_ballot", {"poll_id": "p1", "choices": [2]}),
            ("bob", "cast_ballot", {"poll_id": "p1", "choices": [1]}),
            ("mod", "close_poll", {"poll_id": "p1"}),
        ],
    ),
    "hidden_poll": (
        "Hidden results with several choices: counts for moderators only until it closes; a voter erases.",
        [
            (
                "mod",
                "create_poll",
                {
                    "question": "Vos priorités ?",
                    "options": ["Coûts", "Risques", "Talents"],
                    "multiple": True,
                    "hide_results": True,
                },
            ),
            ("mod", "open_poll", {"poll_id": "p1"}),
            ("alice", "cast_ballot", {"poll_id": "p1", "choices": [0, 2]}),
            ("bob", "cast_ballot", {"poll_id": "p1", "choices": [1]}),
            ("carol", "cast_ballot", {"poll_id": "p1", "choices": [0, 1, 2]}),
            ("alice", "erase_my_contributions", {}),
            ("mod", "close_poll", {"poll_id": "p1"}),
        ],
    ),
    "erasure_after_the_fact": (
        "A guest who voted and upvoted erases after the poll closed.",
        [
            ("mod", "set_moderation", {"enabled": False}),
            ("carol", "submit_question", {"text": "Quel ROI ?"}),
            ("bob", "upvote_question", {"question_id": "q1"}),
            ("bob", "post_message", {"text": "Je retire tout."}),
            ("bob", "submit_question", {"text": "Et moi ?"}),
            ("mod", "create_poll", {"question": "Satisfaits ?", "options": ["Oui", "Non"]}),
            ("mod", "open_poll", {"poll_id": "p1"}),
            ("bob", "cast_ballot", {"poll_id": "p1", "choices": [1]}),
            ("carol", "cast_ballot", {"poll_id": "p1", "choices": [0]}),
            ("mod", "close_poll", {"poll_id": "p1"}),
            ("bob", "erase_my_contributions", {}),
        ],
    ),
    "join_rate": (
        "The moderator tunes the rate of new identities (moderators only); "
        "the same rate again changes nothing.",
        [
            ("mod", "set_join_rate", {"per_minute": 60}),
            ("alice", "post_message", {"text": "Bonsoir"}),
            ("mod", "set_join_rate", {"per_minute": 60}),
            ("mod", "set_join_rate", {"per_minute": 600}),
        ],
    ),
    "long_evening": (
        "A bounded welcome (the cases start from a snapshot holding the newest message and "
        "question, plus the pinned, the most upvoted and one's own): events about items outside "
        "it, then every earlier page fetched with fetch_history.",
        [
            ("mod", "set_moderation", {"enabled": False}),
            ("alice", "post_message", {"text": "Premier message"}),
            ("bob", "post_message", {"text": "Deuxième message"}),
            ("carol", "post_message", {"text": "Troisième message"}),
            ("alice", "submit_question", {"text": "Q1 : la plus soutenue ?"}),
            ("carol", "submit_question", {"text": "Q2 : soutenue par Bob"}),
            ("bob", "submit_question", {"text": "Q3 : celle de Bob"}),
            ("alice", "submit_question", {"text": "Q4 : anonyme", "anonymous": True}),
            ("carol", "upvote_question", {"question_id": "q1"}),
            ("mod", "upvote_question", {"question_id": "q1"}),
            ("bob", "upvote_question", {"question_id": "q2"}),
            ("carol", "submit_question", {"text": "Q5 : la plus récente"}),
            ("mod", "post_message", {"text": "Quatrième message"}),
            # the cases start here, then: events about earlier items
            ("alice", "upvote_question", {"question_id": "q2"}),
            ("mod", "hide_message", {"message_id": "m2"}),
            ("mod", "unhide_message", {"message_id": "m2"}),
            ("mod", "pin_question", {"question_id": "q3"}),
            ("alice", "upvote_question", {"question_id": "q3"}),
            ("bob", "post_message", {"text": "Cinquième message"}),
        ],
    ),
    "word_filter": (
        "The plan's word filter holds messages (one released, one hidden) and sends a question "
        "to review with moderation off; the moderators write notes to one another.",
        [
            ("plan", "word_filter", {"words": ["blockchain"], "builtin": True, "action": "hold"}),
            ("mod", "add_round", ROUND),
            ("mod", "start_round", {"round_id": "r1"}),
            ("alice", "post_message", {"text": "Quelle m.e.r.d.e, ce POC"}),
            ("bob", "post_message", {"text": "Bonsoir"}),
            ("alice", "post_message", {"text": "La BLOCKCHAIN, encore ?"}),
            ("mod", "release_message", {"message_id": "m1"}),
            ("mod", "hide_message", {"message_id": "m3"}),
            ("mod", "set_moderation", {"enabled": False}),
            ("alice", "submit_question", {"text": "Et ce putain de budget ?"}),
            ("bob", "submit_question", {"text": "Quel budget ?"}),
            ("mod", "approve_question", {"question_id": "q1"}),
            ("mod", "post_note", {"text": "Deux questions encore, puis le sondage."}),
        ],
    ),
    "merged": (
        "Issue 12: duplicates merged (a named and an anonymous one, voters in common counted once), "
        "a vote withdrawn from the group, one split off again, the floor and the projector following, "
        "a written answer replaced, an author of a merged question erasing.",
        [
            ("mod", "set_moderation", {"enabled": False}),
            ("bob", "submit_question", {"text": "Quel budget pour l'IA ?"}),
            ("alice", "submit_question", {"text": "Combien investir dans l'IA ?", "anonymous": True}),
            ("alice", "submit_question", {"text": "Le budget IA, concrètement ?"}),
            ("carol", "submit_question", {"text": "Et la formation ?"}),
            ("bob", "upvote_question", {"question_id": "q2"}),
            ("carol", "upvote_question", {"question_id": "q1"}),
            ("carol", "upvote_question", {"question_id": "q2"}),
            ("mod", "pin_question", {"question_id": "q3"}),
            ("mod", "set_spotlight", {"kind": "question", "item_id": "q3"}),
            ("mod", "merge_questions", {"keep_id": "q1", "merged_ids": ["q2", "q3"]}),
            ("bob", "upvote_question", {"question_id": "q4"}),
            ("carol", "withdraw_upvote", {"question_id": "q1"}),
            ("carol", "upvote_question", {"question_id": "q1"}),
            ("mod", "unmerge_question", {"question_id": "q2"}),
            ("mod", "answer_question", {"question_id": "q4", "text": "Un plan de formation est prévu."}),
            ("mod", "answer_question", {"question_id": "q4", "text": "Deux jours par personne en 2027."}),
            ("mod", "merge_questions", {"keep_id": "q4", "merged_ids": ["q1"]}),
            ("alice", "erase_my_contributions", {}),
        ],
    ),
    # --- author roles (issue 14, item 4): the server badges the real moderator ---
    "author_roles": (
        "The moderator posts, asks by name and anonymously; a guest too: named texts carry the "
        "author's role, anonymous questions none.",
        [
            ("mod", "post_message", {"text": "Bienvenue, je modère ce soir."}),
            ("alice", "post_message", {"text": "Merci !"}),
            ("mod", "submit_question", {"text": "Une question pour lancer ?"}),
            ("mod", "submit_question", {"text": "Qui n'ose pas demander ?", "anonymous": True}),
            ("alice", "submit_question", {"text": "Et les coûts ?"}),
            ("mod", "approve_question", {"question_id": "q1"}),
            ("mod", "approve_question", {"question_id": "q2"}),
            ("mod", "approve_question", {"question_id": "q3"}),
            ("mod", "hide_message", {"message_id": "m1"}),
            ("mod", "unhide_message", {"message_id": "m1"}),
            ("mod", "reject_question", {"question_id": "q1"}),
            ("mod", "restore_question", {"question_id": "q1"}),
        ],
    ),
    # --- poll kinds (issue 12) ---
    "rating_poll": (
        "A rating poll (1 to 4, with end labels): rated, a rating changed, a voter erases.",
        [
            (
                "mod",
                "create_poll",
                {
                    "question": "Maturité IA ?",
                    "kind": "rating",
                    "scale_max": 4,
                    "scale_labels": ["Débutants", "Experts"],
                },
            ),
            ("mod", "open_poll", {"poll_id": "p1"}),
            ("alice", "cast_ballot", {"poll_id": "p1", "rating": 3}),
            ("bob", "cast_ballot", {"poll_id": "p1", "rating": 1}),
            ("bob", "cast_ballot", {"poll_id": "p1", "rating": 4}),
            ("carol", "cast_ballot", {"poll_id": "p1", "rating": 4}),
            ("alice", "erase_my_contributions", {}),
            ("mod", "close_poll", {"poll_id": "p1"}),
        ],
    ),
    "words_poll": (
        "A word cloud with hidden results: words grouped by case, accents and punctuation.",
        [
            ("mod", "create_poll", {"question": "Un mot pour l'IA ?", "kind": "words", "hide_results": True}),
            ("mod", "open_poll", {"poll_id": "p1"}),
            ("alice", "cast_ballot", {"poll_id": "p1", "words": ["Confiance", "coût"]}),
            ("bob", "cast_ballot", {"poll_id": "p1", "words": ["confiance !", "Coût", "risque"]}),
            ("carol", "cast_ballot", {"poll_id": "p1", "words": ["Cout"]}),
            ("carol", "cast_ballot", {"poll_id": "p1", "words": ["« confiance »"]}),
            ("mod", "close_poll", {"poll_id": "p1"}),
        ],
    ),
    "open_poll": (
        "Open answers, anonymous to all: reviewed, approved or rejected, before and after the close.",
        [
            ("mod", "create_poll", {"question": "Votre plus grand frein ?", "kind": "open"}),
            ("mod", "open_poll", {"poll_id": "p1"}),
            ("alice", "cast_ballot", {"poll_id": "p1", "text": "Les compétences"}),
            ("bob", "cast_ballot", {"poll_id": "p1", "text": "Le budget"}),
            ("alice", "cast_ballot", {"poll_id": "p1", "text": "Hors sujet"}),
            ("mod", "approve_answer", {"poll_id": "p1", "answer_id": "o1"}),
            ("mod", "reject_answer", {"poll_id": "p1", "answer_id": "o3"}),
            ("mod", "close_poll", {"poll_id": "p1"}),
            ("mod", "approve_answer", {"poll_id": "p1", "answer_id": "o2"}),
            ("mod", "reject_answer", {"poll_id": "p1", "answer_id": "o1"}),
        ],
    ),
}
