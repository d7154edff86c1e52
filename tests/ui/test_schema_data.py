"""The Schema and Data tabs on a real environment: its worker process and its live SQLite file."""

from __future__ import annotations

import asyncio
from pathlib import Path

from textual.widgets import DataTable, Select, Static

from workbench.db.introspect import read_only_query
from workbench.ui.app import WorkbenchApp
from workbench.ui.context import StateChanged
from workbench.ui.panes.data import DataPane, RowGrid, SqlEditor, display_cell, full_value
from workbench.ui.panes.schema import SchemaPane
from workbench.ui.screens.modals import TextModal


ISD_TABLES = ["users", "teams", "team_members", "categories", "sla_policies", "tickets", "ticket_comments",
              "worklogs", "sla_breaches", "assets", "ticket_assets", "kb_articles", "ticket_kb_links",
              "change_requests", "change_approvals", "escalations"]


async def settle(app, pilot, rounds: int = 3) -> None:
    """Wait for every worker except long-lived watchers, then let the screen process what they posted.

    Unlike conftest's ``settle``: a worker that a newer exclusive request cancelled is fine, and
    when nothing is busy it does not wait on the watchers (``wait_for_complete([])`` waits for all).
    """
    from textual.worker import WorkerCancelled, WorkerFailed

    for _ in range(rounds):
        busy = [w for w in app.workers if not (w.group or "").endswith("watch")]
        for worker in busy:
            try:
                await worker.wait()
            except (WorkerCancelled, WorkerFailed):
                pass
        await pilot.pause()


def _text(widget: Static) -> str:
    return str(widget.render())


def _row_keys(table: DataTable) -> list[str]:
    return [str(table.coordinate_to_cell_key((i, 0)).row_key.value) for i in range(table.row_count)]


async def _open(app: WorkbenchApp, pilot, tab: str) -> None:
    await settle(app, pilot)
    await pilot.press(tab)
    await settle(app, pilot)


# ---------------------------------------------------------------------- Schema


async def test_schema_lists_tables_and_follows_foreign_keys(sample_library: Path) -> None:
    app = WorkbenchApp(sample_library, open_env="it_service_desk")
    async with app.run_test(size=(120, 40)) as pilot:
        await _open(app, pilot, "3")
        pane = app.screen.query_one("#schema-pane", SchemaPane)
        assert pane.source_label == "live instance"
        tables = pane.query_one("#schema-tables", DataTable)
        assert _row_keys(tables) == ISD_TABLES
        assert "16 tables · live instance" in _text(pane.query_one("#schema-source", Static))

        tables.focus()
        await pilot.press(*["down"] * 5)
        await pilot.pause()
        assert pane.current is not None and pane.current.name == "tickets"
        title = _text(pane.query_one("#schema-title", Static))
        assert title.startswith("tickets · 20 rows · PK id · 5 FK · 7 referencing")
        columns = pane.query_one("#schema-columns", DataTable)
        assert _row_keys(columns)[:6] == ["id", "ticket_number", "subject", "description", "requester_id",
                                         "assignee_id"]
        assert columns.get_row("requester_id")[3].plain == "→ users.id"
        assert pane.query_one("#schema-indexes", DataTable).row_count == 5
        assert pane.query_one("#schema-refs", DataTable).row_count == 7

        await pilot.press("enter")  # into the columns
        assert columns.has_focus
        await pilot.press(*["down"] * 4)
        assert _row_keys(columns)[columns.cursor_row] == "requester_id"
        await pilot.press("enter")  # follow tickets.requester_id → users.id
        await pilot.pause()
        assert pane.current.name == "users"
        assert _row_keys(tables)[tables.cursor_row] == "users"
        assert _row_keys(columns)[columns.cursor_row] == "id" and columns.has_focus

        await pilot.press("b")  # back to where the jump started
        await pilot.pause()
        assert pane.current.name == "tickets"
        assert _row_keys(columns)[columns.cursor_row] == "requester_id"

        # The other direction: from users, "referenced by" ticket_comments.author_id.
        pane.select_table("users")
        refs = pane.query_one("#schema-refs", DataTable)
        sources = [fk.source for fk in pane.current.incoming]
        refs.focus()
        refs.move_cursor(row=sources.index("ticket_comments.author_id"))
        await pilot.press("enter")
        await pilot.pause()
        assert pane.current.name == "ticket_comments"
        assert _row_keys(columns)[columns.cursor_row] == "author_id"

        await pilot.press("e")
        await pilot.pause()
        assert isinstance(app.screen, TextModal)
        assert "ER sketch" in app.screen.title_text
        assert "requester_id ───> users.id" in app.screen.text
        await pilot.press("escape")
        await pilot.press("c")
        await pilot.pause()
        assert isinstance(app.screen, TextModal)
        assert app.screen.text.startswith("CREATE TABLE ticket_comments")
        assert "CREATE INDEX idx_ticket_comments_ticket" in app.screen.text
        await pilot.press("escape")
        await pilot.pause()

        await pilot.press("r")  # the same table's rows in the Data tab
        await settle(app, pilot)
        data = app.screen.query_one("#data-pane", DataPane)
        assert app.screen.query_one("#workspace-tabs").active == "data"
        assert data.table_name == "ticket_comments" and data.result is not None and data.result.total == 20


