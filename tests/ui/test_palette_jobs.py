"""Command palette holds every action; import from the UI with progress; check from the palette."""

from __future__ import annotations

import asyncio
from pathlib import Path

from workbench.ui.app import WorkbenchApp

from ..conftest import AWM_OUTPUTS
from .conftest import settle


async def test_palette_lists_the_screen_actions(sample_library: Path) -> None:
    app = WorkbenchApp(sample_library, open_env="it_service_desk")
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(app, pilot)
        titles = [c.title for c in app.get_system_commands(app.screen)]
        for expected in ("Run check on this environment", "Run sanity on this environment", "Go to tab: Runs",
                         "Workspace: Reset DB", "Workspace: Cancel jobs", "Toggle light/dark theme"):
            assert expected in titles, titles
        theme = app.theme
        next(c for c in app.get_system_commands(app.screen) if c.title == "Toggle light/dark theme").callback()
        assert app.theme != theme
        # Run check from the palette: the overview shows its result.
        next(c for c in app.get_system_commands(app.screen) if c.title == "Run check on this environment").callback()
        await settle(app, pilot, rounds=6)
        status = str(app.screen.query_one("#overview-status").render())
        assert "check: ok" in status


async def test_import_from_the_library_screen(tmp_path: Path) -> None:
    if not AWM_OUTPUTS.is_dir():
        import pytest

        pytest.skip("../shared/awm_samples is absent")
    lib = tmp_path / "lib"
    lib.mkdir()
    app = WorkbenchApp(lib)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(app, pilot)
        assert app.screen.query_one("#library-table").row_count == 0
        await pilot.press("i")
        await pilot.pause()
        app.screen.query_one("#prompt-input").value = str(AWM_OUTPUTS)
        await pilot.press("enter")
        for _ in range(100):
            await asyncio.sleep(0.1)
            await settle(app, pilot, rounds=1)
            if app.screen.query_one("#library-table").row_count == 8:
                break
        assert app.screen.query_one("#library-table").row_count == 8
        assert "-busy" not in app.screen.query_one("#import-progress").classes
