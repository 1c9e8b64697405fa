"""Modal forms: ask a question, add or edit a round, build a poll, announce,
answer a question in writing; add a table, pick a table or a guest, write a synthesis."""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar, Generic, Protocol, TypeVar, cast

from textual import events
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, VerticalScroll
from textual.content import Content
from textual.dom import DOMNode
from textual.screen import ModalScreen
from textual.widgets import (
    Button,
    Checkbox,
    Input,
    Label,
    OptionList,
    RadioButton,
    RadioSet,
    Static,
    TextArea,
)
from textual.widgets.option_list import Option

from client.i18n import Translator
from shared import limits
from shared.events import PollKind
from shared.text import single_line

POLL_KINDS: tuple[PollKind, ...] = ("choice", "rating", "words", "open")


class _Translating(Protocol):
    tr: Translator


def tr_of(node: DOMNode) -> Translator:
    # The app's translator, typed without importing the app: dialogs sit below it.
    return cast("_Translating", node.app).tr


@dataclass(frozen=True)
class QuestionDraft:
    text: str
    anonymous: bool


@dataclass(frozen=True)
class RoundDraft:
    title: str
    theme: str
    minutes: int


@dataclass(frozen=True)
class PollDraft:
    question: str
    options: list[str]
    multiple: bool
    hide_results: bool
    kind: PollKind = "choice"
    scale_max: int | None = None
    scale_labels: list[str] | None = None


@dataclass(frozen=True)
class AnnouncementDraft:
    text: str


@dataclass(frozen=True)
class JoinRateDraft:
    per_minute: int


@dataclass(frozen=True)
class AnswerDraft:
    text: str


Draft = TypeVar("Draft")


class FormCheckbox(Checkbox):
    """Space ticks; Enter sends the form (it must not silently untick 'anonymous')."""

    BINDINGS: ClassVar[list[BindingType]] = [Binding("enter", "screen.submit", show=False)]

    # Ticked shows a mark, unticked an empty box: not only a colour tells them apart.
    TICKED, UNTICKED = "✔", " "
    BUTTON_INNER = UNTICKED

    def on_mount(self) -> None:
        self.BUTTON_INNER = self.TICKED if self.value else self.UNTICKED

    def watch_value(self) -> None:
        self.BUTTON_INNER = self.TICKED if self.value else self.UNTICKED
        super().watch_value()


class FormScreen(ModalScreen[Draft | None], Generic[Draft]):
    """A form that answers with what the user filled in, or None when cancelled."""

    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "cancel", "key.cancel")]

    def buttons(self, submit_key: str = "form.send") -> ComposeResult:
        tr = tr_of(self)
        with Horizontal(classes="form-buttons"):
            yield Button(tr(submit_key), variant="primary", id="submit")
            yield Button(tr("form.cancel"), id="cancel")

    def action_cancel(self) -> None:
        self.dismiss(None)

    def action_submit(self) -> None:
        self.submit()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        if event.button.id == "cancel":
            self.dismiss(None)
        else:
            self.submit()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.submit()

    def error(self, message: str) -> None:
        self.query_one("#form-error", Static).update(message)

    def submit(self) -> None:
        raise NotImplementedError


class ConfirmScreen(ModalScreen[bool]):
    """A yes/no question: the confirming key is y (o in French), any other cancels."""

    def __init__(self, message: str) -> None:
        super().__init__()
        self.message = message

    def compose(self) -> ComposeResult:
        with VerticalScroll(classes="form", can_focus=False):
            yield Static(self.message, markup=False)

    def on_key(self, event: events.Key) -> None:
        event.stop()
        self.dismiss(event.character in ("y", "o"))


class AskScreen(FormScreen[QuestionDraft]):
    """A question, with a clear anonymous toggle that says what anonymity means."""

    def compose(self) -> ComposeResult:
        tr = tr_of(self)
        with VerticalScroll(classes="form", can_focus=False):
            yield Label(tr("ask.title"), classes="form-title")
            yield Input(placeholder=tr("ask.placeholder"), max_length=limits.QUESTION_MAX, id="question")
            yield FormCheckbox(tr("ask.anonymous"), id="anonymous")
            yield Static(tr("ask.named_help"), id="anonymous-help", markup=False)
            yield Static(id="form-error", markup=False)
            yield from self.buttons()

    def on_checkbox_changed(self, event: Checkbox.Changed) -> None:
        tr = tr_of(self)
        key = "ask.anonymous_help" if event.value else "ask.named_help"
        self.query_one("#anonymous-help", Static).update(tr(key))

    def submit(self) -> None:
        text = self.query_one("#question", Input).value.strip()
        if not text:
            self.error(tr_of(self)("form.empty"))
            return
        self.dismiss(QuestionDraft(text, self.query_one("#anonymous", Checkbox).value))


