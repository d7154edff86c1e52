"""A private, resettable copy of an environment's database, forked from the built bytes.

Forking writes the cached initial bytes to a new file (no DDL, no inserts). Snapshots are the
serialised database; restoring copies a snapshot back into the live file through SQLite's backup
API, so a worker process that keeps the file open sees the restored state without restarting.
"""

from __future__ import annotations

import shutil
import sqlite3
import tempfile
from dataclasses import dataclass
from pathlib import Path



@dataclass(frozen=True)
class Snapshot:
    """The whole database at one moment, as bytes (what SQLite would write to disk)."""

    data: bytes
    label: str = ""


def open_snapshot(snapshot: Snapshot | bytes) -> sqlite3.Connection:
    """A read-only-by-convention in-memory connection holding a snapshot."""
    data = snapshot.data if isinstance(snapshot, Snapshot) else snapshot
    conn = sqlite3.connect(":memory:")
    conn.deserialize(data)
    return conn


class Instance:
    """One live database file. Use ``Instance.fork(initial_bytes)``; ``close()`` removes its folder."""

    def __init__(self, path: Path, initial: bytes, owns_dir: Path | None = None) -> None:
        self.path = Path(path)
        self.initial = Snapshot(initial, "initial")
        self._owns_dir = owns_dir

    @classmethod
    def fork(cls, initial: bytes, directory: Path | None = None, name: str = "instance.db") -> Instance:
        """A new instance whose database is a byte copy of ``initial``."""
        owns = None
        if directory is None:
            directory = owns = Path(tempfile.mkdtemp(prefix="wb-instance-"))
        path = Path(directory) / name
        path.write_bytes(initial)
        return cls(path, initial, owns)

    def connect(self) -> sqlite3.Connection:
        conn = sqlite3.connect(self.path, timeout=5.0)
        return conn

    def snapshot(self, label: str = "") -> Snapshot:
        conn = self.connect()
        try:
            return Snapshot(conn.serialize(), label)
        finally:
            conn.close()

    def restore(self, snapshot: Snapshot) -> None:
        """Make the live file equal to ``snapshot`` (other open connections see the new state)."""
        src = open_snapshot(snapshot)
        dst = self.connect()
        try:
            src.backup(dst)
        finally:
            src.close()
            dst.close()

    def reset(self) -> None:
        self.restore(self.initial)

    def close(self) -> None:
        if self._owns_dir is not None:
            shutil.rmtree(self._owns_dir, ignore_errors=True)
            self._owns_dir = None
