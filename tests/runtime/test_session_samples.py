"""The session API on the sample environments: tools = spec, diffs, reset/restore, deterministic calls."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from workbench.bundle.load import load_bundle
from workbench.bundle.stats import spec_operation_ids
from workbench.runtime.session import EnvSession
from workbench.trajectory.awm_trajectory import awm_observation, load_trajectory

from ..conftest import SAMPLE_ENVS

SLUGS = ["it_service_desk", "procure_to_pay", "riverside_clinic"]


@pytest.fixture(scope="module")
def desk():
    with EnvSession.open(SAMPLE_ENVS / "it_service_desk") as s:
        yield s


def test_tools_equal_spec_and_carry_schemas(desk) -> None:
    bundle, _ = load_bundle(SAMPLE_ENVS / "it_service_desk")
    assert sorted(t.name for t in desk.tools) == sorted(spec_operation_ids(bundle.spec))
    t = desk.tool("update_ticket")
    assert t.input_schema["title"] == "update_ticketArguments" and "ticket_id" in t.input_schema["required"]
    assert desk.startup_diff.empty


def test_write_shows_in_diff_reset_and_restore(desk) -> None:
    desk.reset()
    out = desk.call("update_ticket", {"ticket_id": 15, "priority": "high"})
    assert not out.is_error and out.status == 200
    (table,) = out.diff.tables
    assert table.table == "tickets" and [r.key for r in table.updated] == [{"id": 15}]
    assert table.updated[0].changed_columns["priority"] == ("medium", "high")
    assert table.updated[0].changed_columns["updated_at"][1].startswith("2026-03-02 09:00:00")  # logical clock
    after_one = desk.snapshot()
    desk.call("add_ticket_comment", {"ticket_id": 12, "body": "x", "is_internal": True})
    desk.restore(after_one)
    assert desk.diff(after_one, desk.snapshot()).empty and desk.step == 1
    desk.reset()
    assert desk.diff(desk.instance.initial, desk.snapshot().snapshot).empty and desk.step == 0


def test_same_calls_give_same_text_after_reset(desk) -> None:
    texts = []
    for _ in range(2):
        desk.reset()
        texts.append([desk.call("add_ticket_comment", {"ticket_id": 12, "body": "same", "is_internal": False}).text,
                      desk.call("get_ticket", {"ticket_id": 12}).text])
    assert texts[0] == texts[1]


def test_read_does_not_change_rows(desk) -> None:
    out = desk.call("list_tickets", {})
    assert not out.is_error and out.diff.empty


@pytest.mark.parametrize("slug", SLUGS)
def test_every_reference_run_replays_in_order(slug: str) -> None:
    """Each reference run's calls succeed in order and observations match the recording exactly."""
    bundle, _ = load_bundle(SAMPLE_ENVS / slug)
    key = json.loads((SAMPLE_ENVS / slug / "answer_key.json").read_text())
    refs = [r for r in bundle.runs if r.kind == "reference"]
    assert len(refs) == 10
    infeasible = {d["task_idx"] for d in key["defects"] if d["category"] == "infeasible_task"}
    with EnvSession.open(bundle) as s:
        for run in refs:
            s.reset()
            traj = load_trajectory(run.trajectory_path)
            assert traj.calls, run.run_id
            for step in traj.calls:
                out = s.call(step.tool, step.arguments)
                if out.is_error:
                    assert run.task_id in infeasible, (run.run_id, step.tool, out.text)
                    assert out.status is not None and out.status < 500
                assert awm_observation(out.text, out.is_error) == step.observation, (run.run_id, step.index)
