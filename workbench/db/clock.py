"""A SQLite connection whose clock is frozen at a chosen UTC time.

SQLite asks its VFS for the current time (``xCurrentTimeInt64``) whenever SQL says ``'now'``,
``CURRENT_TIMESTAMP``/``CURRENT_DATE``/``CURRENT_TIME``, or a column DEFAULT uses them. apsw lets
us register a VFS that inherits everything from the default one except that clock, so the whole
engine sees ``reference_time`` and nothing in the SQL has to be rewritten.
"""

from __future__ import annotations

import calendar
import threading
import time

import apsw

# Julian day 2440587.5 (the Unix epoch) in SQLite's millisecond Julian-day clock.
_UNIX_EPOCH_JD_MS = 210866760000000
_lock = threading.Lock()
_registered: dict[int, apsw.VFS] = {}

DEFAULT_REFERENCE_TIME = "2026-01-01 00:00:00"


def parse_reference_time(value: str) -> int:
    """Seconds since the Unix epoch for a UTC ``YYYY-MM-DD HH:MM:SS`` string."""
    return calendar.timegm(time.strptime(value, "%Y-%m-%d %H:%M:%S"))


def format_reference_time(epoch_seconds: int) -> str:
    return time.strftime("%Y-%m-%d %H:%M:%S", time.gmtime(epoch_seconds))


class _FrozenClockVFS(apsw.VFS):
    def __init__(self, name: str, jd_ms: int) -> None:
        self._jd_ms = jd_ms
        super().__init__(name, base="")

    def xCurrentTimeInt64(self) -> int:  # noqa: N802 (SQLite's name)
        return self._jd_ms

    def xCurrentTime(self) -> float:  # noqa: N802
        return self._jd_ms / 86400000.0


def frozen_vfs_name(reference_time: str) -> str:
    """Register (once) and return the name of a VFS whose clock reads ``reference_time``."""
    epoch = parse_reference_time(reference_time)
    name = f"workbench-clock-{epoch}"
    with _lock:
        if epoch not in _registered:
            _registered[epoch] = _FrozenClockVFS(name, epoch * 1000 + _UNIX_EPOCH_JD_MS)
    return name


def frozen_memory_connection(reference_time: str) -> apsw.Connection:
    """An empty in-memory database whose ``'now'`` is ``reference_time``."""
    return apsw.Connection(":memory:", vfs=frozen_vfs_name(reference_time))
