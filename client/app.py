"""The convive Textual app: one connection worker, one local state, one screen per role."""

from __future__ import annotations

import asyncio
import base64
import contextlib
import signal
import ssl
from collections.abc import Callable, Iterable
from datetime import UTC, datetime, timedelta, tzinfo
from pathlib import Path
from typing import Any, cast

from textual import work
from textual.app import App, SystemCommand
from textual.command import CommandPalette
from textual.screen import Screen

from client import messages as m
from client.connection import AnyCommand, Connection
from client.dialogs.forms import ConfirmScreen
from client.i18n import Translator, default_language
from client.screens.debate import DebateScreen, ParticipantScreen
from client.screens.join import JoinScreen
from client.screens.moderator import ModeratorScreen
from client.screens.projector import ProjectorScreen
from client.state import (
    PEOPLE,
    ClientState,
    apply_event,
    apply_history,
    apply_poll_counts,
    apply_presence,
    apply_welcome,
    note_created,
)
from client.tokens import TokenStore
from client.widgets.moderation import PollsList
from client.widgets.render import parse_time
from client.zones import local_zone_name, zone_named
from shared import events as ev
from shared import protocol as p
from shared.joinlink import is_invitation_code
from shared.text import single_line

MainScreen = DebateScreen | ProjectorScreen


