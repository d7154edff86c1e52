"""The Tools tab on real environments: catalogue, form, call, result, row diff, 500s, reset, log, runs."""

from __future__ import annotations

import asyncio
import json
import time
from pathlib import Path

from textual.widgets import Input, OptionList, Static
from textual.worker import WorkerState

from workbench.trajectory.awm_trajectory import agent_tool_name
from workbench.ui.app import WorkbenchApp
from workbench.ui.panes.tools import ToolsPane
from workbench.ui.screens.modals import ConfirmModal, ErrorModal, PromptModal, TextModal
from workbench.ui.screens.workspace import WorkspaceScreen
from workbench.ui.widgets.json_form import JsonForm
from workbench.ui.widgets.row_diff import RowDiff

ENV = "it_service_desk"
_BUSY = (WorkerState.PENDING, WorkerState.RUNNING)


def _ours(worker) -> bool:
    group = worker.group or ""
    return group in ("session", "reset") or group.startswith("tools-")


async def wait_idle(app, pilot, timeout: float = 60.0) -> None:
    """Wait for the session start, resets and the Tools pane's workers.

    Not ``conftest.settle``: other panes may run workers that never finish (file watchers).
    """
    deadline = time.monotonic() + timeout
    while True:
        await pilot.pause()
        busy = [w for w in app.workers if _ours(w) and w.state in _BUSY]
        if not busy:
            break
        assert time.monotonic() < deadline, f"still running: {busy}"
        await asyncio.sleep(0.05)
    await pilot.pause()


async def open_tools(app, pilot) -> ToolsPane:
    deadline = time.monotonic() + 60
    def started() -> bool:
        screen = app.screen
        return isinstance(screen, WorkspaceScreen) and bool(screen.ctx.session or screen.ctx.session_error)

    while not started():
        assert time.monotonic() < deadline, "the environment did not start"
        await asyncio.sleep(0.05)
        await pilot.pause()
    await wait_idle(app, pilot)
    app.screen.action_tab("tools")
    await pilot.pause()
    return app.screen.query_one(ToolsPane)


def text_of(widget) -> str:
    rendered = widget.render()
    return getattr(rendered, "plain", None) or str(rendered)


async def pick(pilot, pane: ToolsPane, query: str) -> None:
    """Filter the catalogue by typing, then take the first match with enter."""
    pane.query_one("#tools-filter", Input).focus()
    await pilot.pause()
    await pilot.press(*query)
    await pilot.press("enter")
    await pilot.pause()


async def call_update_ticket(pilot, pane: ToolsPane) -> None:
    await pick(pilot, pane, "update_t")
    assert pane.tool == "update_ticket"
    await pilot.press("1", "5", "tab", "tab", "tab", *"high")
    await pilot.press("f5")


