"""Data: the rows of the live database, a page at a time, and a read-only SQL console.

Pick a table; the grid shows 50 rows at a time in primary-key order (``[``/``]``, or PgUp/PgDn
past the first or last row, change page). ``space`` or ``enter`` opens a cell in full (NULL as
NULL, BLOBs as a hex dump with their size). The console runs one read-only statement
(``ctrl+enter``, or ``ctrl+j`` in terminals that cannot send it); its result replaces the grid, and
errors and refusals ("refused: this console is read-only (DELETE from tickets)") show under it.

The pane follows the live instance: after a tool call or a reset (``state_changed``) it reloads
the same table and page, or re-runs the same query. Every read runs in a thread worker through
``workbench.db.introspect``, which opens the file read-only and stops queries after 5 s.
"""

from __future__ import annotations

import json
from dataclasses import dataclass

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.message import Message
from textual.widgets import Button, DataTable, Select, Static, TextArea
from textual.worker import get_current_worker

from workbench.db.introspect import (
    DEFAULT_TIME_LIMIT,
    QueryError,
    QueryRefused,
    QueryResult,
    QueryTimeout,
    page,
    read_only_query,
    table_names,
)
from workbench.ui.panes.schema import db_source
from workbench.ui.workers import ShowsWorkerErrors

PAGE_SIZE = 50
QUERY_LIMIT = 1000
CELL_WIDTH = 48
HEX_LIMIT = 64 * 1024


# ---------------------------------------------------------------------- values


def display_cell(value: object) -> Text:
    """A value as one short grid cell: NULL dimmed, BLOBs by size, long text cut with an ellipsis."""
    if value is None:
        return Text("NULL", style="dim italic")
    if isinstance(value, (bytes, bytearray, memoryview)):
        return Text(f"BLOB {len(bytes(value)):,} B", style="dim")
    if isinstance(value, bool):
        return Text(str(int(value)), justify="right")
    if isinstance(value, (int, float)):
        return Text(repr(value), justify="right")
    s = str(value).replace("\r\n", "\n").replace("\n", "↵").replace("\t", " ")
    if len(s) > CELL_WIDTH:
        s = s[: CELL_WIDTH - 1] + "…"
    return Text(s)


def hexdump(data: bytes, limit: int = HEX_LIMIT) -> str:
    lines = []
    for off in range(0, min(len(data), limit), 16):
        chunk = data[off:off + 16]
        hx = " ".join(f"{b:02x}" for b in chunk)
        asc = "".join(chr(b) if 32 <= b < 127 else "." for b in chunk)
        lines.append(f"{off:08x}  {hx:<47}  |{asc}|")
    if len(data) > limit:
        lines.append(f"… {len(data) - limit:,} more bytes not shown")
    return "\n".join(lines)


def full_value(value: object) -> tuple[str, str]:
    """``(summary, body)`` for the cell viewer: the SQLite type and size, then the whole value."""
    if value is None:
        return "NULL", "NULL"
    if isinstance(value, (bytes, bytearray, memoryview)):
        data = bytes(value)
        return f"BLOB, {len(data):,} bytes", hexdump(data) or "(empty BLOB)"
    if isinstance(value, bool) or isinstance(value, int):
        return "INTEGER", str(int(value))
    if isinstance(value, float):
        return "REAL", repr(value)
    s = str(value)
    summary = f"TEXT, {len(s):,} characters"
    stripped = s.strip()
    if stripped[:1] in ("{", "[") and len(stripped) > 1:
        try:
            parsed = json.loads(stripped)
        except ValueError:
            pass
        else:
            return summary + " (JSON, shown indented)", json.dumps(parsed, indent=2, ensure_ascii=False)
    return summary, s if s else "(empty string)"


# ---------------------------------------------------------------------- widgets


