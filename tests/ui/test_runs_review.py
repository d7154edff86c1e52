"""Runs (replay timeline, jumps, fork) and Review (record a decision, read it back from disk)."""

from __future__ import annotations

import json
from pathlib import Path

from workbench.review.decisions import load_decisions
from workbench.ui.app import WorkbenchApp

from .conftest import settle


async def _open_runs(app, pilot, run_id: str) -> None:
    await settle(app, pilot)
    app.screen.action_tab("runs")
    await pilot.pause()
    table = app.screen.query_one("#runs-table")
    table.focus()
    table.move_cursor(row=table.get_row_index(run_id))
    await pilot.press("enter")
    await settle(app, pilot)


async def test_replay_timeline_steps_and_jumps(sample_library: Path) -> None:
    app = WorkbenchApp(sample_library, open_env="it_service_desk")
    async with app.run_test(size=(120, 40)) as pilot:
        await _open_runs(app, pilot, "ref-task-07")  # ref-task-07: lookups, then two writes
        pane = app.screen.query_one("#runs-pane")
        assert pane.replay is not None and len(pane.replay.steps) == 4
        assert "4 steps, 0 diverged" in str(app.screen.query_one("#runs-status").render())
        steps = app.screen.query_one("#steps-table")
        await pilot.press("w")
        await settle(app, pilot)
        assert steps.cursor_row == 2
        text = str(app.screen.query_one("#step-text").render())
        assert "create_escalation" in text and "escalations: 1 inserted" in text
        # The live database follows the cursor: after step 2 the escalation exists, before it not.
        session = app.screen.ctx.session
        count = lambda: session.instance.connect().execute("SELECT count(*) FROM escalations").fetchone()[0]
        after_write = count()
        await pilot.press("up")
        await settle(app, pilot)
        assert count() == after_write - 1


async def test_fork_from_a_step_saves_a_new_run(sample_library: Path) -> None:
    app = WorkbenchApp(sample_library, open_env="it_service_desk")
    async with app.run_test(size=(120, 40)) as pilot:
        await _open_runs(app, pilot, "ref-task-05")  # ref-task-05: update a ticket's priority
        await pilot.press("w")
        await settle(app, pilot)
        await pilot.press("x")
        await pilot.pause()
        prompt = app.screen.query_one("#prompt-input")
        args = json.loads(prompt.value)
        args["priority"] = "low"
        prompt.value = json.dumps(args)
        await pilot.press("enter")
        await settle(app, pilot)
        forks = [p for p in (sample_library / "it_service_desk" / "runs").iterdir() if p.name.startswith("fork-")]
        assert len(forks) == 1
        traj = json.loads((forks[0] / "trajectory.json").read_text())
        last_call = [s for s in traj["trajectory"] if s["tool_calls"]][-1]
        assert json.loads(last_call["tool_calls"][0]["arguments"]["arguments"])["priority"] == "low"
        assert '"priority": "low"' in last_call["tool_response"]["content"]
        assert json.loads((forks[0] / "run.json").read_text())["forked_from"] == "ref-task-05"
        assert (forks[0] / "final.db").is_file()


async def test_record_a_decision_and_read_it_back(sample_library: Path) -> None:
    app = WorkbenchApp(sample_library, open_env="procure_to_pay")
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(app, pilot)
        await pilot.press("8")
        await pilot.pause()
        pane = app.screen.query_one("#review-pane")
        pane.prefill("tool:add_po_line")
        app.screen.query_one("#review-verdict").value = "needs-fix"
        app.screen.query_one("#review-category").value = "db_constraint_conflict"
        app.screen.query_one("#review-severity").value = "high"
        app.screen.query_one("#review-note").value = "repeated line_number gives HTTP 500"
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        assert app.screen.query_one("#review-table").row_count == 1
    log = load_decisions(sample_library / "procure_to_pay")
    (d,) = log.decisions
    assert (d.target, d.verdict, d.category, d.severity) == ("tool:add_po_line", "needs-fix",
                                                             "db_constraint_conflict", "high")
    assert d.note == "repeated line_number gives HTTP 500" and d.artifact_hash.startswith("sha256:")
    # Editing the server makes the decision stale.
    server = sample_library / "procure_to_pay" / "server.py"
    server.write_text(server.read_text() + "\n# fixed\n")
    assert load_decisions(sample_library / "procure_to_pay").current(sample_library / "procure_to_pay")[
        "tool:add_po_line"].stale
