"""The in-memory form of one environment bundle and the constants that name its files."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

FORMAT = "awm-workbench/bundle@1"

ENV_FILE = "env.json"
TASKS_FILE = "tasks.json"
SCHEMA_FILE = "schema.sql"
DATA_FILE = "data.sql"
SPEC_FILE = "spec.json"
SERVER_FILE = "server.py"
VERIFIERS_DIR = "verifiers"
VERIFIERS_INDEX = "verifiers/verifiers.json"
RUNS_DIR = "runs"
HISTORY_DIR = "history"
REVIEWS_FILE = "reviews.jsonl"
AWM_FILE = "awm.json"
ANSWER_KEY_FILE = "answer_key.json"

VERIFIER_MODES = ("code", "sql")
RUN_KINDS = ("reference", "agent", "human")
DEFAULT_FUNCTION = {"code": "verify_task_completion", "sql": "verify_task"}

# The seven AWM stages, in pipeline order, and the artifact file each one produces.
STAGES = ("scenario", "tasks", "schema", "data", "spec", "server", "verifiers")
STAGE_FILES = {
    "scenario": ENV_FILE,
    "tasks": TASKS_FILE,
    "schema": SCHEMA_FILE,
    "data": DATA_FILE,
    "spec": SPEC_FILE,
    "server": SERVER_FILE,
    "verifiers": VERIFIERS_INDEX,
}


@dataclass
class Verifier:
    """One verifier row. ``active`` is False for a duplicate shadowed by AWM's first-match rule."""

    task_idx: int
    mode: str
    function: str
    file: str
    code: str | None
    source: str = "gen_verifier"
    active: bool = True
    meta: dict[str, Any] = field(default_factory=dict)

    def index_entry(self) -> dict[str, Any]:
        entry: dict[str, Any] = {
            "task_idx": self.task_idx,
            "mode": self.mode,
            "function": self.function,
            "file": self.file,
            "source": self.source,
            "active": self.active,
        }
        entry.update(self.meta)
        return entry


@dataclass
class Run:
    """An agent, reference or human run stored under ``runs/<run_id>/``."""

    run_id: str
    path: Path
    kind: str
    task_id: int | None
    meta: dict[str, Any] = field(default_factory=dict)

    @property
    def trajectory_path(self) -> Path:
        return self.path / "trajectory.json"


@dataclass
class Bundle:
    """One environment. Stages that are absent on disk are ``None``."""

    path: Path
    env: dict[str, Any]
    tasks: list[dict[str, Any]] | None = None
    schema: dict[str, Any] | None = None
    schema_text: str | None = None
    data: dict[str, Any] | None = None
    data_text: str | None = None
    spec: dict[str, Any] | None = None
    server_code: str | None = None
    verifiers: list[Verifier] = field(default_factory=list)
    runs: list[Run] = field(default_factory=list)
    awm: dict[str, Any] | None = None

    @property
    def name(self) -> str:
        return str(self.env.get("name", ""))

    @property
    def slug(self) -> str:
        return str(self.env.get("slug", self.path.name))

    @property
    def reference_time(self) -> str | None:
        value = self.env.get("reference_time")
        return str(value) if value else None

    def active_verifiers(self) -> dict[tuple[int, str], Verifier]:
        """The verifier AWM would use for each (task_idx, mode): the first row, as AWM looks it up."""
        found: dict[tuple[int, str], Verifier] = {}
        for v in self.verifiers:
            if v.active:
                found.setdefault((v.task_idx, v.mode), v)
        return found

    def task_text(self, idx: int) -> str | None:
        if self.tasks is None or not 0 <= idx < len(self.tasks):
            return None
        return str(self.tasks[idx].get("task"))