async def test_call_from_the_form_shows_status_result_and_row_diff(sample_library: Path) -> None:
    app = WorkbenchApp(sample_library, open_env=ENV)
    async with app.run_test(size=(160, 50)) as pilot:
        pane = await open_tools(app, pilot)
        session = app.screen.ctx.session
        ol = pane.query_one("#tools-list", OptionList)
        assert ol.option_count == 31 and text_of(pane.query_one("#tools-count")) == "31 tools"

        pane.query_one("#tools-filter", Input).focus()
        await pilot.press(*"update_t")
        await pilot.pause()
        ids = [ol.get_option_at_index(i).id for i in range(ol.option_count)]
        assert ids == ["update_ticket", "update_ticket_status"]
        assert text_of(pane.query_one("#tools-count")) == "2 of 31 tools"
        await pilot.press("enter")
        await pilot.pause()
        assert pane.tool == "update_ticket"
        form = pane.query_one(JsonForm)
        assert app.focused is form.row("ticket_id").editor  # the form takes the focus
        assert "*" in text_of(form.row("ticket_id").query_one(".json-form--label"))
        assert "*" not in text_of(form.row("priority").query_one(".json-form--label"))

        before = len(session.protocol_log)
        await pilot.press("1", "5", "tab", "tab", "tab", *"high")
        assert form.raw()["priority"] == "high" and form.raw()["ticket_id"] == "15"
        await pilot.press("f5")
        await wait_idle(app, pilot)

        assert len(session.protocol_log) == before + 1
        assert session.protocol_log[-1].request["arguments"] == {"ticket_id": 15, "priority": "high"}
        status = text_of(pane.query_one("#tools-status", Static))
        assert status == "update_ticket: ✓ ok · HTTP 200 · 1 row changed"
        assert "ms" in str(pane.query_one("#tools-status", Static).tooltip)  # the duration is in the tooltip
        result = text_of(pane.query_one("#tools-result", Static))
        assert '"priority": "high"' in result and '"id": 15' in result
        diff = pane.query_one("#tools-diff", RowDiff).plain
        assert "tickets  1 updated" in diff
        assert "~ id=15" in diff
        assert "priority: 'medium' -> 'high'" in diff
        assert pane.has_class("-called") and not pane.has_class("-server-error")
        assert [c.tool for c in app.screen.ctx.human_run.calls] == ["update_ticket"]
        assert "1 call" in text_of(pane.query_one("#tools-run"))

        # v: the whole result in a modal
        pane.query_one("#tools-list").focus()
        await pilot.press("v")
        await pilot.pause()
        assert isinstance(app.screen, TextModal) and '"priority": "high"' in app.screen.text
        await pilot.press("escape")
        await pilot.pause()

        # p: the protocol log, newest last
        await pilot.press("p")
        await pilot.pause()
        assert pane.has_class("-protocol") and pane.query_one("#tools-protocol").display
        lines = pane.query_one("#tools-protocol-log").lines
        assert any("tools/call" in line for line in lines)
        assert any('"name": "update_ticket"' in line for line in lines)
        await pilot.press("p")
        await pilot.pause()
        assert not pane.has_class("-protocol")


async def test_validation_errors_are_shown_and_nothing_is_sent(sample_library: Path) -> None:
    app = WorkbenchApp(sample_library, open_env=ENV)
    async with app.run_test(size=(160, 50)) as pilot:
        pane = await open_tools(app, pilot)
        session = app.screen.ctx.session
        await pick(pilot, pane, "update_t")
        form = pane.query_one(JsonForm)
        before = len(session.protocol_log)

        # A letter typed into an integer field is refused as it is typed ...
        await pilot.press("x")
        assert form.row("ticket_id").editor.value == ""
        # ... so the required field is still empty: shown, and nothing sent.
        await pilot.press("f5")
        await wait_idle(app, pilot)
        assert len(session.protocol_log) == before
        assert pane.has_class("-form-invalid")
        errors = text_of(pane.query_one("#tools-form-errors", Static))
        assert "ticket_id: required: enter an integer" in errors
        assert form.row("ticket_id").has_class("-invalid")

        # A letter that got in anyway (pasted, say) is reported with what was expected.
        form.row("ticket_id").set_raw("12a")
        await pilot.pause()
        await pilot.press("f5")
        await wait_idle(app, pilot)
        assert len(session.protocol_log) == before
        errors = text_of(pane.query_one("#tools-form-errors", Static))
        assert 'ticket_id: expected an integer, got "12a"' in errors
        assert app.screen.ctx.human_run.calls == []

        # Fixed: the call goes out, a string exactly as typed (quotes and backslashes untouched).
        form.row("ticket_id").editor.focus()
        form.row("ticket_id").set_raw("")
        await pilot.press("1", "5", "tab")
        typed = 'Say "hi" to C:\\temp'
        await pilot.press(*typed)
        # Enter in a field calls too
        await pilot.press("enter")
        await wait_idle(app, pilot)
        assert len(session.protocol_log) == before + 1
        assert session.protocol_log[-1].request["arguments"] == {"ticket_id": 15, "subject": typed}
        assert not pane.has_class("-form-invalid") and not form.row("ticket_id").has_class("-invalid")
        assert "-> 'Say \"hi\" to C:\\temp'" in pane.query_one(RowDiff).plain  # stored exactly as typed


