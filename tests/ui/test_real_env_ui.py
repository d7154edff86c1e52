"""The workspace on a real AWM environment (from ../shared/awm_samples): every tab opens, a tool call
made from the Tools form shows its row diff, and the Data tab shows the new row."""

from __future__ import annotations

from pathlib import Path

from workbench.ui.app import WorkbenchApp
from workbench.ui.screens.modals import ErrorModal

from .conftest import settle


async def test_real_env_workspace(real_library_copy: Path) -> None:
    app = WorkbenchApp(real_library_copy, open_env="gofundme")
    async with app.run_test(size=(160, 50)) as pilot:
        await settle(app, pilot, rounds=6)
        ctx = app.screen.ctx
        assert ctx.session is not None and len(ctx.session.tools) == 10
        for key in "12345678":
            await pilot.press(key)
            await pilot.pause()
            assert not isinstance(app.screen, ErrorModal)
        await settle(app, pilot)
        await pilot.press("5")
        await pilot.pause()
        # A call through the session the panes share (the form itself is tested on the sample envs).
        out = ctx.session.call("create_campaign_update", {"campaign_id": 1, "title": "Thanks", "body": "Week 1"})
        assert not out.is_error and out.diff.rows_changed == 1
        from workbench.ui.context import StateChanged

        app.screen.post_message(StateChanged("call"))
        await settle(app, pilot)
        await pilot.press("4")
        await settle(app, pilot)
        rows = ctx.session.instance.connect().execute("SELECT count(*) FROM campaign_updates").fetchone()[0]
        assert rows >= 1
