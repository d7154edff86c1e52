"""The library: every environment with its numbers and statuses; filter, search, sort, open."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Header, Input, Label, ProgressBar

from workbench.ui.library_filter import matches, parse_query
from workbench.ui.workers import ShowsWorkerErrors

COLUMNS = [
    ("slug", "environment"), ("tables", "tables"), ("sample_records", "rows"), ("tools", "tools"),
    ("tasks", "tasks"), ("verifiers", "verif."), ("runs", "runs"), ("check", "check"), ("sanity", "sanity"),
    ("review", "review"),
]
# Below this width the numbers that matter least are hidden, so names stay readable at 80 columns.
NARROW = 110
NARROW_HIDDEN = {"sample_records", "verifiers", "runs", "tables"}


class LibraryScreen(ShowsWorkerErrors, Screen):
    """Lists a library of bundles. ``enter`` opens the environment under the cursor."""

    AUTO_FOCUS = "#library-table"

    BINDINGS = [
        Binding("slash", "focus_search", "Search"),
        Binding("enter", "open_env", "Open", show=False),
        Binding("s", "cycle_sort", "Sort"),
        Binding("r", "reload", "Reload"),
        Binding("escape", "clear_search", "Clear", show=False),
        Binding("i", "import_outputs", "Import AWM"),
        Binding("ctrl+x", "cancel_import", "Cancel", show=False),
    ]
    DEFAULT_CSS = """
    LibraryScreen #library-bar { height: 3; padding: 0 1; }
    LibraryScreen #library-search { width: 1fr; }
    LibraryScreen #library-count { width: auto; padding: 1 1 0 2; color: $text-muted; }
    LibraryScreen #library-table { height: 1fr; }
    LibraryScreen #import-progress { display: none; height: 1; padding: 0 1; }
    LibraryScreen #import-progress.-busy { display: block; }
    """

    def __init__(self, library: Path) -> None:
        super().__init__()
        self.library = Path(library)
        self.rows: list[dict[str, Any]] = []
        self.sort_index = 0
        self.sort_reverse = False

    def compose(self) -> ComposeResult:
        yield Header()
        with Horizontal(id="library-bar"):
            yield Input(placeholder="filter: text, status:fail, decision:accept, bug:…, table:…, tool:…  (/ to focus)",
                        id="library-search")
            yield Label("", id="library-count")
        yield ProgressBar(total=None, id="import-progress", show_eta=False)
        yield DataTable(id="library-table", cursor_type="row", zebra_stripes=True)
        yield Footer()

    def on_mount(self) -> None:
        self.title = "AWM Workbench"
        self.sub_title = self.library.name
        self._columns: list[tuple[str, str]] = []
        self.load_rows()

    def _wanted_columns(self) -> list[tuple[str, str]]:
        width = self.size.width or self.app.size.width  # the screen may not be laid out yet
        if width < NARROW:
            return [c for c in COLUMNS if c[0] not in NARROW_HIDDEN]
        return list(COLUMNS)

    def on_resize(self) -> None:
        if self.rows and self._wanted_columns() != self._columns:
            self.refresh_table()

    @work(thread=True, exclusive=True, group="library", exit_on_error=False, description="Loading library")
    def load_rows(self) -> None:
        from workbench.bundle.library_index import library_rows
        from workbench.runtime.check import load_check_state
        from workbench.ui.statuses import review_status, sanity_state

        rows = library_rows(self.library)
        checks = load_check_state(self.library)
        sanity = sanity_state(self.library)
        for r in rows:
            c = checks.get(r["slug"])
            r["check"] = "-" if c is None else ("ok" if c.get("ok") else "FAIL")
            s = sanity.get(r["slug"])
            r["sanity"] = "-" if s is None else ("ok" if s.get("ok") else f"{s.get('failures', '?')} bad")
            r["review"], r["decisions"] = review_status(self.library / r["slug"])
            r["verifiers"] = r["verifiers_code"] + r["verifiers_sql"]
        self.app.call_from_thread(self._show, rows)

    def _show(self, rows: list[dict[str, Any]]) -> None:
        self.rows = rows
        self.refresh_table()

    def refresh_table(self) -> None:
        table = self.query_one("#library-table", DataTable)
        query = parse_query(self.query_one("#library-search", Input).value)
        key = COLUMNS[self.sort_index][0]
        shown = [r for r in self.rows if matches(r, query)]
        shown.sort(key=lambda r: (r.get(key) is None, r.get(key)), reverse=self.sort_reverse)
        wanted = self._wanted_columns()
        # Explicit widths from the content: auto-sized columns are measured lazily, and a narrow
        # first measurement would cut names until the next idle pass.
        widths = [max([len(label)] + [len(str(r.get(k, ""))) for r in self.rows]) for k, label in wanted]
        if (wanted, widths) != (self._columns, getattr(self, "_widths", None)):
            table.clear(columns=True)
            for (k, label), width in zip(wanted, widths):
                table.add_column(label, key=k, width=width)
            self._columns, self._widths = wanted, widths
        table.clear()
        for r in shown:
            table.add_row(*(str(r.get(k, "")) for k, _ in wanted), key=r["slug"])
        label = COLUMNS[self.sort_index][1]
        self.query_one("#library-count", Label).update(
            f"{len(shown)} of {len(self.rows)} · sort: {label}{' ↓' if self.sort_reverse else ''}")

    @on(Input.Changed, "#library-search")
    def _filter(self) -> None:
        self.refresh_table()

    @on(Input.Submitted, "#library-search")
    def _to_table(self) -> None:
        self.query_one("#library-table", DataTable).focus()

    @on(DataTable.RowSelected, "#library-table")
    def _open_selected(self, event: DataTable.RowSelected) -> None:
        self.open_env(str(event.row_key.value))

    @on(DataTable.HeaderSelected, "#library-table")
    def _sort_by_header(self, event: DataTable.HeaderSelected) -> None:
        keys = [k for k, _ in COLUMNS]
        idx = keys.index(str(event.column_key.value))  # sorting works on the full column list
        self.sort_reverse = not self.sort_reverse if idx == self.sort_index else False
        self.sort_index = idx
        self.refresh_table()

    def action_focus_search(self) -> None:
        self.query_one("#library-search", Input).focus()

    def action_clear_search(self) -> None:
        self.query_one("#library-search", Input).value = ""
        self.query_one("#library-table", DataTable).focus()

    def action_cycle_sort(self) -> None:
        self.sort_index = (self.sort_index + 1) % len(COLUMNS)
        self.sort_reverse = False
        self.refresh_table()

    def action_reload(self) -> None:
        self.load_rows()

    def action_open_env(self) -> None:
        table = self.query_one("#library-table", DataTable)
        if table.row_count:
            row_key, _ = table.coordinate_to_cell_key(table.cursor_coordinate)
            self.open_env(str(row_key.value))

    def palette_commands(self):
        from textual.app import SystemCommand

        yield SystemCommand("Import an AWM outputs/ folder…", "gen_*.jsonl files -> bundles in this library",
                            self.action_import_outputs)
        yield SystemCommand("Reload the library", "re-read bundles that changed", self.action_reload)

    def action_import_outputs(self) -> None:
        from workbench.ui.screens.modals import PromptModal

        def chosen(path: str | None) -> None:
            if path:
                self.import_worker(Path(path).expanduser())

        self.app.push_screen(PromptModal("Import an AWM outputs/ folder (path):", ""), chosen)

    def action_cancel_import(self) -> None:
        for w in self.app.workers:
            if w.group == "import" and w.is_running:
                w.cancel()
                self.notify("Cancelling the import after the current environment…")

    @work(thread=True, exclusive=True, group="import", exit_on_error=False, description="Importing")
    def import_worker(self, outputs: Path) -> None:
        from textual.worker import get_current_worker

        from workbench.bundle.awm_import import import_awm
        from workbench.errors import WorkbenchError

        worker = get_current_worker()
        bar = self.query_one("#import-progress", ProgressBar)
        self.app.call_from_thread(bar.add_class, "-busy")

        class Cancelled(WorkbenchError):
            title = "Import cancelled"

        def progress(n: int, total: int, name: str) -> None:
            if worker.is_cancelled:
                raise Cancelled(f"stopped before {name}; {n - 1} of {total} environments were imported")
            self.app.call_from_thread(bar.update, total=total, progress=n - 1)

        try:
            report = import_awm(outputs, self.library, progress=progress)
        finally:
            self.app.call_from_thread(bar.remove_class, "-busy")
        done = sum(1 for e in report.envs if e.status == "imported")
        problems = [str(n) for n in report.file_notes if n.level == "error"]
        problems += [f"{e.slug}: {n}" for e in report.envs for n in e.notes if n.level == "error"]
        self.app.call_from_thread(self.notify, f"Imported {done} environment(s) from {outputs}"
                                  + (f"; {len(problems)} problems" if problems else ""))
        if problems:
            self.app.call_from_thread(self.app.show_error, "Import problems", "\n".join(problems[:200]))
        self.load_rows()

    def open_env(self, slug: str) -> None:
        from workbench.ui.screens.workspace import WorkspaceScreen

        self.app.push_screen(WorkspaceScreen(self.library / slug))
