"""Tables in the terminal (issue 13): a guest chooses a table and writes the
synthesis as spokesperson, the moderator runs the Tables tab, the projector
shows the syntheses. Real apps, a real server."""

from __future__ import annotations

from textual.pilot import Pilot
from textual.widgets import Input, OptionList, TextArea

from client.app import ConviveApp
from client.dialogs.forms import PickScreen, SynthesisScreen, TableScreen
from client.tokens import TokenStore
from client.widgets.tables import TableList, TablesAdmin
from server.app import DebateServer
from tests.client.conftest import make_app, screen_text, send, wait_until
from tests.conftest import join_participant
from tests.wire import WireClient


async def connected(pilot: Pilot[None], app: ConviveApp) -> None:
    await wait_until(pilot, lambda: app.link.status == "connected", what="connected")


async def test_a_guest_chooses_a_table_and_writes_its_synthesis(
    server: DebateServer, tokens: TokenStore
) -> None:
    mod_app = make_app(server, "moderator", tokens)
    guest_app = make_app(server, "participant", TokenStore(tokens.path.parent / "guest"), name="Alice")
    screen_app = make_app(server, "screen", TokenStore(tokens.path.parent / "screen"))
    async with (
        mod_app.run_test(size=(100, 32)) as mod,
        guest_app.run_test(size=(100, 32)) as guest,
        screen_app.run_test(size=(120, 40)) as screen,
    ):
        for pilot, app in ((mod, mod_app), (guest, guest_app), (screen, screen_app)):
            await connected(pilot, app)
        ms, gs = mod_app.state, guest_app.state

        # The moderator adds a table in the Tables tab (F9, then +).
        await mod.press("f9")
        assert mod_app.screen.query_one(TablesAdmin).has_focus
        await mod.press("plus")
        await wait_until(mod, lambda: isinstance(mod_app.screen, TableScreen), what="table form")
        mod_app.screen.query_one("#table-name", Input).value = "Lovelace"
        mod_app.screen.query_one("#table-seats", Input).value = "6"
        await mod.press("enter")
        send(mod_app, "add_table", name="Turing", seats=1)
        send(mod_app, "add_round", title="Innover", theme="Avec les métiers", minutes=20)
        await wait_until(guest, lambda: len(gs.tables) == 2 and len(gs.agenda) == 1, what="tables")
        assert [(t.name, t.seats) for t in gs.tables.values()] == [("Lovelace", 6), ("Turing", 1)]

        # The guest: F5, then t lists the tables with a free seat; Enter sits there.
        await guest.press("f5")
        assert guest_app.screen.query_one(TableList).has_focus
        assert "You have no table yet" in screen_text(guest_app)
        await guest.press("t")
        await wait_until(guest, lambda: isinstance(guest_app.screen, PickScreen), what="pick a table")
        assert guest_app.screen.query_one(OptionList).option_count == 2
        await guest.press("enter")
        await wait_until(guest, lambda: gs.my_table is not None, what="seated")
        assert gs.my_table is not None and gs.my_table.name == "Lovelace"
        await wait_until(guest, lambda: "Your table: Lovelace." in screen_text(guest_app), what="my table")
        # Seating is public: the moderator's tab lists her at her table.
        await wait_until(mod, lambda: "Alice" in screen_text(mod_app), what="seating on the moderator")

        # The moderator makes her spokesperson (k on the table, Enter on her name).
        me = gs.me
        await mod.press("k")
        await wait_until(mod, lambda: isinstance(mod_app.screen, PickScreen), what="pick a spokesperson")
        await mod.press("enter")
        await wait_until(guest, lambda: gs.my_spokesperson_table is not None, what="spokesperson")
        assert ms.tables["t1"].spokesperson_id == me
        send(mod_app, "start_round", round_id="r1")
        await wait_until(guest, lambda: gs.live_round is not None, what="round live")

        # s writes the synthesis; nothing the server sent took her focus meanwhile.
        await guest.press("s")
        await wait_until(guest, lambda: isinstance(guest_app.screen, SynthesisScreen), what="synthesis form")
        guest_app.screen.query_one(TextArea).text = "Des agents, mais supervisés."
        guest_app.screen.query_one("#submit").focus()
        await guest.press("enter")
        await wait_until(guest, lambda: len(gs.syntheses) == 1, what="synthesis posted")
        assert "Des agents, mais supervisés." in screen_text(guest_app)
        assert guest_app.screen.query_one(TableList).has_focus

        # The projector shows the syntheses large, under the table's name.
        send(mod_app, "set_spotlight", kind="syntheses")
        await wait_until(screen, lambda: screen_app.state.spotlight.kind == "syntheses", what="spotlight")
        text = screen_text(screen_app)
        assert (
            "Syntheses of “Innover”" in text and "Lovelace" in text and "Des agents, mais supervisés." in text
        )
        assert "Alice" not in text  # attributed to the table, never to the person

        # Removing her table unseats her: a notice, and the focus stays where it was.
        send(mod_app, "remove_table", table_id="t1")
        await wait_until(guest, lambda: gs.unseated_from == "Lovelace", what="unseated")
        await wait_until(
            guest, lambda: "Your table “Lovelace” was removed" in screen_text(guest_app), what="notice"
        )
        assert guest_app.screen.query_one(TableList).has_focus
        assert gs.my_table is None


