"""A fixture debate that covers every kind of event, built through the real core.

The clock is fixed (each reading is 45 s after the previous one), so the
exports are the same on every run; participant ids are random but never appear
in an export.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from server.core import Actor
from server.debate import DebateService
from shared import protocol as p

START = datetime(2026, 11, 26, 18, 45, tzinfo=UTC)  # 19:45 in Paris

INJECTIONS = {
    "script": "<script>alert('x')</script> & <b>bold</b>",
    "markdown": ("# x\n[a](javascript:alert(1)) | col | ![i](x)\n---\n1. item\n> quote *em* `code` ~~s~~"),
    "formula": "=cmd|' /C calc'!A0",
}
SECRET_AUTHOR = "Zoé Secrète"  # asks only anonymously: must appear in no export
SECRET_TEXT = "Qui paie la facture des GPU ?"
LOOK_ALIKE = "Mod\u00e9r\u0430trice"  # a Cyrillic "а": looks like the moderator's name


def fixed_clock(start: datetime = START, step: timedelta = timedelta(seconds=45)) -> Callable[[], str]:
    ticks = [start - step]

    def clock() -> str:
        ticks[0] += step
        return ticks[0].isoformat(timespec="milliseconds").replace("+00:00", "Z")

    return clock


class Driver:
    """Runs commands as named actors and fails loudly on any refusal."""

    def __init__(self, service: DebateService) -> None:
        self.service = service
        self.actors: dict[str, Actor] = {}
        self._ids = 0

    def join(self, name: str, role: str = "participant") -> None:
        participant, _token, _events = self.service.join(name, role)
        self.actors[name] = Actor(participant.participant_id, role, participant.name)  # type: ignore[arg-type]

    def do(self, who: str, type_: str, **fields: Any) -> str | None:
        self._ids += 1
        command = p.client_frame_adapter.validate_python({"type": type_, "id": f"f{self._ids}", **fields})
        reply = self.service.execute(command, self.actors[who]).reply
        assert isinstance(reply, p.Ack), reply
        return reply.created


def build_fixture(path: Path) -> DebateService:
    service = DebateService.open(path, title="Club DSI — l'IA générative, et après ?", clock=fixed_clock())
    d = Driver(service)
    d.join("Modératrice", "moderator")
    for name in (
        "Alice Martin",
        "Bruno Lefèvre",
        "Chloé",
        "<script>alert(1)</script>",
        SECRET_AUTHOR,
    ):
        d.join(name)
    mod = "Modératrice"
    # The agenda, edited before the evening: added, updated, moved, one removed.
    r1 = d.do(mod, "add_round", title="Ouverture", theme="Ce que dit l'étude.", minutes=10)
    r2 = d.do(
        mod,
        "add_round",
        title="Usages | *réels*",
        theme="Où en est-on ?\nDes exemples.",
        minutes=20,
    )
    r3 = d.do(mod, "add_round", title="Gouvernance", theme="Qui décide ?", minutes=15)
    r4 = d.do(mod, "add_round", title="Supprimée", theme="Jamais jouée.", minutes=5)
    d.do(mod, "update_round", round_id=r2, title="Usages réels", minutes=25)
    d.do(mod, "move_round", round_id=r3, position=1)  # Gouvernance now before Usages
    d.do(mod, "remove_round", round_id=r4)
    draft = d.do(mod, "create_poll", question="Jamais ouvert ?", options=["a", "b"])
    assert draft
    # The lobby, before the first round.
    d.do("Alice Martin", "post_message", text="Bonsoir à tous !")
    d.do(mod, "set_moderation", enabled=False)
    d.do("Bruno Lefèvre", "submit_question", text="Question d'avant-match ?")
    d.do(mod, "set_moderation", enabled=True)
    # Round 1.
    d.do(mod, "start_round", round_id=r1)
    d.do("Alice Martin", "post_message", text=INJECTIONS["script"])
    d.do("Chloé", "post_message", text=INJECTIONS["markdown"])
    m_hidden = d.do("Bruno Lefèvre", "post_message", text="Message masqué par la modération")
    d.do(mod, "hide_message", message_id=m_hidden)
    d.do("<script>alert(1)</script>", "post_message", text=INJECTIONS["formula"])
    q_named = d.do("Alice Martin", "submit_question", text="Quel budget pour 2027 ?")
    q_anon = d.do(SECRET_AUTHOR, "submit_question", text=SECRET_TEXT, anonymous=True)
    d.do(SECRET_AUTHOR, "submit_question", text="Question anonyme restée en attente", anonymous=True)
    q_rejected = d.do("Bruno Lefèvre", "submit_question", text="Question rejetée")
    q_formula = d.do("Chloé", "submit_question", text="+33 6 12 34 56 78 ou @chloe ?")
    d.do(mod, "approve_question", question_id=q_named)
    d.do(mod, "approve_question", question_id=q_anon)
    d.do(mod, "approve_question", question_id=q_formula)
    d.do(mod, "reject_question", question_id=q_rejected)
    for voter in ("Bruno Lefèvre", "Chloé", "Alice Martin"):  # not its author: no upvote for one's own
        d.do(voter, "upvote_question", question_id=q_anon)
    d.do("Chloé", "withdraw_upvote", question_id=q_anon)
    d.do(SECRET_AUTHOR, "upvote_question", question_id=q_named)
    d.do(mod, "pin_question", question_id=q_anon)
    d.do(mod, "pin_question", question_id=q_named)  # unpins the anonymous one
    d.do(mod, "mark_answered", question_id=q_anon)
    d.do(mod, "unpin_question", question_id=q_named)
    # Issue 12: two duplicates merged into the named question (one anonymous: its
    # author stays unnamed), voters in common counted once; written answers.
    q_dup = d.do("Chloé", "submit_question", text="Le budget 2027, concrètement ?")
    q_dup_anon = d.do(SECRET_AUTHOR, "submit_question", text="Combien pour 2027 ?", anonymous=True)
    for question_id in (q_dup, q_dup_anon):
        d.do(mod, "approve_question", question_id=question_id)
    d.do("Bruno Lefèvre", "upvote_question", question_id=q_dup)
    d.do(SECRET_AUTHOR, "upvote_question", question_id=q_dup)  # upvoted q_named too
    d.do(mod, "merge_questions", keep_id=q_named, merged_ids=[q_dup, q_dup_anon])
    d.do(mod, "answer_question", question_id=q_named, text="Une première réponse, remplacée.")
    d.do(mod, "answer_question", question_id=q_named, text="Voté en décembre.\n" + INJECTIONS["script"])
    d.do(mod, "answer_question", question_id=q_formula, text=INJECTIONS["markdown"])
    poll1 = d.do(
        mod,
        "create_poll",
        question="L'IA générative est-elle en production chez vous ?",
        options=["Oui", "Non", "-En pilote"],
    )
    d.do(mod, "open_poll", poll_id=poll1)
    d.do("Alice Martin", "cast_ballot", poll_id=poll1, choices=[0])
    d.do("Bruno Lefèvre", "cast_ballot", poll_id=poll1, choices=[2])
    d.do("Chloé", "cast_ballot", poll_id=poll1, choices=[0])
    d.do("Chloé", "cast_ballot", poll_id=poll1, choices=[1])  # changes her mind
    d.do(mod, "close_poll", poll_id=poll1)
    # Tables (issue 13): seated, spokespersons, syntheses (one replaced), one table removed.
    lovelace = d.do(mod, "add_table", name="Table Lovelace", seats=6)
    turing = d.do(mod, "add_table", name="Turing <b>&</b> co", seats=4)
    hopper = d.do(mod, "add_table", name="Table Hopper", seats=2)
    d.do("Alice Martin", "choose_table", table_id=lovelace)
    d.do("Bruno Lefèvre", "choose_table", table_id=lovelace)
    d.do("Chloé", "choose_table", table_id=turing)
    d.do("<script>alert(1)</script>", "choose_table", table_id=hopper)
    d.do(mod, "set_spokesperson", table_id=lovelace, participant_id=d.actors["Bruno Lefèvre"].participant_id)
    d.do(mod, "set_spokesperson", table_id=turing, participant_id=d.actors["Chloé"].participant_id)
    d.do(
        mod,
        "set_spokesperson",
        table_id=hopper,
        participant_id=d.actors["<script>alert(1)</script>"].participant_id,
    )
    d.do("Bruno Lefèvre", "post_synthesis", round_id=r1, text="Premier jet, remplacé.")
    d.do("Chloé", "post_synthesis", round_id=r1, text=INJECTIONS["markdown"])
    d.do("<script>alert(1)</script>", "post_synthesis", round_id=r1, text=INJECTIONS["formula"])
    d.do("Bruno Lefèvre", "post_synthesis", round_id=r1, text="Des agents, oui,\nmais supervisés.")
    d.do(mod, "remove_table", table_id=hopper)
    # The speaker queue: hands raised (a topic, which no export shows), the floor
    # given in turn; starting round 2 ends the last turn of round 1.
    alice = d.actors["Alice Martin"].participant_id
    script = d.actors["<script>alert(1)</script>"].participant_id
    assert alice and script
    d.do("Alice Martin", "raise_hand", topic="Sujet de main levée, jamais exporté")
    d.do("<script>alert(1)</script>", "raise_hand")
    d.do(mod, "give_floor", participant_id=alice)
    d.do(mod, "give_floor", participant_id=script)  # Alice spoke 45 s
    d.do("Chloé", "post_message", text="Bien dit.")
    d.do(mod, "give_floor", participant_id=alice)  # the other spoke 1 min 30 s
    # Round 2 (Gouvernance): starting it ends round 1.
    d.do(mod, "start_round", round_id=r3)
    d.do(mod, "give_floor", participant_id=d.actors["Bruno Lefèvre"].participant_id)
    d.do("Bruno Lefèvre", "post_message", text="Ligne 1\n\n    ligne indentée\n- pas une liste")
    d.do(mod, "end_floor")
    poll2 = d.do(
        mod,
        "create_poll",
        question="Vos priorités ? =SUM(A1)",
        options=["Sécurité", "Coûts", "Talents"],
        multiple=True,
        hide_results=True,
    )
    d.do(mod, "open_poll", poll_id=poll2)
    d.do("Alice Martin", "cast_ballot", poll_id=poll2, choices=[0, 1])
    d.do("Chloé", "cast_ballot", poll_id=poll2, choices=[0])
    d.do(mod, "close_poll", poll_id=poll2)
    # Poll kinds (issue 12): a rating, a word cloud, open answers (the secret author answers too).
    rating = d.do(
        mod,
        "create_poll",
        question="Votre maturité IA ?",
        kind="rating",
        scale_max=5,
        scale_labels=["Débutants", "Experts <b>"],
    )
    d.do(mod, "open_poll", poll_id=rating)
    for voter, value in (("Alice Martin", 4), ("Bruno Lefèvre", 2), ("Chloé", 5), ("Chloé", 4)):
        d.do(voter, "cast_ballot", poll_id=rating, rating=value)
    d.do(mod, "close_poll", poll_id=rating)
    cloud = d.do(mod, "create_poll", question="Un mot pour demain ?", kind="words")
    d.do(mod, "open_poll", poll_id=cloud)
    d.do("Alice Martin", "cast_ballot", poll_id=cloud, words=["Confiance", "coûts"])
    d.do("Bruno Lefèvre", "cast_ballot", poll_id=cloud, words=["confiance !", "<script>x</script>"])
    d.do("Chloé", "cast_ballot", poll_id=cloud, words=["=cmd|' /C calc'!A0", "Coûts"])
    d.do(mod, "close_poll", poll_id=cloud)
    answers = d.do(mod, "create_poll", question="Votre plus grand frein ?", kind="open")
    d.do(mod, "open_poll", poll_id=answers)
    shown = d.do(SECRET_AUTHOR, "cast_ballot", poll_id=answers, text="Les compétences, *rares*")
    rejected = d.do("Alice Martin", "cast_ballot", poll_id=answers, text="Réponse rejetée")
    d.do("Chloé", "cast_ballot", poll_id=answers, text="Réponse jamais relue")
    other = d.do("Bruno Lefèvre", "cast_ballot", poll_id=answers, text=INJECTIONS["markdown"])
    for answer_id in (shown, other):
        d.do(mod, "approve_answer", poll_id=answers, answer_id=answer_id)
    d.do(mod, "reject_answer", poll_id=answers, answer_id=rejected)
    d.do(mod, "close_poll", poll_id=answers)
    # Opinion shift (issue 13): the first poll asked again. Three voted both times;
    # two changes of one guest each, merged into "other changes".
    again = d.do(mod, "create_poll", repeat_of=poll1)
    d.do(mod, "open_poll", poll_id=again)
    second = (("Alice Martin", 1), ("Bruno Lefèvre", 1), ("Chloé", 1), ("<script>alert(1)</script>", 0))
    for voter, choice in second:
        d.do(voter, "cast_ballot", poll_id=again, choices=[choice])
    d.do(mod, "close_poll", poll_id=again)
    d.do(mod, "end_round")
    # r2 (Usages réels) is never played. After the rounds, in the lobby: a poll still open.
    d.do("Chloé", "post_message", text="Merci pour cette soirée.")
    # Still speaking when the export is made: counted up to its time.
    d.do(mod, "give_floor", participant_id=d.actors["Chloé"].participant_id)
    poll3 = d.do(mod, "create_poll", question="On remet ça ?", options=["Oui", "Non"])
    d.do(mod, "open_poll", poll_id=poll3)
    d.do("Alice Martin", "cast_ballot", poll_id=poll3, choices=[0])
    # Author roles (issue 14, item 4): the moderator speaks and asks, and a guest
    # named like her (a look-alike "а") does too; only the moderator is badged.
    look_alike = LOOK_ALIKE
    d.join(look_alike)
    d.do(look_alike, "post_message", text="Je modère aussi, promis.")
    d.do(mod, "post_message", text="Merci à tous, à bientôt.")
    d.do(mod, "set_moderation", enabled=False)
    d.do(mod, "submit_question", text="Une date pour la prochaine, peut-être.")
    d.do(look_alike, "submit_question", text="Et si je modérais, moi.")
    assert r2
    return service