async def test_null_toggle_sends_null_not_an_empty_string(sample_library: Path) -> None:
    app = WorkbenchApp(sample_library, open_env=ENV)
    async with app.run_test(size=(160, 50)) as pilot:
        pane = await open_tools(app, pilot)
        session = app.screen.ctx.session
        await pick(pilot, pane, "update_ticket_status")
        await pilot.press("7", "tab", *"open", "tab")  # resolution_notes: nullable string
        await pilot.press("ctrl+n")
        await pilot.pause()
        form = pane.query_one(JsonForm)
        assert form.row("resolution_notes").is_null()
        assert form.value() == {"ticket_id": 7, "status": "open", "resolution_notes": None}
        await pilot.press("f5")
        await wait_idle(app, pilot)
        assert session.protocol_log[-1].request["arguments"] == {"ticket_id": 7, "status": "open",
                                                                 "resolution_notes": None}
        # Typing into a null field turns null off again.
        await pilot.press(*"ok")
        await pilot.pause()
        assert not form.row("resolution_notes").is_null() and form.raw()["resolution_notes"] == "ok"


async def test_planted_500_shows_the_status_and_the_server_line(sample_library: Path) -> None:
    app = WorkbenchApp(sample_library, open_env=ENV)
    async with app.run_test(size=(160, 50)) as pilot:
        pane = await open_tools(app, pilot)
        await pick(pilot, pane, "worklogs")
        assert pane.tool == "list_ticket_worklogs"
        await pilot.press("2", "0", "f5")
        await wait_idle(app, pilot)
        status = text_of(pane.query_one("#tools-status", Static))
        assert status.startswith("list_ticket_worklogs: ✗ HTTP 500")
        assert "the server raised an exception" in status
        assert pane.has_class("-server-error")
        server = text_of(pane.query_one("#tools-server", Static))
        assert "ZeroDivisionError: division by zero" in server
        assert "server.py:" in server
        assert "in list_ticket_worklogs: average = round(total / len(rows), 2)" in server
        assert "Status code: 500" in text_of(pane.query_one("#tools-result", Static))
        assert pane.query_one(RowDiff).plain == "no changes"
        pane.query_one("#tools-list").focus()
        await pilot.press("t")
        await pilot.pause()
        assert isinstance(app.screen, TextModal) and "ZeroDivisionError" in app.screen.text
        await pilot.press("escape")


async def test_reset_restores_the_database_and_clears_the_human_run(sample_library: Path) -> None:
    app = WorkbenchApp(sample_library, open_env=ENV)
    async with app.run_test(size=(160, 50)) as pilot:
        pane = await open_tools(app, pilot)
        ctx = app.screen.ctx
        await call_update_ticket(pilot, pane)
        await wait_idle(app, pilot)
        assert len(ctx.human_run.calls) == 1

        await pilot.click("#tools-reset")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmModal)  # unsaved calls would be lost
        await pilot.press("y")
        await wait_idle(app, pilot)
        assert ctx.human_run.calls == []
        assert "reset" in text_of(pane.query_one("#tools-status", Static))
        assert not pane.has_class("-called")

        await pick(pilot, pane, "get_ticket")
        assert pane.tool == "get_ticket"
        await pilot.press("1", "5", "f5")
        await wait_idle(app, pilot)
        assert '"priority": "medium"' in text_of(pane.query_one("#tools-result", Static))
        assert pane.query_one(RowDiff).plain == "no changes"

        # ctrl+r (the workspace's reset) clears the human run too.
        assert len(ctx.human_run.calls) == 1
        pane.query_one("#tools-list").focus()
        await pilot.press("ctrl+r")
        await wait_idle(app, pilot)
        assert ctx.human_run.calls == []


