"""A debate that already holds many events, for the join storm.

Built through ``DebateService`` (the same rules and log as the server), with
the mix of an evening: joins, chat, questions and upvotes, rounds and polls.
"""

from __future__ import annotations

import random
from pathlib import Path

from benchmarks.servers import JOIN_CODE, MODERATOR_KEY
from server.core import Actor
from server.debate import DebateService
from shared import protocol as p


def seed_database(path: Path, events: int = 5000, guests: int = 150) -> int:
    """Write a debate of at least ``events`` events to ``path``; return its seq."""
    rng = random.Random(5)
    service = DebateService.open(
        path, title="Benchmark evening", join_code=JOIN_CODE, moderator_key=MODERATOR_KEY
    )
    counter = iter(range(1, 10**9))

    def cid() -> str:
        return f"seed{next(counter)}"

    try:
        host, _, _ = service.join("Host", "moderator")
        moderator = Actor(host.participant_id, "moderator", host.name)
        guests_ = []
        for i in range(guests):
            joined, _, _ = service.join(f"Guest {i}", "participant")
            guests_.append(Actor(joined.participant_id, "participant", joined.name))
        rounds = []
        for i in range(4):
            outcome = service.execute(
                p.AddRound(
                    type="add_round",
                    id=cid(),
                    title=f"Round {i + 1}",
                    theme="Theme " * 20,
                    minutes=20,
                ),
                moderator,
            )
            assert isinstance(outcome.reply, p.Ack) and outcome.reply.created
            rounds.append(outcome.reply.created)
        service.execute(p.StartRound(type="start_round", id=cid(), round_id=rounds[0]), moderator)
        questions: list[str] = []
        step = 0
        while service.state.seq < events:
            step += 1
            actor = rng.choice(guests_)
            if step % 1000 == 0:
                _poll(service, moderator, guests_, cid, rng)
            elif step % 12 == 0:
                outcome = service.execute(
                    p.SubmitQuestion(
                        type="submit_question",
                        id=cid(),
                        text=f"Question {step}: " + "why " * rng.randint(5, 30),
                    ),
                    actor,
                )
                if isinstance(outcome.reply, p.Ack) and outcome.reply.created:
                    question_id = outcome.reply.created
                    questions.append(question_id)
                    if service.state.questions[question_id].status != "approved":
                        service.execute(
                            p.ApproveQuestion(type="approve_question", id=cid(), question_id=question_id),
                            moderator,
                        )
            elif step % 5 == 0 and questions:
                service.execute(
                    p.UpvoteQuestion(type="upvote_question", id=cid(), question_id=rng.choice(questions)),
                    actor,
                )
            else:
                service.execute(
                    p.PostMessage(
                        type="post_message",
                        id=cid(),
                        text=f"Message {step}: " + "blah " * rng.randint(3, 40),
                    ),
                    actor,
                )
        return service.state.seq
    finally:
        service.close()


def _poll(service: DebateService, moderator: Actor, guests: list[Actor], cid, rng) -> None:  # type: ignore[no-untyped-def]
    outcome = service.execute(
        p.CreatePoll(type="create_poll", id=cid(), question="Agree?", options=["yes", "no"]),
        moderator,
    )
    assert isinstance(outcome.reply, p.Ack) and outcome.reply.created
    poll_id = outcome.reply.created
    service.execute(p.OpenPoll(type="open_poll", id=cid(), poll_id=poll_id), moderator)
    for actor in guests[:100]:
        service.execute(
            p.CastBallot(type="cast_ballot", id=cid(), poll_id=poll_id, choices=[rng.randint(0, 1)]),
            actor,
        )
    service.execute(p.ClosePoll(type="close_poll", id=cid(), poll_id=poll_id), moderator)
