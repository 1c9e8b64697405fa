"""The Chatham House rule: an export that says what was said, never who said it.

``redact(transcript, names)`` is the transcript without attribution: no
author on a message or question, no per-person speaking time (per table only),
no guest list (a count per table). The texts themselves are not rewritten; the
participants' names found in them are listed in ``name_warnings`` for the editor.

What counts as a name found (``find_names``), the rule documented in
docs/export.md:

- texts and names are cut into words (runs of letters and digits: a hyphen, an
  apostrophe or any punctuation separates words), and words are compared case
  aside, accents aside and look-alike letters aside (a Cyrillic "а" is an "a");
- a participant's full name is found where all its words follow one another in
  the text ("Alice Martin", "alice  MARTIN", "Alice-Martin");
- a part of a name of two words or more is found alone when it is distinctive:
  at least 3 letters, letters only, written with a capital in the name
  ("Martin", "Alice"; not "de", "van", "Li", nor a nickname's lowercase words).
  "pierre" (a stone) is still found for a guest named Pierre Durand: the editor
  rules out a false alarm in a second, a name missed would go to print;
- only whole words: "Martine" and "Martinez" are not "Martin".
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, replace
from functools import lru_cache

from server.export.model import (
    ExportLobby,
    ExportMessage,
    ExportNameWarning,
    ExportQuestion,
    ExportRound,
    ExportTable,
    ExportVariant,
    NameWhere,
    Transcript,
)
from shared.names import clean_name, skeleton

_WORD = re.compile(r"[^\W_]+")
MIN_PART_LETTERS = 3


@lru_cache(maxsize=65536)
def fold(word: str) -> str:
    """A word as it is compared: case, accents and look-alike letters aside."""
    shape = skeleton(word.casefold())
    bare = "".join(char for char in shape if not unicodedata.combining(char))
    return unicodedata.normalize("NFC", bare).casefold()


@dataclass(frozen=True)
class _Pattern:
    words: tuple[str, ...]  # folded


def _patterns(names: Iterable[str]) -> dict[str, list[_Pattern]]:
    """Every full name and distinctive part, by its first folded word."""
    seen: set[tuple[str, ...]] = set()
    patterns: list[_Pattern] = []
    for name in names:
        words = _WORD.findall(clean_name(name))
        if not words:
            continue
        candidates = [tuple(fold(w) for w in words)]
        if len(words) > 1:
            candidates.extend(
                (fold(w),) for w in words if len(w) >= MIN_PART_LETTERS and w.isalpha() and w[0].isupper()
            )
        for candidate in candidates:
            if candidate not in seen:
                seen.add(candidate)
                patterns.append(_Pattern(candidate))
    by_first: dict[str, list[_Pattern]] = {}
    # Longest first: "Alice Martin" is one finding, not three.
    for pattern in sorted(patterns, key=lambda p: -len(p.words)):
        by_first.setdefault(pattern.words[0], []).append(pattern)
    return by_first


class NameFinder:
    """Finds the participants' names in texts (see the module's rule)."""

    def __init__(self, names: Iterable[str]) -> None:
        self._by_first = _patterns(names)

    def find(self, text: str) -> list[str]:
        """The names found in ``text``, as written there, in order, each once."""
        if not self._by_first:
            return []
        spans = [(m.start(), m.end(), fold(m.group())) for m in _WORD.finditer(text)]
        found: list[str] = []
        index = 0
        while index < len(spans):
            matched = 0
            for pattern in self._by_first.get(spans[index][2], ()):
                size = len(pattern.words)
                if tuple(s[2] for s in spans[index : index + size]) == pattern.words:
                    matched = size
                    break
            if matched:
                shown = text[spans[index][0] : spans[index + matched - 1][1]]
                if shown not in found:
                    found.append(shown)
                index += matched
            else:
                index += 1
        return found


def _texts(transcript: Transcript) -> Iterator[tuple[int | None, NameWhere, str | None, str]]:
    """Every text of the transcript someone typed: (round, kind, id, text)."""
    yield None, "title", None, transcript.title
    for table in transcript.tables:
        yield None, "table_name", table.table_id, table.name
    sections: list[tuple[int | None, ExportRound | ExportLobby]] = [
        (r.position, r) for r in transcript.rounds
    ]
    sections.append((None, transcript.lobby))
    for position, section in sections:
        if isinstance(section, ExportRound):
            yield position, "round_title", section.round_id, section.title
            yield position, "theme", section.round_id, section.theme
            for synthesis in section.syntheses:
                yield position, "synthesis", synthesis.table_id, synthesis.text
        for a in section.announcements:
            yield position, "announcement", a.announcement_id, a.text
        for m in section.messages:
            yield position, "message", m.message_id, m.text
        for q in section.questions:
            yield position, "question", q.question_id, q.text
            if q.answer is not None:
                yield position, "written_answer", q.question_id, q.answer
            for v in q.variants:
                yield position, "variant", v.question_id, v.text
        for poll in section.polls:
            yield position, "poll_question", poll.poll_id, poll.question
            if poll.kind == "choice":
                for option in poll.options:
                    yield position, "poll_option", poll.poll_id, option.label
            for label in poll.scale_labels or []:
                yield position, "poll_option", poll.poll_id, label
            for word in poll.words:
                yield position, "poll_word", poll.poll_id, word.word
            for answer in poll.answers:
                yield position, "poll_answer", answer.answer_id, answer.text
    for note in transcript.notes or []:  # only with --include-notes
        yield None, "note", note.note_id, note.text


def find_names(transcript: Transcript, names: Iterable[str]) -> list[ExportNameWarning]:
    """The participants' names found in the transcript's texts, with where."""
    finder = NameFinder(names)
    return [
        ExportNameWarning(position, where, item_id, found)
        for position, where, item_id, text in _texts(transcript)
        for found in finder.find(text)
    ]


def _message(m: ExportMessage) -> ExportMessage:
    return replace(m, author_name="", author_role="participant")


def _variant(v: ExportVariant) -> ExportVariant:
    return replace(v, anonymous=True, author_name=None, author_role=None)


def _question(q: ExportQuestion) -> ExportQuestion:
    return replace(
        q,
        anonymous=True,
        author_name=None,
        author_role=None,
        variants=[_variant(v) for v in q.variants],
    )


def _round(r: ExportRound) -> ExportRound:
    return replace(
        r,
        messages=[_message(m) for m in r.messages],
        questions=[_question(q) for q in r.questions],
        speaking=[],
    )


def _table(t: ExportTable) -> ExportTable:
    return replace(t, guests=[])


def redact(transcript: Transcript, names: Iterable[str]) -> Transcript:
    """The transcript under the Chatham House rule (a copy; ``names``: every
    participant's, moderators included, to look for in the texts)."""
    lobby = transcript.lobby
    return replace(
        transcript,
        rounds=[_round(r) for r in transcript.rounds],
        lobby=replace(
            lobby,
            messages=[_message(m) for m in lobby.messages],
            questions=[_question(q) for q in lobby.questions],
            speaking=[],
        ),
        speaking_time=[],
        tables=[_table(t) for t in transcript.tables],
        notes=None if transcript.notes is None else [replace(n, author_name="") for n in transcript.notes],
        chatham_house=True,
        name_warnings=find_names(transcript, names),
    )


# What the JSON leaves out under the rule (``json_.py`` applies it to the document
# and to its schema): per definition of the schema, the properties dropped.
PERSONAL_FIELDS: dict[str, tuple[str, ...]] = {
    "ExportMessage": ("author_name", "author_role"),
    "ExportQuestion": ("author_name", "author_role", "anonymous"),
    "ExportVariant": ("author_name", "author_role", "anonymous"),
    "ExportTable": ("guests",),
    "ExportRound": ("speaking",),
    "ExportLobby": ("speaking",),
    "Transcript": ("speaking_time",),
    "ExportNote": ("author_name",),
}
