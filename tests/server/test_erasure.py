"""Issue 6, item 10: erasure removes a participant's contributions from every
client, every later export and the database file itself (WAL included).

The first two tests run on PostgreSQL too (issue 15): there "the database"
is every row of every table, what any query, export or ``pg_dump`` reads."""

from __future__ import annotations

import secrets
from pathlib import Path

from server.app import DebateServer
from server.core import fold
from server.core.snapshot import build_snapshot
from server.core.visibility import Viewer
from server.export import FORMATS, export_events
from tests import logscan
from tests.conftest import BOTH_STORES, join_participant
from tests.stores import database_text, sqlite_store
from tests.wire import WireClient


def _files(db_path: Path) -> bytes:
    """Every byte SQLite keeps for this database: the file, its WAL and shared memory."""
    out = b""
    for suffix in ("", "-wal", "-shm", "-journal"):
        path = Path(f"{db_path}{suffix}")
        if path.exists():
            out += path.read_bytes()
    return out


@BOTH_STORES
async def test_erase_my_contributions_everywhere(
    server: DebateServer, url: str, moderator: WireClient
) -> None:
    mark = "ERASE" + secrets.token_hex(4)
    await moderator.command("set_moderation", enabled=False)
    poll = (await moderator.command("create_poll", question="Cloud ?", options=["a", "b"]))["created"]
    await moderator.command("open_poll", poll_id=poll)
    alice = await join_participant(server, url, "Alice")
    bob = await join_participant(server, url, "Bob")
    assert bob.welcome is not None
    bob_start = bob.welcome["seq"]
    kept = (await bob.command("submit_question", text="bob keeps this"))["created"]
    for i in range(3):
        await alice.command("post_message", text=f"{mark} chat {i}")
    named = (await alice.command("submit_question", text=f"{mark} named question"))["created"]
    await alice.command("upvote_question", question_id=kept)
    await alice.command("cast_ballot", poll_id=poll, choices=[0])
    await bob.command("cast_ballot", poll_id=poll, choices=[1])
    await moderator.command("set_moderation", enabled=True)
    pending = (await alice.command("submit_question", text=f"{mark} pending"))["created"]
    assert mark.encode() in database_text(server.service.store)

    ack = await alice.command("erase_my_contributions")
    assert ack["type"] == "ack"
    erased = await bob.wait_event("contributions_erased")
    assert set(erased["question_ids"]) == {named, pending}
    assert len(erased["message_ids"]) == 3
    assert "participant_id" not in erased
    # Her upvote and ballot still count, unlinked (see the test below).
    assert server.service.state.questions[kept].votes == 1
    assert server.service.state.polls[poll].counts() == [1, 1]

    # Gone from the state, from a newcomer's snapshot and from a replay...
    state = server.service.state
    assert not any(mark in m.text for m in state.messages.values())
    assert set(state.questions) == {kept}
    newcomer = await join_participant(server, url, "Carol")
    assert newcomer.welcome is not None and mark not in str(newcomer.welcome)
    await bob.close()
    assert bob.welcome is not None
    resumed = await WireClient.join(
        url,
        role="participant",
        resume_token=bob.welcome["resume_token"],
        epoch=bob.welcome["epoch"],
        last_seq=bob_start,
    )
    assert resumed.welcome is not None and resumed.welcome["recovered"]
    assert mark not in str(resumed.welcome["events"])
    # ...from every export format...
    events = list(server.service.store.events())
    for fmt in FORMATS:
        _, rendered = export_events(events, fmt)
        assert mark.encode() not in rendered.content, fmt
    # ...and from the database file, its WAL included.
    assert mark.encode() not in database_text(server.service.store)
    # The log still folds to the same state, gap-free.
    assert [e.seq for e in events] == list(range(1, len(events) + 1))
    again = fold(events)
    assert build_snapshot(again, Viewer(None, True)) == build_snapshot(state, Viewer(None, True))
    assert again.polls == state.polls
    for client in (alice, newcomer, resumed):
        await client.close()


@BOTH_STORES
async def test_anonymous_question_withdrawn_by_its_secret_only(
    server: DebateServer, url: str, moderator: WireClient
) -> None:
    mark = "ANON" + secrets.token_hex(4)
    await moderator.command("set_moderation", enabled=False)
    alice = await join_participant(server, url, "Alice")
    bob = await join_participant(server, url, "Bob")
    ack = await alice.command("submit_question", id="anon-1", text=f"{mark}?", anonymous=True)
    secret, question_id = ack["secret"], ack["created"]
    logscan.remember(secret)
    assert secret and len(secret) >= 32
    # The retry returns the same secret; named questions get none.
    assert await alice.command("submit_question", id="anon-1", text=f"{mark}?", anonymous=True) == ack
    assert "secret" not in await alice.command("submit_question", text="named")
    # The secret is kept nowhere on the server's side: only its hash, in the log.
    assert secret.encode() not in database_text(server.service.store)
    # Erasing Alice's contributions cannot touch it: nothing links it to her.
    await alice.command("erase_my_contributions")
    assert question_id in server.service.state.questions
    for who, fields in (
        (bob, {}),
        (bob, {"secret": secret[:-1] + "x"}),
        (moderator, {}),
        (alice, {}),
    ):
        refused = await who.command("withdraw_question", question_id=question_id, **fields)
        assert refused["code"] == "not_your_question", (who, refused)
    done = await alice.command("withdraw_question", question_id=question_id, secret=secret)
    assert done["type"] == "ack"
    await bob.wait_event("question_withdrawn", question_id=question_id)
    assert question_id not in server.service.state.questions
    assert mark.encode() not in database_text(server.service.store)
    assert secret.encode() not in database_text(server.service.store)
    for client in (alice, bob):
        await client.close()