async def test_schema_and_data_read_the_initial_database_when_the_server_fails(sample_library: Path) -> None:
    (sample_library / "riverside_clinic" / "server.py").write_text("raise RuntimeError('boom at import')\n")
    app = WorkbenchApp(sample_library, open_env="riverside_clinic")
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(app, pilot)
        await pilot.press("escape")  # the start-up error modal
        await _open(app, pilot, "3")
        pane = app.screen.query_one("#schema-pane", SchemaPane)
        assert app.screen.ctx.session is None
        assert pane.source_label == "initial database (the environment failed to start)"
        assert pane.query_one("#schema-tables", DataTable).row_count == 16
        await _open(app, pilot, "4")
        data = app.screen.query_one("#data-pane", DataPane)
        assert data.result is not None and data.result.rows
        assert "initial database" in _text(data.query_one("#data-info", Static))
        data.query_one("#data-sql", SqlEditor).text = "DELETE FROM patients"
        data.action_run_query()
        await settle(app, pilot)
        status = _text(data.query_one("#data-status", Static))
        assert status.startswith("refused: this console is read-only (")


# ---------------------------------------------------------------------- Data


async def test_data_pages_opens_cells_and_runs_read_only_sql(sample_library: Path) -> None:
    app = WorkbenchApp(sample_library, open_env="it_service_desk")
    async with app.run_test(size=(120, 40)) as pilot:
        await _open(app, pilot, "4")
        pane = app.screen.query_one("#data-pane", DataPane)
        live = app.screen.ctx.session.instance.path
        info = pane.query_one("#data-info", Static)
        grid = pane.query_one("#data-grid", RowGrid)
        assert pane.table_name == "users" and "rows 1–14 of 14 · page 1/1 · live instance" in _text(info)

        pane.page_size = 5
        pane.query_one("#data-table", Select).value = "tickets"
        await settle(app, pilot)
        assert "rows 1–5 of 20 · page 1/4" in _text(info)
        assert [r[0] for r in pane.result.rows] == [1, 2, 3, 4, 5]
        assert grid.row_count == 5 and grid.get_cell_at((0, 1)).plain == "INC-1001"

        grid.focus()
        await pilot.press("right_square_bracket")
        await settle(app, pilot)
        assert "rows 6–10 of 20 · page 2/4" in _text(info)
        await pilot.press("pagedown")  # to the last row of the page ...
        await settle(app, pilot)
        assert grid.cursor_row == 4 and pane.row_offset == 5
        await pilot.press("pagedown")  # ... then past it: the next page, cursor on top
        await settle(app, pilot)
        assert "rows 11–15 of 20" in _text(info) and grid.cursor_row == 0
        await pilot.press("pageup")  # past the first row: the previous page, cursor at the bottom
        await settle(app, pilot)
        assert "rows 6–10 of 20" in _text(info) and grid.cursor_row == 4
        await pilot.press("left_square_bracket")
        await settle(app, pilot)
        assert "rows 1–5 of 20" in _text(info)

        # The cell viewer: the full text, and NULL as NULL.
        description = pane.result.columns.index("description")
        grid.move_cursor(row=0, column=description)
        await pilot.press("space")
        await pilot.pause()
        assert isinstance(app.screen, TextModal)
        expected = read_only_query(live, "SELECT description FROM tickets WHERE id = 1").rows[0][0]
        assert app.screen.text == expected
        assert "tickets.description · row 1 · TEXT" in app.screen.title_text
        await pilot.press("escape")
        await pilot.pause()
        closed = pane.result.columns.index("closed_at")
        row = next(i for i, r in enumerate(pane.result.rows) if r[closed] is None)
        grid.move_cursor(row=row, column=closed)
        assert grid.get_cell_at((row, closed)).plain == "NULL"
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, TextModal) and app.screen.text == "NULL"
        await pilot.press("escape")
        await pilot.pause()

        # The console: a SELECT fills the grid; a write is refused and changes nothing.
        status = pane.query_one("#data-status", Static)
        await pilot.press("s")
        editor = pane.query_one("#data-sql", SqlEditor)
        assert editor.has_focus
        await pilot.press(*"SELECT count(*) FROM tickets")
        assert editor.text == "SELECT count(*) FROM tickets"
        await pilot.press("ctrl+enter")
        await settle(app, pilot)
        assert pane.mode == "query" and pane.result.columns == ["count(*)"] and pane.result.rows == [(20,)]
        assert grid.row_count == 1 and grid.get_cell_at((0, 0)).plain == "20"
        assert _text(status).startswith("ok · 1 row in ")
        assert pane.query_one("#data-table", Select).value is Select.NULL

        editor.text = "DELETE FROM tickets"
        await pilot.press("ctrl+j")
        await settle(app, pilot)
        assert _text(status) == "refused: this console is read-only (DELETE from tickets)"
        assert status.has_class("-error")
        assert grid.row_count == 1 and pane.result.rows == [(20,)]  # the previous result stays
        assert read_only_query(live, "SELECT count(*) FROM tickets").rows == [(20,)]

        editor.text = "SELECT 1; DROP TABLE users"
        await pilot.click("#data-run")
        await settle(app, pilot)
        assert "one statement at a time" in _text(status)
        pane.time_limit = 0.5  # a cartesian join is stopped; the UI stays responsive
        editor.text = "SELECT count(*) FROM " + ", ".join(f"tickets t{i}" for i in range(8))
        pane.action_run_query()
        assert _text(status) == "running… (stopped after 0.5 s)"
        await settle(app, pilot)
        assert _text(status) == "stopped: the query ran past the 0.5 s time limit"
        editor.text = "SELEC 1"
        await pilot.press("ctrl+j")
        await settle(app, pilot)
        assert _text(status) == 'error: near "SELEC": syntax error'

        await pilot.press("s")  # the Run button had focus; back to the editor
        assert editor.has_focus
        await pilot.press("escape")  # leaves the editor for the grid, not the workspace
        await pilot.pause()
        assert type(app.screen).__name__ == "WorkspaceScreen" and grid.has_focus

        pane.query_one("#data-table", Select).value = "teams"  # picking a table leaves the query result
        await settle(app, pilot)
        assert pane.mode == "table" and pane.table_name == "teams" and pane.result.total == 4


