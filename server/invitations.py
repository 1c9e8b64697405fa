"""``convive invitations``: the guests' personal codes, as place cards to print or a CSV.

Place cards: one A4 page holds eight (two columns, four rows), each with the
guest's name, their table, the debate's title, the personal join link
(``/j/PERSONALCODE``) and its QR code (SVG, segno, as on the projector), in the
language of the evening. A CSV (one row per guest: name, table, code, link)
feeds a mail merge; its cells never start a spreadsheet formula.

Everything a guest's name may hold is escaped; the codes are secrets: the
output is as private as the database.
"""

from __future__ import annotations

import csv
import html
import io
import sqlite3
from dataclasses import dataclass
from pathlib import Path

from server.export.csv_ import neutralise
from server.export.reader import ExportError
from server.store import SCHEMA_VERSION, Invitation
from server.web.qr import qr_svg
from shared.events import DebateCreated, event_adapter
from shared.joinlink import join_link, join_link_for_qr
from shared.language import Lang, typeset

FORMATS = ("html", "csv")
CARDS_PER_PAGE = 8  # two columns of four on A4
LONG_NAME = 20  # characters: beyond, a smaller font keeps the card's lines in place

_TEXTS: dict[str, dict[Lang, str]] = {
    "page_title": {"fr": "Invitations — {title}", "en": "Invitations — {title}"},
    "table": {"fr": "Table : {table}", "en": "Table: {table}"},
    "scan": {
        "fr": "Scannez ce code avec l'appareil photo de votre téléphone pour rejoindre le débat.",
        "en": "Scan this code with your phone's camera to join the debate.",
    },
    "personal": {
        "fr": "Ce code est personnel : il vous fait entrer sous votre nom.",
        "en": "This code is yours: it lets you in under your name.",
    },
    "code": {"fr": "Code personnel : {code}", "en": "Personal code: {code}"},
    "csv_header": {"fr": "nom;table;code;lien", "en": "name,table,code,link"},
}


def _t(lang: Lang, key: str, **values: str) -> str:
    text = _TEXTS[key][lang].format(**values)
    return typeset(text) if lang == "fr" else text


@dataclass(frozen=True)
class GuestList:
    title: str
    invitations: list[Invitation]
    meta: dict[str, str]


def read_guest_list(path: str | Path) -> GuestList:
    """The invitations and the debate's title, read-only (the server may be running)."""
    file = Path(path)
    if not file.exists():
        raise ExportError("no_file", path=path)
    if not file.is_file():
        raise ExportError("not_a_file", path=path)
    try:
        db = sqlite3.connect(f"{file.resolve().as_uri()}?mode=ro", uri=True, isolation_level=None)
    except sqlite3.Error as error:
        raise ExportError("cannot_open", path=path, error=error) from error
    try:
        meta = {str(k): str(v) for k, v in db.execute("SELECT key, value FROM meta")}
        version = meta.get("schema_version")
        if version is None or not version.isdigit():
            raise ExportError("not_convive", path=path)
        if int(version) > SCHEMA_VERSION:
            raise ExportError("newer", path=path, version=version, known=SCHEMA_VERSION)
        row = db.execute("SELECT payload FROM events WHERE type = 'debate_created' LIMIT 1").fetchone()
        created = event_adapter.validate_json(row[0]) if row else None
        title = created.title if isinstance(created, DebateCreated) else ""
        has_table = db.execute(
            "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'invitations'"
        ).fetchone()
        rows = (
            db.execute(
                "SELECT guest, name, table_name, code FROM invitations WHERE withdrawn = 0 ORDER BY guest"
            ).fetchall()
            if has_table
            else []
        )
    except sqlite3.DatabaseError as error:
        raise ExportError("not_convive_because", path=path, error=error) from error
    finally:
        db.close()
    return GuestList(title, [Invitation(int(g), str(n), t, str(c)) for g, n, t, c in rows], meta)


def grouped(code: str) -> str:
    """ABCDE-FGHJK: easier to read out and to type (dashes are ignored)."""
    return f"{code[:5]}-{code[5:]}" if len(code) == 10 else code


