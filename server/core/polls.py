"""Poll rules: one open poll at a time, one ballot per participant.

Four kinds (``shared.events.PollKind``): choice (options), rating (a scale),
words (a word cloud) and open (short answers). Open answers are linked to no
one from the start, as anonymous questions are: the event carries no author,
so a guest may send several, and the moderators review each before anyone
else sees it, moderation on or off.
"""

from server.core import tables
from server.core.emit import Emitter
from server.core.errors import DomainError
from server.core.lookup import erased_since, get_poll
from server.core.shift import opinion_shift, repeated_fields
from server.core.state import Actor, Answer, DebateState, Poll, applies, count_id
from server.core.visibility import word_counts
from server.core.wordfilter import refuse_text, screen_text
from shared import events as ev
from shared import limits
from shared import protocol as p
from shared.words import clean_word, word_key

# The ballot field each kind takes.
BALLOT_FIELD: dict[ev.PollKind, str] = {
    "choice": "choices",
    "rating": "rating",
    "words": "words",
    "open": "text",
}
_BALLOT_FIELDS = tuple(BALLOT_FIELD.values())


def _kind_fields(cmd: p.CreatePoll) -> dict[str, object]:
    """The kind's own fields, or ``kind_mismatch`` for a field that does not fit it."""
    kind = cmd.kind
    if kind == "choice":
        if cmd.options is None:
            raise DomainError("kind_mismatch", "A choice poll needs its options.")
        if cmd.scale_max is not None or cmd.scale_labels is not None:
            raise DomainError("kind_mismatch", "Only a rating poll has a scale.")
        if len({option.casefold() for option in cmd.options}) != len(cmd.options):
            raise DomainError("duplicate_options", "Each option of a poll must be different.")
        return {"options": list(cmd.options), "multiple": cmd.multiple}
    if cmd.options is not None:
        raise DomainError("kind_mismatch", f"A {kind} poll has no options: only a choice poll does.")
    if cmd.multiple:
        raise DomainError("kind_mismatch", "Only a choice poll can take several answers.")
    if kind == "rating":
        return {
            "options": [],
            "multiple": False,
            "scale_max": cmd.scale_max or limits.SCALE_DEFAULT,
            "scale_labels": list(cmd.scale_labels) if cmd.scale_labels else None,
        }
    if cmd.scale_max is not None or cmd.scale_labels is not None:
        raise DomainError("kind_mismatch", "Only a rating poll has a scale.")
    return {"options": [], "multiple": False}


def create_poll(state: DebateState, cmd: p.CreatePoll, out: Emitter) -> str:
    fields: dict[str, object]
    if cmd.repeat_of is not None:
        fields = {**repeated_fields(get_poll(state, cmd.repeat_of), cmd), "repeat_of": cmd.repeat_of}
    else:
        fields = {"question": cmd.question, "kind": cmd.kind, **_kind_fields(cmd)}
    poll_id = state.next_id("p")
    out.emit(ev.PollCreated, poll_id=poll_id, hide_results=cmd.hide_results, **fields)
    return poll_id


def _whole(poll: Poll) -> dict[str, object]:
    """The whole poll, for the event that shows it to those who never saw the draft."""
    return {
        "poll_id": poll.poll_id,
        "question": poll.question,
        "options": list(poll.options),
        "multiple": poll.multiple,
        "hide_results": poll.hide_results,
        "kind": poll.kind,
        "scale_max": poll.scale_max,
        "scale_labels": list(poll.scale_labels) if poll.scale_labels else None,
        "repeat_of": poll.repeat_of,
    }


def open_poll(state: DebateState, cmd: p.OpenPoll, out: Emitter) -> None:
    poll = get_poll(state, cmd.poll_id)
    if poll.status != "draft":
        raise DomainError("poll_not_draft", "This poll has already been opened.")
    if state.open_poll_id is not None:
        raise DomainError("another_poll_open", "Close the open poll before opening another.")
    if poll.repeat_of is not None and state.polls[poll.repeat_of].status != "closed":
        # The shift compares the earlier results with these: the earlier come first.
        raise DomainError("original_not_closed", "Open and close the poll this one repeats first.")
    out.emit(ev.PollOpened, round_id=state.live_round_id, **_whole(poll))