def test_a_busy_checkpoint_is_retried_after_the_next_commit(db_path: Path) -> None:
    """An export reading the database holds the WAL: the erased text must still leave it."""
    import sqlite3

    from server.core import Actor
    from server.debate import DebateService
    from shared import protocol as p

    service = DebateService.open(db_path)
    try:
        alice_p, _, _ = service.join("Alice", "participant")
        alice = Actor(alice_p.participant_id, "participant", "Alice")
        bob_p, _, _ = service.join("Bob", "participant")
        bob = Actor(bob_p.participant_id, "participant", "Bob")
        service.execute(p.PostMessage(type="post_message", id="1", text="BUSYMARK"), alice)
        reader = sqlite3.connect(db_path)
        reader.execute("BEGIN")
        reader.execute("SELECT COUNT(*) FROM events").fetchone()  # a read snapshot, held
        service.execute(p.EraseMyContributions(type="erase_my_contributions", id="2"), alice)
        assert sqlite_store(service.store)._checkpoint_due
        reader.rollback()
        reader.close()
        service.execute(p.PostMessage(type="post_message", id="3", text="later"), bob)
        assert not sqlite_store(service.store)._checkpoint_due
        assert b"BUSYMARK" not in _files(db_path)
    finally:
        service.close()


def test_an_erasure_cut_short_by_a_crash_is_finished_at_start_up(db_path: Path) -> None:
    """A backup reads while a guest erases, then the server dies: the clean-up
    was owed on disk, so the next start finishes it before anything else."""
    import sqlite3

    from server.core import Actor
    from server.debate import DebateService
    from shared import protocol as p

    service = DebateService.open(db_path)
    alice_p, _, _ = service.join("Alice", "participant")
    alice = Actor(alice_p.participant_id, "participant", "Alice")
    service.execute(p.PostMessage(type="post_message", id="1", text="CRASHMARK"), alice)
    backup = sqlite3.connect(db_path)
    backup.execute("BEGIN")
    backup.execute("SELECT COUNT(*) FROM events").fetchone()  # a backup's read snapshot
    service.execute(p.EraseMyContributions(type="erase_my_contributions", id="2"), alice)
    assert b"CRASHMARK" in _files(db_path)  # the WAL still holds it while the backup reads
    # The process dies here: no further commit, no close.
    backup.rollback()
    backup.close()
    restarted = DebateService.open(db_path)
    try:
        assert b"CRASHMARK" not in _files(db_path)
        assert restarted.store.get_meta("erasure_cleanup") is None
    finally:
        restarted.close()
        sqlite_store(service.store)._db.close()


