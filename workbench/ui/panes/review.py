"""Review: record a decision on the environment, a stage, a task, a tool, a verifier or a run.

Decisions are appended to the bundle's reviews.jsonl by the core (``workbench.review.decisions``),
with the hash of the artifact judged; the list marks a decision stale when that artifact changed.
"""

from __future__ import annotations

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.widgets import Button, Checkbox, DataTable, Input, Label, Select, Static

from workbench.review.taxonomy import BUG_CATEGORIES, SEVERITIES, VERDICTS
from workbench.ui.workers import ShowsWorkerErrors


def review_targets(bundle) -> list[tuple[str, str]]:
    """Every target a decision can name in this bundle, as (label, target) options."""
    from workbench.bundle.model import STAGES
    from workbench.bundle.stats import spec_operation_ids

    out = [("env: the whole environment", "env")]
    out += [(f"stage: {s}", f"stage:{s}") for s in STAGES]
    for t in bundle.tasks or []:
        text = str(t.get("task", ""))
        out.append((f"task {t['id']}: {text[:50]}", f"task:{t['id']}"))
    for (idx, mode) in sorted(bundle.active_verifiers()):
        out.append((f"verifier {idx} ({mode})", f"verifier:{idx}:{mode}"))
    for op in spec_operation_ids(bundle.spec):
        out.append((f"tool: {op}", f"tool:{op}"))
    for r in bundle.runs:
        out.append((f"run: {r.run_id} ({r.kind})", f"run:{r.run_id}"))
    return out


class ReviewPane(ShowsWorkerErrors, Vertical):
    BINDINGS = [Binding("ctrl+s", "record", "Record decision")]
    DEFAULT_CSS = """
    ReviewPane #review-body { height: 1fr; }
    ReviewPane #review-list { width: 1fr; min-width: 30; }
    ReviewPane #review-form { width: 1fr; min-width: 34; padding: 0 1; }
    ReviewPane #review-form Select, ReviewPane #review-form Input { margin-bottom: 0; }
    ReviewPane #review-problems { color: $warning; height: auto; }
    ReviewPane #review-form Label { margin-top: 1; }
    """

    def __init__(self, ctx, **kw) -> None:
        super().__init__(**kw)
        self.ctx = ctx
        self.add_class("pane")

    def compose(self) -> ComposeResult:
        with Horizontal(id="review-body"):
            with Vertical(id="review-list"):
                yield Label("Decisions (latest per target; stale = the artifact changed since)")
                yield DataTable(id="review-table", cursor_type="row", zebra_stripes=True)
                yield Static("", id="review-problems", markup=False)
            with VerticalScroll(id="review-form"):
                yield Label("Target")
                yield Select(review_targets(self.ctx.bundle), value="env", allow_blank=False, id="review-target")
                yield Label("Verdict")
                yield Select([(v, k) for k, v in VERDICTS.items()], value="accept", allow_blank=False,
                             id="review-verdict")
                yield Label("Bug category")
                yield Select([(v, k) for k, v in BUG_CATEGORIES.items()], prompt="(none)", id="review-category")
                yield Label("Severity")
                yield Select([(v, k) for k, v in SEVERITIES.items()], prompt="(none)", id="review-severity")
                yield Checkbox("blocks the task", id="review-blocks")
                yield Label("Note")
                yield Input(placeholder="what you saw, how to reproduce", id="review-note")
                yield Button("Record decision (ctrl+s)", variant="primary", id="review-record")

    def on_mount(self) -> None:
        table = self.query_one("#review-table", DataTable)
        table.add_columns("target", "verdict", "category", "reviewer", "stale")
        self.load_log()

    @work(thread=True, exclusive=True, group="review-load", exit_on_error=False, description="Reading reviews.jsonl")
    def load_log(self) -> None:
        from workbench.review.decisions import load_decisions

        log = load_decisions(self.ctx.path)
        current = log.current(self.ctx.path)
        self.app.call_from_thread(self._show, current, log.problems)

    def _show(self, current, problems) -> None:
        table = self.query_one("#review-table", DataTable)
        table.clear()
        for target, cur in current.items():
            d = cur.decision
            table.add_row(target, d.verdict, d.category or "", d.reviewer, "stale" if cur.stale else "",
                          key=target)
        text = "\n".join(f"reviews.jsonl line {n}: {msg}" for n, msg in problems)
        self.query_one("#review-problems", Static).update(text)

    def prefill(self, target: str) -> None:
        """Point the form at ``target`` (other tabs use this to review what they show)."""
        select = self.query_one("#review-target", Select)
        options = {t for _, t in review_targets(self.ctx.bundle)}
        if target in options:
            select.value = target

    @on(Button.Pressed, "#review-record")
    def _record_pressed(self) -> None:
        self.action_record()

    def action_record(self) -> None:
        target = self.query_one("#review-target", Select).value
        verdict = self.query_one("#review-verdict", Select).value
        category = self.query_one("#review-category", Select).value
        severity = self.query_one("#review-severity", Select).value
        fields = {
            "category": None if category is Select.NULL else category,
            "severity": None if severity is Select.NULL else severity,
            "blocks_task": self.query_one("#review-blocks", Checkbox).value,
            "note": self.query_one("#review-note", Input).value,
        }
        self.record_worker(str(target), str(verdict), fields)

    @work(thread=True, exclusive=True, group="review-record", exit_on_error=False, description="Recording the decision")
    def record_worker(self, target: str, verdict: str, fields: dict) -> None:
        from workbench.review.decisions import record_decision

        d = record_decision(self.ctx.path, target, verdict, **fields)
        self.app.call_from_thread(self.notify, f"Recorded {d.verdict} on {d.target} by {d.reviewer}.")
        self.app.call_from_thread(self.query_one("#review-note", Input).clear)
        self.load_log()
