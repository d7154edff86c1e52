"""The app shell: library listing, opening a workspace, help, errors in a modal, quitting."""

from __future__ import annotations

from pathlib import Path

from workbench.ui.app import WorkbenchApp
from workbench.ui.screens.modals import ErrorModal, HelpScreen
from workbench.ui.screens.workspace import WorkspaceScreen

from .conftest import settle


async def test_library_lists_and_filters(sample_library: Path) -> None:
    app = WorkbenchApp(sample_library)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(app, pilot)
        table = app.screen.query_one("#library-table")
        assert table.row_count == 3
        await pilot.press("slash")
        await pilot.press(*"tool:three_way")
        await pilot.pause()
        assert table.row_count == 1
        assert str(table.coordinate_to_cell_key((0, 0)).row_key.value) == "procure_to_pay"
        await pilot.press("escape")
        await pilot.pause()
        assert table.row_count == 3
        await pilot.press("s")  # sort by the next column (tables)
        await pilot.pause()
        assert "sort: tables" in str(app.screen.query_one("#library-count").render())


async def test_open_workspace_starts_the_environment(sample_library: Path) -> None:
    app = WorkbenchApp(sample_library)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(app, pilot)
        await pilot.press("enter")
        await settle(app, pilot)
        assert isinstance(app.screen, WorkspaceScreen)
        assert app.screen.ctx.session is not None and len(app.screen.ctx.session.tools) == 31
        assert "31 tools live" in app.screen.sub_title
        await pilot.press("f1")
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)
        await pilot.press("escape")
        await pilot.press("escape")
        await pilot.pause()
        assert type(app.screen).__name__ == "LibraryScreen"


async def test_broken_environment_shows_an_error_modal(sample_library: Path) -> None:
    (sample_library / "riverside_clinic" / "server.py").write_text("import os\nraise RuntimeError('boom at import')\n")
    app = WorkbenchApp(sample_library, open_env="riverside_clinic")
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(app, pilot)
        assert isinstance(app.screen, ErrorModal)
        assert "boom at import" in app.screen.message
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, WorkspaceScreen)


async def test_ctrl_q_quits(sample_library: Path) -> None:
    app = WorkbenchApp(sample_library)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        await pilot.press("ctrl+q")
        await pilot.pause()
    assert app.return_code == 0