async def test_data_follows_the_live_instance_after_a_tool_call(sample_library: Path) -> None:
    app = WorkbenchApp(sample_library, open_env="it_service_desk")
    async with app.run_test(size=(120, 40)) as pilot:
        await _open(app, pilot, "4")
        pane = app.screen.query_one("#data-pane", DataPane)
        schema = app.screen.query_one("#schema-pane", SchemaPane)
        grid = pane.query_one("#data-grid", RowGrid)
        pane.page_size = 5
        pane.show_table("tickets")
        await settle(app, pilot)
        grid.focus()
        await pilot.press("right_square_bracket")
        await settle(app, pilot)
        subject = pane.result.columns.index("subject")
        grid.move_cursor(row=1, column=subject)  # ticket 7
        assert pane.result.rows[1][0] == 7

        session = app.screen.ctx.session
        edit = {"ticket_id": 7, "subject": "Flicker (edited)"}
        out = await asyncio.to_thread(session.call, "update_ticket", edit)
        assert not out.is_error, out.text
        created = await asyncio.to_thread(session.call, "create_ticket", {
            "subject": "New monitor", "requester_id": 11, "category_id": 3})
        assert not created.is_error, created.text
        app.screen.post_message(StateChanged("call"))
        await settle(app, pilot)

        assert pane.table_name == "tickets" and pane.row_offset == 5
        assert "rows 6–10 of 21" in _text(pane.query_one("#data-info", Static))
        assert grid.get_cell_at((1, subject)).plain == "Flicker (edited)"
        assert (grid.cursor_row, grid.cursor_column) == (1, subject)
        assert schema.table("tickets").row_count == 21

        # A reset (ctrl+r) brings the old value back, still on the same page.
        await pilot.press("ctrl+r")
        await settle(app, pilot)
        assert "rows 6–10 of 20" in _text(pane.query_one("#data-info", Static))
        assert grid.get_cell_at((1, subject)).plain == "Laptop screen flickering"

        # A query shown in the grid is re-run after a change.
        pane.query_one("#data-sql", SqlEditor).text = "SELECT subject FROM tickets WHERE id = 7"
        pane.action_run_query()
        await settle(app, pilot)
        await asyncio.to_thread(session.call, "update_ticket", {"ticket_id": 7, "subject": "Again"})
        app.screen.post_message(StateChanged("call"))
        await settle(app, pilot)
        assert pane.mode == "query" and pane.result.rows == [("Again",)]


def test_cell_values_are_shown_faithfully() -> None:
    assert display_cell(None).plain == "NULL"
    assert display_cell(b"\x00\x01\x02").plain == "BLOB 3 B"
    assert display_cell("a\nb").plain == "a↵b"
    assert display_cell("x" * 100).plain.endswith("…") and len(display_cell("x" * 100).plain) == 48
    assert display_cell("[bold]not markup[/]").plain == "[bold]not markup[/]"
    assert full_value(None) == ("NULL", "NULL")
    summary, body = full_value(b"\xde\xad\xbe\xef" * 5)
    assert summary == "BLOB, 20 bytes"
    first = "00000000  de ad be ef de ad be ef de ad be ef de ad be ef  |................|"
    assert body.splitlines()[0] == first
    assert body.splitlines()[1].startswith("00000010  de ad be ef")
    assert full_value('{"a": [1, 2]}')[0] == "TEXT, 13 characters (JSON, shown indented)"
    assert full_value(3.5) == ("REAL", "3.5")
