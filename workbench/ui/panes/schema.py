"""Schema: the tables of the environment's database, their columns, keys and indexes; FK navigation.

Left, every table with its row count; right, the highlighted table's columns (type, primary key,
NOT NULL, default, the column a foreign key references), its indexes, and the foreign keys of other
tables that reference it. ``enter`` on a foreign-key column jumps to the referenced table (on a
"referenced by" row, to the referencing table); ``b`` goes back. ``e`` shows a text ER sketch.

It reads the live instance once the environment is up (``session_ready``) and refreshes after
every call or reset (``state_changed``). Before that, and when the server fails to start, it reads
the environment's initial database, built in memory, so the tab always works.
"""

from __future__ import annotations

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.events import Resize
from textual.widgets import DataTable, Static
from textual.worker import get_current_worker

from workbench.db.introspect import DbSource, QueryError, TableInfo, describe_source, er_sketch
from workbench.ui.workers import ShowsWorkerErrors


def db_source(ctx) -> tuple[DbSource, str]:
    """What the Schema and Data tabs read, and how to name it: the live file, else the initial DB.

    Blocking (may build the initial database): call it from a thread worker.
    """
    session = ctx.session
    if session is not None:
        return session.instance.path, "live instance"
    from workbench.db.build import build_bundle

    why = "the environment failed to start" if ctx.session_error else "the environment is starting"
    return build_bundle(ctx.bundle).data, f"initial database ({why})"


def _cell(value: object, style: str = "", justify: str = "left") -> Text:
    return Text("" if value is None else str(value), style=style, justify=justify)  # type: ignore[arg-type]


