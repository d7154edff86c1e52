"""Snapshots of the Tools tab after a completed call (update_ticket 15 → high), at 80x24 and 160x50.

Deterministic by construction: a private copy of the sample library, the logical clock (same calls,
same rows and timestamps), durations only in a tooltip, and the focus moved off the form so no
cursor blinks. Regenerate with ``pytest tests/ui/test_tools_snapshots.py --snapshot-update`` and
review ``snapshot_report.html``.
"""

from __future__ import annotations

from pathlib import Path

from workbench.ui.app import WorkbenchApp

from .test_tools_pane import ENV, call_update_ticket, open_tools, wait_idle


async def _after_a_call(pilot) -> None:
    app = pilot.app
    pane = await open_tools(app, pilot)
    await call_update_ticket(pilot, pane)
    await wait_idle(app, pilot)
    pane.query_one("#tools-list").focus()
    await wait_idle(app, pilot)


def test_tools_tab_after_a_call_80x24(snap_compare, sample_library: Path) -> None:
    app = WorkbenchApp(sample_library, open_env=ENV)
    assert snap_compare(app, terminal_size=(80, 24), run_before=_after_a_call)


def test_tools_tab_after_a_call_160x50(snap_compare, sample_library: Path) -> None:
    app = WorkbenchApp(sample_library, open_env=ENV)
    assert snap_compare(app, terminal_size=(160, 50), run_before=_after_a_call)
