"""Tools: the catalogue, a form per tool schema, the result, the rows a call changed, the protocol log.

Every call made here runs on the workspace's live session (in a thread worker), is recorded in the
environment's human run, and posts ``StateChanged`` so the panes showing the database refresh. The
human run can be saved as a run of kind ``human`` or ``reference``; a reset (here or ``ctrl+r``)
puts the database back to its initial state and clears the human run, so a saved run always
starts from the initial database.

Durations are shown in the status line's tooltip and the protocol log, not in the status text, so
the same calls always draw the same screen.
"""

from __future__ import annotations

import json
import time
from typing import Any

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.content import Content
from textual.events import Resize
from textual.markup import escape
from textual.widgets import Button, Input, Label, Log, OptionList, Static
from textual.widgets.option_list import Option
from textual.worker import Worker, WorkerState

from workbench.ui.context import StateChanged
from workbench.ui.widgets.json_form import FormError, JsonForm
from workbench.ui.widgets.row_diff import RowDiff
from workbench.ui.workers import ShowsWorkerErrors

NARROW_BELOW = 110
"""Pane widths below this collapse the catalogue to names and stack the result above the diff."""
CATALOGUE_WIDE = 38
CATALOGUE_NARROW = 24
GROUPS = ("tools-call", "tools-reset", "tools-save", "tools-ask")


def first_line(text: str) -> str:
    return next((line.strip() for line in (text or "").splitlines() if line.strip()), "")


def short_description(text: str) -> str:
    """The summary and description of a fastapi-mcp tool, without its '### Responses' appendix."""
    return (text or "").split("\n### Responses")[0].strip()


def pretty_result(text: str) -> str:
    """JSON results indented; anything else as it came."""
    try:
        return json.dumps(json.loads(text), indent=2, ensure_ascii=False)
    except (ValueError, TypeError):
        return text


def outcome_status(out: Any) -> tuple[str, bool, str]:
    """``(headline, ok, details)`` of a ``CallOutcome``: ``("HTTP 500", False, "the server raised …")``."""
    if not out.is_error:
        return "ok", True, f"HTTP {out.status}" if out.status else ""
    kind = out.error_kind
    if kind == "http":
        return (f"HTTP {out.status}" if out.status else "error"), False, (
            "the server raised an exception" if out.exception else "the tool returned an error")
    if kind == "validation":
        return "validation", False, "the server rejected the arguments"
    if kind == "unknown-tool":
        return "unknown tool", False, ""
    if kind == "timeout":
        return "timeout", False, "the worker was restarted and the database restored"
    if kind == "crash":
        return "crash", False, "the worker died; it was restarted and the database restored"
    return (kind or "error"), False, ""


class ToolFilter(Input):
    """The catalogue's filter; ``down`` moves into the list."""

    BINDINGS = [Binding("down", "into_list", "Tool list", show=False)]

    def action_into_list(self) -> None:
        self.screen.query_one("#tools-list", OptionList).focus()


