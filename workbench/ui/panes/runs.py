"""Runs: every run of the environment, and a replay timeline with a row diff and divergence per step.

Keys: enter replays the selected run; in the timeline ↑/↓ step back and forward (the live database
follows), w / e / d jump to the next write / error / divergence, x forks from the step with edited
arguments into a new run, v runs the task's verifier on the state at the step.
"""

from __future__ import annotations

import json
from typing import Any

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.widgets import DataTable, Label, Static

from workbench.db.diff import render_diff
from workbench.ui.context import StateChanged
from workbench.ui.workers import ShowsWorkerErrors


def _short(value: Any, n: int = 40) -> str:
    text = json.dumps(value, ensure_ascii=False) if not isinstance(value, str) else value
    text = text.replace("\n", " ")
    return text if len(text) <= n else text[: n - 1] + "…"


class RunsPane(ShowsWorkerErrors, Vertical):
    BINDINGS = [
        Binding("w", "next_write", "Next write"),
        Binding("e", "next_error", "Next error"),
        Binding("d", "next_divergence", "Next divergence"),
        Binding("x", "fork", "Fork here"),
        Binding("v", "verify_here", "Verify here"),
    ]
    DEFAULT_CSS = """
    RunsPane #runs-table { height: 8; }
    RunsPane #runs-body { height: 1fr; }
    RunsPane #steps-table { width: 1fr; min-width: 36; }
    RunsPane #step-detail { width: 2fr; padding: 0 1; }
    RunsPane #runs-status { height: 1; color: $text-muted; }
    RunsPane .diverged { color: $error; }
    """

    def __init__(self, ctx, **kw) -> None:
        super().__init__(**kw)
        self.ctx = ctx
        self.add_class("pane")
        self.replay = None
        self.current_run = None
        self.outcomes: dict[str, str] = {}

    def compose(self) -> ComposeResult:
        yield Label("Runs (enter replays)", id="runs-title")
        yield DataTable(id="runs-table", cursor_type="row", zebra_stripes=True)
        yield Static("", id="runs-status", markup=False)
        with Horizontal(id="runs-body"):
            yield DataTable(id="steps-table", cursor_type="row", zebra_stripes=True)
            with VerticalScroll(id="step-detail"):
                yield Static("Select a run and press enter to replay it.", id="step-text", markup=False)

    def on_mount(self) -> None:
        runs = self.query_one("#runs-table", DataTable)
        runs.add_columns("run", "kind", "task", "verifier", "judge")
        steps = self.query_one("#steps-table", DataTable)
        steps.add_columns("#", "tool", "result", "rows")
        self.fill_runs()

    def fill_runs(self) -> None:
        table = self.query_one("#runs-table", DataTable)
        table.clear()
        for run in self.ctx.bundle.runs:
            judge = "-"
            vs = run.path / "verify.sql.json"
            if vs.is_file():
                try:
                    judge = json.loads(vs.read_text())["llm_judge"]["classification"]
                except (ValueError, KeyError, TypeError):
                    judge = "?"
            table.add_row(run.run_id, run.kind, "-" if run.task_id is None else str(run.task_id),
                          self.outcomes.get(run.run_id, "-"), judge, key=run.run_id)
        self.query_one("#runs-status", Static).update(f"{len(self.ctx.bundle.runs)} runs")

    def state_changed(self, reason: str) -> None:
        if reason == "run-saved":
            self.ctx.reload()
            self.fill_runs()

    # ----------------------------------------------------------------- replay

    @on(DataTable.RowSelected, "#runs-table")
    def _replay_selected(self, event: DataTable.RowSelected) -> None:
        run = next((r for r in self.ctx.bundle.runs if r.run_id == str(event.row_key.value)), None)
        if run is not None:
            self.current_run = run
            self.query_one("#runs-status", Static).update(f"replaying {run.run_id} …")
            self.run_replay(run)

    @work(thread=True, exclusive=True, group="runs-replay", exit_on_error=False, description="Replaying the run")
    def run_replay(self, run) -> None:
        from workbench.trajectory.awm_trajectory import load_run_file
        from workbench.trajectory.replay import Replay

        session = self.ctx.ensure_session()
        catalogue = None
        try:
            from workbench.trajectory.catalogue import render_catalogue as catalogue  # type: ignore[no-redef]
        except ImportError:
            pass
        replay = Replay.run(session, load_run_file(run.trajectory_path), catalogue=catalogue)
        self.app.call_from_thread(self._show_replay, replay)
        self.post_message(StateChanged("replay"))

    def _show_replay(self, replay) -> None:
        self.replay = replay
        table = self.query_one("#steps-table", DataTable)
        table.clear()
        for s in replay.steps:
            result = "DIVERGED" if s.diverged else ("error" if s.is_error else ("-" if s.recorded.kind != "call" else "ok"))
            rows = s.diff.rows_changed if s.diff is not None else 0
            table.add_row(str(s.index), s.tool or s.recorded.kind, result, str(rows) if rows else "", key=str(s.index))
        n = len(replay.steps)
        status = self.query_one("#runs-status", Static)
        status.update(f"{self.current_run.run_id}: {n} steps, {len(replay.divergences)} diverged  "
                      "(w/e/d jump, x fork, v verify)")
        status.tooltip = f"replayed in {replay.seconds * 1000:.0f} ms"
        table.focus()
        if n:
            table.move_cursor(row=0)
            self._show_step(0)

    @on(DataTable.RowHighlighted, "#steps-table")
    def _step_highlighted(self, event: DataTable.RowHighlighted) -> None:
        if self.replay is None or event.row_key is None:
            return
        k = int(str(event.row_key.value))
        self._show_step(k)
        self.goto_state(k)

    @work(thread=True, exclusive=True, group="runs-goto", exit_on_error=False, description="Restoring the step's state")
    def goto_state(self, k: int) -> None:
        self.replay.goto(k)
        self.post_message(StateChanged("replay-step"))

    def _show_step(self, k: int) -> None:
        s = self.replay.steps[k]
        lines = [f"step {s.index}: {s.recorded.kind} {s.tool or ''}"]
        if s.recorded.kind == "call":
            lines.append("arguments: " + json.dumps(s.recorded.arguments, ensure_ascii=False, indent=2))
        if s.recorded.problems:
            lines.append("recording problems: " + "; ".join(s.recorded.problems))
        if s.note:
            lines.append(s.note)
        if s.outcome is not None and s.outcome.exception:
            where = "; ".join(f"server.py:{f['line']} {f['code']}" for f in s.outcome.server_lines[-2:])
            lines.append(f"server exception: {s.outcome.exception} {where}")
        if s.diverged:
            lines.append("DIVERGED from the recording")
            lines.append("recorded:\n" + (s.recorded.observation or "(nothing)"))
            lines.append("replayed:\n" + (s.observation or "(nothing)"))
        else:
            lines.append("observation:\n" + (s.observation or s.recorded.observation or "(none)"))
        lines.append("rows changed:\n" + (render_diff(s.diff) if s.diff is not None else "(no call)"))
        self.query_one("#step-text", Static).update("\n".join(lines))

    def _selected_step(self) -> int | None:
        if self.replay is None or not self.replay.steps:
            return None
        table = self.query_one("#steps-table", DataTable)
        return table.cursor_row

    def _jump(self, finder) -> None:
        k = self._selected_step()
        if k is None:
            return
        target = finder(k)
        if target is None:
            self.notify("No further step of that kind.", severity="warning")
            return
        self.query_one("#steps-table", DataTable).move_cursor(row=target)

    def action_next_write(self) -> None:
        if self.replay:
            self._jump(self.replay.next_write)

    def action_next_error(self) -> None:
        if self.replay:
            self._jump(self.replay.next_error)

    def action_next_divergence(self) -> None:
        if self.replay:
            self._jump(self.replay.next_divergence)

    # ----------------------------------------------------------------- fork

    def action_fork(self) -> None:
        k = self._selected_step()
        if k is None or self.replay.steps[k].recorded.kind != "call":
            self.notify("Select a call step to fork from.", severity="warning")
            return
        from workbench.ui.screens.modals import PromptModal

        rec = self.replay.steps[k].recorded
        current = json.dumps(rec.arguments, ensure_ascii=False)

        def done(value: str | None) -> None:
            if value is None:
                return
            try:
                args = json.loads(value)
                assert isinstance(args, dict)
            except (ValueError, AssertionError):
                self.app.show_error("Fork", "The arguments must be a JSON object.")
                return
            self.fork_worker(k, args)

        self.app.push_screen(PromptModal(f"Fork from step {k} ({rec.tool}): arguments as JSON", current), done)

    @work(thread=True, exclusive=True, group="runs-fork", exit_on_error=False, description="Forking the run")
    def fork_worker(self, k: int, args: dict) -> None:
        from workbench.trajectory.writer import new_run_id, write_run

        traj, state = self.replay.fork(k, args)
        run_id = new_run_id("fork", traj.get("task_id"))
        session = self.ctx.session
        write_run(self.ctx.path, run_id, traj, {"kind": "human", "task_id": traj.get("task_id"),
                                                "forked_from": self.current_run.run_id, "step": k},
                  session.instance.initial.data, state.snapshot.data)
        self.post_message(StateChanged("run-saved"))
        self.app.call_from_thread(self.notify, f"Forked into runs/{run_id}")

    # ----------------------------------------------------------------- verify at a step

    def action_verify_here(self) -> None:
        k = self._selected_step()
        if k is None or self.current_run is None or self.current_run.task_id is None:
            self.notify("Replay a run of a task first.", severity="warning")
            return
        self.verify_worker(k)

    @work(thread=True, exclusive=True, group="runs-verify", exit_on_error=False, description="Running the verifier")
    def verify_worker(self, k: int) -> None:
        from workbench.verify.sandbox import run_verifier

        run = self.current_run
        active = self.ctx.bundle.active_verifiers()
        found = [v for (idx, _mode), v in active.items() if idx == run.task_id]
        if not found:
            self.app.call_from_thread(self.notify, f"Task {run.task_id} has no verifier.", severity="warning")
            return
        v = found[0]
        state = self.replay.state_at(k)
        out = run_verifier(v.code, v.mode, self.replay.initial.snapshot.data, state.snapshot.data,
                           self.replay.trajectory.final_answer, function=v.function)
        label = out.reward_type or out.status
        self.outcomes[run.run_id] = f"{label}@{k}"
        text = json.dumps(out.to_json(), ensure_ascii=False, indent=2, default=str)
        self.app.call_from_thread(self.fill_runs)
        from workbench.ui.screens.modals import TextModal

        self.app.call_from_thread(self.app.push_screen, TextModal(f"Verifier of task {run.task_id} at step {k}", text))
