"""Small modal screens: errors, confirmations, long text (a cell, a traceback), help."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Label, Static


class ErrorModal(ModalScreen[None]):
    """An error, shown instead of a crash. ``escape``/``enter`` close it."""

    BINDINGS = [Binding("escape,enter", "dismiss(None)", "Close")]
    DEFAULT_CSS = """
    ErrorModal { align: center middle; }
    ErrorModal > Vertical { width: 90%; max-width: 110; height: auto; max-height: 80%;
        border: thick $error; background: $surface; padding: 1 2; }
    ErrorModal #error-title { text-style: bold; color: $error; }
    ErrorModal VerticalScroll { height: auto; max-height: 20; }
    """

    def __init__(self, title: str, message: str) -> None:
        super().__init__()
        self.title_text = title
        self.message = message

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Label(self.title_text, id="error-title")
            with VerticalScroll():
                yield Static(self.message, id="error-message", markup=False)
            yield Button("Close", variant="error", id="close")

    def on_button_pressed(self) -> None:
        self.dismiss(None)


class TextModal(ModalScreen[None]):
    """Read-only long text (a cell value, a traceback, a tool result)."""

    BINDINGS = [Binding("escape,q", "dismiss(None)", "Close")]
    DEFAULT_CSS = """
    TextModal { align: center middle; }
    TextModal > Vertical { width: 92%; height: 85%; border: thick $accent; background: $surface; padding: 0 1; }
    TextModal #text-title { text-style: bold; }
    """

    def __init__(self, title: str, text: str) -> None:
        super().__init__()
        self.title_text = title
        self.text = text

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Label(self.title_text + "  (esc closes)", id="text-title")
            with VerticalScroll():
                yield Static(self.text, id="text-body", markup=False)


class ConfirmModal(ModalScreen[bool]):
    BINDINGS = [Binding("escape", "dismiss(False)", "No"), Binding("y", "dismiss(True)", "Yes")]
    DEFAULT_CSS = """
    ConfirmModal { align: center middle; }
    ConfirmModal > Vertical { width: 60; height: auto; border: thick $warning; background: $surface; padding: 1 2; }
    ConfirmModal Horizontal { height: auto; margin-top: 1; }
    """

    def __init__(self, question: str) -> None:
        super().__init__()
        self.question = question

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Label(self.question)
            with Horizontal():
                yield Button("Yes", variant="warning", id="yes")
                yield Button("No", id="no")

    def on_button_pressed(self, event: Button.Pressed) -> None:
        self.dismiss(event.button.id == "yes")


class PromptModal(ModalScreen[str | None]):
    """Ask for one line of text."""

    BINDINGS = [Binding("escape", "dismiss(None)", "Cancel")]
    DEFAULT_CSS = """
    PromptModal { align: center middle; }
    PromptModal > Vertical { width: 70; height: auto; border: thick $accent; background: $surface; padding: 1 2; }
    """

    def __init__(self, question: str, value: str = "") -> None:
        super().__init__()
        self.question = question
        self.value = value

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Label(self.question)
            yield Input(value=self.value, id="prompt-input")

    def on_input_submitted(self, event: Input.Submitted) -> None:
        self.dismiss(event.value)


class HelpScreen(ModalScreen[None]):
    """The keys of the screen underneath, read from its active bindings."""

    BINDINGS = [Binding("escape,q,f1,question_mark", "dismiss(None)", "Close")]
    DEFAULT_CSS = """
    HelpScreen { align: center middle; }
    HelpScreen > Vertical { width: 80%; max-width: 90; height: 80%; border: thick $primary; background: $surface; padding: 0 2; }
    HelpScreen #help-title { text-style: bold; margin: 1 0; }
    """

    def __init__(self, rows: list[tuple[str, str]], where: str) -> None:
        super().__init__()
        self.rows = rows
        self.where = where

    def compose(self) -> ComposeResult:
        from textual.widgets import DataTable

        with Vertical():
            yield Label(f"Keys: {self.where}   (esc closes; ctrl+p opens the command palette)", id="help-title")
            table: DataTable = DataTable(id="help-table", cursor_type="row", zebra_stripes=True)
            table.add_columns("key", "action")
            for key, desc in self.rows:
                table.add_row(key, desc)
            yield table
