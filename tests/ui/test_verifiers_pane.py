"""Verifiers tab: run on a run's databases, edit the file (as an editor would) and see the re-run."""

from __future__ import annotations

import asyncio
from pathlib import Path

from workbench.ui.app import WorkbenchApp

from .conftest import settle


async def _wait_for(pilot, predicate, timeout: float = 20.0) -> None:
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while loop.time() < deadline:
        await pilot.pause(0.1)
        if predicate():
            return
    raise AssertionError("condition not met in time")


def _result(app) -> str:
    return str(app.screen.query_one("#verifier-result").render())


async def test_run_edit_rerun_and_failing_line(sample_library: Path) -> None:
    app = WorkbenchApp(sample_library, open_env="it_service_desk")
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(app, pilot)
        await pilot.press("6")
        await pilot.pause()
        table = app.screen.query_one("#verifiers-table")
        table.move_cursor(row=4)  # task 4: the planted false positive (D1)
        await pilot.pause()
        await pilot.press("a")
        await _wait_for(pilot, lambda: "re-run (manual)" in _result(app))
        assert "the do-nothing run: - -> complete" in _result(app)
        # Fix the verifier the way an editor would: write the file. The watcher re-runs it.
        f = sample_library / "it_service_desk" / "verifiers" / "task_04.code.py"
        f.write_text(f.read_text().replace('return {"result": "complete"}', 'return {"result": "others"}'))
        await _wait_for(pilot, lambda: "re-run (saved)" in _result(app))
        text = _result(app)
        assert "CHANGED the do-nothing run: complete -> others" in text
        assert "CHANGED run ref-task-04 (replay): complete -> others" in text
        # A verifier that raises: the traceback names the failing line, which is selected in the code.
        f.write_text("def verify_task_completion(initial_db_path, final_db_path, final_answer=None):\n"
                     "    x = 1\n    return {'result': 1 / 0}\n")
        await _wait_for(pilot, lambda: "re-run (saved)" in _result(app) and "ZeroDivisionError" in _result(app))
        await pilot.press("r")
        await _wait_for(pilot, lambda: "failing line 3" in _result(app))
        code = app.screen.query_one("#verifier-code")
        assert code.selection.start == (2, 0)
        assert code.selected_text == "    return {'result': 1 / 0}"