class RoundScreen(FormScreen[RoundDraft]):
    def __init__(self, title: str = "", theme: str = "", minutes: int = 20, editing: bool = False) -> None:
        super().__init__()
        self.initial = (title, theme, minutes)
        self.editing = editing

    def compose(self) -> ComposeResult:
        tr = tr_of(self)
        title, theme, minutes = self.initial
        with VerticalScroll(classes="form", can_focus=False):
            yield Label(tr("round.title_edit" if self.editing else "round.title_new"), classes="form-title")
            yield Label(tr("round.field_title"))
            yield Input(title, max_length=limits.ROUND_TITLE_MAX, id="title", select_on_focus=False)
            yield Label(tr("round.field_theme"))
            yield TextArea(theme, id="theme", soft_wrap=True, show_line_numbers=False)
            yield Label(tr("round.field_minutes"))
            yield Input(str(minutes), type="integer", max_length=3, id="minutes")
            yield Static(id="form-error", markup=False)
            yield from self.buttons("form.save")

    def submit(self) -> None:
        tr = tr_of(self)
        title = self.query_one("#title", Input).value.strip()
        theme = self.query_one("#theme", TextArea).text.strip()
        if not title:
            self.error(tr("form.empty"))
            return
        try:
            minutes = int(self.query_one("#minutes", Input).value)
        except ValueError:
            minutes = 0
        if not 1 <= minutes <= limits.ROUND_MINUTES_MAX:
            self.error(tr("round.bad_minutes"))
            return
        self.dismiss(RoundDraft(title, theme or title, minutes))


class PollScreen(FormScreen[PollDraft]):
    """A poll of any kind: its own fields show for the kind chosen."""

    def compose(self) -> ComposeResult:
        tr = tr_of(self)
        with VerticalScroll(classes="form", can_focus=False):
            yield Label(tr("poll.form_title"), classes="form-title")
            yield Label(tr("poll.field_question"))
            yield Input(max_length=limits.POLL_QUESTION_MAX, id="question")
            kinds = RadioSet(id="kind")
            kinds.border_title = tr("poll.field_kind")
            kinds.tooltip = tr("poll.kind_help")
            with kinds:
                for index, kind in enumerate(POLL_KINDS):
                    yield RadioButton(tr(f"poll.kind.{kind}"), value=index == 0, id=f"kind-{kind}")
            yield Label(tr("poll.field_options"), classes="kind-choice")
            yield TextArea(id="options", show_line_numbers=False, classes="kind-choice")
            yield FormCheckbox(tr("poll.field_multiple"), id="multiple", classes="kind-choice")
            # One row, so that the form fits 80×24: the top of the scale, then its end labels.
            yield Label(tr("poll.field_scale"), classes="kind-rating")
            with Horizontal(classes="kind-rating scale-row"):
                yield Input(str(limits.SCALE_DEFAULT), type="integer", max_length=2, id="scale")
                yield Input(placeholder=tr("poll.field_low"), max_length=limits.SCALE_LABEL_MAX, id="low")
                yield Input(placeholder=tr("poll.field_high"), max_length=limits.SCALE_LABEL_MAX, id="high")
            yield FormCheckbox(tr("poll.field_hidden"), id="hidden")
            yield Static(id="form-error", markup=False)
            yield from self.buttons("form.save")

    def on_mount(self) -> None:
        self.show_fields("choice")

    @property
    def kind(self) -> PollKind:
        pressed = self.query_one("#kind", RadioSet).pressed_index
        return POLL_KINDS[pressed] if 0 <= pressed < len(POLL_KINDS) else "choice"

    def on_radio_set_changed(self, event: RadioSet.Changed) -> None:
        event.stop()
        self.show_fields(self.kind)

    def show_fields(self, kind: PollKind) -> None:
        for widget in self.query(".kind-choice"):
            widget.display = kind == "choice"
        for widget in self.query(".kind-rating"):
            widget.display = kind == "rating"

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        event.prevent_default()  # FormScreen's handler would submit a second time
        # From the question, Enter goes on to the kind's own fields (tab reaches the kind).
        if event.input.id == "question" and self.kind == "choice":
            self.query_one("#options", TextArea).focus()
        elif event.input.id == "question" and self.kind == "rating":
            self.query_one("#scale", Input).focus()
        else:
            self.submit()

    def submit(self) -> None:
        tr = tr_of(self)
        question = self.query_one("#question", Input).value.strip()
        kind = self.kind
        hide_results = self.query_one("#hidden", Checkbox).value
        if question and kind == "rating":
            self.submit_rating(question, hide_results)
            return
        if question and kind != "choice":
            self.dismiss(PollDraft(question, [], False, hide_results, kind=kind))
            return
        options = [
            line.strip()[: limits.POLL_OPTION_MAX]
            for line in self.query_one("#options", TextArea).text.splitlines()
            if line.strip()
        ]
        if not question:
            self.error(tr("form.empty"))
            return
        if not limits.POLL_OPTIONS_MIN <= len(options) <= limits.POLL_OPTIONS_MAX:
            self.error(tr("poll.bad_options"))
            return
        self.dismiss(
            PollDraft(
                question,
                options,
                multiple=self.query_one("#multiple", Checkbox).value,
                hide_results=hide_results,
            )
        )

    def submit_rating(self, question: str, hide_results: bool) -> None:
        tr = tr_of(self)
        try:
            scale = int(self.query_one("#scale", Input).value)
        except ValueError:
            scale = 0
        if not limits.SCALE_MIN <= scale <= limits.SCALE_MAX:
            self.error(tr("poll.bad_scale"))
            return
        low = self.query_one("#low", Input).value.strip()
        high = self.query_one("#high", Input).value.strip()
        if bool(low) != bool(high):
            self.error(tr("poll.labels_both"))
            return
        labels = [low, high] if low else None
        self.dismiss(
            PollDraft(question, [], False, hide_results, kind="rating", scale_max=scale, scale_labels=labels)
        )


