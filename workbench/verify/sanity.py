"""Sanity checks per task: a do-nothing run must not be complete; the reference run must be.

A do-nothing run is final = initial with an empty final answer. Code-mode verifiers answer
``complete``/``others`` themselves. Sql-mode verifiers return evidence for an LLM judge: with a
judge configured we use its label; without one we still catch the worst case, evidence that is
identical for the do-nothing run and the reference run (the verifier cannot tell them apart).
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from workbench.bundle.load import load_bundle
from workbench.bundle.model import Bundle
from workbench.db.build import build_bundle
from workbench.verify.run_dbs import run_databases, runs_of_task
from workbench.verify.sandbox import SandboxPool, VerifierOutcome

SANITY_STATE_FILE = ".workbench-sanity.json"


@dataclass
class TaskSanity:
    task_idx: int
    mode: str
    do_nothing: str  # complete | others | incomplete | ... | error | timeout | evidence
    reference: dict[str, str] = field(default_factory=dict)  # run_id -> label
    problems: list[str] = field(default_factory=list)
    details: dict[str, Any] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return not self.problems


@dataclass
class EnvSanity:
    slug: str
    tasks: list[TaskSanity] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems and all(t.ok for t in self.tasks)

    @property
    def failures(self) -> int:
        return len(self.problems) + sum(len(t.problems) for t in self.tasks)

    def to_json(self) -> dict[str, Any]:
        return {"slug": self.slug, "ok": self.ok, "problems": self.problems,
                "tasks": [dict(asdict(t), ok=t.ok) for t in self.tasks]}


def _label(out: VerifierOutcome, judge: Callable[[VerifierOutcome], str] | None) -> str:
    if out.status != "ok":
        return out.status
    if out.mode == "code":
        return str(out.reward_type)
    if judge is not None:
        return judge(out)
    return "evidence"


def _evidence(out: VerifierOutcome) -> str:
    return json.dumps(out.value, sort_keys=True, default=str)


def check_env(bundle: Bundle, pool: SandboxPool, *, judge_factory: Callable[[Bundle, int, Any], Callable] | None = None,
              timeout: float = 30.0) -> EnvSanity:
    """Sanity for every task of one environment (reference runs are replayed when needed)."""
    from workbench.runtime.session import EnvSession

    res = EnvSanity(bundle.slug)
    try:
        initial = build_bundle(bundle).data
    except Exception as exc:
        res.problems.append(f"the database does not build: {exc}")
        return res
    active = bundle.active_verifiers()
    if not active:
        res.problems.append("no verifiers")
        return res
    session = None
    try:
        for (idx, mode), v in sorted(active.items()):
            judge = judge_factory(bundle, idx, v) if judge_factory else None
            ts = TaskSanity(idx, mode, "")
            nothing = pool.run(v.code, mode, initial, initial, "", function=v.function, timeout=timeout)
            ts.do_nothing = _label(nothing, judge)
            if nothing.status != "ok":
                ts.problems.append(f"task {idx}: the verifier fails on the do-nothing run: {nothing.exception or nothing.status}")
            elif ts.do_nothing == "complete":
                ts.problems.append(f"task {idx}: a do-nothing run is judged complete (verifier false positive, AWM #16)")
            refs = [r for r in runs_of_task(bundle, idx) if r.kind == "reference"]
            if not refs:
                ts.details["reference"] = "no reference run"
            for run in refs:
                if session is None and not ((run.path / "initial.db").is_file() and (run.path / "final.db").is_file()):
                    session = EnvSession.open(bundle)
                dbs = run_databases(bundle, run, session)
                out = pool.run(v.code, mode, dbs.initial, dbs.final, dbs.final_answer, function=v.function,
                               timeout=timeout)
                label = _label(out, judge)
                ts.reference[run.run_id] = label
                if out.status != "ok":
                    ts.problems.append(f"task {idx}: the verifier fails on reference run {run.run_id}: "
                                       f"{out.exception or out.status}")
                elif mode == "code" or judge is not None:
                    if label != "complete":
                        ts.problems.append(f"task {idx}: reference run {run.run_id} is judged {label}, not complete")
                elif nothing.status == "ok" and _evidence(out) == _evidence(nothing):
                    ts.problems.append(f"task {idx}: the verifier's evidence is identical for the do-nothing run and "
                                       f"reference run {run.run_id}: it cannot tell them apart")
            res.tasks.append(ts)
    finally:
        if session is not None:
            session.close()
    return res


def check_library(bundle_dirs: list[Path], *, judge_factory=None, progress=None, timeout: float = 30.0) -> list[EnvSanity]:
    results = []
    with SandboxPool(size=2) as pool:
        for n, d in enumerate(bundle_dirs, start=1):
            if progress:
                progress(n, len(bundle_dirs), d.name)
            try:
                bundle, _ = load_bundle(d)
                results.append(check_env(bundle, pool, judge_factory=judge_factory, timeout=timeout))
            except Exception as exc:  # one broken bundle must not stop the others
                results.append(EnvSanity(d.name, problems=[f"{type(exc).__name__}: {exc}"]))
    return results


def load_sanity_state(library: Path) -> dict[str, Any]:
    """The latest sanity result per environment, as ``workbench sanity`` or the UI saved it."""
    try:
        state = json.loads((Path(library) / SANITY_STATE_FILE).read_text(encoding="utf-8"))
        return state if isinstance(state, dict) else {}
    except (OSError, ValueError):
        return {}


def save_sanity_state(library: Path, results: list[EnvSanity]) -> None:
    from workbench.fsutil import atomic_write_json

    path = Path(library) / SANITY_STATE_FILE
    state = load_sanity_state(library)
    for r in results:
        state[r.slug] = {"ok": r.ok, "failures": r.failures,
                         "problems": r.problems + [p for t in r.tasks for p in t.problems]}
    try:
        atomic_write_json(path, state)
    except OSError:
        pass