async def test_erasing_reveals_nothing_of_how_one_voted(
    server: DebateServer, url: str, db_path: Path, moderator: WireClient
) -> None:
    """Issue 14, item 1: a bystander saw a closed poll go from [2,0,1] to [2,0,0]
    and learnt that Alice had voted C. The counts stay; the link goes."""
    import sqlite3

    await moderator.command("set_moderation", enabled=False)
    alice = await join_participant(server, url, "Alice")
    bob = await join_participant(server, url, "Bob")
    carol = await join_participant(server, url, "Carol")
    assert alice.welcome is not None
    alice_id = alice.welcome["participant_id"]
    question = (await bob.command("submit_question", text="Quel budget ?"))["created"]
    await alice.command("upvote_question", question_id=question)
    closed = (await moderator.command("create_poll", question="Agents ?", options=["A", "B", "C"]))["created"]
    await moderator.command("open_poll", poll_id=closed)
    for voter, choice in ((bob, 0), (carol, 0), (alice, 2)):
        await voter.command("cast_ballot", poll_id=closed, choices=[choice])
    await moderator.command("close_poll", poll_id=closed)
    still_open = (await moderator.command("create_poll", question="Cloud ?", options=["Oui", "Non"]))[
        "created"
    ]
    await moderator.command("open_poll", poll_id=still_open)
    await alice.command("cast_ballot", poll_id=still_open, choices=[1])
    await bob.command("cast_ballot", poll_id=still_open, choices=[0])
    await alice.command("post_message", text="Je retire tout")
    await bob.wait_event("message_posted", text="Je retire tout")
    await bob.drain(quiet=0.2)
    before = server.service.snapshot(None, False)

    assert (await alice.command("erase_my_contributions"))["type"] == "ack"
    erased = await bob.wait_event("contributions_erased")
    assert "participant_id" not in erased
    after_frames = await bob.drain(quiet=0.3)
    assert all(f["type"] in ("presence",) for f in after_frames), after_frames
    # Every count as it was, for the bystander and for a newcomer.
    after = server.service.snapshot(None, False)
    assert (
        [poll.counts for poll in after.polls] == [poll.counts for poll in before.polls] == [[2, 0, 1], [1, 1]]
    )
    assert [q.votes for q in after.questions] == [q.votes for q in before.questions] == [1]
    newcomer = await join_participant(server, url, "Dora")
    assert newcomer.welcome is not None and alice_id not in str(newcomer.welcome)
    # Alice's own view forgets her votes; she cannot vote twice on what she had.
    mine = server.service.snapshot(alice_id, False)
    assert mine.my_ballots == {} and mine.my_upvotes == []
    again = await alice.command("cast_ballot", poll_id=still_open, choices=[0])
    assert again["type"] == "error" and again["code"] == "erased_earlier"
    again = await alice.command("upvote_question", question_id=question)
    assert again["type"] == "error" and again["code"] == "erased_earlier"
    # The log keeps no link between Alice and a ballot or an upvote.
    db = sqlite3.connect(db_path)
    linked = db.execute(
        "SELECT type FROM events WHERE (payload LIKE ? OR recipient = ?) "
        "AND type IN ('ballot_cast', 'upvote_added', 'upvote_withdrawn', 'ballot_withdrawn')",
        (f"%{alice_id}%", alice_id),
    ).fetchall()
    db.close()
    assert linked == []
    # The log still folds to the same counts.
    state = fold(server.service.store.events())
    assert state.polls[closed].counts() == [2, 0, 1]
    assert len(state.questions[question].voters) + state.questions[question].unlinked_votes == 1
    for client in (alice, bob, carol, newcomer):
        await client.close()


async def test_erasing_unlinks_ratings_and_words_too(
    server: DebateServer, url: str, db_path: Path, moderator: WireClient
) -> None:
    """Issue 12: a rating or a guest's words are unlinked, never subtracted: the
    average and the word cloud stay as the room saw them."""
    import sqlite3

    alice = await join_participant(server, url, "Alice")
    bob = await join_participant(server, url, "Bob")
    assert alice.welcome is not None
    alice_id = alice.welcome["participant_id"]
    await moderator.command("create_poll", question="Note ?", kind="rating", scale_max=5)
    await moderator.command("open_poll", poll_id="p1")
    await alice.command("cast_ballot", poll_id="p1", rating=2)
    await alice.command("cast_ballot", poll_id="p1", rating=5)  # changed: only the last counts
    await bob.command("cast_ballot", poll_id="p1", rating=3)
    await moderator.command("close_poll", poll_id="p1")
    await moderator.command("create_poll", question="Un mot ?", kind="words")
    await moderator.command("open_poll", poll_id="p2")
    await alice.command("cast_ballot", poll_id="p2", words=["Confiance", "Coûts"])
    await bob.command("cast_ballot", poll_id="p2", words=["confiance"])
    await bob.drain(quiet=0.2)
    before = server.service.snapshot(None, False)

    assert (await alice.command("erase_my_contributions"))["type"] == "ack"
    # Votes alone: the others hear nothing at all, and nothing moves.
    assert all(f["type"] in ("presence", "poll_counts") for f in await bob.drain(quiet=0.3))
    after = server.service.snapshot(None, False)
    assert [(p.counts, p.words, p.voters) for p in after.polls] == [
        (p.counts, p.words, p.voters) for p in before.polls
    ]
    assert after.polls[1].words is not None and after.polls[1].words[0].count == 2
    mine = server.service.snapshot(alice_id, False)
    assert mine.my_ratings == {} and mine.my_words == {}
    again = await alice.command("cast_ballot", poll_id="p2", words=["Encore"])
    assert again["code"] == "erased_earlier"
    # The log keeps no link: her ballots lost their participant, the replaced rating its value.
    db = sqlite3.connect(db_path)
    rows = db.execute("SELECT payload FROM events WHERE type = 'ballot_cast'").fetchall()
    linked = db.execute(
        "SELECT type FROM events WHERE (payload LIKE ? OR recipient = ?) AND type = 'ballot_cast'",
        (f"%{alice_id}%", alice_id),
    ).fetchall()
    db.close()
    assert linked == [] and len(rows) == 5
    state = fold(server.service.store.events())
    assert state.polls["p1"].counts() == [0, 0, 1, 0, 1]
    assert state.polls["p2"].word_cloud() == [("Confiance", 2), ("Coûts", 1)]
    for client in (alice, bob):
        await client.close()