async def test_a_full_table_is_not_offered_and_a_french_guest_reads_french(
    server: DebateServer, tokens: TokenStore
) -> None:
    mod_app = make_app(server, "moderator", tokens)
    guest_app = make_app(server, "participant", TokenStore(tokens.path.parent / "g"), lang="fr", name="Bob")
    async with mod_app.run_test(size=(100, 32)) as mod, guest_app.run_test(size=(100, 32)) as guest:
        await connected(mod, mod_app)
        await connected(guest, guest_app)
        other = await join_participant(server, f"ws://127.0.0.1:{server.port}/", "Carol")
        try:
            send(mod_app, "add_table", name="Pleine", seats=1)
            send(mod_app, "add_table", name="Libre", seats=4)
            await wait_until(mod, lambda: len(mod_app.state.tables) == 2, what="tables")
            assert (await other.command("choose_table", table_id="t1"))["type"] == "ack"
            await wait_until(guest, lambda: len(guest_app.state.free_tables()) == 1, what="full")
            await guest.press("f5")
            await guest.press("t")
            await wait_until(guest, lambda: isinstance(guest_app.screen, PickScreen), what="pick")
            offered = guest_app.screen.query_one(OptionList)
            labels = [str(offered.get_option_at_index(i).prompt) for i in range(offered.option_count)]
            assert len(labels) == 1 and labels[0].startswith("Libre")
            text = screen_text(guest_app)
            assert "Choisir une table" in text and "0/4 places" in text
        finally:
            await other.close()


async def test_a_closed_polls_results_by_table_on_the_guest_and_the_projector(
    server: DebateServer, tokens: TokenStore
) -> None:
    url = f"ws://127.0.0.1:{server.port}/"
    guest_app = make_app(server, "participant", TokenStore(tokens.path.parent / "g"), name="Zoé")
    screen_app = make_app(server, "screen", TokenStore(tokens.path.parent / "s"))
    moderator = await WireClient.join(
        url, role="moderator", moderator_key=server.service.moderator_key, name="Mod"
    )
    voters = [
        await join_participant(server, url, name) for name in ("Anne", "Bruno", "Chloé", "Denis", "Emma")
    ]
    try:
        async with guest_app.run_test(size=(100, 32)) as guest, screen_app.run_test(size=(120, 40)) as screen:
            await connected(guest, guest_app)
            await connected(screen, screen_app)
            await moderator.command("add_table", name="Lovelace", seats=8)
            await moderator.command("add_table", name="Turing", seats=8)
            for voter, table_id in zip(voters, ["t1", "t1", "t1", "t2", "t2"], strict=True):
                assert (await voter.command("choose_table", table_id=table_id))["type"] == "ack"
            await moderator.command("create_poll", question="Des agents ?", options=["Oui", "Non"])
            await moderator.command("open_poll", poll_id="p1")
            for voter, choice in zip(voters, [0, 0, 1, 1, 1], strict=True):
                assert (await voter.command("cast_ballot", poll_id="p1", choices=[choice]))["type"] == "ack"
            # The moderator, seated nowhere, votes too: with Turing's two, "other tables".
            assert (await moderator.command("cast_ballot", poll_id="p1", choices=[0]))["type"] == "ack"
            await guest.press("f4")
            await moderator.command("close_poll", poll_id="p1")
            await moderator.command("set_spotlight", kind="poll", item_id="p1")
            await wait_until(guest, lambda: bool(guest_app.state.polls["p1"].by_table), what="by table")
            # Lovelace (3 voters) is shown; Turing's 2 are merged with the unseated
            # moderator into "other tables" (Turing alone would be given back).
            by_table = guest_app.state.polls["p1"].by_table
            assert [(g.table_name, g.voters) for g in by_table] == [("Lovelace", 3), (None, 3)]
            text = screen_text(guest_app)
            assert "By table" in text and "Lovelace — 3 voters: Oui 2 (67%) · Non 1 (33%)" in text
            assert "Other tables — 3 voters: Oui 1 (33%) · Non 2 (67%)" in text
            assert "that no one's vote can be told" in text
            await wait_until(
                screen, lambda: "Lovelace — 3 voters" in screen_text(screen_app), what="projector"
            )
    finally:
        for voter in voters:
            await voter.close()
        await moderator.close()