class ConviveApp(App[None]):
    CSS_PATH = "convive.tcss"
    TITLE = "convive"

    def __init__(
        self,
        url: str,
        role: p.Role = "participant",
        *,
        join_code: str | None = None,
        name: str | None = None,
        moderator_key: str | None = None,
        lang: str | None = None,
        tokens: TokenStore | None = None,
        clock: Callable[[], datetime] | None = None,
        tz: tzinfo | None = None,
        export_zone: str | None = None,
        backoff_base: float = 0.5,
        export_dir: str | Path | None = None,
        join_url: str | None = None,
        ssl_context: ssl.SSLContext | None = None,
        new_identity: bool = False,
    ) -> None:
        super().__init__()
        self.url = url
        self.role = role
        self.tr = Translator(lang or default_language())
        self.state = ClientState(role=role)
        self.clock = clock or (lambda: datetime.now(UTC))
        self.tz = tz
        # The IANA name of the zone the exports use (None: the server's own).
        self.export_zone = export_zone if export_zone is not None else local_zone_name()
        self.export_dir = Path(export_dir) if export_dir else Path.cwd()
        # The address the projector shows: --public-url, else the one the server
        # announces in its welcome, else the one we connected with. The room joins
        # from phones: the projector shows the guest page there (http_url_of).
        self.public_url = join_url
        self.join_url = join_url or url
        self.join_code = join_code
        self._offset = timedelta(0)
        self.tokens = tokens if tokens is not None else TokenStore()
        self.connection = Connection(
            url,
            role,
            self.post_message,
            join_code=join_code,
            name=name,
            moderator_key=moderator_key,
            tokens=self.tokens if role != "screen" else None,
            backoff_base=backoff_base,
            ssl_context=ssl_context,
            new_identity=new_identity,
        )
        self._restore_secrets()
        if role == "moderator" and not name:
            self.connection.name = self.tr("join.moderator_name")
        self.link = m.LinkChanged("connecting")
        self.main: MainScreen | None = None

    def _restore_secrets(self) -> None:
        """Our anonymous questions, from a previous run: still ours, still withdrawable.

        The saved epoch goes with them, so that a welcome from another debate
        (the same URL, a new database) drops them rather than mistake its q3 for ours.
        """
        secrets = self.connection.saved_secrets
        if secrets:
            self.state.epoch = self.connection.epoch
            self.state.my_secrets.update(secrets)
            self.state.my_questions.update(secrets)

    def _keep_secrets(self) -> None:
        """Write our anonymous questions' secrets beside our resume token (a 0600 file)."""
        c = self.connection
        if c.tokens is not None and c.resume_token is not None:
            c.tokens.set_secrets(c.url, c.role, c.resume_token, self.state.my_secrets)

    # --- starting ----------------------------------------------------------------

    def on_mount(self) -> None:
        # SIGTERM (kill, a closing tmux pane, a shutdown) ends the app as ctrl+q
        # does, so the terminal is restored instead of left in raw mode.
        with contextlib.suppress(NotImplementedError, RuntimeError):  # not on Windows
            asyncio.get_running_loop().add_signal_handler(signal.SIGTERM, self.exit)
        if self.needs_credentials():
            self.push_screen(JoinScreen(self.role, self.url))
        else:
            self.begin()

    def needs_credentials(self) -> bool:
        c = self.connection
        if self.role == "moderator":
            return not c.moderator_key
        if self.role == "screen":
            return not c.join_code
        # A personal invitation code needs no name: the invitation's is used.
        return not c.resume_token and not (c.join_code and (c.name or is_invitation_code(c.join_code)))

    def join_with(self, join_code: str | None, name: str | None, moderator_key: str | None) -> None:
        """Called by the join screen with what the user typed."""
        c = self.connection
        c.join_code = join_code or c.join_code
        c.name = name or c.name
        c.moderator_key = moderator_key or c.moderator_key
        self.join_code = c.join_code
        self.begin()

    def begin(self) -> None:
        main: MainScreen
        if self.role == "moderator":
            main = ModeratorScreen()
        elif self.role == "screen":
            main = ProjectorScreen()
        else:
            main = ParticipantScreen()
        self.main = main
        if isinstance(self.screen, JoinScreen):
            self.switch_screen(main)
        else:
            self.push_screen(main)
        self.run_connection()

    @work(exclusive=True, group="connection", exit_on_error=False)
    async def run_connection(self) -> None:
        await self.connection.run()

    async def on_unmount(self) -> None:
        with contextlib.suppress(NotImplementedError, RuntimeError):
            asyncio.get_running_loop().remove_signal_handler(signal.SIGTERM)
        # Close the link politely, so that the server does not wait for a dead peer.
        ws = self.connection.ws
        if ws is not None:
            with contextlib.suppress(Exception):
                await asyncio.wait_for(ws.close(), 2)

    # --- time ----------------------------------------------------------------------

    def server_now(self) -> datetime:
        """The server's clock, as well as we know it (for countdowns)."""
        return self.clock() + self._offset

    # --- sending ---------------------------------------------------------------------

    def send_command(self, build: Callable[[str], AnyCommand]) -> AnyCommand:
        """Send the command ``build`` makes from the id the connection gives it:
        ``app.send_command(lambda id_: p.PostMessage(id=id_, text=text))``."""
        command = self.connection.send(build)
        if not self.connection.connected:
            self.notify(self.tr("status.offline_kept"), severity="warning")
        return command

    # --- messages from the connection -------------------------------------------------

    def _changed(self, areas: frozenset[str]) -> None:
        if areas and self.main is not None and self.main.is_attached:
            self.main.post_message(m.StateChanged(areas))

    def on_welcomed(self, message: m.Welcomed) -> None:
        welcome = message.welcome
        server_time = parse_time(welcome.at)
        if server_time is not None:
            self._offset = server_time - self.clock()
        if self.public_url is None and welcome.join_url:
            self.join_url = single_line(welcome.join_url)
        before = self.state.open_poll
        before_id = before.poll_id if before is not None else None
        self._changed(apply_welcome(self.state, welcome))
        opened = self.state.open_poll
        # A poll opened while we were away (or before we came) is announced by
        # the badge on its tab and the line above the chat input; a notice too,
        # but nothing takes the focus or switches tabs.
        if opened is not None and opened.poll_id != before_id and self.role == "participant":
            self.notify(self.tr("poll.opened"))
        for event in welcome.events or []:  # told while we were away
            if isinstance(event, ev.MergeNotified):
                self.tell_merged(event)

    def on_event_received(self, message: m.EventReceived) -> None:
        event = message.event
        fresh = event.seq > self.state.seq
        # Known before the fold drops it: a rejected question of ours.
        rejected_mine = isinstance(event, ev.QuestionRejected) and self.state.asked(event.question_id)
        self._changed(apply_event(self.state, event))
        if isinstance(event, ev.QuestionRejected | ev.QuestionWithdrawn | ev.ContributionsErased):
            self._keep_secrets()  # a question of ours may be gone, and its secret with it
        if not fresh or self.main is None:
            return
        if isinstance(event, ev.MessageHidden | ev.MessageUnhidden) and self.role == "participant":
            shown = self.state.messages.get(event.message_id)
            if shown is not None and shown.author_id == self.state.me:
                hidden = isinstance(event, ev.MessageHidden)
                self.notify(
                    self.tr("chat.mine_hidden" if hidden else "chat.mine_unhidden"),
                    severity="warning" if hidden else "information",
                )
        if self.role == "participant":
            self.tell_author_about_the_filter(event)
        mine = getattr(event, "participant_id", None) == self.state.me and self.role != "screen"
        if isinstance(event, ev.FloorGiven) and mine:
            self.notify(self.tr("floor.you_have_it"))  # a notice only: nothing moves the focus
        if isinstance(event, ev.PollOpened) and self.role == "participant":
            self.notify(self.tr("poll.opened"))  # a notice only: the guest may be typing
        elif isinstance(event, ev.QuestionApproved) and self.role == "participant":
            question = self.state.questions.get(event.question_id)
            if question is not None and self.state.is_mine(question):
                self.notify(self.tr("questions.approved_mine"))
        elif rejected_mine and self.role == "participant":
            self.notify(self.tr("questions.rejected_mine"), severity="warning")
        elif (
            isinstance(event, ev.QuestionRestored)
            and self.role == "participant"
            and self.state.asked(event.question_id)
        ):
            self.notify(self.tr("questions.restored_mine"))
        elif isinstance(event, ev.MergeNotified):
            self.tell_merged(event)

    def tell_merged(self, notice: ev.MergeNotified) -> None:
        """Issue 12: the server tells us alone that our question was merged."""
        kept = self.state.questions.get(notice.keep_id)
        keep = single_line(kept.text) if kept is not None else notice.keep_id
        self.notify(self.tr("questions.merged_mine", keep=keep), markup=False)

    def tell_author_about_the_filter(self, event: ev.EventBase) -> None:
        """A notice (never the focus) when the word filter held our text, or it was released."""
        match event:
            case ev.MessagePosted(held=True, author_id=author) if author == self.state.me:
                self.notify(self.tr("chat.held_mine"), severity="warning")
            case ev.MessageReleased(author_id=author) if author == self.state.me:
                self.notify(self.tr("chat.mine_released"))
            case ev.QuestionSubmitted(filtered=True, question_id=asked) if self.state.asked(asked):
                self.notify(self.tr("questions.filtered_mine"), severity="warning")

    def on_presence_received(self, message: m.PresenceReceived) -> None:
        self._changed(apply_presence(self.state, message.presence))

    def on_poll_counts_received(self, message: m.PollCountsReceived) -> None:
        self._changed(apply_poll_counts(self.state, message.counts))

    def on_join_stats_received(self, message: m.JoinStatsReceived) -> None:
        self.state.join_stats = message.stats
        self._changed(frozenset({PEOPLE}))

    def on_command_acked(self, message: m.CommandAcked) -> None:
        self._changed(note_created(self.state, message.command, message.ack))
        command = message.command
        if isinstance(command, p.SubmitQuestion | p.WithdrawQuestion):
            self._keep_secrets()
        if isinstance(command, p.SubmitQuestion):
            pending = self.state.moderation and self.role != "moderator"
            self.notify(self.tr("ask.sent_pending" if pending else "ask.sent"))
        elif isinstance(command, p.CastBallot):
            self.notify(self.tr("poll.answer_sent" if command.text is not None else "poll.voted"))
        elif isinstance(command, p.MergeQuestions):
            self.notify(self.tr.plural("merge.done", len(command.merged_ids)))
        elif isinstance(command, p.AnswerQuestion):
            self.notify(self.tr("answer.sent"))
        elif isinstance(command, p.HideMessage):
            self.notify(self.tr("chat.hidden"))
        elif isinstance(command, p.UnhideMessage):
            self.notify(self.tr("chat.unhidden"))
        elif isinstance(command, p.ReleaseMessage):
            self.notify(self.tr("chat.released"))
        elif isinstance(command, p.CreatePoll) and message.ack.created:
            if isinstance(self.main, ModeratorScreen):
                self.main.query_one(PollsList).show_created(message.ack.created)
        elif isinstance(command, p.SetModeration):
            key = "triage.moderation_now_on" if command.enabled else "triage.moderation_now_off"
            self.notify(self.tr(key))
        elif isinstance(command, p.ApproveQuestion):
            self.notify(self.tr("triage.approved"))
        elif isinstance(command, p.RestoreQuestion):
            self.notify(self.tr("triage.restored"))
        elif isinstance(command, p.ReopenRound):
            self.notify(self.tr("agenda.reopened"))
        elif isinstance(command, p.Announce):
            self.notify(self.tr("announce.sent"))
        elif isinstance(command, p.WithdrawQuestion):
            self.notify(self.tr("questions.withdrawn"))
        elif isinstance(command, p.EraseMyContributions):
            self.notify(self.tr("erase.done"))
        elif isinstance(command, p.RaiseHand):
            self.notify(self.tr("hand.raised"))
        elif isinstance(command, p.LowerHand) and command.participant_id is None:
            self.notify(self.tr("hand.lowered"))

    def on_command_refused(self, message: m.CommandRefused) -> None:
        error = message.error
        text = self.tr.error(error.code, single_line(error.message))
        retrying = error.code in ("rate_limited", "unavailable")  # sent again by itself
        self.notify(text, severity="warning" if retrying else "error", markup=False)

    def on_link_changed(self, message: m.LinkChanged) -> None:
        self.link = message
        if isinstance(self.main, DebateScreen) and self.main.is_attached:
            self.main.link_changed()
        elif self.main is not None and self.main.is_attached:
            self.main.refresh_status()

    def pending_messages(self) -> list[str]:
        """Chat messages typed while offline, waiting for the connection."""
        if self.link.status == "connected":
            return []
        return [
            command.text for command in self.connection.outbox.values() if isinstance(command, p.PostMessage)
        ]

    def on_join_refused(self, message: m.JoinRefused) -> None:
        key: str = message.error.code
        if key == "bad_credentials":  # say what applies: a guest has a code, not a key
            key = f"bad_credentials.{'moderator' if self.role == 'moderator' else 'guest'}"
            self.connection.moderator_key = None  # wrong: the join screen asks for it again
        error = self.tr.error(key, single_line(message.error.message))
        self.main = None
        screen = JoinScreen(self.role, self.url, error=error)
        if isinstance(self.screen, JoinScreen):
            self.screen.show_error(error)
        else:
            self.switch_screen(screen)

    def on_history_received(self, message: m.HistoryReceived) -> None:
        self._changed(apply_history(self.state, message.page))

    def on_transcript_received(self, message: m.TranscriptReceived) -> None:
        transcript = message.transcript
        binary = transcript.encoding == "base64"
        try:
            content = base64.b64decode(transcript.content) if binary else transcript.content.encode("utf-8")
            path = self.save_export(
                Path(transcript.filename).name or f"transcript.{transcript.format}", content
            )
        except (OSError, ValueError) as error:
            self.notify(self.tr("export.failed", error=error), severity="error", markup=False)
            return
        zone = self.export_zone or self.tr("export.server_zone")
        self.notify(self.tr("export.saved", path=path, zone=zone), markup=False, timeout=15)

    def save_export(self, name: str, content: bytes) -> Path:
        """Write ``content`` under a new name with the time: an earlier export is never replaced."""
        stem, dot, suffix = name.partition(".")
        moment = self.clock().astimezone(zone_named(self.export_zone) if self.export_zone else self.tz)
        base = f"{stem}-{moment:%H%M%S}"
        for attempt in range(1, 1000):
            path = self.export_dir / f"{base}{'' if attempt == 1 else f'-{attempt}'}{dot}{suffix}"
            try:
                with path.open("xb") as handle:  # "x": fails rather than overwrite
                    handle.write(content)
            except FileExistsError:
                continue
            return path
        raise FileExistsError(self.export_dir / f"{base}{dot}{suffix}")

    # --- the command palette -------------------------------------------------------------

    def action_command_palette(self) -> None:
        if self.use_command_palette and not CommandPalette.is_open(cast("App[object]", self)):
            palette = CommandPalette(placeholder=self.tr("palette.placeholder"), id="--command-palette")
            self.push_screen(palette)

    def get_system_commands(self, screen: Screen[Any]) -> Iterable[SystemCommand]:
        for command in super().get_system_commands(screen):
            key = f"palette.{command.title}"
            if key in self.tr.texts:  # Textual's own commands, in the interface language
                command = command._replace(title=self.tr(key), help=self.tr(f"{key}.help"))
            yield command
        if isinstance(self.main, ModeratorScreen):
            yield from self.main.palette_commands()
        elif self.role == "participant" and self.main is not None:
            yield SystemCommand(self.tr("cmd.erase_mine"), "", self.confirm_erase)

    def confirm_erase(self) -> None:
        def answered(yes: bool | None) -> None:
            if yes:
                self.send_command(lambda id_: p.EraseMyContributions(id=id_))

        self.push_screen(ConfirmScreen(self.tr("erase.confirm")), answered)