async def test_save_the_human_run_as_a_reference_run(sample_library: Path) -> None:
    app = WorkbenchApp(sample_library, open_env=ENV)
    async with app.run_test(size=(160, 50)) as pilot:
        pane = await open_tools(app, pilot)
        await call_update_ticket(pilot, pane)
        await wait_idle(app, pilot)

        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, PromptModal) and "Task id" in app.screen.question
        await pilot.press("2", "enter")
        await pilot.pause()
        assert isinstance(app.screen, PromptModal) and "Final answer" in app.screen.question
        await pilot.press(*"Raised INC-1015 to high.", "enter")
        await pilot.pause()
        assert isinstance(app.screen, PromptModal) and "Kind" in app.screen.question
        assert app.screen.query_one(Input).value == "human"
        await pilot.press(*"reference", "enter")  # the proposed value is selected, so typing replaces it
        await wait_idle(app, pilot)

        path = pane.last_saved_path
        assert path is not None and path.parent == sample_library / ENV / "runs"
        assert path.name.startswith("reference-")
        traj = json.loads((path / "trajectory.json").read_text(encoding="utf-8"))
        assert json.loads((path / "run.json").read_text(encoding="utf-8"))["kind"] == "reference"
        assert traj["task_id"] == 2 and traj["model"] == "reference"
        first, final = traj["trajectory"]
        call = first["tool_calls"][0]
        assert call["name"] == "call_tool"
        assert call["arguments"]["tool_name"] == agent_tool_name("update_ticket")
        assert json.loads(call["arguments"]["arguments"]) == {"ticket_id": 15, "priority": "high"}
        assert '"priority": "high"' in first["tool_response"]["content"]
        assert final["is_final"] and final["content"] == "Raised INC-1015 to high."
        assert (path / "initial.db").is_file() and (path / "final.db").is_file()
        assert any("Saved the reference run" in n.message for n in app._notifications)


async def test_narrow_terminal_collapses_the_catalogue(sample_library: Path) -> None:
    app = WorkbenchApp(sample_library, open_env=ENV)
    async with app.run_test(size=(80, 24)) as pilot:
        pane = await open_tools(app, pilot)
        assert pane.has_class("-narrow")
        assert pane.query_one("#tools-catalogue").outer_size.width == 24
        ol = pane.query_one("#tools-list", OptionList)
        assert all("\n" not in ol.get_option_at_index(i).prompt.plain for i in range(ol.option_count))
        await call_update_ticket(pilot, pane)
        await wait_idle(app, pilot)
        assert "priority: 'medium' -> 'high'" in pane.query_one(RowDiff).plain
        # The protocol log takes the whole width when shown.
        pane.query_one("#tools-list").focus()
        await pilot.press("p")
        await pilot.pause()
        assert not pane.query_one("#tools-main").display and pane.query_one("#tools-protocol").display
        await pilot.resize_terminal(160, 50)
        await pilot.pause()
        assert not pane.has_class("-narrow") and pane.query_one("#tools-main").display


