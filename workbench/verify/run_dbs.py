"""The initial and final databases of a run, and its final answer: from the run folder when it has
them (AWM run folders do), else by replaying the recorded calls on a fresh instance."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path

from workbench.bundle.model import Bundle, Run
from workbench.trajectory.awm_trajectory import load_run_file


@dataclass(frozen=True)
class RunDatabases:
    initial: bytes
    final: bytes
    final_answer: str | None
    source: str  # "run folder" | "replay"


_cache: dict[str, RunDatabases] = {}


def run_databases(bundle: Bundle, run: Run, session=None) -> RunDatabases:
    """``initial.db``/``final.db`` of the run folder, or the states replaying it produces (cached)."""
    traj = load_run_file(run.trajectory_path)
    initial_p, final_p = run.path / "initial.db", run.path / "final.db"
    if initial_p.is_file() and final_p.is_file():
        return RunDatabases(initial_p.read_bytes(), final_p.read_bytes(), traj.final_answer, "run folder")
    key = hashlib.sha256(run.trajectory_path.read_bytes()).hexdigest() + ":" + str(bundle.path.resolve())
    if key in _cache:
        return _cache[key]
    from workbench.runtime.session import EnvSession
    from workbench.trajectory.replay import Replay

    own = session is None
    session = session or EnvSession.open(bundle)
    try:
        replay = Replay.run(session, traj)
        result = RunDatabases(replay.initial.snapshot.data, replay.final_state.snapshot.data, traj.final_answer,
                              "replay")
    finally:
        if own:
            session.close()
    _cache[key] = result
    return result


def runs_of_task(bundle: Bundle, task_idx: int) -> list[Run]:
    return [r for r in bundle.runs if r.task_id == task_idx]

