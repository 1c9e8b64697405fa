"""A repeated poll's opinion shift, as every terminal screen shows it.

The numbers come from the server (``OpinionShift``, computed by the core when
the repeat closed): only aggregates, never anyone's two ballots.
"""

from __future__ import annotations

from client.i18n import Translator
from client.state import PollItem
from client.widgets.render import Part
from shared.tally import one_decimal


def decimal(value: float, tr: Translator, *, signed: bool = False) -> str:
    return one_decimal(value, tr.lang, signed=signed)


def answer_label(indexes: list[int], labels: list[str]) -> str:
    """An answer as its options (several for a multiple-choice poll)."""
    return " + ".join(labels[i] for i in indexes if i < len(labels))


def shift_parts(poll: PollItem, labels: list[str], tr: Translator) -> list[Part]:
    """The shift since the earlier poll: per option (``labels``, as the poll shows
    them) before → after and the points, then who changed their answer, by change
    of at least 3 guests (empty: no shift yet)."""
    shift = poll.shift
    if shift is None:
        return []
    width = min(24, max((len(label) for label in labels), default=0))
    parts: list[Part] = [(tr("shift.title"), "bold underline")]
    for label, option in zip(labels, shift.options, strict=False):
        before = tr("poll.percent", percent=decimal(option.before, tr))
        after = tr("poll.percent", percent=decimal(option.after, tr))
        points = tr("shift.points", points=decimal(option.points, tr, signed=True))
        shown = label if len(label) <= width else label[: width - 1] + "…"
        parts += ["\n", shown.ljust(width), f"  {before:>7} → {after:>7}  ", (f"{points:>10}", "bold")]
    parts += ["\n", tr.plural("shift.both", shift.both)]
    if shift.changed is None:
        parts += ["\n", (tr("shift.too_few"), "italic")]
        return parts
    parts += [" · ", tr.plural("shift.changed", shift.changed)]
    for transition in shift.transitions:
        change = f"{answer_label(transition.before, labels)} → {answer_label(transition.after, labels)}"
        parts += ["\n  ", change, tr("shift.colon"), (tr.plural("shift.guests", transition.guests), "bold")]
    if shift.other_changes:
        parts += ["\n  ", tr("shift.other", guests=tr.plural("shift.guests", shift.other_changes))]
        parts += ["\n  ", (tr("shift.other_why"), "italic")]
    return parts
