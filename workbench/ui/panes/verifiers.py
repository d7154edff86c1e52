"""Verifiers: per task the code, mode and criteria; run it on any run's databases or the live
instance; the outcome, the evidence or the traceback with the failing line marked; sanity; edit
in $EDITOR with re-runs on save (watchfiles) against every run of the task, showing what changed.

Keys: r run on the selected target, s sanity for the task, o open in $EDITOR, a re-run on all runs.
"""

from __future__ import annotations

import json
import os
import shlex
import subprocess
from pathlib import Path

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.widgets import DataTable, Label, Select, Static, TextArea

from workbench.ui.workers import ShowsWorkerErrors

LIVE = "__live__"
NOTHING = "__nothing__"


def outcome_label(out) -> str:
    if out.status != "ok":
        return out.status
    return str(out.reward_type) if out.mode == "code" else "evidence"


class VerifiersPane(ShowsWorkerErrors, Vertical):
    BINDINGS = [
        Binding("r", "run_selected", "Run"),
        Binding("a", "run_all", "Run on all runs"),
        Binding("s", "sanity", "Sanity"),
        Binding("o", "open_editor", "Edit in $EDITOR"),
    ]
    DEFAULT_CSS = """
    VerifiersPane #verifiers-body { height: 1fr; }
    VerifiersPane #verifiers-left { width: 30; }
    VerifiersPane #verifiers-table { height: 1fr; }
    VerifiersPane #verifiers-right { width: 1fr; }
    VerifiersPane #verifier-code { height: 2fr; min-height: 5; }
    VerifiersPane #verifier-bar { height: 3; }
    VerifiersPane #verifier-target { width: 1fr; }
    VerifiersPane #verifier-outcome { height: 1fr; min-height: 5; border-top: solid $primary; }
    VerifiersPane #verifier-meta { height: auto; max-height: 3; color: $text-muted; }
    """

    def __init__(self, ctx, **kw) -> None:
        super().__init__(**kw)
        self.ctx = ctx
        self.add_class("pane")
        self.selected: tuple[int, str] | None = None
        self.last_outcomes: dict[tuple[int, str], dict[str, str]] = {}
        self._pool = None

    def compose(self) -> ComposeResult:
        with Horizontal(id="verifiers-body"):
            with Vertical(id="verifiers-left"):
                yield DataTable(id="verifiers-table", cursor_type="row", zebra_stripes=True)
            with Vertical(id="verifiers-right"):
                yield Static("", id="verifier-meta", markup=False)
                yield TextArea.code_editor("", language="python", read_only=True, id="verifier-code")
                with Horizontal(id="verifier-bar"):
                    yield Select([], prompt="run on…", id="verifier-target", allow_blank=True)
                with VerticalScroll(id="verifier-outcome"):
                    yield Static("r runs the verifier on the chosen databases; a re-runs it on every run of the task; "
                                 "s checks sanity; o edits it in $EDITOR (re-runs on save).", id="verifier-result",
                                 markup=False)

    def on_mount(self) -> None:
        table = self.query_one("#verifiers-table", DataTable)
        table.add_column("task", key="task")
        table.add_column("mode", key="mode")
        table.add_column("last", key="last")
        self.fill_table()
        self.watch_files()

    def focus_default(self) -> None:
        self.query_one("#verifiers-table", DataTable).focus()

    def fill_table(self) -> None:
        """Add the rows once; afterwards only the "last" column is updated (the cursor stays put)."""
        table = self.query_one("#verifiers-table", DataTable)
        for (idx, mode), _v in sorted(self.ctx.bundle.active_verifiers().items()):
            last = self.last_outcomes.get((idx, mode), {})
            summary = ", ".join(sorted(set(last.values()))) if last else ""
            key = f"{idx}:{mode}"
            if key in table.rows:
                table.update_cell(key, "last", summary)
            else:
                table.add_row(str(idx), mode, summary, key=key)

    def _verifier(self):
        if self.selected is None:
            return None
        return self.ctx.bundle.active_verifiers().get(self.selected)

    @on(DataTable.RowHighlighted, "#verifiers-table")
    def _highlighted(self, event: DataTable.RowHighlighted) -> None:
        if event.row_key is None:
            return
        idx, mode = str(event.row_key.value).split(":")
        self.selected = (int(idx), mode)
        self.show_verifier()

    def show_verifier(self) -> None:
        v = self._verifier()
        if v is None:
            return
        idx = v.task_idx
        criteria = {k: v.meta[k] for k in ("success_criteria", "failure_criteria") if k in v.meta}
        meta = f"task {idx} · {v.mode} mode · {v.function} · verifiers/{v.file}\n{self.ctx.bundle.task_text(idx) or ''}"
        if criteria:
            meta += "\n" + " | ".join(f"{k.split('_')[0]}: {val}" for k, val in criteria.items())
        self.query_one("#verifier-meta", Static).update(meta)
        self.query_one("#verifier-code", TextArea).load_text(v.code or "# (no code)")
        options = [("the live instance (final = now)", LIVE), ("do-nothing run (final = initial)", NOTHING)]
        options += [(f"run {r.run_id} ({r.kind})", r.run_id) for r in self.ctx.bundle.runs if r.task_id == idx]
        select = self.query_one("#verifier-target", Select)
        select.set_options(options)
        select.value = options[2][1] if len(options) > 2 else NOTHING

    # ----------------------------------------------------------------- running

    def pool(self):
        if self._pool is None:
            from workbench.verify.sandbox import SandboxPool

            self._pool = SandboxPool(size=1)
        return self._pool

    def _databases(self, target: str):
        from workbench.db.build import build_bundle
        from workbench.verify.run_dbs import run_databases

        bundle = self.ctx.bundle
        if target == LIVE:
            session = self.ctx.ensure_session()
            return session.instance.initial.data, session.snapshot().snapshot.data, "", "the live instance"
        if target == NOTHING:
            data = build_bundle(bundle).data
            return data, data, "", "the do-nothing run"
        run = next(r for r in bundle.runs if r.run_id == target)
        dbs = run_databases(bundle, run, self.ctx.ensure_session())
        return dbs.initial, dbs.final, dbs.final_answer, f"run {run.run_id} ({dbs.source})"

    def action_run_selected(self) -> None:
        target = self.query_one("#verifier-target", Select).value
        if self._verifier() is None:
            self.notify("Select a verifier first.", severity="warning")
            return
        self.run_worker_on(NOTHING if target is Select.NULL else str(target))

    @work(thread=True, exclusive=True, group="verifier-run", exit_on_error=False, description="Running the verifier")
    def run_worker_on(self, target: str) -> None:
        v = self._verifier()
        initial, final, answer, label = self._databases(target)
        out = self.pool().run(v.code, v.mode, initial, final, answer, function=v.function)
        self.last_outcomes.setdefault((v.task_idx, v.mode), {})[target] = outcome_label(out)
        self.app.call_from_thread(self._show_outcome, out, label)
        self.app.call_from_thread(self.fill_table)

    def _show_outcome(self, out, label: str) -> None:
        lines = [f"on {label}: status {out.status}" + (f", reward {out.reward_type}" if out.mode == "code" else "")
                 + f"  ({out.duration_ms:.0f} ms)"]
        if out.status == "ok":
            lines.append(json.dumps(out.value, indent=2, ensure_ascii=False, default=str))
        if out.error_lines:
            f = out.error_lines[-1]
            lines.append(f"failing line {f['line']} in {f['function']}: {f['code']}")
            self._mark_line(f["line"])
        if out.traceback:
            lines.append(out.traceback.rstrip())
        if out.stdout:
            lines.append("stdout:\n" + out.stdout[-2000:])
        self.query_one("#verifier-result", Static).update("\n".join(lines))

    def _mark_line(self, line: int) -> None:
        from textual.widgets.text_area import Selection

        code = self.query_one("#verifier-code", TextArea)
        row = max(0, line - 1)
        text_line = code.document.get_line(row) if row < code.document.line_count else ""
        code.selection = Selection((row, 0), (row, len(text_line)))
        code.scroll_cursor_visible()

    def action_run_all(self) -> None:
        if self._verifier() is not None:
            self.run_on_all_runs("manual")

    @work(thread=True, exclusive=True, group="verifier-all", exit_on_error=False, description="Re-running the verifier")
    def run_on_all_runs(self, reason: str) -> None:
        """Run the selected verifier on every run of its task (and the do-nothing run); show what changed."""
        self.ctx.reload()
        v = self._verifier()
        if v is None:
            return
        key = (v.task_idx, v.mode)
        before = dict(self.last_outcomes.get(key, {}))
        after: dict[str, str] = {}
        rows = []
        for target in [NOTHING] + [r.run_id for r in self.ctx.bundle.runs if r.task_id == v.task_idx]:
            initial, final, answer, label = self._databases(target)
            out = self.pool().run(v.code, v.mode, initial, final, answer, function=v.function)
            after[target] = outcome_label(out)
            old = before.get(target)
            changed = old is not None and old != after[target]
            rows.append(f"{'CHANGED ' if changed else '        '}{label}: {old or '-'} -> {after[target]}"
                        + (f"  [{out.exception}]" if out.exception else ""))
        self.last_outcomes[key] = after
        text = f"re-run ({reason}) on {len(rows)} targets:\n" + "\n".join(rows)
        self.app.call_from_thread(self.query_one("#verifier-result", Static).update, text)
        self.app.call_from_thread(self.fill_table)
        self.app.call_from_thread(self.query_one("#verifier-code", TextArea).load_text, v.code or "")

    def action_sanity(self) -> None:
        self.sanity_worker()

    @work(thread=True, exclusive=True, group="verifier-sanity", exit_on_error=False, description="Sanity checks")
    def sanity_worker(self) -> None:
        from workbench.verify.sanity import check_env

        res = check_env(self.ctx.bundle, self.pool())
        lines = [f"task {t.task_idx} ({t.mode}): do-nothing {t.do_nothing}; reference {t.reference or '-'}"
                 + ("".join(f"\n   ! {p}" for p in t.problems)) for t in res.tasks]
        self.app.call_from_thread(self.query_one("#verifier-result", Static).update,
                                  ("sanity: ok\n" if res.ok else "sanity: PROBLEMS\n") + "\n".join(lines))

    # ----------------------------------------------------------------- editing

    def action_open_editor(self) -> None:
        v = self._verifier()
        if v is None or not v.file:
            return
        path = self.ctx.path / "verifiers" / v.file
        editor = os.environ.get("VISUAL") or os.environ.get("EDITOR") or "vi"
        with self.app.suspend():
            subprocess.call([*shlex.split(editor), str(path)])
        # The watcher re-runs on save; this covers editors that replace the file atomically.
        self.run_on_all_runs("edited")

    @work(exclusive=True, group="verifier-watch", exit_on_error=False, description="Watching verifier files")
    async def watch_files(self) -> None:
        from watchfiles import awatch

        folder = self.ctx.path / "verifiers"
        if not folder.is_dir():
            return
        async for changes in awatch(folder, debounce=200, step=50):
            v = self._verifier()
            if v is None:
                continue
            if any(Path(p).name == v.file for _kind, p in changes):
                self.notify(f"verifiers/{v.file} changed: re-running on every run of task {v.task_idx}")
                self.run_on_all_runs("saved")

    def on_unmount(self) -> None:
        if self._pool is not None:
            self._pool.close()