def answer_view(answer: Answer) -> ev.AnswerView:
    return ev.AnswerView(answer_id=answer.answer_id, text=answer.text, status=answer.status, at=answer.at)


def close_poll(state: DebateState, cmd: p.ClosePoll, out: Emitter) -> None:
    poll = get_poll(state, cmd.poll_id)
    if poll.status != "open":
        raise DomainError("poll_not_open", "This poll is not open.")
    out.emit(
        ev.PollClosed,
        poll_id=poll.poll_id,
        counts=poll.counts(),
        voters=poll.voters,
        words=word_counts(poll) if poll.kind == "words" else None,
        answers=[answer_view(a) for a in poll.approved_answers()] if poll.kind == "open" else None,
        by_table=tables.results_by_table(state, poll),
        shift=opinion_shift(state.polls[poll.repeat_of], poll) if poll.repeat_of is not None else None,
    )


def _checked_words(words: list[str]) -> list[str]:
    cleaned = [clean_word(word) for word in words]
    keys = [word_key(word) for word in cleaned]
    if not all(keys):
        raise DomainError("invalid_words", "Each word needs a letter or a digit.")
    if len(set(keys)) != len(keys):
        raise DomainError("invalid_words", "Each word must be different (case and accents aside).")
    return cleaned


def cast_ballot(state: DebateState, cmd: p.CastBallot, actor: Actor, out: Emitter) -> str | None:
    assert actor.participant_id is not None
    poll = get_poll(state, cmd.poll_id)
    if poll.status == "closed":
        raise DomainError("poll_closed", "This poll is closed.")
    if poll.status != "open":
        raise DomainError("poll_not_open", "This poll is not open.")
    wanted = BALLOT_FIELD[poll.kind]
    given = [name for name in _BALLOT_FIELDS if getattr(cmd, name) is not None]
    if given != [wanted]:
        raise DomainError("kind_mismatch", f"This is a {poll.kind} poll: send {wanted} and nothing else.")
    if poll.kind == "open":
        assert cmd.text is not None
        screen_text(state, actor, cmd.text)  # held for review anyway: only "refuse" matters
        # Linked to no one: no author, and no erasure check (it would need one).
        answer_id = state.next_id("o")
        out.emit(ev.AnswerSubmitted, poll_id=poll.poll_id, answer_id=answer_id, text=cmd.text)
        return answer_id
    fields: dict[str, object] = {}
    if poll.kind == "rating":
        assert cmd.rating is not None
        if not 1 <= cmd.rating <= (poll.scale_max or 0):
            raise DomainError("invalid_rating", f"This poll's scale goes from 1 to {poll.scale_max}.")
        fields["rating"] = cmd.rating
    elif poll.kind == "words":
        assert cmd.words is not None
        fields["words"] = _checked_words(cmd.words)
        for word in cmd.words:  # the cloud shows them to the room unreviewed
            refuse_text(state, actor, word)
    else:
        assert cmd.choices is not None
        choices = sorted(set(cmd.choices))
        if len(choices) != len(cmd.choices):
            raise DomainError("invalid_choice", "An option is chosen twice.")
        if any(index >= len(poll.options) for index in choices):
            raise DomainError("invalid_choice", "No such option in this poll.")
        if not poll.multiple and len(choices) != 1:
            raise DomainError("invalid_choice", "This poll takes exactly one choice.")
        fields["choices"] = choices
    if erased_since(state, actor, poll.opened_seq):
        raise DomainError(
            "erased_earlier",
            "You erased your contributions: a ballot you had cast here still counts, unlinked from you.",
        )
    out.emit(ev.BallotCast, poll_id=poll.poll_id, participant_id=actor.participant_id, **fields)
    return None


def _get_answer(state: DebateState, poll_id: str, answer_id: str) -> tuple[Poll, Answer]:
    poll = get_poll(state, poll_id)
    answer = poll.answers.get(answer_id)
    if answer is None:
        raise DomainError("answer_not_found", f"No answer with id {answer_id!r} in this poll.")
    return poll, answer


