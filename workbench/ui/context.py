"""What every pane of one environment's workspace shares: the bundle, its live session, its human run.

Panes never start processes themselves: they ask the workspace (which runs a thread worker) and
receive ``SessionReady`` / ``SessionFailed``. Calls and resets post ``StateChanged`` so panes that
show the live database refresh.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from pathlib import Path

from textual.message import Message

from workbench.bundle.load import load_bundle
from workbench.bundle.model import Bundle


class EnvContext:
    def __init__(self, bundle_dir: Path) -> None:
        self.path = Path(bundle_dir)
        self.bundle, self.problems = load_bundle(self.path)
        self._session = None
        self._lock = threading.Lock()
        self.human_run = None
        self.session_error: str | None = None

    def reload(self) -> Bundle:
        self.bundle, self.problems = load_bundle(self.path)
        return self.bundle

    @property
    def session(self):
        return self._session

    def ensure_session(self):
        """Start the environment (blocking: call from a thread worker). Idempotent."""
        with self._lock:
            if self._session is None:
                from workbench.runtime.session import EnvSession
                from workbench.trajectory.human import HumanRun

                self._session = EnvSession.open(self.bundle)
                self.human_run = HumanRun(self._session)
            return self._session

    def close(self) -> None:
        with self._lock:
            if self._session is not None:
                self._session.close()
                self._session = None


@dataclass
class SessionReady(Message):
    """The environment's worker is up; ``ctx.session`` can be used."""


@dataclass
class SessionFailed(Message):
    error: str


@dataclass
class StateChanged(Message):
    """The live database changed (a call, a reset, a restore)."""

    reason: str = ""
