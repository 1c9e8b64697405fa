"""The exports' texts in French and English, and dates in each language's format.

Times in the log are UTC; an export shows them in one time zone (by default
the machine's local zone) and says which.
"""

from __future__ import annotations

from datetime import UTC, datetime, tzinfo

from shared.language import LANGS, Lang, is_singular, typeset
from shared.tally import one_decimal

__all__ = ["LANGS", "Lang", "Localizer", "parse_time", "typeset"]

_TEXTS: dict[str, dict[Lang, str]] = {
    "transcript": {"fr": "Compte rendu", "en": "Transcript"},
    "date": {"fr": "Date", "en": "Date"},
    "evening": {"fr": "Horaires", "en": "Time"},
    "from_to": {"fr": "de {start} à {end}", "en": "from {start} to {end}"},
    "from_ongoing": {"fr": "depuis {start} (en cours)", "en": "since {start} (in progress)"},
    "not_started": {"fr": "pas encore commencé", "en": "not started yet"},
    "participants": {"fr": "Participants", "en": "Participants"},
    "times_in": {"fr": "Heures : {tz}", "en": "Times: {tz}"},
    "as_of": {"fr": "État au {date} à {time}", "en": "As of {date} at {time}"},
    "agenda": {"fr": "Programme", "en": "Agenda"},
    "round": {"fr": "Temps", "en": "Round"},
    "round_n": {"fr": "Temps {n}", "en": "Round {n}"},
    "theme": {"fr": "Thème", "en": "Theme"},
    "planned": {"fr": "Durée prévue", "en": "Planned length"},
    "actual": {"fr": "Durée réelle", "en": "Actual length"},
    "minutes": {"fr": "{n} min", "en": "{n} min"},
    "under_a_minute": {"fr": "moins d'une minute", "en": "under a minute"},
    "status_pending": {"fr": "pas joué", "en": "not played"},
    "status_live": {"fr": "en cours", "en": "in progress"},
    "started": {"fr": "Début à {time}", "en": "Started at {time}"},
    "chat": {"fr": "Discussion", "en": "Chat"},
    "announcements": {"fr": "Annonces de la modération", "en": "Announcements"},
    "questions": {"fr": "Questions", "en": "Questions"},
    "polls": {"fr": "Sondages", "en": "Polls"},
    "nothing_ended": {
        "fr": "Aucun message, aucune question ni aucun sondage pendant ce temps.",
        "en": "No message, question or poll during this round.",
    },
    "nothing_live": {
        "fr": "Aucun message, aucune question ni aucun sondage pour l'instant.",
        "en": "No message, question or poll so far.",
    },
    "anonymous": {"fr": "Anonyme", "en": "Anonymous"},
    # The badge of a moderator's message or named question (from their role, never their name).
    "moderator_badge": {"fr": "modération", "en": "moderator"},
    "votes.one": {"fr": "{n} vote", "en": "{n} vote"},
    "votes.many": {"fr": "{n} votes", "en": "{n} votes"},
    "answered": {"fr": "répondue", "en": "answered"},
    "not_answered": {"fr": "sans réponse", "en": "not answered"},
    # The one word for a pinned question, as the client's screens say it.
    "on_the_floor": {"fr": "mise en discussion", "en": "put on the floor"},
    "voters.one": {"fr": "{n} votant", "en": "{n} voter"},
    "voters.many": {"fr": "{n} votants", "en": "{n} voters"},
    "multiple": {
        "fr": "plusieurs réponses possibles : chaque pourcentage est la part des votants",
        "en": "several answers possible: each percentage is a share of the voters",
    },
    "poll_open": {"fr": "en cours, résultats provisoires", "en": "still open, provisional results"},
    "lobby": {"fr": "Hors des temps du débat", "en": "Outside the rounds"},
    "lobby_intro": {
        "fr": "Ce qui s'est dit avant, entre ou après les temps du débat.",
        "en": "What was said before, between or after the rounds.",
    },
    "untitled": {"fr": "Dîner-débat", "en": "Dinner debate"},
    "notes": {"fr": "Notes entre modérateurs", "en": "Notes between moderators"},
    "notes_intro": {
        "fr": "Échangées pendant la soirée, vues des seuls modérateurs.",
        "en": "Written during the evening, seen by the moderators only.",
    },
    "col_note": {"fr": "note", "en": "note"},
    "yes": {"fr": "oui", "en": "yes"},
    "no": {"fr": "non", "en": "no"},
    # CSV headers
    "col_round": {"fr": "temps", "en": "round"},
    "col_round_title": {"fr": "titre_temps", "en": "round_title"},
    "col_id": {"fr": "id", "en": "id"},
    "col_time": {"fr": "heure", "en": "time"},
    "col_author": {"fr": "auteur", "en": "author"},
    "col_anonymous": {"fr": "anonyme", "en": "anonymous"},
    "col_by_moderator": {"fr": "modération", "en": "moderator"},
    "col_text": {"fr": "texte", "en": "text"},
    "col_votes": {"fr": "votes", "en": "votes"},
    "col_answered": {"fr": "répondue", "en": "answered"},
    "col_on_the_floor": {"fr": "en_discussion", "en": "on_the_floor"},
    "col_poll": {"fr": "sondage", "en": "poll"},
    "col_question": {"fr": "question", "en": "question"},
    "col_status": {"fr": "état", "en": "status"},
    "col_multiple": {"fr": "plusieurs_réponses", "en": "several_answers"},
    "col_voters": {"fr": "votants", "en": "voters"},
    "col_option_no": {"fr": "n_option", "en": "option_no"},
    "col_option": {"fr": "option", "en": "option"},
    "col_count": {"fr": "voix", "en": "count"},
    "col_percent": {"fr": "pourcentage_des_votants", "en": "percent_of_voters"},
    # Merged questions and written answers (issue 12).
    "variant": {"fr": "Question proche, fusionnée", "en": "Similar question, merged"},
    "written_answer": {"fr": "Réponse écrite", "en": "Written answer"},
    "col_merged_into": {"fr": "fusionnée_dans", "en": "merged_into"},
    "col_written_answer": {"fr": "réponse_écrite", "en": "written_answer"},
    "status_open": {"fr": "ouvert", "en": "open"},
    "status_closed": {"fr": "clos", "en": "closed"},
    "lobby_short": {"fr": "hors temps", "en": "outside rounds"},
    # poll kinds (issue 12)
    "kind_rating": {"fr": "note de 1 à {max}", "en": "rating from 1 to {max}"},
    "average": {"fr": "moyenne {average} / {max}", "en": "average {average} / {max}"},
    "kind_words": {
        "fr": "nuage de mots : combien de votants ont donné chaque mot",
        "en": "word cloud: how many voters gave each word",
    },
    "answers_received.one": {"fr": "{n} réponse reçue", "en": "{n} answer received"},
    "answers_received.many": {"fr": "{n} réponses reçues", "en": "{n} answers received"},
    "answers_shown.one": {"fr": "{n} validée", "en": "{n} approved"},
    "answers_shown.many": {"fr": "{n} validées", "en": "{n} approved"},
    "no_answer_shown": {
        "fr": "Aucune réponse validée. Les réponses sont anonymes pour tous.",
        "en": "No answer approved. Answers are anonymous to everyone.",
    },
    "answers_note": {
        "fr": "Réponses libres, anonymes pour tous, validées par la modération :",
        "en": "Open answers, anonymous to everyone, approved by the moderators:",
    },
    "col_kind": {"fr": "type", "en": "kind"},
    "csv_kind_choice": {"fr": "choix", "en": "choice"},
    "csv_kind_rating": {"fr": "note", "en": "rating"},
    "csv_kind_words": {"fr": "mots", "en": "words"},
    "csv_kind_open": {"fr": "réponses libres", "en": "open answers"},
    "col_average": {"fr": "moyenne", "en": "average"},
    # --- opinion shift (issue 13) ---
    "shift_title": {"fr": "Évolution depuis le premier vote", "en": "Shift since the first vote"},
    "shift_before": {"fr": "Avant", "en": "Before"},
    "shift_after": {"fr": "Après", "en": "After"},
    "shift_points": {"fr": "{n}\u00a0pts", "en": "{n} pp"},
    "shift_both.one": {"fr": "{n} invité a voté les deux fois", "en": "{n} guest voted both times"},
    "shift_both.many": {"fr": "{n} invités ont voté les deux fois", "en": "{n} guests voted both times"},
    "shift_changed.one": {"fr": "{n} a changé d'avis", "en": "{n} changed their answer"},
    "shift_changed.many": {"fr": "{n} ont changé d'avis", "en": "{n} changed their answer"},
    "shift_guests.one": {"fr": "{n} invité", "en": "{n} guest"},
    "shift_guests.many": {"fr": "{n} invités", "en": "{n} guests"},
    "shift_other": {"fr": "Autres changements : {guests}", "en": "Other changes: {guests}"},
    "shift_other_why": {
        "fr": (
            "Les changements de moins de 3 invités sont regroupés, "
            "pour que le vote de personne ne puisse s'en déduire."
        ),
        "en": "Changes of fewer than 3 guests are merged, so that no one's vote can be told.",
    },
    "shift_too_few": {
        "fr": (
            "Moins de 3 invités ont voté les deux fois : les changements ne sont pas montrés, "
            "pour que le vote de personne ne puisse s'en déduire."
        ),
        "en": (
            "Fewer than 3 guests voted both times: changes are not shown, so that no one's vote can be told."
        ),
    },
    "repeat_of": {"fr": "reprend un sondage précédent", "en": "asks an earlier poll again"},
    # CSV: polls.csv's shift columns and shifts.csv
    "col_repeat_of": {"fr": "reprend_le_sondage", "en": "repeat_of"},
    "col_percent_before": {"fr": "pourcentage_avant", "en": "percent_before"},
    "col_shift_points": {"fr": "écart_points", "en": "shift_points"},
    "col_voted_both": {"fr": "ont_voté_les_deux_fois", "en": "voted_both_times"},
    "col_changed": {"fr": "ont_changé_d_avis", "en": "changed"},
    "col_from": {"fr": "de", "en": "from"},
    "col_to": {"fr": "vers", "en": "to"},
    "col_guests": {"fr": "invités", "en": "guests"},
    "other_changes": {"fr": "(autres changements)", "en": "(other changes)"},
    # the speaker queue
    "speaking_time": {"fr": "Temps de parole", "en": "Speaking time"},
    "speaking_intro": {
        "fr": "Du moment où la modération donne la parole jusqu'à la fin du tour.",
        "en": "From the moment the moderator gives the floor to the end of the turn.",
    },
    "speaker": {"fr": "Personne", "en": "Speaker"},
    "turns": {"fr": "Prises de parole", "en": "Turns"},
    "time_spoken": {"fr": "Durée", "en": "Time"},
    "spoke_s": {"fr": "{s} s", "en": "{s} s"},
    "spoke_ms": {"fr": "{m} min {s} s", "en": "{m} min {s} s"},
    "spoke_hm": {"fr": "{h} h {m} min {s} s", "en": "{h} h {m} min {s} s"},
    "col_speaker": {"fr": "personne", "en": "speaker"},
    "col_turns": {"fr": "prises_de_parole", "en": "turns"},
    "col_seconds": {"fr": "secondes", "en": "seconds"},
    # tables (issue 13)
    "tables": {"fr": "Tables", "en": "Tables"},
    "tables_intro": {
        "fr": "Qui est assis à quelle table à la fin de la soirée.",
        "en": "Who sits at which table at the end of the evening.",
    },
    "table_seats": {"fr": "{seated}/{seats} places", "en": "{seated}/{seats} seats"},
    "table_removed": {"fr": "retirée pendant la soirée", "en": "removed during the evening"},
    "table_empty": {"fr": "personne", "en": "nobody"},
    "syntheses": {"fr": "Synthèses des tables", "en": "Table syntheses"},
    "by_table": {"fr": "Par table", "en": "By table"},
    "other_tables": {"fr": "Autres tables", "en": "Other tables"},
    "by_table_merged": {
        "fr": "« Autres tables » : les tables où moins de 3 convives ont voté, et les convives sans "
        "table, regroupés pour qu'aucun vote ne puisse être deviné.",
        "en": "“Other tables”: the tables where fewer than 3 guests voted, and guests without a table, "
        "merged so that no one's vote can be told.",
    },
    "by_table_none": {
        "fr": "Pas de résultats par table : il faut au moins 3 votants à une table, pour qu'aucun vote "
        "ne puisse être deviné.",
        "en": "No results by table: a table needs at least 3 voters, so that no one's vote can be told.",
    },
    "col_table_voters": {"fr": "votants_table", "en": "table_voters"},
    "col_table": {"fr": "table", "en": "table"},
    "col_table_name": {"fr": "nom_table", "en": "table_name"},
    "col_seats": {"fr": "places", "en": "seats"},
    "col_guest": {"fr": "convive", "en": "guest"},
    "col_removed": {"fr": "retirée", "en": "removed"},
    # --- the organiser's report (issue 13) ---
    "report": {"fr": "Rapport de la soirée", "en": "Evening report"},
    "report_file": {"fr": "rapport", "en": "report"},
    "in_numbers": {"fr": "La soirée en chiffres", "en": "The evening in numbers"},
    "n_guests.one": {"fr": "invité", "en": "guest"},
    "n_guests.many": {"fr": "invités", "en": "guests"},
    "n_tables.one": {"fr": "table", "en": "table"},
    "n_tables.many": {"fr": "tables", "en": "tables"},
    "n_messages.one": {"fr": "message", "en": "message"},
    "n_messages.many": {"fr": "messages", "en": "messages"},
    "n_questions.one": {"fr": "question", "en": "question"},
    "n_questions.many": {"fr": "questions", "en": "questions"},
    "n_polls.one": {"fr": "sondage", "en": "poll"},
    "n_polls.many": {"fr": "sondages", "en": "polls"},
    "n_votes.one": {"fr": "vote", "en": "vote"},
    "n_votes.many": {"fr": "votes", "en": "votes"},
    "numbers_note": {
        "fr": "Invités : les convives venus (sans la modération). Questions : celles validées, "
        "fusionnées comprises. Votes : les bulletins de tous les sondages.",
        "en": "Guests: who came (moderators aside). Questions: the approved ones, merged ones "
        "included. Votes: the ballots of every poll.",
    },
    "top_questions": {"fr": "Questions les plus soutenues", "en": "Most upvoted questions"},
    "more_questions.one": {"fr": "et {n} autre question", "en": "and {n} more question"},
    "more_questions.many": {"fr": "et {n} autres questions", "en": "and {n} more questions"},
    "more_unanswered.one": {
        "fr": "et {n} autre question sans réponse, dans le compte rendu complet",
        "en": "and {n} more question left unanswered, in the full transcript",
    },
    "more_unanswered.many": {
        "fr": "et {n} autres questions sans réponse, dans le compte rendu complet",
        "en": "and {n} more questions left unanswered, in the full transcript",
    },
    "answered_oral": {"fr": "répondue à l'oral", "en": "answered on the floor"},
    "answered_written": {"fr": "réponse écrite", "en": "written answer"},
    "unanswered": {"fr": "Questions restées sans réponse", "en": "Questions left unanswered"},
    "unanswered_none": {
        "fr": "Toutes les questions ont reçu une réponse, écrite ou à l'oral.",
        "en": "Every question was answered, in writing or on the floor.",
    },
    "unanswered_no_questions": {"fr": "Aucune question n'a été posée.", "en": "No question was asked."},
    "speaking_by_table": {"fr": "Temps de parole par table", "en": "Speaking time per table"},
    "speaking_by_table_intro": {
        "fr": "La somme des temps de parole des convives assis à chaque table à la fin de la soirée.",
        "en": "The sum of the speaking times of the guests seated at each table at the end of the evening.",
    },
    "no_table": {"fr": "Sans table (modération comprise)", "en": "At no table (moderators included)"},
    "more_rows.one": {
        "fr": "et {n} autre (voir le compte rendu complet)",
        "en": "and {n} more (see the full transcript)",
    },
    "more_rows.many": {
        "fr": "et {n} autres (voir le compte rendu complet)",
        "en": "and {n} more (see the full transcript)",
    },
    "round_not_played": {"fr": "Ce temps n'a pas été joué.", "en": "This round was not played."},
    # --- the Chatham House rule (issue 13) ---
    "chatham_house": {
        "fr": "Règle de Chatham House : ce qui a été dit est rapporté, jamais qui l'a dit.",
        "en": "Chatham House rule: what was said is reported, never who said it.",
    },
    "chatham_file": {"fr": "chatham-house", "en": "chatham-house"},
    "seated_count.one": {"fr": "{n} convive", "en": "{n} guest"},
    "seated_count.many": {"fr": "{n} convives", "en": "{n} guests"},
    "warnings": {"fr": "À vérifier avant publication", "en": "To check before publishing"},
    "warnings_intro": {
        "fr": "Ces textes contiennent le nom d'un participant. Ils ne sont pas réécrits : "
        "à vous de voir s'il faut l'ôter.",
        "en": "These texts contain a participant's name. They are not rewritten: "
        "it is yours to decide whether to take it out.",
    },
    "where_title": {"fr": "titre de la soirée", "en": "title of the evening"},
    "where_round_title": {"fr": "titre du temps", "en": "round title"},
    "where_theme": {"fr": "thème", "en": "theme"},
    "where_message": {"fr": "message {id}", "en": "message {id}"},
    "where_question": {"fr": "question {id}", "en": "question {id}"},
    "where_variant": {"fr": "question fusionnée {id}", "en": "merged question {id}"},
    "where_written_answer": {
        "fr": "réponse écrite à la question {id}",
        "en": "written answer to question {id}",
    },
    "where_announcement": {"fr": "annonce {id}", "en": "announcement {id}"},
    "where_synthesis": {"fr": "synthèse de « {id} »", "en": "synthesis of “{id}”"},
    "where_poll_question": {"fr": "question du sondage {id}", "en": "question of poll {id}"},
    "where_poll_option": {"fr": "option du sondage {id}", "en": "option of poll {id}"},
    "where_poll_word": {"fr": "mot du sondage {id}", "en": "word of poll {id}"},
    "where_poll_answer": {"fr": "réponse libre {id}", "en": "open answer {id}"},
    "where_table_name": {"fr": "nom de table « {id} »", "en": "table name “{id}”"},
    "where_note": {"fr": "note des modérateurs {id}", "en": "moderators' note {id}"},
    "col_where": {"fr": "où", "en": "where"},
    "col_name_found": {"fr": "nom_trouvé", "en": "name_found"},
    "col_seated": {"fr": "convives", "en": "guests"},
}

