"""Snapshots of the Stages tab showing a diff of schema.sql (unified and split) at 80x24 and 160x50.

Regenerate with ``pytest tests/ui/test_stages_snapshots.py --snapshot-update`` and review
``snapshot_report.html``. Everything shown is pinned: version times, review marks (in a private
cache), and the session is up before the picture is taken.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from workbench.bundle import history as h
from workbench.ui.app import WorkbenchApp
from workbench.ui.panes.stages import StagesPane

SLUG = "it_service_desk"
FIXED = 1772442000  # 2026-03-02 09:00:00 UTC


@pytest.fixture
def stages_app(sample_library: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> WorkbenchApp:
    monkeypatch.setenv("WORKBENCH_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.setattr(StagesPane, "REVIEW_DWELL", 3600.0)
    bundle = sample_library / SLUG
    schema = bundle / "schema.sql"
    os.utime(schema, (FIXED, FIXED))  # the time of the unrecorded v1
    reviewed_sha = h.stage_sha(bundle, "schema")
    old = schema.read_text(encoding="utf-8")
    new = (old.replace("    full_name TEXT NOT NULL,", "    full_name TEXT NOT NULL COLLATE NOCASE,")
              .replace("    phone TEXT,\n", "", 1)
           + "CREATE INDEX idx_users_email ON users(email);\n")
    h.record_version(bundle, "schema", new, "human", note="names compare without case",
                     time="2026-03-03T10:30:00Z")
    h.mark_stage_reviewed(SLUG, "schema", reviewed_sha)  # reviewed before the change: stale
    h.mark_stage_reviewed(SLUG, "server", h.stage_sha(bundle, "server"))  # current
    return WorkbenchApp(sample_library, open_env=SLUG)


def _walk(*extra: str):
    async def run_before(pilot) -> None:
        from .test_stages import settle

        app = pilot.app
        await settle(app, pilot)
        await pilot.press("2")
        await settle(app, pilot)
        await pilot.press("down", "down")  # scenario → tasks → schema
        await settle(app, pilot)
        await pilot.press("d", *extra)
        await settle(app, pilot)

    return run_before


def test_stages_unified_80x24(snap_compare, stages_app: WorkbenchApp) -> None:
    assert snap_compare(stages_app, terminal_size=(80, 24), run_before=_walk())


def test_stages_split_80x24(snap_compare, stages_app: WorkbenchApp) -> None:
    assert snap_compare(stages_app, terminal_size=(80, 24), run_before=_walk("s"))


def test_stages_unified_160x50(snap_compare, stages_app: WorkbenchApp) -> None:
    assert snap_compare(stages_app, terminal_size=(160, 50), run_before=_walk())


def test_stages_split_160x50(snap_compare, stages_app: WorkbenchApp) -> None:
    assert snap_compare(stages_app, terminal_size=(160, 50), run_before=_walk("s"))
