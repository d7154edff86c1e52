"""Replay a recorded run on a fresh instance, step by step, with a row diff and a divergence flag per step.

    with EnvSession.open(bundle) as s:
        replay = Replay.run(s, load_run_file(run.trajectory_path))
        for step in replay.steps: print(step.index, step.tool, step.diverged, render_diff(step.diff))
        replay.next_write(0); replay.state_at(3); replay.fork(2, {"priority": "low"})

Every call runs through the session (so timeouts and crashes are contained), the database is
snapshotted after every step, and each new observation is compared with the recorded one: equal
text, or equal JSON, is "same"; anything else is a divergence, and both texts are kept.
"""

from __future__ import annotations

import json
import time
from dataclasses import dataclass, field
from typing import Any

from workbench.db.diff import DbDiff
from workbench.runtime.session import CallOutcome, EnvSession, State
from workbench.trajectory.awm_trajectory import RecordedStep, Trajectory, awm_observation
from workbench.trajectory.writer import CallRecord, build_trajectory


@dataclass
class ReplayStep:
    index: int
    recorded: RecordedStep
    observation: str | None
    diverged: bool
    before: State
    after: State
    diff: DbDiff | None
    outcome: CallOutcome | None = None
    note: str = ""

    @property
    def tool(self) -> str | None:
        return self.recorded.tool

    @property
    def is_write(self) -> bool:
        return self.diff is not None and not self.diff.empty

    @property
    def is_error(self) -> bool:
        return bool(self.outcome and self.outcome.is_error)

    def to_json(self) -> dict[str, Any]:
        return {
            "index": self.index, "kind": self.recorded.kind, "tool": self.tool, "arguments": self.recorded.arguments,
            "recorded": self.recorded.observation, "observation": self.observation, "diverged": self.diverged,
            "is_error": self.is_error, "is_write": self.is_write, "note": self.note,
            "status": self.outcome.status if self.outcome else None,
            "exception": self.outcome.exception if self.outcome else None,
            "diff": self.diff.to_json() if self.diff is not None else None,
            "problems": self.recorded.problems,
        }


def same_observation(recorded: str | None, new: str | None) -> bool:
    """Equal text, or equal after parsing both as JSON (whitespace and key spacing do not matter)."""
    if recorded == new:
        return True
    if recorded is None or new is None:
        return False
    try:
        return json.loads(recorded) == json.loads(new)
    except (ValueError, TypeError):
        return False


@dataclass
class Replay:
    session: EnvSession
    trajectory: Trajectory
    initial: State
    steps: list[ReplayStep] = field(default_factory=list)
    seconds: float = 0.0
    catalogue: Any = None  # callable(tools) -> str, to compare list_tools steps; None skips them

    @classmethod
    def run(cls, session: EnvSession, trajectory: Trajectory, *, catalogue: Any = None) -> Replay:
        """Reset the session and re-execute every recorded call in order."""
        t0 = time.perf_counter()
        session.reset()
        replay = cls(session, trajectory, session.snapshot("initial"), catalogue=catalogue)
        state = replay.initial
        for n, rec in enumerate(trajectory.steps):
            if rec.kind == "call" and rec.tool:
                out = session.call(rec.tool, rec.arguments)
                obs = awm_observation(out.text, out.is_error)
                step = ReplayStep(n, rec, obs, not same_observation(rec.observation, obs), out.before, out.after,
                                  out.diff, out)
            elif rec.kind == "list_tools":
                obs = catalogue(session.tools) if catalogue else None
                diverged = bool(catalogue) and not same_observation(rec.observation, obs)
                step = ReplayStep(n, rec, obs, diverged, state, state, None,
                                  note="" if catalogue else "list_tools: catalogue not compared")
            else:
                step = ReplayStep(n, rec, None, False, state, state, None,
                                  note="not a tool call AWM would execute: " + "; ".join(rec.problems))
            replay.steps.append(step)
            state = step.after
        replay.seconds = time.perf_counter() - t0
        return replay

    # --------------------------------------------------------------- navigation

    def state_at(self, k: int) -> State:
        """The database after step ``k`` (``-1``: before the first step)."""
        if k < 0:
            return self.initial
        return self.steps[min(k, len(self.steps) - 1)].after

    def goto(self, k: int) -> State:
        """Put the live instance in the state after step ``k`` (stepping back or forward)."""
        state = self.state_at(k)
        self.session.restore(state)
        return state

    def _next(self, start: int, pred) -> int | None:
        for s in self.steps[start + 1:]:
            if pred(s):
                return s.index
        return None

    def _prev(self, start: int, pred) -> int | None:
        for s in reversed(self.steps[:max(start, 0)]):
            if pred(s):
                return s.index
        return None

    def next_write(self, start: int) -> int | None:
        return self._next(start, lambda s: s.is_write)

    def prev_write(self, start: int) -> int | None:
        return self._prev(start, lambda s: s.is_write)

    def next_error(self, start: int) -> int | None:
        return self._next(start, lambda s: s.is_error)

    def next_divergence(self, start: int) -> int | None:
        return self._next(start, lambda s: s.diverged)

    @property
    def divergences(self) -> list[ReplayStep]:
        return [s for s in self.steps if s.diverged]

    @property
    def final_state(self) -> State:
        return self.state_at(len(self.steps) - 1)

    # --------------------------------------------------------------- fork

    def fork(self, k: int, arguments: dict[str, Any], tool: str | None = None,
             final_answer: str = "") -> tuple[dict[str, Any], State]:
        """A new run: the recorded calls before step ``k``, then step ``k`` with edited arguments,
        executed now on the state before ``k``. Returns the AWM trajectory and the state after it."""
        rec = self.steps[k].recorded
        self.session.restore(self.steps[k].before)
        out = self.session.call(tool or rec.tool or "", arguments)
        calls = [CallRecord(s.recorded.tool or "", s.recorded.arguments, s.observation or "")
                 for s in self.steps[:k] if s.recorded.kind == "call"]
        calls.append(CallRecord(tool or rec.tool or "", arguments, awm_observation(out.text, out.is_error),
                                thought=f"(forked from step {k})"))
        data = self.trajectory.data
        traj = build_trajectory(str(data.get("scenario") or self.session.bundle.name), data.get("task_id"),
                                str(data.get("task") or ""), calls, final_answer, model="human-fork")
        return traj, out.after