async def test_array_argument_as_json_and_inserted_rows(sample_library: Path) -> None:
    app = WorkbenchApp(sample_library, open_env="procure_to_pay")
    async with app.run_test(size=(160, 50)) as pilot:
        pane = await open_tools(app, pilot)
        await pick(pilot, pane, "create_req")
        assert pane.tool == "create_requisition"
        form = pane.query_one(JsonForm)
        assert form.row("lines").spec.kind == "json"
        await pilot.press("3", "tab", *'Need "quotes" \\o/', "tab", "tab")
        assert app.focused is form.row("lines").editor  # needed_by's null toggle is not a tab stop
        await pilot.press(*'[{"item_id": 4, "quantity": "two"}]', "f5")
        await wait_idle(app, pilot)
        assert "lines: [0].quantity: expected a number, got the string \"two\"" in text_of(
            pane.query_one("#tools-form-errors", Static))
        form.row("lines").set_raw('[{"item_id": 4, "quantity": 2}]')
        await pilot.press("f5")
        await wait_idle(app, pilot)
        args = app.screen.ctx.session.protocol_log[-1].request["arguments"]
        assert args == {"cost_center_id": 3, "justification": 'Need "quotes" \\o/',
                        "lines": [{"item_id": 4, "quantity": 2}]}
        diff = pane.query_one(RowDiff).plain
        assert "requisitions  1 inserted" in diff and "requisition_lines  1 inserted" in diff
        assert "needed_by=NULL" in diff  # NULL as SQL shows it, never ''

        # Each tool keeps what was typed in its form.
        await pick(pilot, pane, "get_requisition")
        await pick(pilot, pane, "create_req")
        assert pane.query_one(JsonForm).raw()["cost_center_id"] == "3"


async def test_a_failed_start_is_shown_in_the_tools_tab(sample_library: Path) -> None:
    (sample_library / "riverside_clinic" / "server.py").write_text("raise RuntimeError('boom at import')\n")
    app = WorkbenchApp(sample_library, open_env="riverside_clinic")
    async with app.run_test(size=(120, 40)) as pilot:
        deadline = time.monotonic() + 60
        while not isinstance(app.screen, ErrorModal):  # the Overview pane reports the failure in a modal
            assert time.monotonic() < deadline, "no error modal"
            await asyncio.sleep(0.05)
            await pilot.pause()
        await pilot.press("escape")
        pane = await open_tools(app, pilot)
        assert "failed to start" in text_of(pane.query_one("#tools-count"))
        assert "boom at import" in text_of(pane.query_one("#tools-status", Static))
        pane.action_call()  # nothing to call: a warning, no crash
        pane.action_save_run()
        await pilot.pause()


def test_row_diff_lines_colours_null_blob_fk_and_fit_80_columns() -> None:
    from workbench.db.diff import DbDiff, FkViolation, RowChange, TableDiff
    from workbench.ui.widgets.row_diff import diff_lines

    t = TableDiff("tickets", ["id"])
    row = {"id": 21, "subject": "New laptop for Sofia Novak", "note": None, "blob": b"\x00\xff",
           "priority": "high", "status": "open"}
    t.inserted.append(RowChange({"id": 21}, None, row))
    t.updated.append(RowChange({"id": 15}, {"id": 15, "priority": "medium", "closed_at": None},
                               {"id": 15, "priority": "high", "closed_at": "2026-03-02 09:00:00"}))
    t.deleted.append(RowChange({"id": 3}, {"id": 3, "subject": "old"}, None))
    diff = DbDiff(tables=[t], fk_violations_introduced=[FkViolation("ticket_assets", {"id": 7}, "assets",
                                                                    {"asset_id": 999})])
    lines = diff_lines(diff, width=54)
    text = "\n".join(line.plain for line in lines)
    assert text.splitlines()[0] == "tickets  1 inserted  1 updated  1 deleted"
    assert "  + id=21" in text and "note=NULL" in text and "blob=X'00ff' (2 bytes)" in text
    assert "  ~ id=15" in text and "priority: 'medium' -> 'high'" in text
    assert "closed_at: NULL -> '2026-03-02 09:00:00'" in text
    assert "  - id=3" in text and "subject='old'" in text
    assert "! foreign key violated: ticket_assets id=7 -> assets (asset_id=999 has no parent row)" in text
    assert all(len(line.plain) <= 54 for line in lines[:-1])  # packed to the width (the ! line may wrap)
    styles = {str(span.style) for line in lines for span in line.spans}
    assert {"$text-success", "$text-error", "$text-warning"} <= styles
    assert [line.plain for line in diff_lines(DbDiff())] == ["no changes"]
    assert [line.plain for line in diff_lines(None)] == ["(no call yet)"]
