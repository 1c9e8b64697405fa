"""A dinner debate for the organiser's report (issue 13): three tables of three,
two rounds played and one not, the tables' syntheses, questions upvoted and
answered in writing or on the floor (or not at all), a poll asked again at the
end with a shift that three guests made the same way, speaking turns at every
table and the moderator's.

Some texts name participants (a first name, a surname, the moderator's first
name, a name typed in lowercase and without accents): the Chatham House export
must list them, and nothing else may name anyone.
"""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

from server.debate import DebateService
from tests.export.fixture import Driver, fixed_clock

MODERATOR = "Hélène Vasseur"
TABLES = {
    "Lovelace": ("Alice Martin", "Bruno Lefèvre", "Chloé Dubois"),
    "Turing": ("Karim Benali", "Léa Rousseau", "Marc Petit"),
    "Hopper": ("Nadia Haddad", "Olivier Garnier", "Pauline Roux"),
}
GUESTS = [name for names in TABLES.values() for name in names]
# The texts that name someone, and the words the export must flag in each.
NAMED_SYNTHESIS = "Comme l'a dit Karim, l'industrialisation commence par la donnée."
NAMED_MESSAGE = "D'accord avec léa rousseau sur les coûts."
NAMED_QUESTION = "Hélène, comment mesurer le retour sur investissement ?"
ANONYMOUS_QUESTION = "Qui paie la facture des GPU ?"