class SchemaPane(ShowsWorkerErrors, Horizontal):
    """Tables (left) and the highlighted table's columns, indexes and incoming references (right)."""

    BINDINGS = [
        Binding("e", "er_sketch", "ER sketch", tooltip="A text sketch of every table and foreign key"),
        Binding("b,backspace", "back", "Back", tooltip="Back to the table before the last jump"),
        Binding("c", "show_sql", "CREATE", tooltip="The table's CREATE TABLE and CREATE INDEX statements"),
        Binding("r", "browse_rows", "Rows", tooltip="Browse this table's rows in the Data tab"),
    ]
    DEFAULT_CSS = """
    SchemaPane { height: 1fr; }
    SchemaPane #schema-left { width: 28; max-width: 35%; border-right: vkey $panel; }
    SchemaPane #schema-tables { height: 1fr; scrollbar-size-horizontal: 0; }
    SchemaPane #schema-source { height: 1; color: $text-muted; padding: 0 1; }
    SchemaPane #schema-right { width: 1fr; }
    SchemaPane #schema-title { height: 1; padding: 0 1; text-style: bold; color: $accent; }
    SchemaPane #schema-columns { height: 1fr; min-height: 5; }
    SchemaPane #schema-bottom { height: auto; layout: vertical; }
    SchemaPane #schema-bottom DataTable { height: auto; max-height: 5; border-top: hkey $panel;
        scrollbar-size-horizontal: 0; }
    SchemaPane.-wide #schema-left { width: 36; }
    SchemaPane.-wide #schema-columns { height: 2fr; }
    SchemaPane.-wide #schema-bottom { layout: horizontal; height: 1fr; border-top: hkey $panel; }
    SchemaPane.-wide #schema-bottom DataTable { height: 100%; max-height: 100%; width: 1fr;
        border-top: none; }
    SchemaPane.-wide #schema-refs { border-left: vkey $panel; }
    SchemaPane .-empty { display: none; }
    """

    def __init__(self, ctx, **kw) -> None:
        super().__init__(**kw)
        self.ctx = ctx
        self.add_class("pane")
        self.tables: list[TableInfo] = []
        self.current: TableInfo | None = None
        self.source_label = ""
        self.history: list[tuple[str, str | None]] = []

    # ------------------------------------------------------------------ layout

    def compose(self) -> ComposeResult:
        with Vertical(id="schema-left"):
            yield DataTable(id="schema-tables", cursor_type="row", zebra_stripes=True)
            yield Static("reading…", id="schema-source", markup=False)
        with Vertical(id="schema-right"):
            yield Static("", id="schema-title", markup=False)
            yield DataTable(id="schema-columns", cursor_type="row", zebra_stripes=True)
            with Horizontal(id="schema-bottom"):
                yield DataTable(id="schema-indexes", cursor_type="row")
                yield DataTable(id="schema-refs", cursor_type="row")

    def on_mount(self) -> None:
        # Counts first: a long table name may be cut at the right edge, its count never is.
        self.query_one("#schema-tables", DataTable).add_columns(Text("rows", justify="right"), "table")
        self.load()

    def on_resize(self, event: Resize) -> None:
        self.set_class(event.size.width >= 120, "-wide")

    # ------------------------------------------------------------------ loading

    @work(thread=True, exclusive=True, group="schema", exit_on_error=False, description="Reading the schema")
    def load(self) -> None:
        worker = get_current_worker()
        source, label = db_source(self.ctx)
        try:
            tables = describe_source(source)
        except QueryError as exc:  # not a database, or locked past the busy timeout
            if not worker.is_cancelled:
                self.app.call_from_thread(self.query_one("#schema-source", Static).update, f"{label}: {exc}")
            return
        if not worker.is_cancelled:
            self.app.call_from_thread(self._apply, tables, label)

    def _apply(self, tables: list[TableInfo], label: str) -> None:
        keep = self.current.name if self.current else None
        self.tables = tables
        self.source_label = label
        n = sum(1 for t in tables if t.kind == "table")
        self.query_one("#schema-source", Static).update(f"{n} tables · {label}")
        lst = self.query_one("#schema-tables", DataTable)
        lst.clear()
        for t in tables:
            count = "view" if t.kind == "view" else f"{t.row_count:,}" if t.row_count is not None else ""
            lst.add_row(_cell(count, "dim" if t.kind == "view" else "", "right"), _cell(t.name), key=t.name)
        if not tables:
            self.current = None
            self.query_one("#schema-title", Static).update("no tables")
            return
        target = keep if keep and self.table(keep) else tables[0].name
        column_row = self.query_one("#schema-columns", DataTable).cursor_row
        self.current = None  # force a re-render with the new counts
        self.select_table(target)
        if keep == target:
            self.query_one("#schema-columns", DataTable).move_cursor(row=column_row, animate=False)

    def session_ready(self) -> None:
        self.load()

    def session_failed(self, error: str) -> None:
        self.load()

    def state_changed(self, reason: str) -> None:
        self.load()

    # ------------------------------------------------------------------ showing one table

    def table(self, name: str) -> TableInfo | None:
        return next((t for t in self.tables if t.name == name), None)

    def select_table(self, name: str, column: str | None = None) -> bool:
        """Show ``name`` on the right (and highlight it on the left); put the cursor on ``column``."""
        info = self.table(name)
        if info is None:
            return False
        lst = self.query_one("#schema-tables", DataTable)
        row = lst.get_row_index(name)
        if lst.cursor_row != row:
            lst.move_cursor(row=row, animate=False)
        if self.current is None or self.current.name != name or self.current is not info:
            self._show_table_info(info)
        if column is not None:
            cols = self.query_one("#schema-columns", DataTable)
            idx = next((i for i, c in enumerate(info.columns) if c.name == column), None)
            if idx is not None:
                cols.move_cursor(row=idx, animate=False)
        return True

    def _show_table_info(self, t: TableInfo) -> None:
        self.current = t
        bits = [t.name]
        if t.kind == "view":
            bits.append("view")
        elif t.row_count is not None:
            bits.append(f"{t.row_count:,} row{'s' if t.row_count != 1 else ''}")
        if t.kind == "table":
            bits.append("PK " + (", ".join(t.pk_columns) if t.pk_columns else "rowid"))
        if t.without_rowid:
            bits.append("WITHOUT ROWID")
        if t.foreign_keys:
            bits.append(f"{len(t.foreign_keys)} FK")
        if t.incoming:
            bits.append(f"{len(t.incoming)} referencing")
        self.query_one("#schema-title", Static).update(" · ".join(bits))

        # Columns are re-added for every table so their widths fit this table, not the widest seen.
        cols = self.query_one("#schema-columns", DataTable)
        cols.clear(columns=True)
        cols.add_columns("column", "type", "key", "references (enter)", "not null", "default")
        for c in t.columns:
            fk = t.fk_for(c.name)
            key = ""
            if c.pk:
                key = "PK" if len(t.pk_columns) == 1 else f"PK{c.pk}"
            if fk is not None:
                key = (key + " FK").strip()
            target = ""
            if fk is not None:
                target = fk.target if len(fk.columns) == 1 else f"{fk.source} → {fk.target}"
                if self.table(fk.ref_table) is None:
                    target += " (no such table)"
            cols.add_row(_cell(c.name, "bold" if c.pk else ""), _cell(c.type, "italic"),
                         _cell(key, "bold" if c.pk else ""), _cell(("→ " + target) if target else ""),
                         _cell("NOT NULL" if c.notnull else "", "dim"), _cell(c.default, "dim"), key=c.name)
        cols.move_cursor(row=0, animate=False)

        idx = self.query_one("#schema-indexes", DataTable)
        idx.clear(columns=True)
        idx.add_columns("index", "columns", "unique")
        for i in t.indexes:
            # SQLite names the indexes behind UNIQUE and PRIMARY KEY constraints sqlite_autoindex_*.
            name = f"({i.origin_label})" if i.origin in ("u", "pk") else i.name
            idx.add_row(_cell(name, "dim" if i.origin != "c" else ""), _cell(", ".join(i.columns)),
                        _cell("unique" if i.unique else "", "dim"), key=i.name)
        idx.set_class(not t.indexes, "-empty")

        refs = self.query_one("#schema-refs", DataTable)
        refs.clear(columns=True)
        refs.add_columns("referenced by (enter)", "on delete")
        for n, fk in enumerate(t.incoming):
            refs.add_row(_cell(f"{fk.source} → {_short(fk.ref_columns)}"), _cell(fk.on_delete.lower(), "dim"),
                         key=str(n))
        refs.set_class(not t.incoming, "-empty")
        self.query_one("#schema-bottom").set_class(not t.indexes and not t.incoming, "-empty")

    # ------------------------------------------------------------------ events

    @on(DataTable.RowHighlighted, "#schema-tables")
    def _table_highlighted(self, event: DataTable.RowHighlighted) -> None:
        # Read the cursor rather than the event: events queued while the list was rebuilt are stale.
        lst = event.data_table
        if not lst.row_count:
            return
        name = str(lst.coordinate_to_cell_key((lst.cursor_row, 0)).row_key.value)
        if self.current is None or self.current.name != name:
            self.select_table(name)

    @on(DataTable.RowSelected, "#schema-tables")
    def _table_selected(self, event: DataTable.RowSelected) -> None:
        self.query_one("#schema-columns", DataTable).focus()

    @on(DataTable.RowSelected, "#schema-columns")
    def _column_selected(self, event: DataTable.RowSelected) -> None:
        if self.current is None or event.row_key is None:
            return
        column = str(event.row_key.value)
        fk = self.current.fk_for(column)
        if fk is None:
            self.notify(f"{self.current.name}.{column} is not a foreign key.", timeout=3)
            return
        i = fk.columns.index(column)
        self.jump(fk.ref_table, fk.ref_columns[i] if i < len(fk.ref_columns) else None)

    @on(DataTable.RowSelected, "#schema-refs")
    def _ref_selected(self, event: DataTable.RowSelected) -> None:
        if self.current is None or event.row_key is None:
            return
        fk = self.current.incoming[int(str(event.row_key.value))]
        self.jump(fk.table, fk.columns[0])

    def jump(self, table: str, column: str | None = None) -> None:
        """Follow a reference: show ``table`` with the cursor on ``column``; ``b`` comes back."""
        if self.table(table) is None:
            self.notify(f"{table} is not a table of this database (a dangling reference).",
                        severity="warning")
            return
        if self.current is not None:
            cols = self.query_one("#schema-columns", DataTable)
            here = self.current.columns[cols.cursor_row].name if self.current.columns else None
            self.history.append((self.current.name, here))
        self.select_table(table, column)
        self.query_one("#schema-columns", DataTable).focus()

    # ------------------------------------------------------------------ actions

    def action_back(self) -> None:
        if not self.history:
            self.notify("Nothing to go back to.", timeout=2)
            return
        table, column = self.history.pop()
        self.select_table(table, column)
        self.query_one("#schema-columns", DataTable).focus()

    def action_er_sketch(self) -> None:
        from workbench.ui.screens.modals import TextModal

        if not self.tables:
            return
        width = min(110, max(50, int(self.app.size.width * 0.92) - 6))
        self.app.push_screen(TextModal(f"ER sketch · {self.ctx.bundle.slug} · {self.source_label}",
                                       er_sketch(self.tables, width=width)))

    def action_show_sql(self) -> None:
        from workbench.ui.screens.modals import TextModal

        t = self.current
        if t is None:
            return
        parts = [t.sql.rstrip(";") + ";"] + [i.sql.rstrip(";") + ";" for i in t.indexes if i.sql]
        self.app.push_screen(TextModal(f"{t.name} · CREATE statements", "\n\n".join(parts)))

    def action_browse_rows(self) -> None:
        """Open the highlighted table in the Data tab (when the workspace has one)."""
        if self.current is None:
            return
        data = next((p for p in self.screen.query(".pane") if hasattr(p, "show_table")), None)
        if data is None:
            return
        data.show_table(self.current.name)
        switch = getattr(self.screen, "action_tab", None)
        if switch is not None:
            switch("data")


def _short(cols: tuple[str, ...]) -> str:
    return cols[0] if len(cols) == 1 else "(" + ", ".join(cols) + ")"