class AnnounceScreen(FormScreen[AnnouncementDraft]):
    """An announcement to the whole room, shown apart from the chat on every screen."""

    def compose(self) -> ComposeResult:
        tr = tr_of(self)
        with VerticalScroll(classes="form", can_focus=False):
            yield Label(tr("announce.title"), classes="form-title")
            yield Input(
                placeholder=tr("announce.placeholder"),
                max_length=limits.ANNOUNCEMENT_MAX,
                id="announcement-text",
            )
            yield Static(tr("announce.help"), classes="form-help", markup=False)
            yield Static(id="form-error", markup=False)
            yield from self.buttons()

    def submit(self) -> None:
        text = self.query_one("#announcement-text", Input).value.strip()
        if not text:
            self.error(tr_of(self)("form.empty"))
            return
        self.dismiss(AnnouncementDraft(text))


class AnswerScreen(FormScreen[AnswerDraft]):
    """A written answer to one question (issue 12), shown under it everywhere;
    opened on the current answer, which the new one replaces."""

    # Enter makes a new line in the answer: ctrl+s sends it (or the button).
    BINDINGS: ClassVar[list[BindingType]] = [Binding("ctrl+s", "submit", "key.send_answer")]

    def __init__(self, question: str, answer: str = "") -> None:
        super().__init__()
        self.question = question
        self.answer = answer

    def compose(self) -> ComposeResult:
        tr = tr_of(self)
        with VerticalScroll(classes="form", can_focus=False):
            yield Label(tr("answer.title"), classes="form-title")
            yield Static(tr("answer.question", text=single_line(self.question)), markup=False)
            yield TextArea(self.answer, id="answer-text", soft_wrap=True, show_line_numbers=False)
            yield Static(tr("answer.help"), classes="form-help", markup=False)
            yield Static(id="form-error", markup=False)
            yield from self.buttons()

    def on_mount(self) -> None:
        self.query_one("#answer-text", TextArea).focus()

    def submit(self) -> None:
        text = self.query_one("#answer-text", TextArea).text.strip()
        if not text:
            self.error(tr_of(self)("form.empty"))
            return
        if len(text) > limits.WRITTEN_ANSWER_MAX:
            self.error(tr_of(self)("error.too_long"))
            return
        self.dismiss(AnswerDraft(text))


class JoinRateScreen(FormScreen[JoinRateDraft]):
    """How many new guests the room's join code may let in per minute, all addresses together."""

    def __init__(self, per_minute: int) -> None:
        super().__init__()
        self.per_minute = per_minute

    def compose(self) -> ComposeResult:
        tr = tr_of(self)
        with VerticalScroll(classes="form", can_focus=False):
            yield Label(tr("join_rate.title"), classes="form-title")
            yield Label(tr("join_rate.field"))
            yield Input(str(self.per_minute), type="integer", max_length=6, id="per-minute")
            yield Static(tr("join_rate.help"), classes="form-help", markup=False)
            yield Static(id="form-error", markup=False)
            yield from self.buttons("form.save")

    def submit(self) -> None:
        try:
            per_minute = int(self.query_one("#per-minute", Input).value)
        except ValueError:
            per_minute = 0
        if not 1 <= per_minute <= limits.JOIN_RATE_MAX:
            self.error(tr_of(self)("join_rate.bad"))
            return
        self.dismiss(JoinRateDraft(per_minute))


@dataclass(frozen=True)
class HandDraft:
    topic: str | None


