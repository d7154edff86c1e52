"""Runs made by hand: calls from the tool playground recorded as a run of kind ``human`` (or ``reference``)."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from workbench.runtime.session import CallOutcome, EnvSession
from workbench.trajectory.awm_trajectory import awm_observation
from workbench.trajectory.writer import CallRecord, build_trajectory, new_run_id, write_run


@dataclass
class HumanRun:
    """Collects the calls a person makes on a session, then saves them as an AWM run folder."""

    session: EnvSession
    task_id: int | None = None
    calls: list[CallOutcome] = field(default_factory=list)

    def call(self, tool: str, arguments: dict | None = None) -> CallOutcome:
        out = self.session.call(tool, arguments)
        self.calls.append(out)
        return out

    def record(self, outcome: CallOutcome) -> None:
        """Add a call that was made on the session elsewhere (e.g. the UI's call form)."""
        self.calls.append(outcome)

    def clear(self) -> None:
        self.calls.clear()

    def save(self, final_answer: str = "", *, kind: str = "human", run_id: str | None = None,
             note: str = "") -> Path:
        """Write ``runs/<id>/`` with trajectory.json, initial.db, final.db and run.json."""
        if kind not in ("human", "reference"):
            raise ValueError(f"kind: 'human' or 'reference', got {kind!r}")
        bundle = self.session.bundle
        task = bundle.task_text(self.task_id) if self.task_id is not None else ""
        records = [CallRecord(c.tool, c.arguments, awm_observation(c.text, c.is_error)) for c in self.calls]
        traj = build_trajectory(bundle.name, self.task_id, task or "", records, final_answer, model=kind)
        rid = run_id or new_run_id(kind, self.task_id)
        meta = {"kind": kind, "task_id": self.task_id, "note": note, "calls": len(records)}
        final = self.session.snapshot().snapshot.data
        return write_run(bundle.path, rid, traj, meta, self.session.instance.initial.data, final)
