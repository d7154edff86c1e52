"""One environment's workspace: tabs for every stage of review, sharing one live session."""

from __future__ import annotations

from pathlib import Path

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.screen import Screen
from textual.widgets import Footer, Header, TabbedContent, TabPane
from textual.worker import Worker, WorkerState

from workbench.ui.context import EnvContext, SessionFailed, SessionReady, StateChanged
from workbench.ui.workers import ShowsWorkerErrors

TABS = [
    ("overview", "Overview", "workbench.ui.panes.overview:OverviewPane"),
    ("stages", "Stages", "workbench.ui.panes.stages:StagesPane"),
    ("schema", "Schema", "workbench.ui.panes.schema:SchemaPane"),
    ("data", "Data", "workbench.ui.panes.data:DataPane"),
    ("tools", "Tools", "workbench.ui.panes.tools:ToolsPane"),
    ("verifiers", "Verifiers", "workbench.ui.panes.verifiers:VerifiersPane"),
    ("runs", "Runs", "workbench.ui.panes.runs:RunsPane"),
    ("review", "Review", "workbench.ui.panes.review:ReviewPane"),
]


def _load_pane(spec: str):
    import importlib

    module, _, name = spec.partition(":")
    try:
        return getattr(importlib.import_module(module), name)
    except (ImportError, AttributeError):
        from workbench.ui.panes.placeholder import PlaceholderPane

        return PlaceholderPane


