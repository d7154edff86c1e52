"""UI test helpers: a private copy of the sample library, and waiting for workers."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from ..conftest import SAMPLE_ENVS


@pytest.fixture
def sample_library(tmp_path: Path) -> Path:
    """A copy of sample_envs/ the test may change (runs saved, decisions recorded, files edited)."""
    dest = tmp_path / "library"
    shutil.copytree(SAMPLE_ENVS, dest, ignore=shutil.ignore_patterns(".workbench-*", "__pycache__"))
    return dest


async def settle(app, pilot, rounds: int = 3) -> None:
    """Wait until no worker is running and the screen has processed what they posted.

    A failed worker is not an error here: the app shows it in a modal, which tests assert on.
    """
    from textual.worker import WorkerCancelled, WorkerFailed

    for _ in range(rounds):
        # Long-lived watchers (file watching) never complete; everything else must.
        busy = [w for w in app.workers if not (w.group or "").endswith("watch")]
        try:
            if busy:  # an empty list would mean "all workers", watchers included
                await app.workers.wait_for_complete(busy)
        except (WorkerFailed, WorkerCancelled):
            pass
        await pilot.pause()
