"""The Textual application. ``make demo`` runs ``workbench open sample_envs``, which calls ``run_app``."""

from __future__ import annotations

from pathlib import Path

from textual import on
from textual.app import App, SystemCommand
from textual.binding import Binding
from textual.worker import Worker, WorkerState

from workbench.ui.screens.library import LibraryScreen
from workbench.ui.screens.modals import ErrorModal, HelpScreen


class WorkbenchApp(App):
    """AWM Workbench: library → environment workspace. ``ctrl+q`` quits, ``f1`` shows the keys."""

    TITLE = "AWM Workbench"
    BINDINGS = [
        Binding("ctrl+q", "quit", "Quit", priority=True),
        Binding("f1,question_mark", "help", "Help"),
        Binding("f2", "toggle_theme", "Theme"),
    ]

    def __init__(self, library: Path, open_env: str | None = None) -> None:
        super().__init__()
        self.library = Path(library)
        self.open_env = open_env

    def on_mount(self) -> None:
        self.theme = "textual-dark"
        self.push_screen(LibraryScreen(self.library))
        if self.open_env:
            from workbench.ui.screens.workspace import WorkspaceScreen

            self.push_screen(WorkspaceScreen(self.library / self.open_env))

    def action_toggle_theme(self) -> None:
        self.theme = "textual-light" if self.theme == "textual-dark" else "textual-dark"

    def action_help(self) -> None:
        screen = self.screen
        rows: list[tuple[str, str]] = []
        seen = set()
        for key, active in screen.active_bindings.items():
            b = active.binding
            desc = b.description or b.action
            if (key, desc) in seen:
                continue
            seen.add((key, desc))
            rows.append((b.key_display or key, desc))
        self.push_screen(HelpScreen(rows, type(screen).__name__))

    def get_system_commands(self, screen):
        """Every action of the current screen is in the palette: its own commands, then each binding."""
        yield from super().get_system_commands(screen)
        yield SystemCommand("Toggle light/dark theme", "Switch between the light and the dark theme",
                            self.action_toggle_theme)
        yield SystemCommand("Help: keys of this screen", "List the keys of the current screen", self.action_help)
        for cmd in getattr(screen, "palette_commands", lambda: [])():
            yield cmd
        seen: set[str] = set()
        for key, active in screen.active_bindings.items():
            b = active.binding
            if not b.description or b.action in seen or b.action in ("quit", "help", "toggle_theme", "command_palette"):
                continue
            seen.add(b.action)
            node = active.node

            def run(action: str = b.action, target=node) -> None:
                self.call_later(self.run_action, action, target)

            where = type(node).__name__.replace("Pane", "").replace("Screen", "")
            yield SystemCommand(f"{where}: {b.description}", f"key: {b.key_display or key}", run)

    def show_error(self, title: str, message: str) -> None:
        self.push_screen(ErrorModal(title, message))

    @on(Worker.StateChanged)
    def _worker_failed(self, event: Worker.StateChanged) -> None:
        """Workers started by the app itself: errors end in a modal, never a crash."""
        if event.state == WorkerState.ERROR:
            err = event.worker.error
            title = getattr(err, "title", None) or f"{event.worker.description or event.worker.name} failed"
            self.show_error(title, f"{type(err).__name__}: {err}")


def run_app(library: Path, open_env: str | None = None) -> int:
    WorkbenchApp(library, open_env).run()
    return 0