class RaiseHandScreen(FormScreen[HandDraft]):
    """Ask for the floor, with an optional topic; says first that the name will
    be shown to the room (the projector lists who is next)."""

    def __init__(self, name: str) -> None:
        super().__init__()
        self.guest_name = name

    def compose(self) -> ComposeResult:
        tr = tr_of(self)
        with VerticalScroll(classes="form", can_focus=False):
            yield Label(tr("hand.title"), classes="form-title")
            yield Static(tr("hand.name_shown", name=self.guest_name), id="hand-notice", markup=False)
            yield Input(placeholder=tr("hand.placeholder"), max_length=limits.HAND_TOPIC_MAX, id="topic")
            yield Static(tr("hand.topic_help"), classes="form-help", markup=False)
            yield Static(id="form-error", markup=False)
            yield from self.buttons("hand.confirm")

    def submit(self) -> None:
        topic = " ".join(self.query_one("#topic", Input).value.split())
        self.dismiss(HandDraft(topic or None))


# --- tables (issue 13) ---------------------------------------------------------------


@dataclass(frozen=True)
class TableDraft:
    name: str
    seats: int


@dataclass(frozen=True)
class SynthesisDraft:
    text: str


class TableScreen(FormScreen[TableDraft]):
    """Add a table, or rename it and change its seats."""

    def __init__(self, name: str = "", seats: int = 8, editing: bool = False) -> None:
        super().__init__()
        self.initial = (name, seats)
        self.editing = editing

    def compose(self) -> ComposeResult:
        tr = tr_of(self)
        name, seats = self.initial
        with VerticalScroll(classes="form", can_focus=False):
            yield Label(tr("table.title_edit" if self.editing else "table.title_new"), classes="form-title")
            yield Label(tr("table.field_name"))
            yield Input(name, max_length=limits.TABLE_NAME_MAX, id="table-name", select_on_focus=False)
            yield Label(tr("table.field_seats"))
            yield Input(str(seats), type="integer", max_length=3, id="table-seats")
            yield Static(id="form-error", markup=False)
            yield from self.buttons("form.save")

    def submit(self) -> None:
        tr = tr_of(self)
        name = self.query_one("#table-name", Input).value.strip()
        if not name:
            self.error(tr("form.empty"))
            return
        try:
            seats = int(self.query_one("#table-seats", Input).value)
        except ValueError:
            seats = 0
        if not 1 <= seats <= limits.TABLE_SEATS_MAX:
            self.error(tr("table.bad_seats"))
            return
        self.dismiss(TableDraft(name, seats))


class SynthesisScreen(FormScreen[SynthesisDraft]):
    """The spokesperson's synthesis of their table for the live round (their
    earlier one, if any, to edit: a new post replaces it)."""

    # Enter makes a new line in the synthesis: ctrl+s sends it (or the button).
    BINDINGS: ClassVar[list[BindingType]] = [Binding("ctrl+s", "submit", "key.send_synthesis")]

    def __init__(self, title: str, text: str = "") -> None:
        super().__init__()
        self.title_text = title
        self.initial = text

    def compose(self) -> ComposeResult:
        tr = tr_of(self)
        with VerticalScroll(classes="form", can_focus=False):
            yield Static(self.title_text, classes="form-title", markup=False)
            yield TextArea(self.initial, id="synthesis-text", soft_wrap=True, show_line_numbers=False)
            yield Static(tr("synthesis.help"), classes="form-help", markup=False)
            yield Static(id="form-error", markup=False)
            yield from self.buttons()

    def on_mount(self) -> None:
        self.query_one("#synthesis-text", TextArea).focus()

    def submit(self) -> None:
        text = self.query_one("#synthesis-text", TextArea).text.strip()
        if not text:
            self.error(tr_of(self)("form.empty"))
            return
        if len(text) > limits.SYNTHESIS_MAX:
            self.error(tr_of(self)("error.too_long"))
            return
        self.dismiss(SynthesisDraft(text))


class PickScreen(ModalScreen[str | None]):
    """Pick one of a list (a table, a guest): Enter picks, Escape cancels.

    ``choices`` are (id, label) pairs whose labels are already plain ``Content``
    (user text is never markup); none: ``empty`` says why."""

    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "cancel", "key.cancel")]

    def __init__(self, title: str, help_text: str, choices: list[tuple[str, Content]], empty: str) -> None:
        super().__init__()
        self.title_text = title
        self.help_text = help_text
        self.choices = choices
        self.empty = empty

    def compose(self) -> ComposeResult:
        with VerticalScroll(classes="form", can_focus=False):
            yield Static(self.title_text, classes="form-title", markup=False)
            if self.help_text:
                yield Static(self.help_text, classes="form-help", markup=False)
            if self.choices:
                yield OptionList(
                    *[Option(label, id=choice_id) for choice_id, label in self.choices], id="pick"
                )
            else:
                yield Static(self.empty, id="pick-empty", markup=False)

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.dismiss(event.option.id)

    def action_cancel(self) -> None:
        self.dismiss(None)