def render_html(guests: GuestList, page_url: str, lang: Lang) -> str:
    title = html.escape(guests.title)
    cards = []
    for invitation in guests.invitations:
        link = join_link(page_url, invitation.code)
        table = ""
        if invitation.table:
            # "Table 3" stays as it is; "3" becomes "Table : 3".
            label = invitation.table
            if not label.casefold().startswith(("table", "tisch", "mesa")):
                label = _t(lang, "table", table=label)
            table = f'<p class="table" dir="auto">{html.escape(label)}</p>'
        name_class = "name long" if len(invitation.name) > LONG_NAME else "name"

        cards.append(
            f"""<article class="card">
  <p class="debate" dir="auto">{title}</p>
  <h2 class="{name_class}" dir="auto">{html.escape(invitation.name)}</h2>
  {table}
  <div class="qr">{qr_svg(join_link_for_qr(page_url, invitation.code))}</div>
  <p class="how">{html.escape(_t(lang, "scan"))}</p>
  <p class="link"><a href="{html.escape(link)}">{html.escape(link)}</a></p>
  <p class="code">{html.escape(_t(lang, "code", code=grouped(invitation.code)))}</p>
  <p class="personal">{html.escape(_t(lang, "personal"))}</p>
</article>"""
        )
    page_title = html.escape(_t(lang, "page_title", title=guests.title))
    # One sheet per printed page: a grid's items do not break pages reliably.
    body = "\n".join(
        '<section class="sheet">\n' + "\n".join(cards[start : start + CARDS_PER_PAGE]) + "\n</section>"
        for start in range(0, len(cards), CARDS_PER_PAGE)
    )
    return f"""<!doctype html>
<html lang="{lang}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{page_title}</title>
<style>
@page {{ size: A4 portrait; margin: 10mm; }}
* {{ box-sizing: border-box; }}
body {{ margin: 0; color: #000; background: #fff;
  font-family: system-ui, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif; }}
.sheet {{ display: grid; grid-template-columns: 1fr 1fr; grid-template-rows: repeat(4, 68mm);
  width: 190mm; margin: 0 auto; break-after: page; page-break-after: always; }}
.sheet:last-child {{ break-after: auto; page-break-after: auto; }}
.card {{ border: 0.3mm dashed #999; padding: 4mm 5mm; display: grid; column-gap: 3mm;
  grid-template-columns: 1fr 34mm; grid-template-rows: auto auto auto 1fr auto auto auto;
  grid-template-areas: "debate qr" "name qr" "table qr" "how qr" "link link" "code code" "personal personal";
  break-inside: avoid; page-break-inside: avoid; overflow: hidden; }}
.debate {{ grid-area: debate; margin: 0; font-size: 8pt; color: #444; }}
.name {{ grid-area: name; margin: 2mm 0 1mm; font-size: 16pt; line-height: 1.15;
  overflow-wrap: break-word; hyphens: auto; }}
.name.long {{ font-size: 12pt; }}
.table {{ grid-area: table; margin: 0; font-size: 11pt; font-weight: 600; }}
.qr {{ grid-area: qr; align-self: start; }}
.qr svg {{ width: 34mm; height: 34mm; display: block; }}
.how {{ grid-area: how; margin: 2mm 0 0; font-size: 8pt; }}
.link {{ grid-area: link; margin: 1mm 0 0; font-size: 7.5pt; overflow-wrap: anywhere; }}
.link a {{ color: #000; text-decoration: none; }}
.code {{ grid-area: code; margin: 0.5mm 0 0; font-size: 10pt; letter-spacing: 0.05em;
  font-family: ui-monospace, Menlo, Consolas, monospace; }}
.personal {{ grid-area: personal; margin: 0.5mm 0 0; font-size: 7pt; color: #444; }}
@media screen {{
  body {{ background: #eee; padding: 10mm 0; }}
  .sheet {{ background: #fff; margin-bottom: 10mm; }}
}}
</style>
</head>
<body>
<main>
{body}
</main>
</body>
</html>
"""


def render_csv(guests: GuestList, page_url: str, lang: Lang) -> bytes:
    """UTF-8 with a byte order mark; ``;`` in French (a French spreadsheet's), ``,`` in English."""
    delimiter = ";" if lang == "fr" else ","
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=delimiter, lineterminator="\r\n")
    writer.writerow(_TEXTS["csv_header"][lang].split(delimiter))
    for invitation in guests.invitations:
        writer.writerow(
            neutralise(cell)
            for cell in (
                invitation.name,
                invitation.table or "",
                invitation.code,
                join_link(page_url, invitation.code),
            )
        )
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")