class RowGrid(DataTable):
    """The grid: ``space`` opens a cell; PgDn on the last row (PgUp on the first) turns the page."""

    BINDINGS = [Binding("space", "select_cursor", "Open cell", show=False)]

    @dataclass
    class PastEdge(Message):
        """PgDn/PgUp at the last/first row: the pane may turn the page."""

        grid: RowGrid
        direction: int

        @property
        def control(self) -> RowGrid:
            return self.grid

    def action_page_down(self) -> None:
        if self.row_count and self.cursor_row >= self.row_count - 1:
            self.post_message(self.PastEdge(self, +1))
            return
        super().action_page_down()

    def action_page_up(self) -> None:
        if self.row_count and self.cursor_row <= 0:
            self.post_message(self.PastEdge(self, -1))
            return
        super().action_page_up()


class SqlEditor(TextArea):
    """The console's editor; ``escape`` returns to the grid instead of leaving the workspace."""

    BINDINGS = [Binding("escape", "leave", "Grid", show=False)]

    def action_leave(self) -> None:
        self.screen.query_one("#data-grid").focus()


# ---------------------------------------------------------------------- the pane


class DataPane(ShowsWorkerErrors, Vertical):
    """A table's rows, a page at a time, or the result of a read-only query."""

    BINDINGS = [
        Binding("left_square_bracket", "prev_page", "Prev page", key_display="[", tooltip="The previous page"),
        Binding("right_square_bracket", "next_page", "Next page", key_display="]", tooltip="The next page"),
        Binding("ctrl+enter,ctrl+j", "run_query", "Run SQL", key_display="^⏎", priority=False,
                tooltip="Run the console's statement (read-only)"),
        Binding("s", "focus_sql", "SQL", tooltip="Write a read-only SQL query"),
    ]
    DEFAULT_CSS = """
    DataPane { height: 1fr; }
    DataPane #data-bar { height: 1; }
    DataPane #data-table { width: 32; }
    DataPane #data-info { width: 1fr; padding: 0 1; color: $text-muted; }
    DataPane #data-grid { height: 1fr; }
    DataPane #data-console { height: auto; border-top: hkey $panel; border-title-color: $text-muted; }
    DataPane #data-console-row { height: auto; }
    DataPane #data-sql { height: 3; width: 1fr; }
    DataPane #data-run { width: 9; min-width: 9; margin-left: 1; }
    DataPane #data-status { height: auto; max-height: 3; padding: 0 1; color: $text-muted; }
    DataPane #data-status.-error { color: $error; text-style: bold; }
    DataPane #data-status.-ok { color: $success; }
    """

    def __init__(self, ctx, **kw) -> None:
        super().__init__(**kw)
        self.ctx = ctx
        self.add_class("pane")
        self.table_name: str | None = None
        self.row_offset = 0
        self.page_size = PAGE_SIZE
        """Rows per page (50; tests use fewer)."""
        self.time_limit = DEFAULT_TIME_LIMIT
        """Seconds a console query may run before it is stopped."""
        self.mode = "table"
        """``table`` (a page of a table) or ``query`` (the console's last result)."""
        self.last_sql = ""
        self.result: QueryResult | None = None
        self.names: list[str] = []
        self.source_label = ""

    def compose(self) -> ComposeResult:
        with Horizontal(id="data-bar"):
            yield Select([], prompt="(query result)", allow_blank=True, compact=True, id="data-table")
            yield Static("reading…", id="data-info", markup=False)
        yield RowGrid(id="data-grid", cursor_type="cell", zebra_stripes=True)
        with Vertical(id="data-console"):
            with Horizontal(id="data-console-row"):
                yield SqlEditor(language="sql", compact=True, id="data-sql", show_line_numbers=False,
                                placeholder="SELECT … (read-only; ctrl+enter or ctrl+j runs)")
                yield Button("Run", id="data-run", compact=True, variant="primary")
        yield Static("", id="data-status", markup=False)

    def on_mount(self) -> None:
        console = self.query_one("#data-console")
        console.border_title = "SQL console · read-only · one statement"
        self.fetch_page(None, 0)

    # ------------------------------------------------------------------ workspace hooks

    def session_ready(self) -> None:
        self.refresh_data()

    def session_failed(self, error: str) -> None:
        self.refresh_data()

    def state_changed(self, reason: str) -> None:
        self.refresh_data()

    def refresh_data(self) -> None:
        """Reload what is shown, keeping the table, the page and the cursor (or re-run the query)."""
        grid = self.query_one("#data-grid", RowGrid)
        cursor = (grid.cursor_row, grid.cursor_column)
        if self.mode == "query" and self.last_sql:
            self.run_sql(self.last_sql, cursor)
        else:
            self.fetch_page(self.table_name, self.row_offset, cursor)

    def show_table(self, name: str) -> None:
        """Show the first page of ``name`` (used by the Schema tab's "rows" key)."""
        self.mode = "table"
        self.fetch_page(name, 0)

    # ------------------------------------------------------------------ workers

    @work(thread=True, exclusive=True, group="data", exit_on_error=False, description="Reading rows")
    def fetch_page(self, table: str | None, offset: int, cursor: tuple[int, int] | None = None) -> None:
        worker = get_current_worker()
        source, label = db_source(self.ctx)
        try:
            names = table_names(source)
            if table not in names:
                table = names[0] if names else None
            result = (page(source, table, offset, self.page_size, cancel=worker.cancelled_event)
                      if table is not None else None)
        except QueryError as exc:
            if not worker.is_cancelled:
                self.app.call_from_thread(self._set_status, str(exc), "error")
            return
        if not worker.is_cancelled:
            self.app.call_from_thread(self._show_page, names, table, result, label, cursor)

    @work(thread=True, exclusive=True, group="data", exit_on_error=False, description="Running the query")
    def run_sql(self, sql: str, cursor: tuple[int, int] | None = None) -> None:
        worker = get_current_worker()
        source, label = db_source(self.ctx)
        try:
            result = read_only_query(source, sql, limit=QUERY_LIMIT, time_limit=self.time_limit,
                                     cancel=worker.cancelled_event)
        except QueryError as exc:
            if not worker.is_cancelled:
                kind = "refused" if isinstance(exc, (QueryRefused, QueryTimeout)) else "error"
                self.app.call_from_thread(self._query_failed, str(exc), kind)
            return
        if not worker.is_cancelled:
            self.app.call_from_thread(self._show_query, sql, result, label, cursor)

    # ------------------------------------------------------------------ showing results

    def _set_status(self, text: str, kind: str = "") -> None:
        status = self.query_one("#data-status", Static)
        status.update(text)
        status.set_class(kind in ("error", "refused"), "-error")
        status.set_class(kind == "ok", "-ok")

    def _show_page(self, names: list[str], table: str | None, result: QueryResult | None, label: str,
                   cursor: tuple[int, int] | None) -> None:
        self.mode = "table"
        self.source_label = label
        self.table_name = table
        select = self.query_one("#data-table", Select)
        if names != self.names:
            self.names = names
            select.set_options([(n, n) for n in names])
        if table is not None and select.value != table:
            select.value = table
        if result is None:
            self.result = None
            self._fill([], [], None)
            self.query_one("#data-info", Static).update(f"no tables · {label}")
            return
        self.row_offset = result.offset
        self._fill(result.columns, result.rows, cursor)
        self.result = result
        total = result.total or 0
        if total:
            size = self.page_size
            pages = (total + size - 1) // size
            info = (f"rows {result.offset + 1:,}–{result.offset + len(result.rows):,} of {total:,}"
                    f" · page {result.offset // size + 1}/{pages} · {label}")
        else:
            info = f"no rows · {label}"
        self.query_one("#data-info", Static).update(info)

    def _show_query(self, sql: str, result: QueryResult, label: str, cursor: tuple[int, int] | None) -> None:
        self.mode = "query"
        self.source_label = label
        self.last_sql = sql
        self.result = result
        select = self.query_one("#data-table", Select)
        if select.value is not Select.NULL:
            select.clear()
        self._fill(result.columns, result.rows, cursor)
        n = len(result.rows)
        more = f" (the first {n:,}; there are more)" if result.truncated else ""
        rows = f"{n:,} row{'s' if n != 1 else ''}{more}"
        self.query_one("#data-info", Static).update(f"query result · {rows} · {label}")
        self._set_status(f"ok · {n:,} row{'s' if n != 1 else ''}{more} in {result.elapsed_ms:.1f} ms", "ok")

    def _query_failed(self, message: str, kind: str) -> None:
        self._set_status(message if kind == "refused" else f"error: {message}", kind)

    def _fill(self, columns: list[str], rows: list[tuple], cursor: tuple[int, int] | None) -> None:
        grid = self.query_one("#data-grid", RowGrid)
        grid.clear(columns=True)
        # Duplicate result names ("SELECT a.id, b.id") are fine: keys are positions.
        for i, name in enumerate(columns):
            grid.add_column(Text(name, style="bold"), key=str(i))
        for r, row in enumerate(rows):
            grid.add_row(*(display_cell(v) for v in row), key=str(r))
        if cursor is not None and rows:
            grid.move_cursor(row=min(cursor[0], len(rows) - 1), column=min(cursor[1], len(columns) - 1),
                             animate=False)

    # ------------------------------------------------------------------ events and actions

    @on(Select.Changed, "#data-table")
    def _table_chosen(self, event: Select.Changed) -> None:
        if event.value is Select.NULL:
            return
        if self.mode == "table" and event.value == self.table_name:
            return
        self.show_table(str(event.value))

    @on(DataTable.CellSelected, "#data-grid")
    def _open_cell(self, event: DataTable.CellSelected) -> None:
        self.open_cell(event.coordinate.row, event.coordinate.column)

    def open_cell(self, row: int, column: int) -> None:
        from workbench.ui.screens.modals import TextModal

        if self.result is None or row >= len(self.result.rows) or column >= len(self.result.columns):
            return
        value = self.result.rows[row][column]
        summary, body = full_value(value)
        name = self.result.columns[column]
        if self.mode == "table" and self.table_name:
            where = f"{self.table_name}.{name} · row {self.result.offset + row + 1:,}"
        else:
            where = f"{name} · result row {row + 1:,}"
        self.app.push_screen(TextModal(f"{where} · {summary}", body))

    @on(RowGrid.PastEdge, "#data-grid")
    def _past_edge(self, event: RowGrid.PastEdge) -> None:
        if event.direction > 0:
            self.action_next_page(cursor_to="top")
        else:
            self.action_prev_page(cursor_to="bottom")

    def _can_page(self) -> bool:
        return self.mode == "table" and self.result is not None and self.table_name is not None

    def action_next_page(self, cursor_to: str = "keep") -> None:
        if not self._can_page():
            return
        assert self.result is not None
        if not self.result.truncated:
            self.notify("This is the last page.", timeout=2)
            return
        grid = self.query_one("#data-grid", RowGrid)
        row = 0 if cursor_to == "top" else grid.cursor_row
        self.fetch_page(self.table_name, self.row_offset + self.page_size, (row, grid.cursor_column))

    def action_prev_page(self, cursor_to: str = "keep") -> None:
        if not self._can_page():
            return
        if self.row_offset <= 0:
            self.notify("This is the first page.", timeout=2)
            return
        grid = self.query_one("#data-grid", RowGrid)
        row = self.page_size - 1 if cursor_to == "bottom" else grid.cursor_row
        self.fetch_page(self.table_name, max(0, self.row_offset - self.page_size), (row, grid.cursor_column))

    def action_focus_sql(self) -> None:
        self.query_one("#data-sql", SqlEditor).focus()

    @on(Button.Pressed, "#data-run")
    def action_run_query(self) -> None:
        sql = self.query_one("#data-sql", SqlEditor).text
        if not sql.strip():
            self._set_status("Write a SELECT in the console first (s focuses it).", "error")
            return
        self._set_status(f"running… (stopped after {self.time_limit:g} s)")
        self.run_sql(sql)