class WorkspaceScreen(ShowsWorkerErrors, Screen):
    """Tabs: Overview, Stages, Schema, Data, Tools, Verifiers, Runs, Review (keys 1–8)."""

    QUIET_GROUPS = ("session",)  # a failed start is shown by the Overview pane
    BINDINGS = [
        Binding("escape", "back", "Library"),
        *[Binding(str(i + 1), f"tab('{key}')", label, show=False) for i, (key, label, _) in enumerate(TABS)],
        Binding("ctrl+r", "reset_instance", "Reset DB"),
        Binding("ctrl+x", "cancel_jobs", "Cancel jobs", show=False),
    ]
    DEFAULT_CSS = """
    WorkspaceScreen #jobs { dock: bottom; height: 1; background: $boost; color: $warning; display: none; }
    WorkspaceScreen #jobs.-busy { display: block; }
    """

    def __init__(self, bundle_dir: Path, initial_tab: str = "overview") -> None:
        super().__init__()
        self.ctx = EnvContext(Path(bundle_dir))
        self.initial_tab = initial_tab

    def compose(self) -> ComposeResult:
        from textual.widgets import Label

        yield Header()
        yield Label("", id="jobs")
        with TabbedContent(initial=self.initial_tab, id="workspace-tabs"):
            for i, (key, label, spec) in enumerate(TABS):
                with TabPane(f"{i + 1} {label}", id=key):
                    yield _load_pane(spec)(self.ctx, id=f"{key}-pane")
        yield Footer()

    def on_mount(self) -> None:
        self.title = self.ctx.bundle.name
        self.sub_title = f"{self.ctx.bundle.slug} · starting the environment…"
        self.start_session()
        self.set_interval(0.4, self._show_jobs)

    def _busy_workers(self):
        return [w for w in self.app.workers if w.is_running and not (w.group or "").endswith("watch")]

    def _show_jobs(self) -> None:
        """A one-line progress strip: what is running (ctrl+x cancels)."""
        from textual.widgets import Label

        running = self._busy_workers()
        label = self.query_one("#jobs", Label)
        label.set_class(bool(running), "-busy")
        if running:
            names = ", ".join(sorted({w.description or w.name for w in running}))
            spinner = "⠋⠙⠹⠸⠼⠴⠦⠧⠇⠏"[int(__import__("time").time() * 5) % 10]
            label.update(f" {spinner} {names} …  (ctrl+x cancels)")

    def action_cancel_jobs(self) -> None:
        running = self._busy_workers()
        for w in running:
            w.cancel()
        self.notify(f"Cancelled {len(running)} job(s)." if running else "Nothing is running.")

    def palette_commands(self):
        from textual.app import SystemCommand

        yield SystemCommand("Run check on this environment", "build, import, tools = spec, smoke calls",
                            lambda: self.run_check())
        yield SystemCommand("Run sanity on this environment", "do-nothing and reference runs vs verifiers",
                            lambda: self.run_sanity())
        for i, (key, label, _) in enumerate(TABS):
            yield SystemCommand(f"Go to tab: {label}", f"key: {i + 1}", lambda k=key: self.action_tab(k))

    @work(thread=True, exclusive=True, group="check", exit_on_error=False, description="Checking the environment")
    def run_check(self) -> None:
        from workbench.runtime.check import check_library, save_check_state

        results = check_library([self.ctx.path], jobs=1)
        save_check_state(self.ctx.path, results)
        r = results[0]
        self.app.call_from_thread(self.notify, f"check: {'ok' if r.ok else f'{len(r.problems)} problems'}",
                                  severity="information" if r.ok else "warning")
        self.app.call_from_thread(self._broadcast, "state_changed", "check")

    @work(thread=True, exclusive=True, group="sanity", exit_on_error=False, description="Sanity checks")
    def run_sanity(self) -> None:
        from workbench.verify.sanity import check_library, save_sanity_state

        results = check_library([self.ctx.path])
        save_sanity_state(self.ctx.path.parent, results)
        r = results[0]
        self.app.call_from_thread(self.notify, f"sanity: {'ok' if r.ok else f'{r.failures} problems'}",
                                  severity="information" if r.ok else "warning")
        self.app.call_from_thread(self._broadcast, "state_changed", "sanity")

    @work(thread=True, exclusive=True, group="session", exit_on_error=False, description="Starting the environment")
    def start_session(self) -> None:
        self.ctx.ensure_session()

    @on(Worker.StateChanged)
    def _session_worker(self, event: Worker.StateChanged) -> None:
        if event.worker.group != "session":
            return
        if event.state == WorkerState.SUCCESS:
            self.sub_title = f"{self.ctx.bundle.slug} · {len(self.ctx.session.tools)} tools live"
            self._broadcast("session_ready")
        elif event.state == WorkerState.ERROR:
            self.ctx.session_error = str(event.worker.error)
            self.sub_title = f"{self.ctx.bundle.slug} · the environment failed to start"
            self._broadcast("session_failed", str(event.worker.error))

    def _broadcast(self, method: str, *args) -> None:
        for pane in self.query(".pane"):
            fn = getattr(pane, method, None)
            if fn is not None:
                fn(*args)

    @on(StateChanged)
    def _state_changed(self, event: StateChanged) -> None:
        event.stop()
        self._broadcast("state_changed", event.reason)

    @on(SessionReady)
    def _ready(self, event: SessionReady) -> None:
        event.stop()

    @on(SessionFailed)
    def _failed(self, event: SessionFailed) -> None:
        event.stop()

    @on(TabbedContent.TabActivated)
    def _focus_pane(self, event: TabbedContent.TabActivated) -> None:
        """Keys of the new tab work at once: focus its preferred widget (or its first focusable one)."""
        pane_id = f"{event.pane.id}-pane" if event.pane is not None else None
        if pane_id is None:
            return
        try:
            pane = self.query_one(f"#{pane_id}")
        except Exception:
            return
        if hasattr(pane, "focus_default"):
            pane.focus_default()
            return
        from textual.widgets import Input, TextArea

        # Prefer a list or table: digits typed into an input would not switch tabs any more.
        focusable = [w for w in pane.query("*") if w.focusable]
        preferred = [w for w in focusable if not isinstance(w, (Input, TextArea))]
        if preferred or focusable:
            self.set_focus((preferred or focusable)[0], scroll_visible=False)

    def action_tab(self, key: str) -> None:
        self.query_one("#workspace-tabs", TabbedContent).active = key

    def action_back(self) -> None:
        self.app.pop_screen()

    def action_reset_instance(self) -> None:
        if self.ctx.session is None:
            self.notify("The environment is not running yet.", severity="warning")
            return
        self.reset_worker()

    @work(thread=True, exclusive=True, group="reset", exit_on_error=False, description="Resetting the database")
    def reset_worker(self) -> None:
        self.ctx.session.reset()
        self.post_message(StateChanged("reset"))
        self.app.call_from_thread(self.notify, "Database reset to its initial state.")

    def on_unmount(self) -> None:
        self.ctx.close()