def approve_answer(state: DebateState, cmd: p.ApproveAnswer, out: Emitter) -> None:
    poll, answer = _get_answer(state, cmd.poll_id, cmd.answer_id)
    if answer.status == "approved":
        raise DomainError("already_approved", "This answer is already shown.")
    out.emit(
        ev.AnswerApproved,
        poll_id=poll.poll_id,
        answer_id=answer.answer_id,
        text=answer.text,
        submitted_at=answer.at,
    )


def reject_answer(state: DebateState, cmd: p.RejectAnswer, out: Emitter) -> None:
    poll, answer = _get_answer(state, cmd.poll_id, cmd.answer_id)
    if answer.status == "rejected":
        raise DomainError("already_rejected", "This answer is already rejected.")
    out.emit(ev.AnswerRejected, poll_id=poll.poll_id, answer_id=answer.answer_id)


# --- how its events change the state ----------------------------------------


@applies(ev.PollCreated)
def _poll_created(state: DebateState, e: ev.PollCreated) -> None:
    count_id(state, "p", e.poll_id)
    state.polls[e.poll_id] = Poll(
        e.poll_id,
        e.question,
        list(e.options),
        e.multiple,
        e.hide_results,
        kind=e.kind,
        scale_max=e.scale_max,
        scale_labels=list(e.scale_labels) if e.scale_labels else None,
        repeat_of=e.repeat_of,
    )


@applies(ev.PollOpened)
def _poll_opened(state: DebateState, e: ev.PollOpened) -> None:
    poll = state.polls[e.poll_id]
    poll.status, poll.round_id, poll.opened_at, poll.opened_seq = "open", e.round_id, e.at, e.seq
    state.open_poll_id = e.poll_id


@applies(ev.PollClosed)
def _poll_closed(state: DebateState, e: ev.PollClosed) -> None:
    poll = state.polls[e.poll_id]
    poll.status, poll.closed_at = "closed", e.at
    poll.by_table = list(e.by_table)
    # Results by table are for choices and ratings (a word cloud or open answers have none).
    poll.by_table_withheld = (
        poll.kind in ("choice", "rating")
        and not e.by_table
        and any(not t.removed for t in state.tables.values())
    )
    poll.shift = e.shift
    if state.open_poll_id == e.poll_id:
        state.open_poll_id = None


@applies(ev.BallotCast)
def _ballot_cast(state: DebateState, e: ev.BallotCast) -> None:
    poll = state.polls[e.poll_id]
    voter = e.participant_id
    if voter is not None:
        if e.rating is not None:
            poll.ratings[voter] = e.rating
        elif e.words is not None:
            poll.word_ballots[voter] = list(e.words)
        else:
            poll.ballots[voter] = list(e.choices)
    # The last ballot of a voter who erased since: counted, unlinked (the
    # earlier ones lost their content in the log).
    elif e.rating is not None:
        poll.unlinked_ratings.append(e.rating)
        poll.unlinked_ratings.sort()
    elif e.words:
        poll.unlinked_words.append(list(e.words))
        poll.unlinked_words.sort()
    elif e.choices:
        poll.unlinked_ballots.append(list(e.choices))
        poll.unlinked_ballots.sort()


@applies(ev.AnswerSubmitted)
def _answer_submitted(state: DebateState, e: ev.AnswerSubmitted) -> None:
    count_id(state, "o", e.answer_id)
    state.polls[e.poll_id].answers[e.answer_id] = Answer(e.answer_id, e.text, e.at)


@applies(ev.AnswerApproved)
def _answer_approved(state: DebateState, e: ev.AnswerApproved) -> None:
    state.polls[e.poll_id].answers[e.answer_id].status = "approved"


@applies(ev.AnswerRejected)
def _answer_rejected(state: DebateState, e: ev.AnswerRejected) -> None:
    state.polls[e.poll_id].answers[e.answer_id].status = "rejected"
