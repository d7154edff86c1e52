"""Every planted defect in the sample environments' answer keys is found by sanity or by replay,
and every reference run replays without divergence and passes its verifier (unless the key says
the task is infeasible)."""

from __future__ import annotations

import json
import re
import sqlite3

import pytest

from workbench.bundle.load import load_bundle
from workbench.runtime.session import EnvSession
from workbench.trajectory.awm_trajectory import load_run_file
from workbench.trajectory.replay import Replay
from workbench.verify.sandbox import SandboxPool
from workbench.verify.sanity import check_env

from ..conftest import SAMPLE_ENVS

SLUGS = ["it_service_desk", "procure_to_pay", "riverside_clinic"]


@pytest.fixture(scope="module")
def pool():
    with SandboxPool(size=2) as p:
        yield p


@pytest.mark.parametrize("slug", SLUGS)
def test_answer_key_defects_are_found(slug: str, pool) -> None:
    bundle, _ = load_bundle(SAMPLE_ENVS / slug)
    key = json.loads((SAMPLE_ENVS / slug / "answer_key.json").read_text())
    sanity = check_env(bundle, pool)
    problems = [p for t in sanity.tasks for p in t.problems]
    found: dict[str, str] = {}
    with EnvSession.open(bundle) as session:
        for d in key["defects"]:
            did, cat, task = d["id"], d["category"], d.get("task_idx")
            if cat == "verifier_false_positive":
                assert any(p.startswith(f"task {task}: a do-nothing run is judged complete") for p in problems), did
                found[did] = "sanity"
                continue
            if cat == "infeasible_task" and not d.get("repro"):
                assert any(p.startswith(f"task {task}: reference run") and "not complete" in p for p in problems), did
                found[did] = "sanity"
                continue
            run = next(r for r in bundle.runs if r.run_id == f"defect-{did}")
            replay = Replay.run(session, load_run_file(run.trajectory_path))
            (step,) = [s for s in replay.steps if s.recorded.kind == "call"]
            assert not step.diverged, did  # the recorded defect reproduces exactly
            status = re.search(r"HTTP (\d{3})", d["repro"]["expect"])
            assert status and step.outcome.status == int(status.group(1)), (did, step.outcome.status)
            if step.outcome.status >= 500:
                assert step.outcome.exception and step.outcome.server_lines, did  # the failing server.py line
            elif cat == "infeasible_task":
                assert step.is_error and any(p.startswith(f"task {task}: reference run") for p in problems), did
            else:  # a silent success: the replayed state shows the damage
                conn = sqlite3.connect(":memory:")
                conn.deserialize(step.after.snapshot.data)
                if slug == "it_service_desk":  # a link to an asset that does not exist
                    assert [v.parent for v in step.diff.fk_violations_introduced] == ["assets"], did
                else:  # two live appointments in one slot
                    slot = d["repro"]["arguments"]["slot_id"]
                    n = conn.execute("SELECT count(*) FROM appointments WHERE slot_id = ? AND status = 'booked'",
                                     (slot,)).fetchone()[0]
                    assert n >= 2, did
            found[did] = "replay"
    assert set(found) == {d["id"] for d in key["defects"]}


@pytest.mark.parametrize("slug", SLUGS)
def test_reference_runs_replay_exactly_and_pass(slug: str, pool) -> None:
    bundle, _ = load_bundle(SAMPLE_ENVS / slug)
    key = json.loads((SAMPLE_ENVS / slug / "answer_key.json").read_text())
    infeasible = {d["task_idx"] for d in key["defects"] if d["category"] == "infeasible_task"}
    sanity = check_env(bundle, pool)
    with EnvSession.open(bundle) as session:
        for run in [r for r in bundle.runs if r.kind == "reference"]:
            replay = Replay.run(session, load_run_file(run.trajectory_path))
            assert replay.divergences == [], run.run_id
            assert replay.seconds < 5
    for t in sanity.tasks:
        for run_id, label in t.reference.items():
            if t.mode == "code":
                assert (label == "complete") == (t.task_idx not in infeasible), (run_id, label)
            else:
                assert label == "evidence"
