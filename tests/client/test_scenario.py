"""A whole dinner through two real apps: a guest and the moderator, one server."""

from __future__ import annotations

from client.tokens import TokenStore
from client.widgets.moderation import AgendaList, PollsList, TriageList
from client.widgets.poll import PollOptions
from client.widgets.questions import QuestionList
from server.app import DebateServer
from tests.client.conftest import make_app, screen_text, wait_until


async def test_guest_and_moderator_see_each_other(server: DebateServer, tokens: TokenStore) -> None:
    mod_app = make_app(server, "moderator", tokens)
    guest_app = make_app(server, "participant", tokens, name="Alice")
    async with mod_app.run_test(size=(100, 32)) as mod, guest_app.run_test(size=(100, 32)) as guest:
        await wait_until(mod, lambda: mod_app.link.status == "connected", what="moderator")
        await wait_until(guest, lambda: guest_app.link.status == "connected", what="guest")
        ms, gs = mod_app.state, guest_app.state

        # The moderator plans a round with the form, then starts it.
        await mod.press("f5")
        await mod.press("plus")
        await mod.press(*"Innovate", "tab", *"With the business", "tab", "ctrl+a", *"25")
        await mod.click("#submit")
        await wait_until(mod, lambda: len(ms.agenda) == 1, what="round added")
        await mod.press("n", "y")  # y confirms
        await wait_until(guest, lambda: gs.live_round is not None, what="round live for guest")
        assert "Innovate" in screen_text(guest_app)

        # The guest chats; the moderator reads it.
        await guest.press("f2")
        await guest.press(*"Hello all", "enter")
        await wait_until(mod, lambda: any(m.text == "Hello all" for m in ms.messages.values()))

        # The guest asks by name, then anonymously.
        await guest.press("escape")
        guest_app.screen.focus_next()
        await guest.press("f3", "a")
        await guest.press(*"Who owns the AI roadmap?", "enter")
        await wait_until(guest, lambda: len(gs.questions) == 1, what="own pending question")
        assert "awaiting moderation" in screen_text(guest_app)
        await guest.press("a")
        await guest.press(*"Is our data ready?")
        await guest.click("#anonymous")
        assert "moderators included" in screen_text(guest_app)
        await guest.click("#submit")
        await wait_until(guest, lambda: len(gs.my_questions) == 2, what="anonymous ack")
        await wait_until(mod, lambda: len(ms.pending_questions()) == 2, what="triage queue")

        # The moderator approves both with one key each.
        await mod.press("f4")
        triage = mod_app.screen.query_one(TriageList)
        assert triage.has_focus
        await mod.press("a")
        await wait_until(mod, lambda: len(ms.pending_questions()) == 1)
        await mod.press("a")
        await wait_until(guest, lambda: len(gs.approved_questions()) == 2, what="approved for guest")
        anonymous = next(q for q in gs.questions.values() if q.anonymous)
        assert gs.is_mine(anonymous) and anonymous.author_name is None

        # The guest cannot upvote their own question, anonymous as it is: the server refuses.
        await guest.press("f3")
        questions = guest_app.screen.query_one(QuestionList)
        questions.highlighted = [q.question_id for q in questions.shown_questions(gs)].index(
            anonymous.question_id
        )
        await guest.press("u")
        await wait_until(guest, lambda: not guest_app.connection.outbox, what="the refusal")
        assert anonymous.question_id not in gs.my_upvotes
        assert ms.questions[anonymous.question_id].votes == 0

        # The moderator pins it and marks it answered.
        await mod.press("f3")
        mod_questions = mod_app.screen.query_one(QuestionList)
        mod_questions.highlighted = [q.question_id for q in mod_questions.shown_questions(ms)].index(
            anonymous.question_id
        )
        await mod.press("p")
        await wait_until(guest, lambda: gs.pinned == anonymous.question_id, what="pinned")
        await mod.press("d")
        await wait_until(guest, lambda: gs.questions[anonymous.question_id].answered, what="answered")
        assert "on the floor" in screen_text(guest_app)

        # The moderator builds a poll and opens it; the guest goes to it and votes.
        await mod.press("f6", "c")
        await mod.press(*"Use cases in production?", "enter", *"None", "enter", *"One to three")
        await mod.click("#submit")
        await wait_until(mod, lambda: len(ms.polls) == 1, what="poll created")
        await mod.press("o")
        await wait_until(guest, lambda: gs.open_poll is not None, what="poll open")
        await guest.pause(0.1)
        assert not guest_app.screen.query_one(PollOptions).has_focus  # announced, not imposed
        await guest.press("f4")
        assert guest_app.screen.query_one(PollOptions).has_focus
        await guest.press("1", "enter", "v")
        await wait_until(mod, lambda: (ms.open_poll and ms.open_poll.counts) == [1, 0], what="count")
        await guest.press("2", "enter", "v")  # change the vote while the poll is open
        await wait_until(mod, lambda: (ms.open_poll and ms.open_poll.counts) == [0, 1], what="change")
        poll_id = next(iter(ms.polls))
        assert gs.my_ballots[poll_id] == [1]
        await mod.press("x")
        await wait_until(guest, lambda: gs.polls[poll_id].status == "closed", what="closed")
        assert gs.polls[poll_id].counts == [0, 1]
        assert "final results" in screen_text(guest_app)

        # The moderator ends the round: everyone is back in the lobby.
        await mod.press("f5", "e", "y")
        await wait_until(guest, lambda: gs.live_round is None, what="round ended")
        assert mod_app.screen.query_one(AgendaList) and mod_app.screen.query_one(PollsList)