_DAYS: dict[Lang, tuple[str, ...]] = {
    "fr": ("lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche"),
    "en": ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"),
}
_MONTHS: dict[Lang, tuple[str, ...]] = {
    "fr": (
        "janvier",
        "février",
        "mars",
        "avril",
        "mai",
        "juin",
        "juillet",
        "août",
        "septembre",
        "octobre",
        "novembre",
        "décembre",
    ),
    "en": (
        "January",
        "February",
        "March",
        "April",
        "May",
        "June",
        "July",
        "August",
        "September",
        "October",
        "November",
        "December",
    ),
}

NNBSP = "\u202f"  # French typography: a narrow no-break space before % (and ? ! ;)


def parse_time(at: str) -> datetime:
    """An event's ``at`` (ISO 8601, UTC) as an aware datetime."""
    moment = datetime.fromisoformat(at.replace("Z", "+00:00"))
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)


class Localizer:
    """Texts, numbers, dates and times in one language and one time zone.

    ``tz`` None means the local time zone of the machine.
    """

    def __init__(self, lang: Lang, tz: tzinfo | None = None) -> None:
        self.lang = lang
        self.tz = tz
        # Many events share a minute (or a second): format each one once.
        self._times: dict[str, str] = {}
        self._timestamps: dict[str, str] = {}

    def t(self, key: str, **values: object) -> str:
        text = _TEXTS[key][self.lang]
        text = text.format(**values) if values else text
        return typeset(text) if self.lang == "fr" else text

    def plural(self, key: str, n: int) -> str:
        """``key.one`` or ``key.many``: "1 vote", "2 votes" (and "0 vote" in French)."""
        return self.t(f"{key}.{'one' if is_singular(n, self.lang) else 'many'}", n=n)

    def local(self, at: str) -> datetime:
        moment = parse_time(at)
        return moment.astimezone(self.tz) if self.tz is not None else moment.astimezone()

    def date(self, at: str) -> str:
        """jeudi 26 novembre 2026 / Thursday 26 November 2026."""
        moment = self.local(at)
        day = _DAYS[self.lang][moment.weekday()]
        month = _MONTHS[self.lang][moment.month - 1]
        first = "1er" if self.lang == "fr" and moment.day == 1 else str(moment.day)
        return f"{day} {first} {month} {moment.year}"

    def time(self, at: str) -> str:
        """20:15 (24-hour clock in both languages)."""
        minute = at[:16] if at.endswith("Z") else at  # zones are offset by whole minutes
        shown = self._times.get(minute)
        if shown is None:
            shown = self._times[minute] = self.local(at).strftime("%H:%M")
        return shown

    def timestamp(self, at: str) -> str:
        """2026-11-26 20:15:03, local time: what a spreadsheet reads as a date."""
        second = at[:19] if at.endswith("Z") else at
        shown = self._timestamps.get(second)
        if shown is None:
            shown = self._timestamps[second] = self.local(at).strftime("%Y-%m-%d %H:%M:%S")
        return shown

    def zone_name(self, at: str | None) -> str:
        moment = self.local(at) if at is not None else datetime.now(UTC).astimezone(self.tz)
        key = getattr(self.tz, "key", None) or moment.tzname()
        offset = moment.strftime("%z")
        shown = f"UTC{offset[:3]}:{offset[3:]}" if offset else "UTC"
        return f"{key} ({shown})" if key and key != shown else shown

    def number(self, value: float, digits: int = 1) -> str:
        text = f"{value:.{digits}f}".rstrip("0").rstrip(".") if isinstance(value, float) else str(value)
        return text.replace(".", ",") if self.lang == "fr" else text

    def percent(self, value: float) -> str:
        shown = f"{round(value)}"
        return f"{shown}{NNBSP}%" if self.lang == "fr" else f"{shown}%"

    def decimal(self, value: float, *, signed: bool = False) -> str:
        """One decimal, always (66,7 · 25,0); signed: + or − (U+2212), 0,0 unsigned."""
        return one_decimal(value, self.lang, signed=signed)

    def percent_one_decimal(self, value: float) -> str:
        shown = self.decimal(value)
        return f"{shown}{NNBSP}%" if self.lang == "fr" else f"{shown}%"

    def minutes(self, value: float | int) -> str:
        return self.t("minutes", n=self.number(value))

    def spoken(self, seconds: int) -> str:
        """A speaking time in minutes and seconds: 45 s, 3 min 05 s, 1 h 02 min 10 s."""
        hours, rest = divmod(max(0, seconds), 3600)
        minutes, secs = divmod(rest, 60)
        if hours:
            text = self.t("spoke_hm", h=hours, m=f"{minutes:02d}", s=f"{secs:02d}")
        elif minutes:
            text = self.t("spoke_ms", m=minutes, s=f"{secs:02d}")
        else:
            text = self.t("spoke_s", s=secs)
        # A number and its unit stay on one line.
        return text.replace(" ", "\u00a0") if self.lang == "fr" else text

    def duration(self, minutes: float) -> str:
        """How long a round lasted, in whole minutes: what a reader needs."""
        if minutes < 1:
            return self.t("under_a_minute")
        return self.t("minutes", n=round(minutes))
