"""Opinion shift: a poll asked again (``repeat_of``), compared with the earlier one.

Only aggregates leave this module: the share of each option before and after,
and how many guests who voted both times changed their answer, between which
answers, by cells of at least ``MIN_GROUP`` guests (``shared.breakdown``).
No individual's two ballots are ever shown to anyone.

The shift is computed once, when the repeat closes, and carried by its
``poll_closed`` event: fixed from then on. A guest who erased their
contributions before that is linked to neither ballot any more, so they are not
among those who voted both times (their ballots still count in each poll's
shares, unlinked). Recomputing the shift after a later erasure would move the
transition table at the moment someone erased and tell the room how they had
changed their mind: that is why it never moves (as erasure unlinks ballots
rather than subtracting them).
"""

from __future__ import annotations

from collections import Counter

from server.core.errors import DomainError
from server.core.state import Poll
from shared import events as ev
from shared import protocol as p
from shared.breakdown import MIN_GROUP, breakdown
from shared.tally import shift_of_option

# The kinds whose answers can be compared option by option. A words poll's
# words and an open poll's answers have no fixed options (and open answers are
# linked to no one), so they cannot be repeated.
REPEATABLE_KINDS: frozenset[ev.PollKind] = frozenset({"choice", "rating"})

Answer = tuple[int, ...]  # the option indices a ballot chose (a rating: its point minus one)


def repeated_fields(original: Poll, cmd: p.CreatePoll) -> dict[str, object]:
    """The fields of a poll that asks ``original`` again: copied from it, or
    ``repeat_mismatch`` for any given that differs."""
    if original.kind not in REPEATABLE_KINDS:
        raise DomainError(
            "not_repeatable",
            f"A {original.kind} poll cannot be repeated: only choice and rating polls"
            " have answers to compare.",
        )
    given = cmd.model_fields_set
    copied: dict[str, object] = {
        "question": original.question,
        "kind": original.kind,
        "options": list(original.options),
        "multiple": original.multiple,
        "scale_max": original.scale_max,
        "scale_labels": list(original.scale_labels) if original.scale_labels else None,
    }
    for name, value in copied.items():
        if name in given and getattr(cmd, name) != value:
            raise DomainError(
                "repeat_mismatch",
                f"A repeated poll asks the same thing: its {name} must be the earlier poll's, or left out.",
            )
    return copied


def _linked_answers(poll: Poll) -> dict[str, Answer]:
    """Each linked voter's answer (the ballots of those who erased are linked to no one)."""
    if poll.kind == "rating":
        return {voter: (rating - 1,) for voter, rating in poll.ratings.items()}
    return {voter: tuple(sorted(choices)) for voter, choices in poll.ballots.items()}


def opinion_shift(before: Poll, after: Poll) -> ev.OpinionShift:
    """The aggregates of ``after`` (a repeat, closing) against ``before`` (closed)."""
    before_counts, after_counts = before.counts(), after.counts()
    options = []
    for count_before, count_after in zip(before_counts, after_counts, strict=True):
        share_before, share_after, points = shift_of_option(
            count_before, before.voters, count_after, after.voters
        )
        options.append(ev.OptionShift(before=share_before, after=share_after, points=points))
    first, second = _linked_answers(before), _linked_answers(after)
    both = [voter for voter in first if voter in second]
    if len(both) < MIN_GROUP:
        # Two or fewer: whether they changed would say how each of them voted.
        return ev.OpinionShift(before_poll_id=before.poll_id, options=options, both=len(both))
    changes = Counter((first[voter], second[voter]) for voter in both if first[voter] != second[voter])
    # Biggest changes first, then by answer: a fixed order, whatever the ballots' order.
    cells = dict(sorted(changes.items(), key=lambda item: (-item[1], item[0])))
    cut = breakdown(cells)
    return ev.OpinionShift(
        before_poll_id=before.poll_id,
        options=options,
        both=len(both),
        changed=sum(changes.values()),
        transitions=[
            ev.Transition(before=list(b), after=list(a), guests=cells[(b, a)]) for b, a in cut.shown
        ],
        other_changes=cut.merged_guests,
    )
