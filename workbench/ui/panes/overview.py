"""Overview: the scenario, the Table 2 numbers beside the paper's, check and sanity results, decisions."""

from __future__ import annotations

from textual import work
from textual.app import ComposeResult
from textual.containers import Horizontal, VerticalScroll
from textual.widgets import DataTable, Label, Static

from workbench.bundle.stats import PAPER_TABLE2, env_stats
from workbench.ui.workers import ShowsWorkerErrors


class OverviewPane(ShowsWorkerErrors, VerticalScroll):
    DEFAULT_CSS = """
    OverviewPane { padding: 0 1; }
    OverviewPane .section { text-style: bold; margin-top: 1; color: $accent; }
    OverviewPane #overview-description { color: $text; }
    OverviewPane #overview-numbers { height: auto; max-height: 12; }
    OverviewPane #overview-status { height: auto; }
    OverviewPane Horizontal { height: auto; }
    """

    def __init__(self, ctx, **kw) -> None:
        super().__init__(**kw)
        self.ctx = ctx
        self.add_class("pane")

    def compose(self) -> ComposeResult:
        b = self.ctx.bundle
        yield Label(f"{b.name}  [{b.slug}]  reference_time {b.reference_time}", classes="section", markup=False)
        yield Static(str(b.env.get("description") or "(no description)"), id="overview-description", markup=False)
        yield Label("Numbers beside the AWM paper's means (Table 2)", classes="section")
        yield DataTable(id="overview-numbers", cursor_type="none", show_cursor=False)
        yield Label("Status", classes="section")
        yield Static("", id="overview-status", markup=False)
        yield Label("Problems in the bundle", classes="section")
        yield Static("\n".join(str(p) for p in self.ctx.problems) or "none", id="overview-problems", markup=False)

    def on_mount(self) -> None:
        s = env_stats(self.ctx.bundle)
        t = self.query_one("#overview-numbers", DataTable)
        t.add_columns("metric", "this env", "paper mean", "paper median", "paper p90")
        for key, label in (("tables", "tables"), ("sample_records", "sample records"), ("tools", "tools"),
                           ("code_lines", "server lines")):
            p = PAPER_TABLE2[key]
            t.add_row(label, f"{getattr(s, key):,}", f"{p['mean']:,}", f"{p['median']:,}", f"{p['p90']:,}")
        t.add_row("tasks", str(s.tasks), "10", "", "")
        t.add_row("verifiers", f"{s.verifiers_code} code / {s.verifiers_sql} sql", "", "", "")
        t.add_row("runs", str(s.runs), "", "", "")
        self.refresh_status()

    @work(thread=True, exclusive=True, group="overview", exit_on_error=False)
    def refresh_status(self) -> None:
        from workbench.runtime.check import load_check_state
        from workbench.ui.statuses import review_status, sanity_state

        lib = self.ctx.path.parent
        lines = []
        c = load_check_state(lib).get(self.ctx.bundle.slug)
        if c is None:
            lines.append("check: not run (workbench check, or ctrl+p 'Run check on this environment')")
        else:
            lines.append(f"check: {'ok' if c['ok'] else 'FAIL'} ({c.get('time', '')}); smoke {c.get('smoke')}")
            lines.extend(f"  {p}" for p in c.get("problems", [])[:12])
        s = sanity_state(lib).get(self.ctx.bundle.slug)
        if s is None:
            lines.append("sanity: not run (workbench sanity, or ctrl+p 'Run sanity on this environment')")
        else:
            lines.append(f"sanity: {'ok' if s.get('ok') else 'problems'}")
            lines.extend(f"  {p}" for p in s.get("problems", [])[:12])
        label, details = review_status(self.ctx.path)
        lines.append(f"review: {label}" + (f"; bug categories: {', '.join(details['categories'])}"
                                           if details.get("categories") else ""))
        self.app.call_from_thread(self.query_one("#overview-status", Static).update, "\n".join(lines))

    def session_ready(self) -> None:
        s = self.ctx.session
        if s is not None and s.startup_diff is not None and not s.startup_diff.empty:
            self.notify("Importing server.py changed the database (e.g. create_all added tables).",
                        severity="warning")

    def session_failed(self, error: str) -> None:
        from workbench.ui.screens.modals import ErrorModal

        self.app.push_screen(ErrorModal("The environment failed to start", error))

    def state_changed(self, reason: str) -> None:
        if reason in ("check", "sanity"):
            self.refresh_status()