def build_report_fixture(path: Path) -> DebateService:
    service = DebateService.open(
        path,
        title="Club DSI — l'IA, de l'innovation au passage à l'échelle",
        clock=fixed_clock(step=timedelta(seconds=50)),
    )
    d = Driver(service)
    d.join(MODERATOR, "moderator")
    mod = MODERATOR
    for name in GUESTS:
        d.join(name)
    tables = {name: d.do(mod, "add_table", name=f"Table {name}", seats=4) for name in TABLES}
    for table, names in TABLES.items():
        for name in names:
            d.do(name, "choose_table", table_id=tables[table])
        d.do(
            mod, "set_spokesperson", table_id=tables[table], participant_id=d.actors[names[0]].participant_id
        )
    r1 = d.do(
        mod,
        "add_round",
        title="Où en sommes-nous ?",
        theme="L'IA générative dans nos organisations : pilotes, production, désillusions.",
        minutes=30,
    )
    r2 = d.do(
        mod,
        "add_round",
        title="Passer à l'échelle",
        theme="Méthodes, gouvernance et socle technique pour industrialiser.",
        minutes=40,
    )
    d.do(mod, "add_round", title="Le mot de la fin", theme="Ce que chacun retient.", minutes=10)

    # Round 1: a poll, questions, speaking turns, syntheses.
    d.do(mod, "start_round", round_id=r1)
    d.do("Bruno Lefèvre", "post_message", text="Chez nous, trois pilotes et rien en production.")
    d.do("Marc Petit", "post_message", text=NAMED_MESSAGE)
    first = d.do(
        mod,
        "create_poll",
        question="L'IA générative est-elle en production chez vous ?",
        options=["Oui", "En pilote", "Non"],
    )
    d.do(mod, "open_poll", poll_id=first)
    before = {"Lovelace": (1, 1, 2), "Turing": (0, 1, 1), "Hopper": (1, 2, 1)}
    for table, names in TABLES.items():
        for name, choice in zip(names, before[table], strict=True):
            d.do(name, "cast_ballot", poll_id=first, choices=[choice])
    d.do(mod, "close_poll", poll_id=first)
    q_budget = d.do("Alice Martin", "submit_question", text="Quel budget pour passer à l'échelle en 2027 ?")
    q_gpu = d.do("Olivier Garnier", "submit_question", text=ANONYMOUS_QUESTION, anonymous=True)
    q_skills = d.do("Nadia Haddad", "submit_question", text="Où trouver les compétences ?")
    q_named = d.do("Léa Rousseau", "submit_question", text=NAMED_QUESTION)
    q_lock = d.do("Pauline Roux", "submit_question", text="Comment éviter la dépendance à un fournisseur ?")
    for question in (q_budget, q_gpu, q_skills, q_named, q_lock):
        d.do(mod, "approve_question", question_id=question)
    upvotes = {
        q_gpu: ("Alice Martin", "Bruno Lefèvre", "Karim Benali", "Marc Petit", "Pauline Roux"),
        q_budget: ("Karim Benali", "Nadia Haddad", "Léa Rousseau"),
        q_named: ("Chloé Dubois", "Olivier Garnier"),
        q_lock: ("Marc Petit",),
    }
    for question, voters in upvotes.items():
        for voter in voters:
            d.do(voter, "upvote_question", question_id=question)
    d.do(mod, "pin_question", question_id=q_gpu)
    d.do(mod, "give_floor", participant_id=d.actors["Bruno Lefèvre"].participant_id)
    d.do(mod, "give_floor", participant_id=d.actors["Karim Benali"].participant_id)
    d.do(mod, "mark_answered", question_id=q_gpu)
    d.do(mod, "give_floor", participant_id=d.actors["Nadia Haddad"].participant_id)
    d.do(mod, "end_floor")
    d.do(mod, "answer_question", question_id=q_budget, text="Le sujet du prochain club, en mars.")
    d.do(
        "Alice Martin", "post_synthesis", round_id=r1, text="Beaucoup de pilotes, peu de mises en production."
    )
    d.do("Karim Benali", "post_synthesis", round_id=r1, text=NAMED_SYNTHESIS)
    d.do(
        "Nadia Haddad",
        "post_synthesis",
        round_id=r1,
        text="La désillusion guette : il faut des cas d'usage mesurés.",
    )

    # Round 2: the same poll asked again, more syntheses.
    d.do(mod, "start_round", round_id=r2)
    d.do(mod, "announce", text="Dernier temps : vingt minutes.")
    d.do("Olivier Garnier", "post_message", text="Le socle de données d'abord, les agents ensuite !")
    q_gov = d.do("Chloé Dubois", "submit_question", text="Qui arbitre entre métiers et DSI ?")
    d.do(mod, "approve_question", question_id=q_gov)
    for voter in ("Alice Martin", "Bruno Lefèvre", "Léa Rousseau", "Olivier Garnier"):
        d.do(voter, "upvote_question", question_id=q_gov)
    d.do(mod, "give_floor", participant_id=d.actors["Chloé Dubois"].participant_id)
    d.do(mod, "give_floor", participant_id=d.actors["Pauline Roux"].participant_id)
    d.do(mod, "mark_answered", question_id=q_gov)
    d.do(mod, "answer_question", question_id=q_gov, text="Un comité mensuel, présidé par le DG.")
    d.do(mod, "end_floor")
    again = d.do(mod, "create_poll", repeat_of=first)
    d.do(mod, "open_poll", poll_id=again)
    # Three guests move from "En pilote" to "Oui" (shown); three make three other
    # changes, one each (merged into "other changes").
    after = {"Lovelace": (0, 0, 1), "Turing": (0, 0, 2), "Hopper": (1, 0, 1)}
    for table, names in TABLES.items():
        for name, choice in zip(names, after[table], strict=True):
            d.do(name, "cast_ballot", poll_id=again, choices=[choice])
    d.do(mod, "close_poll", poll_id=again)
    d.do(
        "Alice Martin",
        "post_synthesis",
        round_id=r2,
        text="Un socle commun, puis des équipes produit mixtes.",
    )
    d.do("Karim Benali", "post_synthesis", round_id=r2, text="Gouvernance : un comité qui tranche vite.")
    d.do("Nadia Haddad", "post_synthesis", round_id=r2, text="Mesurer la valeur avant d'industrialiser.")
    d.do(mod, "give_floor", participant_id=d.actors["Nadia Haddad"].participant_id)
    d.do(mod, "end_round")
    d.do(MODERATOR, "post_message", text="Merci à toutes et à tous !")
    return service
