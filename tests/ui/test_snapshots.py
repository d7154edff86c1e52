"""Snapshots of the library and of the Overview, Runs, Verifiers and Review tabs at 80x24 and 160x50.

(The Stages, Schema, Data and Tools tabs have their own snapshot modules.) Deterministic: a private
copy of the sample library, the logical clock, no durations on screen. Regenerate with
``pytest tests/ui/test_snapshots.py --snapshot-update`` and look at ``snapshot_report.html``.
"""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest

from workbench.ui.app import WorkbenchApp

from .conftest import settle

SIZES = [(80, 24), (160, 50)]


async def _library(pilot) -> None:
    await settle(pilot.app, pilot)


async def _overview(pilot) -> None:
    await settle(pilot.app, pilot)


async def _runs(pilot) -> None:
    app = pilot.app
    await settle(app, pilot)
    await pilot.press("7")
    table = app.screen.query_one("#runs-table")
    table.focus()
    table.move_cursor(row=table.get_row_index("ref-task-07"))
    await pilot.press("enter")
    await settle(app, pilot)
    await pilot.press("w")
    await settle(app, pilot)


async def _verifiers(pilot) -> None:
    app = pilot.app
    await settle(app, pilot)
    await pilot.press("6")
    await pilot.pause()
    app.screen.query_one("#verifiers-table").move_cursor(row=4)
    await pilot.pause()
    await pilot.press("r")
    for _ in range(100):
        await pilot.pause(0.1)
        if "status ok" in str(app.screen.query_one("#verifier-result").render()):
            break
    # The duration is the only volatile text: replace it before the picture is taken.
    result = app.screen.query_one("#verifier-result")
    import re

    result.update(re.sub(r"\(\d+ ms\)", "(… ms)", str(result.render())))
    await pilot.pause()


async def _review(pilot) -> None:
    app = pilot.app
    await settle(app, pilot)
    await pilot.press("8")
    await settle(app, pilot)


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_library(snap_compare, sample_library: Path, size) -> None:
    assert snap_compare(WorkbenchApp(sample_library), terminal_size=size, run_before=_library)


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
@pytest.mark.parametrize("tab", ["overview", "runs", "verifiers", "review"])
def test_workspace_tab(snap_compare, sample_library: Path, size, tab: str) -> None:
    steps = {"overview": _overview, "runs": _runs, "verifiers": _verifiers, "review": _review}[tab]
    app = WorkbenchApp(sample_library, open_env="it_service_desk")
    assert snap_compare(app, terminal_size=size, run_before=steps)
