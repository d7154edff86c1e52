"""Snapshots of the Schema and Data tabs at 80x24 and 160x50, on the live IT Service Desk instance."""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.widgets import DataTable

from workbench.ui.app import WorkbenchApp
from workbench.ui.panes.data import DataPane, SqlEditor
from workbench.ui.panes.schema import SchemaPane

from .test_schema_data import settle


async def _schema_on_a_foreign_key(pilot) -> None:
    """Schema tab, tickets highlighted, the cursor on requester_id (→ users.id)."""
    app = pilot.app
    await settle(app, pilot)
    await pilot.press("3")
    await settle(app, pilot)
    pane = app.screen.query_one("#schema-pane", SchemaPane)
    pane.query_one("#schema-tables", DataTable).focus()
    await pilot.press(*["down"] * 5, "enter", *["down"] * 4)
    await settle(app, pilot)
    await pilot.wait_for_scheduled_animations()


async def _data_after_a_refused_write(pilot) -> None:
    """Data tab on tickets, a DELETE refused in the console, the cursor back on the grid."""
    app = pilot.app
    await settle(app, pilot)
    await pilot.press("4")
    await settle(app, pilot)
    pane = app.screen.query_one("#data-pane", DataPane)
    pane.show_table("tickets")
    await settle(app, pilot)
    editor = pane.query_one("#data-sql", SqlEditor)
    editor.cursor_blink = False
    editor.text = "DELETE FROM tickets WHERE status = 'closed'"
    pane.action_run_query()
    await settle(app, pilot)
    grid = pane.query_one("#data-grid", DataTable)
    grid.focus()
    grid.move_cursor(row=2, column=2)
    await settle(app, pilot)
    await pilot.wait_for_scheduled_animations()


@pytest.mark.parametrize("size", [(80, 24), (160, 50)], ids=["80x24", "160x50"])
def test_schema_tab(snap_compare, sample_library: Path, size: tuple[int, int]) -> None:
    app = WorkbenchApp(sample_library, open_env="it_service_desk")
    assert snap_compare(app, terminal_size=size, run_before=_schema_on_a_foreign_key)


@pytest.mark.parametrize("size", [(80, 24), (160, 50)], ids=["80x24", "160x50"])
def test_data_tab(snap_compare, sample_library: Path, size: tuple[int, int]) -> None:
    app = WorkbenchApp(sample_library, open_env="it_service_desk")
    assert snap_compare(app, terminal_size=size, run_before=_data_after_a_refused_write)
