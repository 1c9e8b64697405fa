"""What ``convive serve`` and ``convive export`` say, in French and English.

The language follows ``--lang``, or else the locale, as the client's does.
"""

from __future__ import annotations

from shared.language import Lang, is_singular, typeset

_TEXTS: dict[str, dict[Lang, str]] = {
    "bad_join_code": {
        "fr": "convive : un code d'accès a 6 caractères parmi A–Z et 2–9, sans O, I ni L.",
        "en": "convive: a join code is 6 characters from A-Z and 2-9, without O, I, L.",
    },
    "short_key": {
        "fr": "convive : une clé de modération a au moins 22 caractères (128 bits).",
        "en": "convive: a moderator key needs at least 22 characters (128 bits).",
    },
    "bad_public_url": {
        "fr": "convive : --public-url est une adresse ws:// ou wss://, par exemple wss://debat.example.org/.",
        "en": "convive: --public-url is a ws:// or wss:// address, e.g. wss://debate.example.org/.",
    },
    "error": {"fr": "convive : {error}", "en": "convive: {error}"},
    "cannot_listen": {
        "fr": "convive : impossible d'écouter sur {host}:{port} : {error}",
        "en": "convive: cannot listen on {host}:{port}: {error}",
    },
    "title": {"fr": "convive : « {title} »", "en": "convive: « {title} »"},
    "url": {"fr": "adresse des invités", "en": "websocket URL"},
    "other_urls": {"fr": "autres adresses", "en": "other URLs"},
    "local_only": {
        "fr": "(cette machine seulement ; --host 0.0.0.0 pour le réseau)",
        "en": "(this machine only; --host 0.0.0.0 for your network)",
    },
    "join_code": {"fr": "code d'accès", "en": "join code"},
    "guest_page": {"fr": "page des invités", "en": "guests open"},
    "projector_page": {"fr": "projecteur", "en": "projector"},
    "moderator_key": {"fr": "clé de modération", "en": "moderator key"},
    "key_hidden": {"fr": "(masquée : --hide-moderator-key)", "en": "(hidden: --hide-moderator-key)"},
    "database": {"fr": "base de données", "en": "database"},
    "capacity": {"fr": "capacité", "en": "capacity"},
    "capacity_value": {
        "fr": "{n} connexions (limite de fichiers ouverts : {limit})",
        "en": "{n} connections (open-file limit {limit})",
    },
    "events.one": {"fr": "{path} ({n} entrée au journal)", "en": "{path} ({n} event in the log)"},
    "events.many": {"fr": "{path} ({n} entrées au journal)", "en": "{path} ({n} events in the log)"},
    "unknown_tz": {
        "fr": "convive : fuseau horaire {tz!r} inconnu (essayez Europe/Paris ou UTC).",
        "en": "convive: unknown time zone {tz!r} (try Europe/Paris or UTC).",
    },
    "cannot_write": {
        "fr": "convive : impossible d'écrire {path} : {error}",
        "en": "convive: cannot write {path}: {error}",
    },
    "wrote": {
        "fr": "convive : compte rendu écrit dans {path} ({format}, {size} octets)",
        "en": "convive: wrote {path} ({format}, {size} bytes)",
    },
    # convive export --report / --chatham-house (issue 13)
    "report_format": {
        "fr": "convive : --report donne un document à lire, en md ou html (pas {format}) ; "
        "les données sont dans le compte rendu complet (--format {format} sans --report).",
        "en": "convive: --report makes a document to read, md or html (not {format}); "
        "the data is in the full transcript (--format {format} without --report).",
    },
    "names_found.one": {
        "fr": "convive : attention, {n} nom de participant trouvé dans les textes, qui ne sont pas "
        "réécrits (règle de Chatham House) :",
        "en": "convive: warning, {n} participant's name found in the texts, which are not rewritten "
        "(Chatham House rule):",
    },
    "names_found.many": {
        "fr": "convive : attention, {n} noms de participants trouvés dans les textes, qui ne sont pas "
        "réécrits (règle de Chatham House) :",
        "en": "convive: warning, {n} participants' names found in the texts, which are not rewritten "
        "(Chatham House rule):",
    },
    "name_found": {"fr": "  - {where} : « {found} »", "en": "  - {where}: “{found}”"},
    # convive invitations
    "no_guests": {
        "fr": "convive : {path} n'a aucun invité : listez-les dans le plan ([[guests]] name = \"…\") "
        "et passez-le à --plan.",
        "en": "convive: {path} has no guests: list them in the plan ([[guests]] name = \"…\") "
        "and give it with --plan.",
    },
    "invitations_need_url": {
        "fr": "convive : à quelle adresse les invités joignent-ils le serveur ? Donnez --public-url "
        "(par exemple https://debat.example.org/ ou http://192.168.1.20:8765/).",
        "en": "convive: where do guests reach the server? Give --public-url "
        "(e.g. https://debate.example.org/ or http://192.168.1.20:8765/).",
    },
    "bad_invitation_url": {
        "fr": "convive : --public-url est une adresse http://, https://, ws:// ou wss://.",
        "en": "convive: --public-url is an http://, https://, ws:// or wss:// address.",
    },
    "wrote_invitations.one": {
        "fr": "convive : {n} invitation écrite dans {path}",
        "en": "convive: wrote {n} invitation to {path}",
    },
    "wrote_invitations.many": {
        "fr": "convive : {n} invitations écrites dans {path}",
        "en": "convive: wrote {n} invitations to {path}",
    },
    "new_guests": {"fr": "nouveaux invités", "en": "new guests"},
    "invite_only.one": {
        "fr": "sur invitation seulement ({n} invitation personnelle)",
        "en": "by invitation only ({n} personal invitation)",
    },
    "invite_only.many": {
        "fr": "sur invitation seulement ({n} invitations personnelles)",
        "en": "by invitation only ({n} personal invitations)",
    },
    "invited.one": {
        "fr": "{n} invitation personnelle (convive invitations), et le code d'accès",
        "en": "{n} personal invitation (convive invitations), and the join code",
    },
    "invited.many": {
        "fr": "{n} invitations personnelles (convive invitations), et le code d'accès",
        "en": "{n} personal invitations (convive invitations), and the join code",
    },
    # Why a database cannot be exported (server.export.reader.ExportError).
    "export_error.no_file": {"fr": "{path} : ce fichier n'existe pas.", "en": "{path}: no such file."},
    "export_error.not_a_file": {"fr": "{path} n'est pas un fichier.", "en": "{path} is not a file."},
    "export_error.cannot_open": {
        "fr": "{path} : impossible de l'ouvrir ({error}).",
        "en": "{path}: cannot open ({error}).",
    },
    "export_error.not_convive": {
        "fr": "{path} n'est pas une base de données convive.",
        "en": "{path} is not a convive database.",
    },
    "export_error.not_convive_because": {
        "fr": "{path} n'est pas une base de données convive ({error}).",
        "en": "{path} is not a convive database ({error}).",
    },
    "export_error.newer": {
        "fr": "{path} vient d'un convive plus récent (schéma {version}, celui-ci connaît le {known}) : "
        "mettez convive à jour pour l'exporter.",
        "en": "{path} was written by a newer convive (schema {version}, this one knows {known}); "
        "upgrade convive to export it.",
    },
    "export_error.damaged": {
        "fr": "{path} : l'enregistrement n° {seq} est abîmé ou inconnu de ce convive.",
        "en": "{path}: event {seq} is damaged or unknown to this convive.",
    },
    "export_error.gap": {
        "fr": "{path} : il manque des enregistrements avant le n° {seq}.",
        "en": "{path}: the event log has a gap before event {seq}.",
    },
}


class CliText:
    def __init__(self, lang: Lang) -> None:
        self.lang = lang

    def __call__(self, key: str, **values: object) -> str:
        text = _TEXTS[key][self.lang]
        text = text.format(**values) if values else text
        return typeset(text) if self.lang == "fr" else text

    def plural(self, key: str, n: int, **values: object) -> str:
        return self(f"{key}.{'one' if is_singular(n, self.lang) else 'many'}", n=n, **values)

    def size(self, n: int) -> str:
        """1,234,567 / 1 234 567 (a narrow no-break space groups French digits)."""
        grouped = f"{n:,}"
        return grouped.replace(",", "\u202f") if self.lang == "fr" else grouped

    def banner(self, rows: list[tuple[str, str]]) -> list[str]:
        """``  label : value`` lines, the colons aligned."""
        width = max(len(self(key)) for key, _ in rows)
        if self.lang == "fr":  # the colon keeps to its label, the values align
            return [f"  {(self(key) + chr(0xA0) + ':').ljust(width + 2)} {value}" for key, value in rows]
        return [f"  {self(key).ljust(width)} : {value}" for key, value in rows]