class ToolsPane(ShowsWorkerErrors, Horizontal):
    """The tool playground of one environment (F5 call, p protocol, v result, d docs, ctrl+s save run)."""

    QUIET_GROUPS = GROUPS  # handled by _tools_worker below (it also clears the busy state)
    BINDINGS = [
        Binding("f5,ctrl+enter", "call", "Call", key_display="F5", id="tools-call",
                tooltip="Call the selected tool with the form's arguments"),
        Binding("p", "toggle_protocol", "Protocol", id="tools-protocol",
                tooltip="Show or hide the protocol log"),
        Binding("v", "view_result", "Result", id="tools-view-result", tooltip="The last result, full screen"),
        Binding("d", "view_docs", "Docs", show=False, id="tools-view-docs",
                tooltip="The tool's full description and input schema"),
        Binding("t", "view_traceback", "Traceback", show=False, id="tools-view-traceback",
                tooltip="The server's traceback of the last call"),
        Binding("ctrl+s", "save_run", "Save run", id="tools-save-run",
                tooltip="Save the calls made here as a human or reference run"),
        Binding("slash", "focus_filter", "Filter", show=False, id="tools-filter"),
    ]
    DEFAULT_CSS = f"""
    ToolsPane {{ height: 1fr; }}
    ToolsPane #tools-catalogue {{ width: {CATALOGUE_WIDE}; height: 1fr; border-right: tall $panel; }}
    ToolsPane.-narrow #tools-catalogue {{ width: {CATALOGUE_NARROW}; }}
    ToolsPane #tools-filter {{ margin: 0 1 0 0; }}
    ToolsPane #tools-count {{ color: $text-muted; padding: 0 1; }}
    ToolsPane #tools-list {{ height: 1fr; }}
    ToolsPane #tools-main {{ width: 1fr; height: 1fr; padding: 0 1; }}
    ToolsPane #tools-title {{ text-style: bold; color: $text-accent; }}
    ToolsPane #tools-description {{ color: $text-muted; height: auto; max-height: 4; margin-bottom: 1; }}
    ToolsPane #tools-form-box {{ height: auto; }}
    ToolsPane #tools-actions {{ height: auto; margin-top: 1; }}
    ToolsPane #tools-actions Button {{ margin-right: 1; width: auto; min-width: 10; }}
    ToolsPane.-narrow JsonForm .json-form--label {{ width: 18; min-width: 18; }}
    ToolsPane.-narrow JsonForm .json-form--error {{ padding-left: 2; }}
    ToolsPane #tools-run {{ color: $text-muted; padding-left: 1; }}
    ToolsPane #tools-form-errors {{ display: none; color: $text-error; height: auto; }}
    ToolsPane.-form-invalid #tools-form-errors {{ display: block; }}
    ToolsPane #tools-status {{ height: auto; margin-top: 1; }}
    ToolsPane #tools-server {{ display: none; height: auto; color: $text-error; }}
    ToolsPane.-server-error #tools-server {{ display: block; }}
    ToolsPane #tools-output {{ display: none; height: auto; }}
    ToolsPane.-called #tools-output {{ display: block; }}
    ToolsPane.-narrow #tools-output, ToolsPane.-protocol #tools-output {{ layout: vertical; }}
    ToolsPane.-protocol #tools-diff-box {{ padding-left: 0; }}
    ToolsPane #tools-result-box {{ width: 1fr; height: auto; }}
    ToolsPane #tools-diff-box {{ width: 1fr; height: auto; padding-left: 1; }}
    ToolsPane.-narrow #tools-diff-box {{ padding-left: 0; }}
    ToolsPane .tools-section {{ text-style: bold; color: $text-accent; margin-top: 1; }}
    ToolsPane #tools-result-scroll {{ height: auto; max-height: 24; }}
    ToolsPane.-narrow #tools-result-scroll {{ max-height: 8; }}
    ToolsPane #tools-protocol {{ display: none; width: 45%; height: 1fr; border-left: tall $panel; }}
    ToolsPane.-protocol #tools-protocol {{ display: block; }}
    ToolsPane.-narrow.-protocol #tools-main {{ display: none; }}
    ToolsPane.-narrow.-protocol #tools-protocol {{ width: 1fr; }}
    ToolsPane #tools-protocol-title {{ text-style: bold; color: $text-accent; padding: 0 1; }}
    ToolsPane #tools-protocol-log {{ height: 1fr; }}
    """

    def __init__(self, ctx, **kw) -> None:
        super().__init__(**kw)
        self.ctx = ctx
        self.add_class("pane")
        self.tool: str | None = None
        """The tool whose form is shown."""
        self.last_outcome = None
        """The last ``CallOutcome`` made here (``None`` before the first call or after a reset)."""
        self.last_saved_path = None
        """Where the last saved run went."""
        self._busy = False
        self._narrow = False
        self._drafts: dict[str, dict[str, Any]] = {}
        self._protocol_count = 0

    # ------------------------------------------------------------------ layout

    def compose(self) -> ComposeResult:
        with Vertical(id="tools-catalogue"):
            yield ToolFilter(placeholder="/ filter tools", id="tools-filter", compact=True)
            yield Label("starting the environment…", id="tools-count")
            yield OptionList(id="tools-list", compact=True)
        with VerticalScroll(id="tools-main"):
            yield Label("Pick a tool on the left (enter or click).", id="tools-title", markup=False)
            yield Static("", id="tools-description", markup=False)
            yield Vertical(id="tools-form-box")
            with Horizontal(id="tools-actions"):
                yield Button("Call F5", id="tools-call", variant="primary", compact=True,
                             tooltip="Call the tool with these arguments (F5, or enter in a field)")
                yield Button("Reset DB", id="tools-reset", variant="warning", compact=True,
                             tooltip="Put the database back to its initial state; clears the human run")
                yield Button("Save run", id="tools-save", compact=True,
                             tooltip="Save the calls made here as a human or reference run (ctrl+s)")
                yield Label("", id="tools-run")
            yield Static("", id="tools-form-errors", markup=False)
            yield Static("", id="tools-status")
            yield Static("", id="tools-server", markup=False)
            with Horizontal(id="tools-output"):
                with Vertical(id="tools-result-box"):
                    yield Label("Result  (v: full screen)", classes="tools-section")
                    with VerticalScroll(id="tools-result-scroll"):
                        yield Static("", id="tools-result", markup=False)
                with Vertical(id="tools-diff-box"):
                    yield Label("Rows changed", classes="tools-section")
                    yield RowDiff(id="tools-diff")
        with Vertical(id="tools-protocol"):
            yield Label("Protocol log  (p hides)", id="tools-protocol-title")
            yield Log(id="tools-protocol-log", highlight=True)

    def on_mount(self) -> None:
        self._update_run_label()
        if self.ctx.session is not None:
            self.session_ready()
        elif self.ctx.session_error:
            self.session_failed(self.ctx.session_error)

    def on_resize(self, event: Resize) -> None:
        narrow = event.size.width < NARROW_BELOW
        if narrow != self._narrow:
            self._narrow = narrow
            self.set_class(narrow, "-narrow")
            self._fill_catalogue()

    # ------------------------------------------------------------------ hooks the workspace calls

    def session_ready(self) -> None:
        self._fill_catalogue()
        if self.tool is None:
            self.query_one("#tools-status", Static).update(Content.styled(
                "Pick a tool, fill its form, press F5. Calls are recorded as a human run (ctrl+s saves it).",
                "$text-muted"))

    def session_failed(self, error: str) -> None:
        self.query_one("#tools-count", Label).update("the environment failed to start")
        self.query_one("#tools-status", Static).update(
            Content.styled(f"The environment failed to start:\n{error}", "$text-error"))

    def state_changed(self, reason: str) -> None:
        if reason == "reset":
            if self.ctx.human_run is not None:
                self.ctx.human_run.clear()
            self.last_outcome = None
            self.remove_class("-called", "-server-error")
            self.query_one("#tools-status", Static).update(Content.styled(
                "Database reset to its initial state; the human run was cleared.", "$text-muted"))
            self.query_one("#tools-status", Static).tooltip = None
            self._update_run_label()
        if self.has_class("-protocol"):
            self._refresh_protocol()

    # ------------------------------------------------------------------ catalogue

    def _tools(self) -> list:
        s = self.ctx.session
        return list(s.tools) if s is not None else []

    def _fill_catalogue(self) -> None:
        tools = self._tools()
        if not tools and self.ctx.session is None:
            return
        terms = self.query_one("#tools-filter", Input).value.lower().split()
        shown = [t for t in tools
                 if all(term in f"{t.name} {first_line(t.description)}".lower() for term in terms)]
        ol = self.query_one("#tools-list", OptionList)
        keep = ol.highlighted_option.id if ol.highlighted_option is not None else self.tool
        ol.clear_options()
        room = CATALOGUE_WIDE - 4
        for t in shown:
            if self._narrow:
                fit = CATALOGUE_NARROW - 3
                prompt = Content(t.name if len(t.name) <= fit else t.name[: fit - 1] + "…")
            else:
                line = first_line(t.description)
                line = line if len(line) <= room else line[: room - 1] + "…"
                prompt = Content.assemble((t.name, "bold"), "\n", (line, "$text-muted"))
            ol.add_option(Option(prompt, id=t.name))
        ids = [t.name for t in shown]
        if shown:
            ol.highlighted = ids.index(keep) if keep in ids else 0
        count = f"{len(tools)} tools" if len(shown) == len(tools) else f"{len(shown)} of {len(tools)} tools"
        self.query_one("#tools-count", Label).update(count)

    @on(Input.Changed, "#tools-filter")
    def _filter_changed(self, event: Input.Changed) -> None:
        event.stop()
        self._fill_catalogue()

    @on(Input.Submitted, "#tools-filter")
    async def _filter_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        ol = self.query_one("#tools-list", OptionList)
        if ol.highlighted_option is not None and ol.highlighted_option.id:
            await self.show_tool(ol.highlighted_option.id)

    @on(OptionList.OptionSelected, "#tools-list")
    async def _tool_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        if event.option.id:
            await self.show_tool(event.option.id)

    def action_focus_filter(self) -> None:
        self.query_one("#tools-filter", Input).focus()

    # ------------------------------------------------------------------ the form

    def form(self) -> JsonForm | None:
        found = self.query("#tools-form")
        return found.first(JsonForm) if found else None

    async def show_tool(self, name: str, focus: bool = True) -> None:
        """Show a tool's description and form (keeping what was typed in each tool's form)."""
        session = self.ctx.session
        info = session.tool(name) if session is not None else None
        if info is None:
            return
        old = self.form()
        if old is not None and self.tool is not None:
            self._drafts[self.tool] = old.raw()
        self.tool = name
        self.query_one("#tools-title", Label).update(
            Content.assemble(name, ("   d: full description and schema", "$text-muted")))
        self.query_one("#tools-description", Static).update(
            short_description(info.description) or "(no description)")
        self.remove_class("-form-invalid")
        box = self.query_one("#tools-form-box", Vertical)
        await box.remove_children()
        form = JsonForm(info.input_schema, id="tools-form")
        await box.mount(form)
        if name in self._drafts:
            form.set_raw(self._drafts[name])
        if focus:
            if form.specs:
                form.focus_first()
            else:  # no arguments: enter on the focused Call button calls
                self.query_one("#tools-call", Button).focus()
        self.query_one("#tools-main", VerticalScroll).scroll_home(animate=False)

    @on(JsonForm.Submitted)
    def _form_submitted(self, event: JsonForm.Submitted) -> None:
        event.stop()
        self.action_call()

    # ------------------------------------------------------------------ calling

    def _set_busy(self, busy: bool, note: str = "") -> None:
        self._busy = busy
        self.set_class(busy, "-busy")
        for bid in ("#tools-call", "#tools-reset", "#tools-save"):
            self.query_one(bid, Button).disabled = busy
        if busy and note:
            self.query_one("#tools-status", Static).update(Content.styled(note, "$text-muted"))

    def _ready(self) -> bool:
        """A call, reset or save needs a running environment and no call in flight; says why not."""
        if self._busy:
            self.notify("Wait for the running call to finish.", severity="warning")
            return False
        if self.ctx.session is None:
            self.notify("The environment is not running yet.", severity="warning")
            return False
        return True

    def action_call(self) -> None:
        if not self._ready():
            return
        form = self.form()
        if self.tool is None or form is None:
            self.notify("Pick a tool first.", severity="warning")
            return
        try:
            args = form.value()
        except FormError as exc:
            n = len(exc.errors)
            self.query_one("#tools-form-errors", Static).update(
                f"Not sent: {n} field{'s' if n != 1 else ''} to fix.\n{exc}")
            self.add_class("-form-invalid")
            return
        self.remove_class("-form-invalid")
        self._set_busy(True, f"calling {self.tool}…")
        self.call_worker(self.tool, args)

    @work(thread=True, exclusive=True, group="tools-call", exit_on_error=False,
          description="Calling the tool")
    def call_worker(self, tool: str, arguments: dict[str, Any]) -> None:
        out = self.ctx.session.call(tool, arguments)
        if self.ctx.human_run is not None:
            self.ctx.human_run.record(out)
        self.app.call_from_thread(self._show_outcome, out)
        self.post_message(StateChanged("call"))

    def _show_outcome(self, out) -> None:
        self.last_outcome = out
        self._set_busy(False)
        headline, ok, details = outcome_status(out)
        rows = out.diff.rows_changed
        mark = ("✓ " if ok else "✗ ") + headline
        parts: list[tuple[str, str] | str] = [
            (f"{out.tool}: ", "bold"), (mark, f"bold {'$text-success' if ok else '$text-error'}")]
        changed = f"{rows} row{'s' if rows != 1 else ''} changed" if rows else "no rows changed"
        for extra in (details, changed):
            if extra:
                parts += [" · ", extra]
        status = self.query_one("#tools-status", Static)
        status.update(Content.assemble(*parts))
        server = f" (server {out.server_ms:.1f} ms)" if out.server_ms is not None else ""
        status.tooltip = f"took {out.duration_ms:.0f} ms{server}; logical clock step {out.after.step}"
        server_info = self._server_text(out)
        self.query_one("#tools-server", Static).update(server_info)
        self.set_class(bool(server_info), "-server-error")
        body = pretty_result(out.text) or "(empty result)"
        self.query_one("#tools-result", Static).update(
            Content.styled(body, "$text-error" if out.is_error else ""))
        self.query_one("#tools-diff", RowDiff).show(out.diff, empty="no changes")
        self.add_class("-called")
        self._update_run_label()
        if self.has_class("-protocol"):
            self._refresh_protocol()
        self.call_after_refresh(self._scroll_to_output)

    def _scroll_to_output(self) -> None:
        main = self.query_one("#tools-main", VerticalScroll)
        target = self.query_one("#tools-status", Static)
        if self._narrow:
            main.scroll_to_widget(target, animate=False, top=True)
        else:
            main.scroll_to_widget(self.query_one("#tools-output"), animate=False)

    @staticmethod
    def _server_text(out) -> str:
        if not (out.exception or out.server_lines):
            return ""
        lines = [f"server exception (workbench only; the agent saw the {out.status or 'error'}): "
                 f"{out.exception or '?'}"]
        for f in out.server_lines:
            lines.append(f"  server.py:{f.get('line')} in {f.get('function')}: {f.get('code')}")
        if out.traceback:
            lines.append("  t: full traceback")
        return "\n".join(lines)

    def _update_run_label(self) -> None:
        run = self.ctx.human_run
        n = len(run.calls) if run is not None else 0
        self.query_one("#tools-run", Label).update(f"human run: {n} call{'s' if n != 1 else ''}")

    # ------------------------------------------------------------------ reset

    @on(Button.Pressed, "#tools-call")
    def _call_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        self.action_call()

    @on(Button.Pressed, "#tools-reset")
    def _reset_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        self.action_reset()

    @on(Button.Pressed, "#tools-save")
    def _save_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        self.action_save_run()

    def action_reset(self) -> None:
        if not self._ready():
            return
        run = self.ctx.human_run
        if run is not None and run.calls:
            from workbench.ui.screens.modals import ConfirmModal

            n = len(run.calls)
            self.app.push_screen(
                ConfirmModal(f"Reset the database? The human run's {n} unsaved call{'s' if n != 1 else ''} "
                             "will be cleared. (y / esc)"),
                lambda yes: self._start_reset() if yes else None)
            return
        self._start_reset()

    def _start_reset(self) -> None:
        self._set_busy(True, "resetting the database…")
        self.reset_worker()

    @work(thread=True, exclusive=True, group="tools-reset", exit_on_error=False,
          description="Resetting the database")
    def reset_worker(self) -> None:
        self.ctx.session.reset()
        self.post_message(StateChanged("reset"))
        self.app.call_from_thread(self.notify, "Database reset to its initial state.")

    # ------------------------------------------------------------------ saving the human run

    def action_save_run(self) -> None:
        if self._busy:
            self.notify("Wait for the running call to finish.", severity="warning")
            return
        if self.ctx.human_run is None:
            self.notify("The environment is not running yet.", severity="warning")
            return
        self._ask_save()

    @work(exclusive=True, group="tools-ask", exit_on_error=False, description="Asking how to save the run")
    async def _ask_save(self) -> None:
        from workbench.ui.screens.modals import PromptModal

        run = self.ctx.human_run
        ntasks = len(self.ctx.bundle.tasks or [])
        n = len(run.calls)
        task_id: int | None = None
        value = "" if run.task_id is None else str(run.task_id)
        while True:
            answer = await self.app.push_screen_wait(PromptModal(
                f"Save the human run ({n} call{'s' if n != 1 else ''}). Task id"
                + (f" (0–{ntasks - 1})" if ntasks else "") + ", or empty for none:", value))
            if answer is None:
                return
            text = answer.strip()
            if text == "":
                break
            if text.isdigit() and (not ntasks or int(text) < ntasks):
                task_id = int(text)
                break
            self.notify(f"Not a task id: {text!r}", severity="error", markup=False)
            value = text
        final = await self.app.push_screen_wait(PromptModal("Final answer (the run's last message):"))
        if final is None:
            return
        value = "human"
        while True:
            kind = await self.app.push_screen_wait(
                PromptModal("Kind: human, or reference (the expected solution):", value))
            if kind is None:
                return
            k = kind.strip().lower()
            kinds = [c for c in ("human", "reference") if k and c.startswith(k)]
            if len(kinds) == 1:
                break
            self.notify("Kind is 'human' or 'reference'.", severity="error")
            value = kind
        self._set_busy(True, "saving the run…")
        self.save_worker(task_id, final, kinds[0])

    @work(thread=True, exclusive=True, group="tools-save", exit_on_error=False,
          description="Saving the human run")
    def save_worker(self, task_id: int | None, final_answer: str, kind: str) -> None:
        run = self.ctx.human_run
        run.task_id = task_id
        path = run.save(final_answer, kind=kind)
        self.app.call_from_thread(self._saved, path, kind)

    def _saved(self, path, kind: str) -> None:
        self._set_busy(False)
        self.last_saved_path = path
        self.query_one("#tools-status", Static).update(
            Content.styled(f"Saved the {kind} run: {path}", "$text-success"))
        self.notify(f"Saved the {kind} run to {path}", title="Run saved", markup=False)

    # ------------------------------------------------------------------ viewers

    def action_view_result(self) -> None:
        from workbench.ui.screens.modals import TextModal

        out = self.last_outcome
        if out is None:
            self.notify("No result yet.", severity="warning")
            return
        headline, _, _ = outcome_status(out)
        args = json.dumps(out.arguments, ensure_ascii=False)
        self.app.push_screen(TextModal(escape(f"{out.tool} {args} → {headline}"), pretty_result(out.text)))

    def action_view_traceback(self) -> None:
        from workbench.ui.screens.modals import TextModal

        out = self.last_outcome
        if out is None or not (out.traceback or out.exception):
            self.notify("The last call has no server traceback.", severity="warning")
            return
        self.app.push_screen(TextModal(escape(f"{out.tool}: server traceback (not shown to the agent)"),
                                       out.traceback or out.exception or ""))

    def action_view_docs(self) -> None:
        from workbench.ui.screens.modals import TextModal

        s = self.ctx.session
        info = s.tool(self.tool) if s is not None and self.tool else None
        if info is None:
            self.notify("Pick a tool first.", severity="warning")
            return
        body = (info.description or "(no description)") + "\n\nInput schema:\n" + json.dumps(
            info.input_schema, indent=2, ensure_ascii=False)
        self.app.push_screen(TextModal(escape(info.name), body))

    def action_toggle_protocol(self) -> None:
        self.toggle_class("-protocol")
        if self.has_class("-protocol"):
            self._refresh_protocol()

    def _refresh_protocol(self) -> None:
        log = self.query_one("#tools-protocol-log", Log)
        s = self.ctx.session
        entries = list(s.protocol_log) if s is not None else []
        if len(entries) < self._protocol_count:
            log.clear()
            self._protocol_count = 0
        lines: list[str] = []
        for i, e in enumerate(entries[self._protocol_count:], start=self._protocol_count + 1):
            lines.append(f"── #{i} {e.method}  {time.strftime('%H:%M:%S', time.localtime(e.at))}")
            lines += ("→ " + json.dumps(e.request, ensure_ascii=False, indent=2)).splitlines()
            if e.response is not None:
                lines += ("← " + json.dumps(e.response, ensure_ascii=False, indent=2)).splitlines()
            if e.error:
                lines.append(f"✗ {e.error}")
        self._protocol_count = len(entries)
        if lines:
            log.write_lines(lines)
        self.query_one("#tools-protocol-title", Label).update(
            f"Protocol log: {len(entries)} request{'s' if len(entries) != 1 else ''}  (p hides)")

    # ------------------------------------------------------------------ worker errors

    @on(Worker.StateChanged)
    def _tools_worker(self, event: Worker.StateChanged) -> None:
        w = event.worker
        if w.group not in GROUPS:
            return
        done = event.state in (WorkerState.SUCCESS, WorkerState.ERROR, WorkerState.CANCELLED)
        if done and w.group != "tools-ask":
            self._set_busy(False)
        if event.state == WorkerState.ERROR:
            err = w.error
            title = getattr(err, "title", None) or f"{w.description or w.name} failed"
            self.app.show_error(title, f"{type(err).__name__}: {err}")
